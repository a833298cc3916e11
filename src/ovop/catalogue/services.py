"""Writing the catalogue: an office saves a centre's story and order contacts."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ovop.accounts.models import User
from ovop.catalogue.models import CatalogueEntry
from ovop.centres.models import Centre

ENTRY_FIELDS = [
    "story",
    "story_en",
    "order_links",
    "whatsapp",
    "phone",
    "email",
    "contact_public",
    "cover_photo",
]


def entry_for(centre: Centre) -> CatalogueEntry:
    """The centre's entry, or a new unsaved one (an entry is created on its first save)."""
    entry = CatalogueEntry.objects.filter(centre=centre).select_related("cover_photo").first()
    return entry or CatalogueEntry(centre=centre)


@transaction.atomic
def save_entry(
    *, actor: User, centre: Centre, data: dict[str, Any], reason: str = ""
) -> CatalogueEntry:
    """Create or update ``centre``'s catalogue entry from already-parsed values.

    Works for a centre that is not public yet, so its story is ready on publication: what
    the public sees is decided by ``selectors.public_centres``, never here.
    """
    if not actor.has_perm("catalogue.change_entry", centre):
        raise PermissionDenied
    entry = entry_for(centre)
    for field, value in data.items():
        if field in ENTRY_FIELDS:
            setattr(entry, field, value.strip() if isinstance(value, str) else value)
    if entry.cover_photo is not None and entry.cover_photo.centre_id != centre.pk:
        # The form only offers the centre's own photos; this guards every other caller.
        raise ValidationError({"cover_photo": _("Choose one of this sentra's photos.")})
    entry.updated_by = actor
    entry.full_clean()
    entry._history_user = actor
    entry._change_reason = reason
    entry.save()
    return entry
