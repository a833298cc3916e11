"""Large xlsx exports built by the task backend: 303 → progress page → download.

With the immediate backend (tests, `make run`) the job runs inside the request, so the
progress page already shows the file ready; with the database backend it waits for the
worker, whose work is the task function run here directly.
"""

import datetime
import io
import os

import openpyxl
import pytest
from django.core.files.base import ContentFile
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from ovop.centres.views.imports import centres_source
from ovop.centres.workbooks.columns import DATA_SHEET
from ovop.centres.workbooks.imports import import_centres
from ovop.common.enums import ExportStatus
from ovop.common.exports import write_table
from ovop.common.models import ExportJob
from ovop.common.services import delete_old_exports, queue_export, run_export
from tests.evaluation.helpers import assign_directly, make_assessor, make_eligible, submit_directly
from tests.factories import CentreFactory

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def banjar_centres(world) -> list:
    """Four centres of Banjar (63.03), which its operator sees, and Tapin's, which it does not."""
    extra = [CentreFactory(region_id="63.03.01") for _ in range(3)]
    return [world["centre_banjar"], *extra]


def _queue_centres(client, **query) -> ExportJob:
    response = client.get(reverse("centres:export"), {"format": "xlsx", **query})
    assert response.status_code == 303
    job = ExportJob.objects.get()
    assert response["Location"] == reverse("exports:detail", kwargs={"pk": job.pk})
    return job


def _workbook(client, job: ExportJob) -> openpyxl.Workbook:
    response = client.get(reverse("exports:download", kwargs={"pk": job.pk}))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="sentra-')
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def _download_bytes(client, job: ExportJob) -> bytes:
    response = client.get(reverse("exports:download", kwargs={"pk": job.pk}))
    return b"".join(response.streaming_content)


@override_settings(OVOP_EXPORT_BACKGROUND_ROWS=2)
def test_centres_xlsx_over_threshold_is_built_as_a_job_and_reimports_unchanged(
    world, banjar_centres
):
    client = signed_in(world["operator"])
    job = _queue_centres(client)
    page = client.get(reverse("exports:detail", kwargs={"pk": job.pk}))
    assert page.status_code == 200
    assert reverse("exports:download", kwargs={"pk": job.pk}) in page.content.decode()
    assert "4 dari 4 baris" in page.content.decode()
    job.refresh_from_db()
    assert (job.status, job.rows_done, job.rows_total) == (ExportStatus.DONE, 4, 4)
    assert job.requested_by == world["operator"]
    assert job.finished_at is not None
    content = _download_bytes(client, job)
    sheet = openpyxl.load_workbook(io.BytesIO(content))[DATA_SHEET]
    names = {row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert names == {centre.name for centre in banjar_centres}
    result = import_centres(actor=world["operator"], file=io.BytesIO(content), dry_run=True)
    assert result.ok, result.errors
    assert (result.created, result.updated, result.unchanged) == (0, 0, 4)


@override_settings(OVOP_EXPORT_BACKGROUND_ROWS=10)
def test_xlsx_within_threshold_and_csv_answer_at_once(world, banjar_centres):
    client = signed_in(world["operator"])
    xlsx = client.get(reverse("centres:export"), {"format": "xlsx"})
    assert xlsx.status_code == 200
    assert xlsx["Content-Type"].startswith("application/vnd")
    with override_settings(OVOP_EXPORT_BACKGROUND_ROWS=1):
        csv = client.get(reverse("centres:export"), {"format": "csv"})
    assert csv.status_code == 200
    assert csv.streaming
    b"".join(csv.streaming_content)
    assert not ExportJob.objects.exists()


@override_settings(OVOP_EXPORT_BACKGROUND_ROWS=1)
def test_job_keeps_the_requesters_scope_whatever_the_saved_query(world, banjar_centres):
    """Asking for Tapin's regency in the query does not widen a Banjar operator's file."""
    client = signed_in(world["operator"])
    job = _queue_centres(client)
    job.refresh_from_db()
    assert job.params == {}  # only the list's filters are kept, never rows
    tapin = world["centre_tapin"]
    sheet = _workbook(client, job)[DATA_SHEET]
    ids = {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert tapin.pk not in ids
    ExportJob.objects.all().delete()
    # A tampered query is re-applied under the operator's scope: nothing of 63.05 leaves.
    job = queue_export(
        user=world["operator"], source=centres_source, params={"regency": ["63.05"]}, title="X"
    )
    assert (job.status, job.rows_total) == (ExportStatus.DONE, 0)


@override_settings(OVOP_EXPORT_BACKGROUND_ROWS=1, TASKS=DATABASE_TASKS)
def test_database_backend_queues_the_job_for_the_worker(world, banjar_centres):
    client = signed_in(world["operator"])
    job = _queue_centres(client)
    assert (job.status, job.rows_done) == (ExportStatus.QUEUED, 0)
    status = client.get(reverse("exports:status", kwargs={"pk": job.pk})).json()
    assert status["pending"]
    assert status["download_url"] == ""
    assert client.get(reverse("exports:download", kwargs={"pk": job.pk})).status_code == 404
    # What the worker does with it (db_worker itself runs in tests/test_deploy_files.py).
    queued = DBTaskResult.objects.get().task_result
    assert queued.task.call(*queued.args, **queued.kwargs) == ExportStatus.DONE
    status = client.get(reverse("exports:status", kwargs={"pk": job.pk})).json()
    assert status["status"] == "done"
    assert not status["pending"]
    assert (status["rows_done"], status["rows_total"], status["percent"]) == (4, 4, 100)
    assert status["download_url"] == reverse("exports:download", kwargs={"pk": job.pk})
    assert len(list(_workbook(client, job)[DATA_SHEET].iter_rows(min_row=2))) == 4
    # A task delivered twice builds the file once.
    assert run_export(job_id=str(job.pk)).status == ExportStatus.DONE


@override_settings(OVOP_EXPORT_BACKGROUND_ROWS=1, TASKS=DATABASE_TASKS)
def test_worker_uses_the_scope_of_the_requester_when_it_runs(world, banjar_centres):
    """An operator moved to another regency before the worker ran gets that regency only."""
    operator = world["operator"]
    job = _queue_centres(signed_in(operator))
    operator.region_id = "63.05"
    operator.save(update_fields=["region"])
    run_export(job_id=str(job.pk))
    job.refresh_from_db()
    assert (job.status, job.rows_total) == (ExportStatus.DONE, 1)  # Tapin's centre only


def test_status_json_reports_progress(world):
    job = ExportJob.objects.create(
        requested_by=world["operator"],
        source="ovop.centres.views.imports.centres_source",
        title="Sentra IKM",
        status=ExportStatus.RUNNING,
        rows_done=500,
        rows_total=2000,
    )
    status = signed_in(world["operator"]).get(reverse("exports:status", kwargs={"pk": job.pk}))
    assert status["Cache-Control"].startswith("max-age=0")
    assert status.json() == {
        "status": "running",
        "label": "Berjalan",
        "pending": True,
        "rows_done": 500,
        "rows_total": 2000,
        "percent": 25,
        "text": "500 dari 2000 baris",
        "download_url": "",
        "error": "",
    }


def test_another_users_job_does_not_exist_for_them(world):
    job = ExportJob.objects.create(
        requested_by=world["operator"], source="x.y", title="Ekspor Banjar", status="done"
    )
    job.file.save("sentra.xlsx", ContentFile(b"PK"))
    for user in (world["operator_neighbour"], world["admin"]):
        client = signed_in(user)
        for name in ("exports:detail", "exports:status", "exports:download"):
            assert client.get(reverse(name, kwargs={"pk": job.pk})).status_code == 404
        assert "Ekspor Banjar" not in client.get(reverse("exports:list")).content.decode()
    own = signed_in(world["operator"]).get(reverse("exports:list"))
    assert "Ekspor Banjar" in own.content.decode()


def test_failed_job_shows_its_reason(world):
    job = ExportJob.objects.create(
        requested_by=world["operator"], source="ovop.centres.views.imports.gone", title="Sentra"
    )
    assert run_export(job_id=str(job.pk)).status == ExportStatus.FAILED
    job.refresh_from_db()
    assert job.finished_at is not None
    assert not job.file
    page = signed_in(world["operator"]).get(reverse("exports:detail", kwargs={"pk": job.pk}))
    assert "Ekspor gagal" in page.content.decode()
    assert job.error in page.content.decode()
    assert "tidak ada lagi" in job.error


def _scored_cycle(world) -> int:
    proposal = make_eligible(world["proposal_banjar"])
    for username in ("penilai-satu", "penilai-dua"):
        submit_directly(assign_directly(proposal, make_assessor(username), by=world["admin"]))
    return world["cycle"].pk


@override_settings(OVOP_EXPORT_BACKGROUND_ROWS=2, TASKS=DATABASE_TASKS)
def test_ranking_job_fails_when_the_requester_lost_the_right(world):
    """The permission is checked again when the job runs, not only when it was asked for."""
    viewer = world["viewer"]
    url = reverse("evaluation:ranking_export", kwargs={"pk": _scored_cycle(world)})
    response = signed_in(viewer).get(url)
    assert response.status_code == 303
    viewer.role = "operator"
    viewer.region_id = "63.03"
    viewer.save(update_fields=["role", "region"])
    job = run_export(job_id=str(ExportJob.objects.get().pk))
    assert job.status == ExportStatus.FAILED
    assert job.error == "Anda tidak lagi boleh melihat baris ini, jadi berkas tidak dibuat."


@override_settings(OVOP_EXPORT_BACKGROUND_ROWS=2)
def test_ranking_with_every_assessor_over_threshold_is_a_job(world):
    client = signed_in(world["admin"])
    url = reverse("evaluation:ranking_export", kwargs={"pk": _scored_cycle(world)})
    assert client.get(url).status_code == 303
    job = ExportJob.objects.get()
    assert (job.status, job.rows_total, job.rows_done) == (ExportStatus.DONE, 3, 3)
    assert job.file_name.startswith(f"peringkat-{world['cycle'].year}-saw-")
    book = openpyxl.load_workbook(io.BytesIO(_download_bytes(client, job)))
    assert [sheet.max_row for sheet in book.worksheets] == [2, 3]  # header + 1, header + 2


@override_settings(OVOP_EXPORT_BACKGROUND_ROWS=0)
def test_indicators_over_threshold_is_a_job(world):
    world["centre_banjar"].indicators.create(year=2026, kind="actual", production_value=5)
    client = signed_in(world["operator"])
    response = client.get(reverse("coaching:indicator_export"), {"format": "xlsx"})
    assert response.status_code == 303
    job = ExportJob.objects.get()
    assert (job.status, job.rows_total) == (ExportStatus.DONE, 1)
    book = openpyxl.load_workbook(io.BytesIO(_download_bytes(client, job)))
    assert book.sheetnames == ["Indikator"]
    assert book["Indikator"].max_row == 2


def test_write_table_reports_progress_every_few_hundred_rows():
    seen: list[int] = []
    written = write_table(
        io.BytesIO(),
        headers=["ID"],
        rows=([number] for number in range(1200)),
        sheet_name="Sentra",
        progress=seen.append,
    )
    assert written == 1200
    assert seen == [500, 1000]


def test_old_jobs_are_deleted_with_their_files(world, settings):
    old = ExportJob.objects.create(requested_by=world["operator"], source="x.y", title="Lama")
    old.file.save("lama.xlsx", ContentFile(b"PK"))
    ExportJob.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=settings.OVOP_EXPORT_KEEP_DAYS + 1)
    )
    recent = ExportJob.objects.create(requested_by=world["operator"], source="x.y", title="Baru")
    path = old.file.path
    assert delete_old_exports() == 1
    assert list(ExportJob.objects.all()) == [recent]
    assert not os.path.exists(path)


@pytest.mark.parametrize("jobs", [1, 20])
def test_my_downloads_list_has_constant_queries(world, jobs, django_assert_max_num_queries):
    for number in range(jobs):
        ExportJob.objects.create(requested_by=world["operator"], source="x.y", title=f"J{number}")
    client = signed_in(world["operator"])
    with django_assert_max_num_queries(8):
        response = client.get(reverse("exports:list"))
    assert response.content.decode().count('href="/exports/') == jobs
