"""Coaching (pembinaan): programmes, their activities, Bimtek for officials, and indicators."""

import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from ovop.centres.enums import MarketReach
from ovop.centres.validators import validate_sales_channels
from ovop.coaching.enums import ActivityKind, EvidenceKind, IndicatorKind, OwnerLevel
from ovop.coaching.outputs import notes
from ovop.common import validators as bounds
from ovop.common.fields import capacity_field
from ovop.common.models import TimeStampedModel
from ovop.common.validators import single_line_text

if TYPE_CHECKING:
    from ovop.accounts.models import User

YEAR = [MinValueValidator(2000), MaxValueValidator(2100)]


class Programme(TimeStampedModel):
    """A coaching programme run by the ministry, a province or a kab/kota for some centres."""

    name = models.CharField(_("name"), max_length=200, validators=[single_line_text])
    owner_level = models.CharField(_("run by"), max_length=8, choices=OwnerLevel.choices)
    owner_region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("office region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The province or kab/kota whose office runs it; empty for the ministry."),
    )
    year_start = models.PositiveSmallIntegerField(_("from year"), validators=YEAR)
    year_end = models.PositiveSmallIntegerField(_("to year"), validators=YEAR)
    budget = models.PositiveBigIntegerField(
        _("budget (Rp)"), null=True, blank=True, validators=bounds.rupiah
    )
    focus = models.JSONField(_("focus aspects"), default=list, blank=True)
    principles = models.JSONField(_("principles"), default=list, blank=True)
    description = models.TextField(
        _("description"),
        blank=True,
        max_length=bounds.NOTES_MAX_LENGTH,
        validators=bounds.bounded_text(bounds.NOTES_MAX_LENGTH),
    )
    centres = models.ManyToManyField(
        "centres.Centre", verbose_name=_("target sentra"), related_name="programmes", blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords(m2m_fields=[centres])
    # Read by django-simple-history when the row is saved (attributes, not fields).
    _history_user: "User"

    class Meta:
        ordering = ["-year_start", "name"]
        verbose_name = _("coaching programme")
        verbose_name_plural = _("coaching programmes")

    def __str__(self) -> str:
        return self.name


class Activity(TimeStampedModel):
    """One thing done inside a programme: a training, a clinic, an exhibition…"""

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="activities"
    )
    kind = models.CharField(_("type"), max_length=14, choices=ActivityKind.choices)
    title = models.CharField(_("title"), max_length=200, validators=[single_line_text])
    starts_on = models.DateField(_("from"))
    # "to" alone is also a state change's "to" (menjadi); an end date reads "sampai".
    ends_on = models.DateField(pgettext_lazy("end date", "to"))
    place = models.CharField(_("place"), max_length=200, blank=True, validators=[single_line_text])
    focus = models.JSONField(_("focus aspects"), default=list, blank=True)
    centres = models.ManyToManyField(
        "centres.Centre",
        verbose_name=_("participating sentra"),
        related_name="activities",
        blank=True,
    )
    enterprises = models.ManyToManyField(
        "centres.Enterprise",
        verbose_name=_("participating IKM units"),
        related_name="activities",
        blank=True,
    )
    participants_male = models.PositiveIntegerField(
        _("participants (men)"), default=0, validators=bounds.workers
    )
    participants_female = models.PositiveIntegerField(
        _("participants (women)"), default=0, validators=bounds.workers
    )
    cost = models.PositiveBigIntegerField(
        _("cost (Rp)"), null=True, blank=True, validators=bounds.rupiah
    )
    outcome = models.TextField(
        _("outcome notes"),
        blank=True,
        max_length=bounds.NOTES_MAX_LENGTH,
        validators=bounds.bounded_text(bounds.NOTES_MAX_LENGTH),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords(m2m_fields=[centres, enterprises])
    # Read by django-simple-history when the row is saved (attributes, not fields).
    _history_user: "User"

    class Meta:
        ordering = ["-starts_on", "title"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")

    def __str__(self) -> str:
        return self.title

    @property
    def participant_count(self) -> int:
        return self.participants_male + self.participants_female


def evidence_path(instance, filename: str) -> str:
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"coaching/{instance.activity_id}/{uuid.uuid4().hex}.{suffix}"


class Evidence(TimeStampedModel):
    """A photo, attendance sheet or report of an activity (checked by content on upload)."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("kind"), max_length=10, choices=EvidenceKind.choices)
    title = models.CharField(_("title"), max_length=200, blank=True, validators=[single_line_text])
    file = models.FileField(_("file"), upload_to=evidence_path)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()
    # Read by django-simple-history when the row is saved (attributes, not fields).
    _history_user: "User"

    class Meta:
        ordering = ["activity_id", "kind", "pk"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return self.title or self.get_kind_display()


class BimtekEvent(TimeStampedModel):
    """Technical guidance for officials (e.g. the province training kab/kota on proposing)."""

    title = models.CharField(_("title"), max_length=200, validators=[single_line_text])
    province = models.ForeignKey(
        "regions.Region",
        verbose_name=_("organising province"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    held_on = models.DateField(_("held on"))
    place = models.CharField(_("place"), max_length=200, blank=True, validators=[single_line_text])
    topic = models.TextField(
        _("topic"),
        blank=True,
        max_length=bounds.NOTES_MAX_LENGTH,
        validators=bounds.bounded_text(bounds.NOTES_MAX_LENGTH),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-held_on", "title"]
        verbose_name = _("Bimtek for officials")
        verbose_name_plural = _("Bimtek for officials")

    def __str__(self) -> str:
        return self.title


class BimtekAttendance(models.Model):
    """One official who attended, and the kab/kota they came from."""

    event = models.ForeignKey(BimtekEvent, on_delete=models.CASCADE, related_name="attendees")
    name = models.CharField(_("name"), max_length=150, validators=[single_line_text])
    position = models.CharField(
        _("position"), max_length=150, blank=True, validators=[single_line_text]
    )
    regency = models.ForeignKey(
        "regions.Region", verbose_name=_("regency/city"), on_delete=models.PROTECT, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["event_id", "regency_id", "name"]
        verbose_name = _("attendee")
        verbose_name_plural = _("attendees")

    def __str__(self) -> str:
        return self.name


class Indicator(TimeStampedModel):
    """A centre's outcome figures for one year: the baseline, an actual value or a target."""

    centre = models.ForeignKey(
        "centres.Centre", on_delete=models.CASCADE, related_name="indicators"
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR)
    kind = models.CharField(
        _("kind"), max_length=8, choices=IndicatorKind.choices, default=IndicatorKind.ACTUAL
    )
    capacity_value = capacity_field(_("production capacity"))
    capacity_unit = models.CharField(
        _("capacity unit"), max_length=30, blank=True, validators=[single_line_text]
    )
    production_value = models.PositiveBigIntegerField(
        _("production value (Rp/year)"), null=True, blank=True, validators=bounds.rupiah
    )
    workers_male = models.PositiveIntegerField(
        _("workers (men)"), null=True, blank=True, validators=bounds.workers
    )
    workers_female = models.PositiveIntegerField(
        _("workers (women)"), null=True, blank=True, validators=bounds.workers
    )
    market_reach = models.CharField(
        _("market reach"), max_length=8, blank=True, choices=MarketReach.choices
    )
    certificates_held = models.PositiveSmallIntegerField(
        _("certificates held"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(bounds.MAX_COUNT)],
    )
    export_value = models.PositiveBigIntegerField(
        _("export value (Rp/year)"), null=True, blank=True, validators=bounds.rupiah
    )
    export_destinations = models.CharField(
        _("export destinations"), max_length=300, blank=True, validators=[single_line_text]
    )
    sales_channels = models.JSONField(
        _("sales channels"), default=list, blank=True, validators=[validate_sales_channels]
    )
    note = models.CharField(
        _("source or note"), max_length=300, blank=True, validators=[single_line_text]
    )
    # A note the system writes (the baseline's source) is kept as a key with parameters and
    # written out in the reader's language (``display_note``); ``note`` holds it as written,
    # the fallback. A note a person types clears the key.
    note_key = models.CharField(_("note key"), max_length=40, blank=True)
    note_params = models.JSONField(_("note parameters"), default=dict, blank=True)

    history = HistoricalRecords(excluded_fields=["note_key", "note_params"])
    # Read by django-simple-history when the row is saved (attributes, not fields).
    _change_reason: str

    class Meta:
        ordering = ["centre_id", "year", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["centre", "year", "kind"], name="indicator_once_per_year_and_kind"
            ),
            models.UniqueConstraint(
                fields=["centre"],
                condition=models.Q(kind="baseline"),
                name="one_baseline_per_centre",
            ),
        ]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return f"{self.centre_id} {self.year} {self.kind}"

    @property
    def display_note(self) -> str:
        """The note in the active language (as stored when a person wrote it)."""
        return notes.render_note(self.note_key, self.note_params, fallback=self.note)

    @property
    def worker_count(self) -> int | None:
        if self.workers_male is None and self.workers_female is None:
            return None
        return (self.workers_male or 0) + (self.workers_female or 0)
