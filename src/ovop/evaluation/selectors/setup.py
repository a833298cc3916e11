"""Reads for the evaluation set-up screens: progress per cycle, assessors, assignment status.

Every function answers in a fixed number of queries whatever the number of rows.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import (
    Count,
    Exists,
    Expression,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Coalesce

from ovop.accounts.enums import Role
from ovop.accounts.models import User
from ovop.centres.models import Centre, Enterprise
from ovop.evaluation.enums import DecisionStatus
from ovop.evaluation.models import (
    Assessment,
    Assignment,
    ConflictDeclaration,
    Decision,
    Rubric,
)
from ovop.evaluation.selectors.results import RANKED_STATES
from ovop.evaluation.services.assignment import active_assessors, declared_centres
from ovop.proposals.models import Cycle, Proposal

DEFAULT_PER_PROPOSAL = 3
SEARCH_MIN_LENGTH = 3
SEARCH_LIMIT = 20


@dataclass
class Progress:
    """How far a cycle's evaluation has come."""

    per_proposal: int = DEFAULT_PER_PROPOSAL
    eligible: int = 0
    seats_needed: int = 0
    seats_filled: int = 0
    short: int = 0  # eligible proposals with fewer active assessors than needed
    submitted: int = 0
    drafts: int = 0
    pending: int = 0
    published: int = 0


def _active_assignments() -> Count:
    return Count("assignments", filter=Q(assignments__recused_at__isnull=True))


def cycle_progress(cycles: Iterable[Cycle]) -> dict[int, Progress]:
    """cycle id → Progress, in four queries for any number of cycles."""
    ids = [cycle.pk for cycle in cycles]
    found = {pk: Progress() for pk in ids}
    for cycle_id, per_proposal in Rubric.objects.filter(cycle_id__in=ids).values_list(
        "cycle_id", "assessors_per_proposal"
    ):
        found[cycle_id].per_proposal = per_proposal
    active_per_proposal = (
        Proposal.objects.filter(round__cycle_id__in=ids, state__in=RANKED_STATES)
        .annotate(active=_active_assignments())
        .order_by()
        .values_list("round__cycle_id", "active")
    )
    for cycle_id, active in active_per_proposal:
        progress = found[cycle_id]
        progress.eligible += 1
        progress.seats_needed += progress.per_proposal
        progress.seats_filled += min(active, progress.per_proposal)
        progress.short += active < progress.per_proposal
    assessments = (
        Assessment.objects.filter(
            assignment__proposal__round__cycle_id__in=ids, assignment__recused_at__isnull=True
        )
        .order_by()
        .values("assignment__proposal__round__cycle_id")
        .annotate(
            submitted=Count("pk", filter=Q(submitted_at__isnull=False)),
            drafts=Count("pk", filter=Q(submitted_at__isnull=True)),
        )
    )
    for row in assessments:
        progress = found[row["assignment__proposal__round__cycle_id"]]
        progress.submitted, progress.drafts = row["submitted"], row["drafts"]
    decisions = (
        Decision.objects.filter(proposal__round__cycle_id__in=ids)
        .order_by()
        .values("proposal__round__cycle_id")
        .annotate(
            pending=Count("pk", filter=Q(status=DecisionStatus.PENDING)),
            published=Count("pk", filter=Q(status=DecisionStatus.PUBLISHED)),
        )
    )
    for decision_row in decisions:
        progress = found[decision_row["proposal__round__cycle_id"]]
        progress.pending, progress.published = decision_row["pending"], decision_row["published"]
    return found


def bands_locked(cycle: Cycle) -> bool:
    """Star bands stop changing once a decision of the cycle is published."""
    return Decision.objects.filter(
        proposal__round__cycle=cycle, status=DecisionStatus.PUBLISHED
    ).exists()


def cycle_proposals(
    *, cycle: Cycle, text: str = "", short_of: int | None = None
) -> QuerySet[Proposal]:
    """The cycle's screened-eligible proposals with their assignment counts and assessors.

    ``short_of`` keeps only those with fewer active assessors than that.
    """
    assignments = Assignment.objects.select_related("assessor").order_by("assessor__username")
    queryset = (
        Proposal.objects.filter(round__cycle=cycle, state__in=RANKED_STATES)
        .select_related("centre", "centre__commodity", "regency", "round__province")
        .annotate(
            active=_active_assignments(),
            submitted=Count(
                "assignments",
                filter=Q(
                    assignments__recused_at__isnull=True,
                    assignments__assessment__submitted_at__isnull=False,
                ),
            ),
            recused=Count("assignments", filter=Q(assignments__recused_at__isnull=False)),
        )
        .prefetch_related(Prefetch("assignments", queryset=assignments))
    )
    for word in text.split():
        queryset = queryset.filter(
            Q(centre__name__icontains=word)
            | Q(regency__name__icontains=word)
            | Q(round__province__name__icontains=word)
            | Q(centre__commodity__name__icontains=word)
        )
    if short_of is not None:
        queryset = queryset.filter(active__lt=short_of)
    return queryset.order_by("round__province_id", "regency_id", "centre__name", "pk")


def latest_cycle() -> Cycle | None:
    return Cycle.objects.order_by("-year", "-pk").first()


def assessors_with_load(
    *, cycle: Cycle | None = None, text: str = "", expertise: int | None = None
) -> QuerySet[User]:
    """Every assessor account with organisation, expertise, load in ``cycle`` and conflicts."""
    load_value: Expression
    if cycle is not None:
        load = (
            Assignment.objects.filter(
                assessor=OuterRef("pk"), recused_at__isnull=True, proposal__round__cycle=cycle
            )
            .order_by()
            .values("assessor")
            .annotate(count=Count("pk"))
            .values("count")
        )
        load_value = Coalesce(load, Value(0), output_field=IntegerField())
    else:
        load_value = Value(0, output_field=IntegerField())
    conflicts = (
        ConflictDeclaration.objects.filter(assessor=OuterRef("pk"))
        .order_by()
        .values("assessor")
        .annotate(count=Count("pk"))
        .values("count")
    )
    queryset = (
        User.objects.filter(role=Role.ASSESSOR)
        .select_related("region", "assessor_profile")
        .prefetch_related("assessor_profile__expertise")
        .annotate(
            load=load_value,
            conflict_count=Coalesce(conflicts, Value(0), output_field=IntegerField()),
        )
    )
    for word in text.split():
        queryset = queryset.filter(
            Q(username__icontains=word)
            | Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(organisation__icontains=word)
        )
    if expertise:
        queryset = queryset.filter(assessor_profile__expertise=expertise)
    return queryset.order_by("username")


def conflict_candidates(text: str) -> tuple[list[Centre], list[Enterprise]]:
    """Centres and IKM units whose names contain ``text`` (at least 3 letters), 20 of each."""
    text = (text or "").strip()
    if len(text) < SEARCH_MIN_LENGTH:
        return [], []
    centres = (
        Centre.objects.filter(name__icontains=text)
        .select_related("regency")
        .order_by("name", "pk")[:SEARCH_LIMIT]
    )
    enterprises = (
        Enterprise.objects.filter(name__icontains=text)
        .select_related("centre__regency")
        .order_by("name", "pk")[:SEARCH_LIMIT]
    )
    return list(centres), list(enterprises)


def declarations_of(assessor: User) -> QuerySet[ConflictDeclaration]:
    return (
        ConflictDeclaration.objects.filter(assessor=assessor)
        .select_related("centre__regency", "enterprise__centre", "declared_by")
        .order_by("-created_at", "-pk")
    )


def assignments_of_proposal(proposal: Proposal) -> list[Assignment]:
    """The proposal's assignments with assessor and assessment (one query)."""
    return list(
        Assignment.objects.filter(proposal=proposal)
        .select_related("assessor", "assessment")
        .order_by("recused_at", "assessor__username")
    )


def assignments_of_assessor(assessor: User) -> QuerySet[Assignment]:
    return (
        Assignment.objects.filter(assessor=assessor)
        .select_related("proposal__centre", "proposal__round__cycle", "assessment")
        .order_by("-proposal__round__cycle__year", "proposal_id")
    )


def with_submitted_flag(queryset: QuerySet[Assignment]) -> QuerySet[Assignment]:
    submitted = Assessment.objects.filter(assignment=OuterRef("pk"), submitted_at__isnull=False)
    return queryset.annotate(submitted=Exists(submitted))


def assessor_choices(proposal: Proposal) -> list[User]:
    """Active assessors free to take this proposal: not assigned, not conflicted (3 queries)."""
    taken = set(Assignment.objects.filter(proposal=proposal).values_list("assessor_id", flat=True))
    assessors = [user for user in active_assessors().select_related("region")]
    linked: dict[int, set[int]] = defaultdict(set, declared_centres([u.pk for u in assessors]))
    province = proposal.round.province_id
    return [
        user
        for user in assessors
        if user.pk not in taken
        and user.province_code != province
        and proposal.centre_id not in linked[user.pk]
    ]
