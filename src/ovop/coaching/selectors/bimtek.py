"""Reading Bimtek events: the list, their attendance by kab/kota, and what followed.

"What followed" compares, per kab/kota, the proposals of the rounds that closed after the
event, so a province can see whether the kab/kota that sent officials did better.
"""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from ovop.accounts.models import User
from ovop.accounts.scope import region_scope
from ovop.coaching.models import BimtekAttendance, BimtekEvent
from ovop.coaching.selectors.visibility import _everything, bimtek_visible_to
from ovop.proposals.enums import SUBMITTED_STATES, VERIFIED_STATES, ProposalState
from ovop.proposals.models import Proposal, Round, Transition
from ovop.regions.enums import RegionLevel
from ovop.regions.models import Region


def search_bimtek(
    *, user: User | AnonymousUser, text: str = "", year: int | None = None
) -> QuerySet[BimtekEvent]:
    """Visible events, newest first, with how many officials and kab/kota attended."""
    queryset = bimtek_visible_to(user).select_related("province")
    if text:
        queryset = queryset.filter(
            Q(title__icontains=text) | Q(place__icontains=text) | Q(topic__icontains=text)
        )
    if year:
        queryset = queryset.filter(held_on__year=year)
    return queryset.annotate(
        attendee_count=Count("attendees"),
        regency_count=Count("attendees__regency", distinct=True),
    ).order_by("-held_on", "title", "pk")


def bimtek_years(*, user: User | AnonymousUser) -> list[int]:
    return [day.year for day in bimtek_visible_to(user).dates("held_on", "year", order="DESC")]


def attendees_of(*, event: BimtekEvent) -> QuerySet[BimtekAttendance]:
    return event.attendees.select_related("regency", "user").order_by("regency_id", "name", "pk")


@dataclass
class Outcome:
    """Proposals of the rounds after the event, for one kab/kota or a group of them."""

    submitted: int = 0  # reached the province at least once
    returned: int = 0  # returned for revision at least once
    verified: int = 0  # verified, or further along (forwarded, screened, decided)
    rated: int = 0  # given stars

    def add(self, other: "Outcome") -> None:
        self.submitted += other.submitted
        self.returned += other.returned
        self.verified += other.verified
        self.rated += other.rated


@dataclass
class RegencyRow:
    code: str
    name: str
    attendee_count: int
    outcome: Outcome

    @property
    def attended(self) -> bool:
        return self.attendee_count > 0


@dataclass
class Group:
    """The attending or the non-attending kab/kota together."""

    regency_count: int = 0
    totals: Outcome = field(default_factory=Outcome)

    @property
    def means(self) -> dict[str, float | None]:
        """Per kab/kota, so groups of different sizes compare fairly."""
        return {
            metric: getattr(self.totals, metric) / self.regency_count
            if self.regency_count
            else None
            for metric in METRICS
        }


@dataclass
class Afterwards:
    rows: list[RegencyRow]
    rounds: list[Round]
    attending: Group
    absent: Group
    # The province whose kab/kota are compared; None: every province (a national view).
    province: Region | None


METRICS = ("submitted", "returned", "verified", "rated")


def _scope_province(*, event: BimtekEvent, user: User) -> str | None:
    """A provincial event compares its own province. A national one is compared nationally
    for national users, and within their own province for everyone else."""
    if event.province_id:
        return event.province_id
    if _everything(user):
        return None
    return region_scope(user).province_code


def _after(day: datetime.date) -> datetime.datetime:
    """The first moment of the local day after ``day``."""
    following = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min)
    return timezone.make_aware(following)


def bimtek_afterwards(*, event: BimtekEvent, user: User) -> Afterwards:
    """Attendance and later proposals per kab/kota, in at most five queries whatever the size.

    The rounds counted are those of the province (all provinces for a national view) whose
    deadline falls on a day after the event.
    """
    province = _scope_province(event=event, user=user)
    regencies = Region.objects.filter(level=RegionLevel.REGENCY)
    rounds = Round.objects.filter(deadline__gte=_after(event.held_on))
    if province:
        regencies = regencies.filter(parent_id=province)
        rounds = rounds.filter(province_id=province)
    attended = dict(
        event.attendees.values("regency_id")
        .annotate(total=Count("pk"))
        .values_list("regency_id", "total")
    )
    outcomes = _outcomes(rounds=rounds)
    rows, attending, absent = [], Group(), Group()
    for code, name in regencies.order_by("code").values_list("code", "name"):
        row = RegencyRow(
            code=code,
            name=name,
            attendee_count=attended.get(code, 0),
            outcome=outcomes.get(code, Outcome()),
        )
        rows.append(row)
        group = attending if row.attended else absent
        group.regency_count += 1
        group.totals.add(row.outcome)
    return Afterwards(
        rows=rows,
        rounds=list(rounds.select_related("cycle", "province").order_by("deadline", "pk")),
        attending=attending,
        absent=absent,
        province=_province(event=event, code=province),
    )


def _province(*, event: BimtekEvent, code: str | None) -> Region | None:
    if code and code == event.province_id:
        return event.province
    return Region.objects.filter(code=code).first() if code else None


def _outcomes(*, rounds: QuerySet[Round]) -> dict[str, Outcome]:
    """One grouped query over the proposals of ``rounds``."""
    was_returned = Transition.objects.filter(
        proposal=OuterRef("pk"), to_state=ProposalState.RETURNED
    )
    reached = SUBMITTED_STATES | {ProposalState.RETURNED}
    counts = (
        Proposal.objects.filter(round__in=rounds)
        .values("regency_id")
        .annotate(
            submitted=Count("pk", filter=Q(submitted_at__isnull=False) | Q(state__in=reached)),
            returned=Count("pk", filter=Q(state=ProposalState.RETURNED) | Q(Exists(was_returned))),
            verified=Count("pk", filter=Q(state__in=VERIFIED_STATES)),
            rated=Count("pk", filter=Q(state=ProposalState.RATED)),
        )
        .order_by()
    )
    return {
        row["regency_id"]: Outcome(
            submitted=row["submitted"],
            returned=row["returned"],
            verified=row["verified"],
            rated=row["rated"],
        )
        for row in counts
    }
