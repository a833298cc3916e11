"""Background exports: queue a large spreadsheet, build it in the worker, clean old files;
and the API token a user signs in for (``api_token_for``).

One function owns each change of an ``ExportJob``: ``queue_export`` creates it and hands it
to the worker, ``run_export`` moves it queued → running → done (or failed, with the reason)
and ``delete_old_exports`` removes it with its file after ``OVOP_EXPORT_KEEP_DAYS``.
"""

import datetime
import logging
import tempfile
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from ovop.common.enums import ExportStatus
from ovop.common.exports import ExportSource, export_name, load_source, source_name
from ovop.common.models import ExportJob

logger = logging.getLogger(__name__)

PROGRESS_EVERY = 500  # rows between two progress updates (one UPDATE each)


def queue_export(
    *, user: Any, source: ExportSource, params: dict[str, Any], title: str
) -> ExportJob:
    """A new job for ``user``, handed to the worker (run at once by the immediate backend)."""
    # The task wraps run_export below, so its module imports this one: import it late.
    from ovop.common.tasks import build_export  # noqa: PLC0415

    job = ExportJob(requested_by=user, source=source_name(source), params=params, title=title)
    job.full_clean()
    job.save()
    logger.info("Export %s requested by %s: %s %s", job.pk, user.username, job.source, params)
    build_export.enqueue(job_id=str(job.pk))
    job.refresh_from_db()
    return job


def run_export(*, job_id: str) -> ExportJob:
    """Build the job's file from its source, with the requester's scope applied again."""
    job = ExportJob.objects.select_related("requested_by").get(pk=job_id)
    if job.status != ExportStatus.QUEUED:
        return job  # already run (a task delivered twice builds the file once)
    _update(job, status=ExportStatus.RUNNING)
    try:
        _build(job)
    except Exception as error:  # noqa: BLE001 — whatever went wrong, the job says why
        logger.exception("Export %s (%s) failed", job.pk, job.source)
        _update(job, status=ExportStatus.FAILED, error=_reason(error), finished_at=timezone.now())
    delete_old_exports()
    return job


def _build(job: ExportJob) -> None:
    user = job.requested_by
    if not user.is_active:
        raise PermissionDenied
    content = load_source(job.source)(user=user, params=job.params)
    _update(job, rows_total=content.total())

    def progress(rows: int) -> None:
        _update(job, rows_done=rows)

    with tempfile.TemporaryFile() as handle:
        written = content.write(handle, progress=progress)
        handle.seek(0)
        job.file_name = f"{export_name(content.base_name)}.xlsx"
        job.file.save(job.file_name, File(handle), save=False)
    _update(
        job,
        status=ExportStatus.DONE,
        file=job.file.name,
        file_name=job.file_name,
        rows_done=written,
        rows_total=max(written, job.rows_total),
        finished_at=timezone.now(),
    )


def _update(job: ExportJob, **fields: Any) -> None:
    """Save only ``fields`` (progress is written while the rows are still being read)."""
    for name, value in fields.items():
        setattr(job, name, value)
    ExportJob.objects.filter(pk=job.pk).update(updated_at=timezone.now(), **fields)


def _reason(error: Exception) -> str:
    if isinstance(error, PermissionDenied | Http404):
        return _("You may no longer see these rows, so the file was not made.")
    if isinstance(error, LookupError):
        return _("This kind of export no longer exists; start it again from its list.")
    return _(
        "The file could not be made (%(error)s). Start the export again; if it fails again, "
        "tell the administrator."
    ) % {"error": type(error).__name__}


def delete_old_exports(*, days: int | None = None) -> int:
    """Delete jobs (and their files) older than ``days`` (``OVOP_EXPORT_KEEP_DAYS``)."""
    keep = settings.OVOP_EXPORT_KEEP_DAYS if days is None else days
    old: QuerySet[ExportJob] = ExportJob.objects.filter(
        created_at__lt=timezone.now() - datetime.timedelta(days=keep)
    )
    deleted = 0
    for job in old.iterator():
        if job.file:
            job.file.delete(save=False)
        job.delete()
        deleted += 1
    return deleted


@transaction.atomic
def api_token_for(*, user: Any) -> Token:
    """The user's API token, made the first time they sign in through the API."""
    token, _created = Token.objects.get_or_create(user=user)
    return token
