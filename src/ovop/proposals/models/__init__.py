import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ovop.common import validators as bounds
from ovop.common.models import TimeStampedModel
from ovop.common.validators import single_line_text
from ovop.proposals.enums import Action, CycleStatus, DocumentCheck, ProposalState


class Cycle(TimeStampedModel):
    """A national OVOP cycle, set up by the ministry."""

    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    name = models.CharField(_("name"), max_length=150, validators=[single_line_text])
    star_scale = models.PositiveSmallIntegerField(
        _("star scale"), choices=[(3, "3"), (5, "5")], default=5
    )
    status = models.CharField(
        _("status"), max_length=10, choices=CycleStatus.choices, default=CycleStatus.SETUP
    )
    commodities = models.ManyToManyField(
        "centres.CommodityGroup", verbose_name=_("eligible commodity groups"), blank=True
    )
    proposal_deadline = models.DateField(_("proposal deadline"), null=True, blank=True)
    screening_by = models.DateField(_("screening by"), null=True, blank=True)
    assessment_by = models.DateField(_("assessment by"), null=True, blank=True)
    decision_by = models.DateField(_("decision by"), null=True, blank=True)

    history = HistoricalRecords()
    # Read by django-simple-history when the row is saved (an attribute, not a field).
    _change_reason: str

    class Meta:
        ordering = ["-year", "name"]
        verbose_name = _("cycle")
        verbose_name_plural = _("cycles")

    def __str__(self) -> str:
        return self.name


class ChecklistItem(models.Model):
    """A document the cycle asks for (SK penetapan sentra, NIB, izin edar, halal, photos…)."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="checklist")
    code = models.SlugField(_("code"), max_length=30)
    label = models.CharField(_("document"), max_length=150, validators=[single_line_text])
    required = models.BooleanField(_("required"), default=True)
    food_only = models.BooleanField(_("only for food & drink"), default=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["cycle_id", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "code"], name="checklist_code_unique")
        ]
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")

    def __str__(self) -> str:
        return self.label


# A kab/kota proposes a handful of sentra; a quota in the hundreds is a typing slip.
MAX_PER_REGENCY = 100


class Round(TimeStampedModel):
    """One province's call for proposals inside a cycle."""

    cycle = models.ForeignKey(
        Cycle, verbose_name=_("cycle"), on_delete=models.PROTECT, related_name="rounds"
    )
    province = models.ForeignKey(
        "regions.Region", verbose_name=_("province"), on_delete=models.PROTECT, related_name="+"
    )
    opens_at = models.DateTimeField(_("opens at"), default=timezone.now)
    deadline = models.DateTimeField(_("deadline"))
    min_per_regency = models.PositiveSmallIntegerField(
        _("minimum proposals per regency/city"),
        default=2,
        validators=[MaxValueValidator(MAX_PER_REGENCY)],
    )
    max_per_regency = models.PositiveSmallIntegerField(
        _("maximum proposals per regency/city"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_PER_REGENCY)],
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["cycle_id", "province_id"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "province"], name="round_unique_province")
        ]
        verbose_name = _("round")
        verbose_name_plural = _("rounds")

    def __str__(self) -> str:
        return f"{self.cycle} — {self.province.name}"


def _narrative(verbose_name) -> models.TextField:
    """One of the proposal's essays on the OVOP principles."""
    return models.TextField(
        verbose_name,
        blank=True,
        max_length=bounds.NARRATIVE_MAX_LENGTH,
        validators=bounds.bounded_text(bounds.NARRATIVE_MAX_LENGTH),
    )


class Proposal(TimeStampedModel):
    """A kab/kota's proposal of one centre in a round (usulan)."""

    round = models.ForeignKey(
        Round, verbose_name=_("round"), on_delete=models.PROTECT, related_name="proposals"
    )
    centre = models.ForeignKey(
        "centres.Centre",
        verbose_name=_("sentra"),
        on_delete=models.PROTECT,
        related_name="proposals",
    )
    # Denormalised from the centre so scoping and the quota are one indexed equality.
    regency = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", editable=False
    )
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=ProposalState.choices,
        default=ProposalState.DRAFT,
        db_index=True,
    )
    # Bumped by every state change; a move only applies to the version its actor saw.
    version = models.PositiveIntegerField(default=0, editable=False)
    lead_enterprise = models.ForeignKey(
        "centres.Enterprise",
        verbose_name=_("lead IKM (penghela)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    featured_products = models.CharField(
        _("featured products"), max_length=300, blank=True, validators=[single_line_text]
    )
    local_yet_global = _narrative(_("local yet global"))
    self_reliance = _narrative(_("self-reliance and creativity"))
    human_resources = _narrative(_("human resource development"))
    product_innovation = _narrative(_("market-driven product innovation"))
    market_access = _narrative(_("wider market access"))
    image = _narrative(_("better image"))
    contact_name = models.CharField(
        _("contact person"), max_length=150, blank=True, validators=[single_line_text]
    )
    contact_phone = models.CharField(
        _("contact phone"), max_length=30, blank=True, validators=[single_line_text]
    )
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    sample_received_on = models.DateField(_("product sample received on"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        ordering = ["round_id", "regency_id", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "centre"], name="proposal_centre_once")
        ]
        indexes = [
            models.Index(fields=["round", "regency", "state"]),
            models.Index(fields=["updated_at"]),  # fingerprints (common.freshness)
        ]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")

    def __str__(self) -> str:
        return f"{self.centre} ({self.round.cycle.year})"


def proposal_upload_path(instance: "ProposalDocument", filename: str) -> str:
    return f"proposals/{instance.proposal_id}/{uuid.uuid4().hex}.pdf"


class ProposalDocument(TimeStampedModel):
    """Evidence for one checklist item, and the verifier's check of it."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="documents")
    item = models.ForeignKey(
        ChecklistItem, verbose_name=_("checklist item"), on_delete=models.PROTECT, related_name="+"
    )
    file = models.FileField(_("file (PDF)"), upload_to=proposal_upload_path)
    check_result = models.CharField(
        _("check"), max_length=7, choices=DocumentCheck.choices, default=DocumentCheck.PENDING
    )
    note = models.CharField(_("note"), max_length=300, blank=True, validators=[single_line_text])
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["proposal_id", "item__position"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "item"], name="one_document_per_item")
        ]
        verbose_name = _("proposal document")
        verbose_name_plural = _("proposal documents")

    def __str__(self) -> str:
        return str(self.item)


class Transition(models.Model):
    """One move in a proposal's timeline: who, when, from what to what, and why."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="timeline")
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    from_state = models.CharField(_("from"), max_length=10, choices=ProposalState.choices)
    to_state = models.CharField(_("to"), max_length=10, choices=ProposalState.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(
        _("reason"),
        blank=True,
        max_length=bounds.REASON_MAX_LENGTH,
        validators=bounds.bounded_text(bounds.REASON_MAX_LENGTH),
    )
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        ordering = ["proposal_id", "at", "pk"]
        verbose_name = _("transition")
        verbose_name_plural = _("transitions")

    def __str__(self) -> str:
        return f"{self.from_state} → {self.to_state}"


from ovop.proposals.models.letters import CoverLetter, Letterhead  # noqa: E402,F401
