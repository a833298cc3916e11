from django.db import models
from django.utils.translation import pgettext_lazy


class ExportStatus(models.TextChoices):
    QUEUED = "queued", pgettext_lazy("export", "Queued")
    RUNNING = "running", pgettext_lazy("export", "Running")
    DONE = "done", pgettext_lazy("export", "Ready")
    FAILED = "failed", pgettext_lazy("export", "Failed")


# A job in these states still changes; the progress page keeps polling.
EXPORT_PENDING = (ExportStatus.QUEUED, ExportStatus.RUNNING)
