"""Import and export throughput of the centres workbook (PERFORMANCE.md targets:
10,000-row import ≤ 20 s and ≤ 400 MB peak; 20,000-centre export ≤ 15 s, with the web worker
held ≤ 1 s: the export is built by the task worker)."""

import datetime
import resource
import tempfile
import time
from pathlib import Path

import xlsxwriter
from django.test import Client, override_settings
from django_tasks_db.models import DBTaskResult

import bench.settings_env  # noqa: F401 — the bench database, then django.setup()
from ovop.centres.models import Centre
from ovop.centres.workbooks.columns import DATA_SHEET, HEADERS
from ovop.centres.workbooks.imports import import_centres
from ovop.common.models import ExportJob

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _row(number: int, region: str, prefix: str) -> list:
    return [
        None,
        f"{prefix} {number}",
        "makanan-minuman",
        "Kue tradisional",
        "10792",
        region,
        "Jl. Uji",
        -3.43,
        114.85,
        f"188/{number}/2024",
        datetime.date(2024, 5, 21),
        "Bupati",
        7,
        3,
        9,
        100,
        "kg",
        "month",
        250_000_000,
        90_000_000,
        "Tepung",
        70,
        "province",
        "",
        "",
    ]


def write_workbook(path: Path, *, rows: int, region: str, prefix: str) -> None:
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = workbook.add_worksheet(DATA_SHEET)
    date_format = workbook.add_format({"num_format": "dd/mm/yyyy"})
    sheet.write_row(0, 0, HEADERS)
    for number in range(1, rows + 1):
        for column, value in enumerate(_row(number, region, prefix)):
            if isinstance(value, datetime.date):
                sheet.write_datetime(number, column, value, date_format)
            elif value is not None:
                sheet.write(number, column, value)
    workbook.close()


def peak_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


PREFIX = "Sentra Uji Bench"


def import_rows(*, actor, rows: int, region: str, prefix: str, again: bool) -> list[dict]:
    """Import ``rows`` new centres (timed), and optionally the same file again (unchanged)."""
    results = []
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.xlsx"
        write_workbook(path, rows=rows, region=region, prefix=prefix)
        for label in ("import (new rows)", "import again (unchanged)")[: 2 if again else 1]:
            start = time.perf_counter()
            with path.open("rb") as handle:
                result = import_centres(actor=actor, file=handle, dry_run=False)
            seconds = time.perf_counter() - start
            assert not result.errors, result.errors[:3]
            results.append(
                {
                    "case": f"{label}, {rows} rows",
                    "seconds": round(seconds, 2),
                    "created": result.created,
                    "peak_mb": peak_mb(),
                }
            )
    return results


def export_all(*, actor) -> dict:
    """The 20,000-centre xlsx export as a user asks for it, with the worker's backend.

    ``held_seconds`` is how long the web worker is held (until the 303 to the progress
    page, or the first byte of a direct download); ``seconds`` runs until the file is done.
    """
    client = Client()
    client.force_login(actor)
    with override_settings(TASKS=DATABASE_TASKS):
        start = time.perf_counter()
        response = client.get("/centres/export/", {"format": "xlsx"})
        held = time.perf_counter() - start
        if response.status_code == 303:
            size = _run_worker(response["Location"])
        else:
            chunks = iter(response.streaming_content)
            size = len(next(chunks, b""))
            held = time.perf_counter() - start
            size += sum(len(chunk) for chunk in chunks)
    seconds = round(time.perf_counter() - start, 2)
    count = Centre.objects.count()
    return {
        "case": f"export xlsx, {count} centres",
        "seconds": seconds,
        "held_seconds": round(held, 3),
        "background": response.status_code == 303,
        "bytes": size,
        "peak_mb": peak_mb(),
    }


def _run_worker(location: str) -> int:
    """Do what ``db_worker`` does with the queued job; answer the file's size, then tidy up."""
    job = ExportJob.objects.get(pk=location.rstrip("/").rsplit("/", 1)[-1])
    queued = DBTaskResult.objects.filter(args_kwargs__kwargs__job_id=str(job.pk)).get()
    result = queued.task_result
    result.task.call(*result.args, **result.kwargs)
    job.refresh_from_db()
    size = job.file.size if job.file else 0
    if job.file:
        job.file.delete(save=False)
    job.delete()
    queued.delete()
    return size
