"""The evaluation of forwarded proposals: rubric, star bands, assessors, scores, decisions."""

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ovop.common import validators as bounds
from ovop.common.models import TimeStampedModel
from ovop.common.validators import multi_line_text, single_line_text
from ovop.evaluation.enums import Aggregation, AssignmentMethod, DecisionStatus, SuggestFrom

if TYPE_CHECKING:
    from ovop.accounts.models import User

LEVELS = range(1, 6)


class BilingualName(models.Model):
    """A name in Indonesian and English, shown in the reader's language."""

    name = models.CharField(_("name"), max_length=200, validators=[single_line_text])
    name_en = models.CharField(_("name in English"), max_length=200, validators=[single_line_text])
    # Each concrete subclass declares its own ``code`` field.
    code: str

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.code} {self.label}"

    @property
    def label(self) -> str:
        return self.name_en if (get_language() or "id").startswith("en") else self.name


class Rubric(TimeStampedModel):
    """A cycle's rubric and the rules for turning assessments into one score."""

    cycle = models.OneToOneField("proposals.Cycle", on_delete=models.CASCADE, related_name="rubric")
    aggregation = models.CharField(
        _("aggregation of assessors"),
        max_length=6,
        choices=Aggregation.choices,
        default=Aggregation.MEAN,
    )
    disagreement_gap = models.DecimalField(
        _("disagreement gap (points)"),
        max_digits=5,
        decimal_places=2,
        default=15,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("Flag a proposal when its assessors' totals differ by more than this."),
    )
    assessors_per_proposal = models.PositiveSmallIntegerField(
        _("assessors per proposal"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(9)],
    )
    top_n = models.PositiveSmallIntegerField(
        _("top N for the sensitivity check"), default=10, validators=[MinValueValidator(1)]
    )
    locked_at = models.DateTimeField(_("locked at"), null=True, blank=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rubric")
        verbose_name_plural = _("rubrics")

    def __str__(self) -> str:
        return str(_("Rubric of %(cycle)s") % {"cycle": self.cycle})


class Criterion(BilingualName):
    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="criteria")
    code = models.CharField(_("code"), max_length=10)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["rubric_id", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["rubric", "code"], name="criterion_code_unique")
        ]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")


class SubCriterion(BilingualName):
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="subcriteria")
    code = models.CharField(_("code"), max_length=10)
    weight = models.PositiveSmallIntegerField(
        _("weight"), validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    benefit = models.BooleanField(
        _("higher is better"),
        default=True,
        help_text=_("Untick for a cost criterion, where a lower level is better."),
    )
    suggest_from = models.CharField(
        _("suggested level from"),
        max_length=12,
        blank=True,
        choices=SuggestFrom.choices,
        default=SuggestFrom.NONE,
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["criterion__position", "position", "code"]
        verbose_name = _("sub-criterion")
        verbose_name_plural = _("sub-criteria")


class Level(models.Model):
    """What a level (1–5) of one sub-criterion means, in both languages."""

    subcriterion = models.ForeignKey(SubCriterion, on_delete=models.CASCADE, related_name="levels")
    value = models.PositiveSmallIntegerField(
        _("level"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    descriptor = models.CharField(_("descriptor"), max_length=300, validators=[single_line_text])
    descriptor_en = models.CharField(
        _("descriptor in English"), max_length=300, validators=[single_line_text]
    )

    class Meta:
        ordering = ["subcriterion_id", "value"]
        constraints = [
            models.UniqueConstraint(fields=["subcriterion", "value"], name="level_value_unique")
        ]
        verbose_name = _("level")
        verbose_name_plural = _("levels")

    def __str__(self) -> str:
        return f"{self.value}: {self.label}"

    @property
    def label(self) -> str:
        return self.descriptor_en if (get_language() or "id").startswith("en") else self.descriptor


class StarBand(models.Model):
    """The lowest official score (0–100) that earns ``stars`` in a cycle."""

    cycle = models.ForeignKey(
        "proposals.Cycle", on_delete=models.CASCADE, related_name="star_bands"
    )
    stars = models.PositiveSmallIntegerField(
        _("stars"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    min_score = models.DecimalField(
        _("from score"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["cycle_id", "-stars"]
        constraints = [models.UniqueConstraint(fields=["cycle", "stars"], name="star_band_unique")]
        verbose_name = _("star band")
        verbose_name_plural = _("star bands")

    def __str__(self) -> str:
        return f"★{self.stars} ≥ {self.min_score}"


class AssessorProfile(TimeStampedModel):
    """An assessor's expertise. Organisation and home province are on the user account."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assessor_profile"
    )
    expertise = models.ManyToManyField(
        "centres.CommodityGroup", blank=True, verbose_name=_("expertise (commodity groups)")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("assessor profile")
        verbose_name_plural = _("assessor profiles")

    def __str__(self) -> str:
        return str(self.user)

    @property
    def organisation(self) -> str:
        return self.user.organisation


class ConflictDeclaration(TimeStampedModel):
    """An assessor's declared link to a centre or one of its enterprises (a hard conflict)."""

    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conflict_declarations"
    )
    centre = models.ForeignKey(
        "centres.Centre",
        verbose_name=_("sentra"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    enterprise = models.ForeignKey(
        "centres.Enterprise",
        verbose_name=_("IKM unit"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    note = models.CharField(_("nature of the link"), max_length=300, validators=[single_line_text])
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()
    # Read by django-simple-history when the row is saved (attributes, not fields).
    _change_reason: str

    class Meta:
        ordering = ["assessor_id", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(centre__isnull=False) | models.Q(enterprise__isnull=False),
                name="conflict_names_a_centre_or_enterprise",
            )
        ]
        verbose_name = _("declared conflict")
        verbose_name_plural = _("declared conflicts")

    def __str__(self) -> str:
        return f"{self.assessor} — {self.enterprise or self.centre}"


class Assignment(TimeStampedModel):
    """An assessor asked to score one proposal; a recusal keeps the row for the record."""

    proposal = models.ForeignKey(
        "proposals.Proposal", on_delete=models.CASCADE, related_name="assignments"
    )
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignments"
    )
    method = models.CharField(_("method"), max_length=9, choices=AssignmentMethod.choices)
    explanation = models.CharField(_("why this assessor"), max_length=400, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recused_at = models.DateTimeField(_("recused at"), null=True, blank=True)
    recusal_reason = models.CharField(
        _("reason for recusal"), max_length=300, blank=True, validators=[multi_line_text]
    )

    history = HistoricalRecords()
    # Read by django-simple-history when the row is saved (attributes, not fields).
    _change_reason: str

    class Meta:
        ordering = ["proposal_id", "assessor__username"]
        constraints = [models.UniqueConstraint(fields=["proposal", "assessor"], name="assign_once")]
        indexes = [
            models.Index(fields=["assessor", "recused_at"]),
            models.Index(fields=["updated_at"]),  # fingerprints (common.freshness)
        ]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")

    def __str__(self) -> str:
        return f"{self.assessor} → {self.proposal_id}"

    @property
    def is_active(self) -> bool:
        return self.recused_at is None

    def _assessment_or_none(self) -> "Assessment | None":
        # Free when ``assessment`` was select_related; a missing one raises AttributeError.
        return getattr(self, "assessment", None)

    @property
    def assessment_done(self) -> bool:
        """Whether its assessment is submitted."""
        assessment = self._assessment_or_none()
        return assessment is not None and assessment.is_submitted

    @property
    def assessment_draft(self) -> bool:
        """Whether its assessment is saved but not submitted."""
        assessment = self._assessment_or_none()
        return assessment is not None and not assessment.is_submitted


class Assessment(TimeStampedModel):
    """One assessor's levels for one proposal: ``{"K1.1": 4, ...}``, draft until submitted."""

    assignment = models.OneToOneField(
        Assignment, on_delete=models.CASCADE, related_name="assessment"
    )
    levels = models.JSONField(_("levels"), default=dict, blank=True)
    comments = models.JSONField(_("comments"), default=dict, blank=True)
    general_comment = models.TextField(
        _("overall comment"),
        blank=True,
        max_length=bounds.GENERAL_COMMENT_MAX_LENGTH,
        validators=bounds.bounded_text(bounds.GENERAL_COMMENT_MAX_LENGTH),
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        indexes = [models.Index(fields=["updated_at"])]  # fingerprints (common.freshness)

    def __str__(self) -> str:
        return str(self.assignment)

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class ProposalResult(models.Model):
    """A proposal's counted assessments as stored numbers: written when one of its
    assessments is submitted (services.results), read by the ranking instead of
    recomputing the cycle. Derived data: the assessments behind it carry the history."""

    proposal = models.OneToOneField(
        "proposals.Proposal", on_delete=models.CASCADE, primary_key=True, related_name="result"
    )
    cycle = models.ForeignKey("proposals.Cycle", on_delete=models.CASCADE, related_name="+")
    # Sub-criterion code → the mean (or median) level of the counted assessments.
    levels = models.JSONField(_("aggregated levels"), default=dict)
    score = models.FloatField(_("official score"))
    # Assessor username → Σ weight × level / 5 of that assessor's levels, by username.
    totals = models.JSONField(_("assessor totals"), default=dict)
    spread = models.FloatField(_("spread of the assessor totals"))
    assessments = models.PositiveSmallIntegerField(_("counted assessments"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("proposal result")
        verbose_name_plural = _("proposal results")
        indexes = [
            models.Index(fields=["cycle", "-score"], name="evaluation_result_ranked"),
            models.Index(fields=["updated_at"], name="evaluation_result_updated"),
        ]

    def __str__(self) -> str:
        return f"{self.proposal_id}: {self.score:.2f}"


class Decision(TimeStampedModel):
    """The ministry's decision (penetapan) on a proposal: pending until the cycle publishes."""

    proposal = models.OneToOneField(
        "proposals.Proposal", on_delete=models.CASCADE, related_name="decision"
    )
    score = models.DecimalField(
        _("official score"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    computed_stars = models.PositiveSmallIntegerField(_("computed stars"), null=True, blank=True)
    stars = models.PositiveSmallIntegerField(
        _("stars"), null=True, blank=True, help_text=_("Empty means not rated.")
    )
    reason = models.TextField(
        _("reason"),
        blank=True,
        max_length=bounds.REASON_MAX_LENGTH,
        validators=bounds.bounded_text(bounds.REASON_MAX_LENGTH),
    )
    status = models.CharField(
        _("status"), max_length=9, choices=DecisionStatus.choices, default=DecisionStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    history = HistoricalRecords()
    # Read by django-simple-history when the row is saved (attributes, not fields).
    _change_reason: str
    _history_user: "User"

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        # Fingerprints (common.freshness) read the newest change.
        indexes = [models.Index(fields=["updated_at"])]

    def __str__(self) -> str:
        return f"{self.proposal_id}: {self.stars or '-'}"

    @property
    def is_rated(self) -> bool:
        return self.stars is not None

    @property
    def departs_from_computed(self) -> bool:
        return self.stars != self.computed_stars


class Publication(models.Model):
    """One publication of a cycle's decisions: who, when, how many, and what it overrode."""

    cycle = models.ForeignKey(
        "proposals.Cycle", on_delete=models.PROTECT, related_name="publications"
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(_("published at"))
    decisions = models.PositiveIntegerField(_("decisions published"))
    override_reason = models.TextField(
        _("reason for publishing despite the gaps"),
        blank=True,
        max_length=bounds.REASON_MAX_LENGTH,
        validators=bounds.bounded_text(bounds.REASON_MAX_LENGTH),
    )
    # What was unfinished at that moment: [{"kind", "proposal", "centre", "text"}, …].
    gaps = models.JSONField(_("gaps overridden"), default=list, blank=True)

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("publication")
        verbose_name_plural = _("publications")

    def __str__(self) -> str:
        return f"{self.cycle_id} @ {self.published_at:%Y-%m-%d %H:%M}"
