"""Permission-matrix rows for the background export routes; merged into MATRIX.

A job is seen by the person who asked for it only; for everyone else it does not exist.
"""

from django.core.files.base import ContentFile
from django.utils import timezone

from ovop.common.enums import ExportStatus
from ovop.common.models import ExportJob
from tests.conftest import PERSONAS

ALL = ["anonymous", *PERSONAS]


def everyone(status: int, **overrides: int) -> dict[str, int]:
    return {persona: overrides.get(persona, status) for persona in ALL}


def operator_job(world) -> dict:
    """A finished export of the Banjar operator, with its file."""
    job = ExportJob.objects.create(
        requested_by=world["operator"],
        source="ovop.centres.views.imports.centres_source",
        title="Sentra IKM",
        status=ExportStatus.DONE,
        rows_done=1,
        rows_total=1,
        file_name="sentra.xlsx",
        finished_at=timezone.now(),
    )
    job.file.save("sentra.xlsx", ContentFile(b"PK\x03\x04"))
    return {"pk": job.pk}


OWNER_ONLY = everyone(404, anonymous=302, operator=200)

ROWS: dict = {
    "exports:list": (lambda world: {}, everyone(200, anonymous=302)),
    "exports:detail": (operator_job, OWNER_ONLY),
    "exports:status": (operator_job, OWNER_ONLY),
    "exports:download": (operator_job, OWNER_ONLY),
}
