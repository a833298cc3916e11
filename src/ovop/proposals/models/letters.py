"""The province's official letters: its letterhead and the cover letters that forward proposals.

Imported at the end of ``models.py`` so Django registers these models with the app.
"""

import re
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ovop.common import validators as bounds
from ovop.common.models import TimeStampedModel
from ovop.common.validators import single_line_text

DEFAULT_NUMBER_PATTERN = "500.11/{seq}/DISPERIN/{year}"
# The only placeholders a number pattern may use; anything else in braces is refused.
NUMBER_PLACEHOLDERS = ("seq", "year", "month", "roman_month")
_PLACEHOLDER = re.compile(r"\{(" + "|".join(NUMBER_PLACEHOLDERS) + r")\}")
ROMAN_MONTHS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


def format_letter_number(pattern: str, *, sequence: int, date) -> str:
    """``500.11/{seq}/DISPERIN/{year}`` → ``500.11/7/DISPERIN/2026``.

    Plain substitution rather than ``str.format`` so a pattern typed in a form can never
    reach attributes of the values it formats.
    """
    values = {
        "seq": str(sequence),
        "year": str(date.year),
        "month": f"{date.month:02d}",
        "roman_month": ROMAN_MONTHS[date.month - 1],
    }
    return _PLACEHOLDER.sub(lambda match: values[match.group(1)], pattern)


def validate_number_pattern(pattern: str) -> None:
    if "{seq}" not in pattern:
        raise ValidationError(_("The number pattern needs {seq}, the letter's sequence number."))
    if "{" in _PLACEHOLDER.sub("", pattern) or "}" in _PLACEHOLDER.sub("", pattern):
        raise ValidationError(
            _("Use only these placeholders: %(names)s.")
            % {"names": ", ".join(f"{{{name}}}" for name in NUMBER_PLACEHOLDERS)}
        )


class Letterhead(TimeStampedModel):
    """How a province's Industry Office heads and signs its letters (kop surat)."""

    province = models.OneToOneField(
        "regions.Region", verbose_name=_("province"), on_delete=models.PROTECT, related_name="+"
    )
    office_name = models.CharField(
        _("office name"),
        max_length=200,
        validators=[single_line_text],
        help_text=_("As printed, e.g. DINAS PERINDUSTRIAN PROVINSI KALIMANTAN SELATAN."),
    )
    address = models.TextField(
        _("address"),
        blank=True,
        max_length=bounds.NOTES_MAX_LENGTH,
        validators=bounds.bounded_text(bounds.NOTES_MAX_LENGTH),
        help_text=_("One line per line."),
    )
    phone = models.CharField(_("phone"), max_length=60, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.CharField(_("website"), max_length=100, blank=True)
    city = models.CharField(
        _("city of signature"), max_length=60, blank=True, help_text=_("e.g. Banjarbaru.")
    )
    signer_name = models.CharField(
        _("signer's name"), max_length=150, blank=True, validators=[single_line_text]
    )
    signer_title = models.CharField(
        _("signer's title"), max_length=200, blank=True, validators=[single_line_text]
    )
    signer_nip = models.CharField(_("signer's NIP"), max_length=30, blank=True)
    number_pattern = models.CharField(
        _("letter number pattern"),
        max_length=100,
        default=DEFAULT_NUMBER_PATTERN,
        validators=[validate_number_pattern],
        help_text=_("Placeholders: {seq} (required), {year}, {month}, {roman_month}."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["province_id"]
        verbose_name = _("letterhead")
        verbose_name_plural = _("letterheads")

    def __str__(self) -> str:
        return self.office_name

    @property
    def address_lines(self) -> list[str]:
        return [line.strip() for line in self.address.splitlines() if line.strip()]


def cover_letter_upload_path(instance, filename: str) -> str:
    return f"letters/{instance.province_id}/{uuid.uuid4().hex}.pdf"


class CoverLetter(TimeStampedModel):
    """The province's letter forwarding a batch of verified proposals to the ministry."""

    round = models.ForeignKey(
        "proposals.Round",
        verbose_name=_("round"),
        on_delete=models.PROTECT,
        related_name="cover_letters",
    )
    # Denormalised from the round: numbering runs per province and year.
    province = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", editable=False
    )
    year = models.PositiveSmallIntegerField(_("year"), editable=False)
    sequence = models.PositiveIntegerField(_("sequence"), editable=False)
    number = models.CharField(_("letter number"), max_length=100)
    date = models.DateField(_("date"))
    signer_name = models.CharField(_("signer's name"), max_length=150, blank=True)
    signer_title = models.CharField(_("signer's title"), max_length=200, blank=True)
    signer_nip = models.CharField(_("signer's NIP"), max_length=30, blank=True)
    proposals = models.ManyToManyField(
        "proposals.Proposal", verbose_name=_("proposals"), related_name="cover_letters"
    )
    pdf = models.FileField(_("PDF"), upload_to=cover_letter_upload_path, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["province", "year", "sequence"], name="cover_letter_sequence_unique"
            )
        ]
        verbose_name = _("cover letter")
        verbose_name_plural = _("cover letters")

    def __str__(self) -> str:
        return self.number
