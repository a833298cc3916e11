"""Evidence of an activity (photos, attendance sheets, reports): checked by content, stored
under a generated name, removed with its row.

Like a centre's media, a photo is whatever Pillow recognises and is stored re-encoded
(without EXIF such as a GPS position); a PDF is whatever starts and ends like one. The file's
name and declared type are never trusted.
"""

from typing import cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.utils.text import slugify
from django.utils.translation import gettext as _

from ovop.accounts.models import User
from ovop.centres.services.uploads import PHOTO_CONTENT_TYPES, clean_pdf, clean_photo
from ovop.coaching.enums import EvidenceKind
from ovop.coaching.models import Activity, Evidence


def _require_change(actor: User, activity: Activity) -> None:
    # The views check first (403 before reading an upload); this guards every other caller.
    if not actor.has_perm("coaching.change_programme", activity.programme):
        raise PermissionDenied


def _checked_content(upload: File[bytes], kind: str) -> tuple[File[bytes], str]:
    """(content to store, stored name) — or a ValidationError on the file field."""
    try:
        if kind == EvidenceKind.PHOTO:
            processed = clean_photo(upload)
            # clean_photo always names the re-encoded image ("photo.<extension>").
            return processed.image, cast(str, processed.image.name)
        clean_pdf(upload)
        return upload, "evidence.pdf"
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error


@transaction.atomic
def add_evidence(
    *, actor: User, activity: Activity, upload: File[bytes], kind: str, title: str = ""
) -> Evidence:
    """Store a photo (re-encoded) or a PDF for the activity; nothing is kept on error."""
    _require_change(actor, activity)
    if kind not in EvidenceKind.values:
        raise ValidationError({"kind": _("Choose a photo, an attendance sheet or a report.")})
    content, name = _checked_content(upload, kind)
    evidence = Evidence(
        activity=activity, kind=kind, title=title.strip(), uploaded_by=actor, size=content.size or 0
    )
    evidence.full_clean(exclude=["file"])
    evidence._history_user = actor
    try:
        evidence.file.save(name, content, save=False)
        evidence.save()
    except Exception:
        # No row refers to the file, so nothing would ever delete it.
        if evidence.file.name:
            evidence.file.storage.delete(evidence.file.name)
        raise
    return evidence


def _delete_file_after_commit(file: FieldFile) -> None:
    """Remove the stored file once the row is gone for good; a rollback keeps it."""
    storage, name = file.storage, file.name
    if not name:
        return
    transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def delete_evidence(*, actor: User, evidence: Evidence) -> None:
    _require_change(actor, evidence.activity)
    evidence._history_user = actor
    evidence.delete()
    _delete_file_after_commit(evidence.file)


def delete_files_of(activity: Activity) -> None:
    """Schedule the removal of an activity's evidence files (its rows go with the activity)."""
    for evidence in activity.evidence.all():
        _delete_file_after_commit(evidence.file)


def evidence_content_type(evidence: Evidence) -> str:
    if evidence.kind == EvidenceKind.PHOTO:
        extension = (evidence.file.name or "").rsplit(".", 1)[-1].lower()
        return PHOTO_CONTENT_TYPES.get(extension, "application/octet-stream")
    return "application/pdf"


def evidence_download_name(evidence: Evidence) -> str:
    """A readable name safe in any browser: the title (or kind and activity) and extension."""
    name = evidence.file.name
    extension = name.rsplit(".", 1)[-1].lower() if name else "pdf"
    stem = slugify(evidence.title)[:80].strip("-")
    if not stem:
        stem = slugify(f"{evidence.get_kind_display()} {evidence.activity.title}")[:80].strip("-")
    return f"{stem or 'bukti'}.{extension}"
