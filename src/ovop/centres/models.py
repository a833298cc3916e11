import uuid
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ovop.centres.enums import (
    CapacityPeriod,
    CertificateKind,
    DocumentKind,
    MarketReach,
    SizeClass,
)
from ovop.centres.validators import kbli_validator, nib_validator, validate_sales_channels
from ovop.common import validators as bounds
from ovop.common.fields import capacity_field
from ovop.common.models import TimeStampedModel
from ovop.common.validators import single_line_text

if TYPE_CHECKING:
    from ovop.accounts.models import User

# A sentra IKM has at least 5 business units (PP 29/2018, Pasal 1).
MIN_UNITS = 5
# Permenperin 64/2016: kecil ≤ 19 workers and investment < Rp 1 miliar; menengah up to 15 M.
SMALL_MAX_WORKERS = 19
SMALL_INVESTMENT_LIMIT = 1_000_000_000
MEDIUM_INVESTMENT_LIMIT = 15_000_000_000


class CommodityGroup(TimeStampedModel):
    """A configurable commodity group (the cycle decides which are eligible)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100, validators=[single_line_text])
    name_en = models.CharField(_("name in English"), max_length=100, validators=[single_line_text])
    is_active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("commodity group")
        verbose_name_plural = _("commodity groups")

    def __str__(self) -> str:
        return self.name_en if (get_language() or "").startswith("en") else self.name


class Centre(TimeStampedModel):
    """A sentra IKM: a cluster of at least five business units making a similar product."""

    name = models.CharField(_("name"), max_length=200, validators=[single_line_text])
    commodity = models.ForeignKey(
        CommodityGroup, verbose_name=_("commodity group"), on_delete=models.PROTECT
    )
    main_product = models.CharField(
        _("main product"), max_length=200, validators=[single_line_text]
    )
    kbli = models.CharField(_("KBLI 2020 code"), max_length=5, validators=[kbli_validator])
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("district or village"),
        on_delete=models.PROTECT,
        related_name="centres",
    )
    # Denormalised from region so scoping is one indexed equality, never a LIKE.
    regency = models.ForeignKey(
        "regions.Region",
        verbose_name=_("regency/city"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    province = models.ForeignKey(
        "regions.Region",
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    address = models.TextField(
        _("address"),
        blank=True,
        max_length=bounds.NOTES_MAX_LENGTH,
        validators=bounds.bounded_text(bounds.NOTES_MAX_LENGTH),
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("-11.5")), MaxValueValidator(Decimal("6.5"))],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("94.5")), MaxValueValidator(Decimal("141.5"))],
    )
    decree_number = models.CharField(
        _("decree number (SK penetapan)"),
        max_length=100,
        blank=True,
        validators=[single_line_text],
    )
    decree_date = models.DateField(_("decree date"), null=True, blank=True)
    decree_signer = models.CharField(
        _("decree signed by"), max_length=150, blank=True, validators=[single_line_text]
    )
    unit_count = models.PositiveIntegerField(
        _("business units"),
        validators=[
            MinValueValidator(MIN_UNITS, _("A sentra has at least 5 business units.")),
            MaxValueValidator(bounds.MAX_UNITS),
        ],
    )
    workers_male = models.PositiveIntegerField(
        _("workers (men)"), default=0, validators=bounds.workers
    )
    workers_female = models.PositiveIntegerField(
        _("workers (women)"), default=0, validators=bounds.workers
    )
    capacity_value = capacity_field(_("production capacity"))
    capacity_unit = models.CharField(
        _("capacity unit"), max_length=30, blank=True, validators=[single_line_text]
    )
    capacity_period = models.CharField(
        _("capacity period"), max_length=5, choices=CapacityPeriod.choices, blank=True
    )
    production_value = models.PositiveBigIntegerField(
        _("production value (Rp/year)"), null=True, blank=True, validators=bounds.rupiah
    )
    investment_value = models.PositiveBigIntegerField(
        _("investment (Rp)"), null=True, blank=True, validators=bounds.rupiah
    )
    raw_material = models.CharField(
        _("raw material need"), max_length=200, blank=True, validators=[single_line_text]
    )
    local_material_share = models.PositiveSmallIntegerField(
        _("local raw material share (%)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
    )
    market_reach = models.CharField(
        _("market reach"), max_length=8, choices=MarketReach.choices, default=MarketReach.LOCAL
    )
    institutions = models.TextField(
        _("institutions (pengurus, UPT)"),
        blank=True,
        max_length=bounds.NOTES_MAX_LENGTH,
        validators=bounds.bounded_text(bounds.NOTES_MAX_LENGTH),
    )
    facilities = models.TextField(
        _("facilities"),
        blank=True,
        max_length=bounds.NOTES_MAX_LENGTH,
        validators=bounds.bounded_text(bounds.NOTES_MAX_LENGTH),
    )

    history = HistoricalRecords()
    # Read by django-simple-history when the row is saved (an attribute, not a field).
    _change_reason: str

    class Meta:
        ordering = ["regency_id", "name"]
        verbose_name = _("sentra IKM")
        verbose_name_plural = _("sentra IKM")
        constraints = [
            # The name is the centre's stable key inside its regency (Excel re-imports).
            models.UniqueConstraint("regency", Lower("name"), name="centre_name_unique_in_regency"),
        ]
        indexes = [
            models.Index(fields=["regency", "name"]),
            models.Index(fields=["province", "regency"]),
            models.Index(fields=["commodity"]),
            models.Index(fields=["market_reach"]),
            models.Index(fields=["updated_at"]),  # fingerprints (common.freshness)
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def worker_count(self) -> int:
        return self.workers_male + self.workers_female

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Keep the denormalised scope keys in step with the chosen district/village.
        if self.region_id:
            self.regency_id = self.region_id[:5]
            self.province_id = self.region_id[:2]
        super().save(*args, **kwargs)


def size_class_for(*, worker_count: int, investment_value: int | None) -> str | None:
    """Permenperin 64/2016; None when the enterprise is too large to be an IKM."""
    investment = investment_value or 0
    if investment > MEDIUM_INVESTMENT_LIMIT:
        return None
    if worker_count <= SMALL_MAX_WORKERS and investment < SMALL_INVESTMENT_LIMIT:
        return SizeClass.SMALL
    return SizeClass.MEDIUM


class Enterprise(TimeStampedModel):
    """An IKM unit inside a centre."""

    centre = models.ForeignKey(
        Centre, verbose_name=_("sentra"), on_delete=models.CASCADE, related_name="enterprises"
    )
    name = models.CharField(_("business name"), max_length=200, validators=[single_line_text])
    owner = models.CharField(_("owner"), max_length=150, validators=[single_line_text])
    nib = models.CharField(_("NIB"), max_length=13, blank=True, validators=[nib_validator])
    kbli = models.CharField(
        _("KBLI 2020 code"), max_length=5, blank=True, validators=[kbli_validator]
    )
    founded_year = models.PositiveSmallIntegerField(
        _("year founded"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
    )
    worker_count = models.PositiveIntegerField(_("workers"), default=0, validators=bounds.workers)
    investment_value = models.PositiveBigIntegerField(
        _("investment excl. land and buildings (Rp)"),
        null=True,
        blank=True,
        validators=bounds.rupiah,
    )
    size_class = models.CharField(
        _("size class"), max_length=6, choices=SizeClass.choices, editable=False
    )
    capacity_installed = capacity_field(_("installed capacity"))
    capacity_realised = capacity_field(_("realised capacity"))
    markets = models.CharField(
        _("markets"), max_length=300, blank=True, validators=[single_line_text]
    )
    sales_channels = models.JSONField(
        _("sales channels"), default=list, blank=True, validators=[validate_sales_channels]
    )
    export_destinations = models.CharField(
        _("export destinations"), max_length=300, blank=True, validators=[single_line_text]
    )

    history = HistoricalRecords()
    # Read by django-simple-history when the row is saved (an attribute, not a field).
    _change_reason: str

    class Meta:
        ordering = ["centre_id", "name"]
        verbose_name = _("IKM unit")
        verbose_name_plural = _("IKM units")
        constraints = [
            models.UniqueConstraint(
                fields=["nib"], condition=~models.Q(nib=""), name="enterprise_nib_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Certificate(TimeStampedModel):
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("IKM unit"),
        on_delete=models.CASCADE,
        related_name="certificates",
    )
    kind = models.CharField(_("kind"), max_length=8, choices=CertificateKind.choices)
    number = models.CharField(_("number"), max_length=100, validators=[single_line_text])
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["enterprise_id", "kind", "number"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"


def upload_path(instance: "CentreDocument | CentrePhoto", filename: str) -> str:
    # Never trust the uploaded name: keep only the checked extension.
    extension = filename.rsplit(".", 1)[-1].lower()
    return f"centres/{instance.centre_id}/{uuid.uuid4().hex}.{extension}"


class CentreDocument(TimeStampedModel):
    centre = models.ForeignKey(
        Centre, verbose_name=_("sentra"), on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(_("kind"), max_length=8, choices=DocumentKind.choices)
    title = models.CharField(_("title"), max_length=200, validators=[single_line_text])
    file = models.FileField(_("file (PDF)"), upload_to=upload_path)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    history = HistoricalRecords()
    # Read by django-simple-history when the row is saved (an attribute, not a field).
    _history_user: "User"

    class Meta:
        ordering = ["centre_id", "-created_at"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return self.title


class CentrePhoto(TimeStampedModel):
    centre = models.ForeignKey(
        Centre, verbose_name=_("sentra"), on_delete=models.CASCADE, related_name="photos"
    )
    caption = models.CharField(
        _("caption"), max_length=200, blank=True, validators=[single_line_text]
    )
    image = models.ImageField(_("photo"), upload_to=upload_path)
    thumbnail = models.ImageField(_("thumbnail"), upload_to=upload_path)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    history = HistoricalRecords()
    # Read by django-simple-history when the row is saved (an attribute, not a field).
    _history_user: "User"

    class Meta:
        ordering = ["centre_id", "-created_at"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        indexes = [models.Index(fields=["updated_at"])]  # fingerprints (common.freshness)

    def __str__(self) -> str:
        return self.caption or str(self.image)  # a FieldFile reads as its name
