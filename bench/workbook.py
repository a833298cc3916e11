"""Import and export throughput of the centres workbook (PERFORMANCE.md targets:
10,000-row import ≤ 20 s and ≤ 400 MB peak; 20,000-centre export ≤ 15 s, streamed)."""

import datetime
import resource
import tempfile
import time
from pathlib import Path

import xlsxwriter
from django.test import Client

import bench.settings_env  # noqa: F401 — the bench database, then django.setup()
from ovop.centres.imports import import_centres
from ovop.centres.models import Centre
from ovop.centres.workbook import DATA_SHEET, HEADERS


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
    client = Client()
    client.force_login(actor)
    start = time.perf_counter()
    response = client.get("/centres/export/", {"format": "xlsx"})
    size = sum(len(chunk) for chunk in response.streaming_content)
    seconds = round(time.perf_counter() - start, 2)
    count = Centre.objects.count()
    return {
        "case": f"export xlsx, {count} centres",
        "seconds": seconds,
        "bytes": size,
        "peak_mb": peak_mb(),
    }
