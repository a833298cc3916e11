from typing import Any

from django.db.models import QuerySet

from ovop.common.models import ExportJob


def export_jobs_of(*, user: Any) -> QuerySet[ExportJob]:
    """The user's own export jobs, newest first: nobody sees anyone else's."""
    return ExportJob.objects.filter(requested_by=user).order_by("-created_at")
