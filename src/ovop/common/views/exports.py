"""Downloads that may be built in the background, and the requester's pages for them.

``download`` is what a list's export calls: CSV and small xlsx files answer at once as
before; an xlsx beyond ``OVOP_EXPORT_BACKGROUND_ROWS`` rows becomes an ``ExportJob`` and
the browser is sent (303) to its progress page, so no web worker is held while it is built.
Only the person who asked sees a job; for anyone else it does not exist (404).
"""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponseRedirect, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from ovop.common.enums import EXPORT_PENDING, ExportStatus
from ovop.common.exports import XLSX_CONTENT_TYPE, ExportSource, saved_query
from ovop.common.models import ExportJob
from ovop.common.selectors import export_jobs_of
from ovop.common.services import queue_export

SHOWN_JOBS = 50


class HttpResponseSeeOther(HttpResponseRedirect):
    status_code = 303


def download(
    request,
    source: ExportSource,
    *,
    file_format: str,
    title: str,
    params: dict[str, list[str]] | None = None,
) -> HttpResponseBase:
    """The export of ``source`` for this request: the file itself, or a background job.

    ``params`` (default: the request's query) is all the job keeps to build the rows again.
    """
    params = saved_query(request) if params is None else params
    content = source(user=request.user, params=params)
    if file_format == "xlsx" and content.total() > settings.OVOP_EXPORT_BACKGROUND_ROWS:
        job = queue_export(user=request.user, source=source, params=params, title=title)
        return HttpResponseSeeOther(reverse("exports:detail", kwargs={"pk": job.pk}))
    return content.response(file_format)


def _own_job(request, pk) -> ExportJob:
    return get_object_or_404(export_jobs_of(user=request.user), pk=pk)


def _status(job: ExportJob) -> dict:
    done = job.status == ExportStatus.DONE
    return {
        "status": job.status,
        "label": str(ExportStatus(job.status).label),
        "pending": job.status in EXPORT_PENDING,
        "rows_done": job.rows_done,
        "rows_total": job.rows_total,
        "percent": job.percent,
        "text": _("%(done)s of %(total)s rows") % {"done": job.rows_done, "total": job.rows_total},
        "download_url": reverse("exports:download", kwargs={"pk": job.pk}) if done else "",
        "error": job.error,
    }


@login_required
@require_GET
def job_list(request):
    """“My downloads”: the user's recent export jobs."""
    jobs = list(export_jobs_of(user=request.user)[:SHOWN_JOBS])
    return render(request, "exports/list.html", {"jobs": jobs, "keep_days": _keep_days()})


@never_cache
@login_required
@require_GET
def job_detail(request, pk):
    job = _own_job(request, pk)
    return render(
        request,
        "exports/detail.html",
        {"job": job, "status": _status(job), "keep_days": _keep_days()},
    )


@never_cache
@login_required
@require_GET
def job_status(request, pk):
    """The progress as JSON, polled by the progress page."""
    return JsonResponse(_status(_own_job(request, pk)))


@login_required
@require_GET
def job_download(request, pk):
    job = _own_job(request, pk)
    if job.status != ExportStatus.DONE or not job.file:
        raise Http404
    try:
        handle = job.file.open("rb")
    except (FileNotFoundError, ValueError) as error:
        raise Http404 from error  # cleaned up, or the disk was restored without it
    response = FileResponse(
        handle, as_attachment=True, filename=job.file_name, content_type=XLSX_CONTENT_TYPE
    )
    patch_cache_control(response, private=True, no_store=True)
    return response


def _keep_days() -> int:
    return settings.OVOP_EXPORT_KEEP_DAYS
