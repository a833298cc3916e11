"""Reads for the assessor's screens: their assignments with status and total, the dossier."""

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models
from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import pgettext_lazy

from ovop.accounts.models import User
from ovop.centres.models import Centre, CentreDocument, CentrePhoto, Certificate, Enterprise
from ovop.evaluation.models import Assessment, Assignment, SubCriterion
from ovop.evaluation.selectors.visibility import assignments_visible_to
from ovop.evaluation.services.scoring import Suggestion, weighted_total
from ovop.proposals.models import Proposal, ProposalDocument


class ScoringStatus(models.TextChoices):
    NOT_STARTED = "not_started", pgettext_lazy("assessment status", "Not started")
    DRAFT = "draft", pgettext_lazy("assessment status", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("assessment status", "Submitted")
    RECUSED = "recused", pgettext_lazy("assessment status", "Recused")


STATUS_FILTERS = {
    ScoringStatus.NOT_STARTED: Q(recused_at__isnull=True, assessment__isnull=True),
    ScoringStatus.DRAFT: Q(
        recused_at__isnull=True, assessment__isnull=False, assessment__submitted_at__isnull=True
    ),
    ScoringStatus.SUBMITTED: Q(recused_at__isnull=True, assessment__submitted_at__isnull=False),
    ScoringStatus.RECUSED: Q(recused_at__isnull=False),
}

# Everything a row of "my assignments" (screen, export, score sheet) shows, in one query.
ASSIGNMENT_RELATED = (
    "proposal__centre__commodity",
    "proposal__regency",
    "proposal__round__cycle",
    "proposal__round__province",
    "assessment",
)


def own_assignments(user: User, *, search: str = "", status: str = "") -> QuerySet[Assignment]:
    """The user's own assignments, newest cycle first, optionally searched and filtered."""
    queryset = (
        assignments_visible_to(user).filter(assessor=user).select_related(*ASSIGNMENT_RELATED)
    )
    if search:
        queryset = queryset.filter(proposal__centre__name__icontains=search)
    if status in STATUS_FILTERS:
        queryset = queryset.filter(STATUS_FILTERS[ScoringStatus(status)])
    return queryset.order_by(
        "-proposal__round__cycle__year",
        "-proposal__round__cycle_id",
        "proposal__centre__name",
        "pk",
    )


def assessment_of(assignment: Assignment) -> Assessment | None:
    """The assignment's assessment, or None; free when ``assessment`` was select_related."""
    try:
        return assignment.assessment
    except Assessment.DoesNotExist:
        return None


def status_of(assignment: Assignment) -> ScoringStatus:
    if assignment.recused_at is not None:
        return ScoringStatus.RECUSED
    assessment = assessment_of(assignment)
    if assessment is None:
        return ScoringStatus.NOT_STARTED
    return ScoringStatus.SUBMITTED if assessment.is_submitted else ScoringStatus.DRAFT


def weights_by_cycle(cycle_ids: Iterable[int]) -> dict[int, dict[str, int]]:
    """cycle id → {sub-criterion code: weight}, for any number of cycles in one query."""
    weights: dict[int, dict[str, int]] = defaultdict(dict)
    rows = SubCriterion.objects.filter(criterion__rubric__cycle_id__in=set(cycle_ids)).values_list(
        "criterion__rubric__cycle_id", "code", "weight"
    )
    for cycle_id, code, weight in rows:
        weights[cycle_id][code] = weight
    return weights


def prefilled_levels(
    assessment: Assessment | None, suggestions: dict[str, Suggestion]
) -> dict[str, int]:
    """What a form or score sheet starts with: the saved draft, else the suggested level."""
    levels: dict[str, int] = {code: suggestion.level for code, suggestion in suggestions.items()}
    if assessment is not None:
        levels.update(assessment.levels)
    return levels


def running_total(levels: dict[str, int], weights: dict[str, int]) -> float:
    """Σ weight × level / 5 over the levels chosen so far (the rubric's formula)."""
    return sum(weights[code] * int(level) / 5 for code, level in levels.items() if code in weights)


@dataclass(frozen=True)
class AssignmentRow:
    assignment: Assignment
    status: ScoringStatus
    total: float | None  # None until a level is saved

    @property
    def proposal(self) -> Proposal:
        return self.assignment.proposal


def assignment_rows(assignments: Iterable[Assignment]) -> list[AssignmentRow]:
    """Rows with status and running total; one extra query for the weights of every cycle."""
    assignments = list(assignments)
    weights = weights_by_cycle(a.proposal.round.cycle_id for a in assignments)
    rows = []
    for assignment in assignments:
        assessment = assessment_of(assignment)
        total = None
        if assessment is not None and assessment.levels:
            total = running_total(assessment.levels, weights[assignment.proposal.round.cycle_id])
        rows.append(AssignmentRow(assignment, status_of(assignment), total))
    return rows


@dataclass(frozen=True)
class CriterionTotal:
    """A criterion's share of the running total, out of the criterion's weight."""

    code: str
    label: str
    weight: int
    total: float


def criterion_totals(
    subcriteria: list[SubCriterion], levels: dict[str, int]
) -> list[CriterionTotal]:
    """Per criterion, in rubric order: Σ weight × level / 5 over its chosen sub-criteria."""
    by_criterion: dict[str, list[SubCriterion]] = {}
    for sub in subcriteria:
        by_criterion.setdefault(sub.criterion.code, []).append(sub)
    return [
        CriterionTotal(
            code=code,
            label=subs[0].criterion.label,
            weight=sum(sub.weight for sub in subs),
            total=weighted_total(levels, subs),
        )
        for code, subs in by_criterion.items()
    ]


@dataclass(frozen=True)
class Dossier:
    """What an assessor reads before scoring: the proposal, its centre and their files."""

    proposal: Proposal
    centre: Centre
    enterprises: list[Enterprise]
    proposal_documents: list[ProposalDocument]
    centre_documents: list[CentreDocument]
    photos: list[CentrePhoto]

    @property
    def document_count(self) -> int:
        return len(self.proposal_documents) + len(self.centre_documents)

    @property
    def certificate_counts(self) -> list[tuple[str, int]]:
        """(kind label, how many) over every unit's certificates, most common first."""
        kinds = Counter(
            str(certificate.get_kind_display())
            for enterprise in self.enterprises
            for certificate in enterprise.certificates.all()
        )
        return kinds.most_common()


def dossier_for(proposal: Proposal) -> Dossier:
    """The proposal's dossier in a fixed number of queries, whatever the number of units."""
    centre = Centre.objects.select_related("commodity", "region", "regency", "province").get(
        pk=proposal.centre_id
    )
    certificates = Certificate.objects.order_by("kind", "number")
    enterprises = list(
        centre.enterprises.order_by("name").prefetch_related(
            Prefetch("certificates", queryset=certificates)
        )
    )
    return Dossier(
        proposal=proposal,
        centre=centre,
        enterprises=enterprises,
        proposal_documents=list(
            proposal.documents.select_related("item").order_by("item__position", "pk")
        ),
        centre_documents=list(centre.documents.order_by("kind", "title")),
        photos=list(centre.photos.order_by("pk")),
    )
