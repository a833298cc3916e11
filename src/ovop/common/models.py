import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ovop.common.enums import ExportStatus


class TimeStampedModel(models.Model):
    """Base for every domain model: when a row was made and last changed.

    Who changed what (old and new values, and why) is recorded by django-simple-history:
    each concrete model declares ``history = HistoricalRecords()``.
    """

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


def export_path(instance: "ExportJob", filename: str) -> str:
    # Under MEDIA_ROOT, which is never served directly: the download view checks the owner.
    return f"exports/{instance.pk}/{uuid.uuid4().hex}.xlsx"


class ExportJob(TimeStampedModel):
    """A large spreadsheet built by the background worker for the person who asked for it.

    The row is the record of who exported what (``source`` and the list's ``params``); only
    the requester sees it. The rows are rebuilt from ``source`` with the requester's own
    scope when the job runs: nothing saved here is trusted as data.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.CASCADE,
        related_name="export_jobs",
    )
    source = models.CharField(_("export source"), max_length=200)
    title = models.CharField(_("title"), max_length=200)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    rows_done = models.PositiveIntegerField(_("rows done"), default=0)
    rows_total = models.PositiveIntegerField(_("rows in total"), default=0)
    file = models.FileField(_("file"), upload_to=export_path, blank=True)
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    error = models.TextField(_("reason it failed"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["requested_by", "-created_at"], name="export_job_owner"),
            models.Index(fields=["created_at"], name="export_job_age"),
        ]
        verbose_name = _("export")
        verbose_name_plural = _("exports")

    def __str__(self) -> str:
        return self.title

    @property
    def percent(self) -> int:
        if self.status == ExportStatus.DONE:
            return 100
        if not self.rows_total:
            return 0
        return min(100, self.rows_done * 100 // self.rows_total)
