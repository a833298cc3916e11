"""What a rated centre shows the public beyond the registry: its story and how to order."""

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator, URLValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ovop.common.models import TimeStampedModel

if TYPE_CHECKING:
    from ovop.accounts.models import User

phone_validator = RegexValidator(
    r"^\+?[0-9 ()-]{6,20}$", _("Write the number with digits only, e.g. +62 812 5000 1234.")
)


def validate_links(value) -> None:
    if not isinstance(value, list) or len(value) > 5:
        raise ValidationError(_("Give at most five links."))
    check = URLValidator(schemes=["https", "http"])
    for link in value:
        check(link)


class CatalogueEntry(TimeStampedModel):
    """The public face of a centre. Nothing here shows until a decision rates the centre."""

    centre = models.OneToOneField(
        "centres.Centre", on_delete=models.CASCADE, related_name="catalogue_entry"
    )
    story = models.TextField(_("product story"), blank=True)
    story_en = models.TextField(_("product story in English"), blank=True)
    order_links = models.JSONField(
        _("marketplace and shop links"),
        default=list,
        blank=True,
        validators=[validate_links],
        help_text=_("Full addresses, e.g. https://www.tokopedia.com/…"),
    )
    whatsapp = models.CharField(
        _("WhatsApp number for orders"), max_length=20, blank=True, validators=[phone_validator]
    )
    phone = models.CharField(
        _("phone for orders"), max_length=20, blank=True, validators=[phone_validator]
    )
    email = models.EmailField(_("e-mail for orders"), blank=True)
    contact_public = models.BooleanField(
        _("show the order contacts publicly"),
        default=False,
        help_text=_("Only with the enterprise's consent. Owner names and NIB are never shown."),
    )
    cover_photo = models.ForeignKey(
        "centres.CentrePhoto",
        verbose_name=_("cover photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()
    # Read by django-simple-history when the row is saved (attributes, not fields).
    _history_user: "User"
    _change_reason: str

    class Meta:
        verbose_name = _("catalogue entry")
        verbose_name_plural = _("catalogue entries")
        indexes = [models.Index(fields=["updated_at"])]  # fingerprints (common.freshness)

    def __str__(self) -> str:
        return str(self.centre)
