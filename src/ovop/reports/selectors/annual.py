"""The annual report of one province for one cycle: its proposals, results and coaching.

Every figure is read in a fixed number of queries whatever the size of the province (the tests
count them). Results come only through the public gate (``catalogue.selectors
.public_decisions``): a pending or unpublished decision never reaches the report. Labels are
made in the active language, so gather the report inside the language it is printed in.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypedDict, cast

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ovop.accounts.models import User
from ovop.accounts.scope import region_scope
from ovop.catalogue.selectors.gate import public_decisions
from ovop.coaching.enums import OwnerLevel
from ovop.coaching.models import Activity, Indicator, Programme
from ovop.coaching.outputs.figures import format_delta, format_metric, format_percent, percent_of
from ovop.coaching.services.indicators import Rollup, changes_for, rollup
from ovop.proposals.enums import SUBMITTED_STATES, VERIFIED_STATES, ProposalState
from ovop.proposals.models import Cycle, Proposal, Round
from ovop.regions.enums import RegionLevel
from ovop.regions.models import Region

# Counts are cumulative: a proposal forwarded to the ministry was also submitted and verified.
FORWARDED_STATES = {
    ProposalState.FORWARDED,
    ProposalState.ELIGIBLE,
    ProposalState.INELIGIBLE,
    ProposalState.RATED,
    ProposalState.NOT_RATED,
}
ELIGIBLE_STATES = {ProposalState.ELIGIBLE, ProposalState.RATED, ProposalState.NOT_RATED}


def fixed_province(user: User) -> str | None:
    """The one province whose report ``user`` may read; None lets them choose any.

    Admins and national viewers read every province; everyone else (a verifier, an operator,
    a regional viewer) only the province they work in.
    """
    if region_scope(user).is_national:
        return None
    # The province of the user's region (an assessor's home province: the view refuses them
    # anyway); without a region (never valid for these roles) no province at all.
    return user.province_code or ""


@dataclass
class RegencyRow:
    """One kab/kota's proposals in the round, counted by the furthest step they reached."""

    code: str
    name: str
    proposed: int = 0
    submitted: int = 0
    returned: int = 0
    verified: int = 0
    forwarded: int = 0
    eligible: int = 0
    rated: int = 0
    not_rated: int = 0
    quota_met: bool | None = None  # None: the province opened no round in this cycle

    def count(self, by_state: dict[str, int]) -> "RegencyRow":
        def among(states: Iterable[str]) -> int:
            return sum(by_state.get(state, 0) for state in states)

        self.proposed = sum(by_state.values())
        self.submitted = among(SUBMITTED_STATES)
        self.returned = by_state.get(ProposalState.RETURNED, 0)
        self.verified = among(VERIFIED_STATES)
        self.forwarded = among(FORWARDED_STATES)
        self.eligible = among(ELIGIBLE_STATES)
        self.rated = by_state.get(ProposalState.RATED, 0)
        self.not_rated = by_state.get(ProposalState.NOT_RATED, 0)
        return self


@dataclass(frozen=True)
class StateCount:
    state: str
    label: str
    count: int


@dataclass(frozen=True)
class RatedRow:
    centre_id: int
    centre: str
    regency: str
    commodity: str
    score: float | None
    stars: int


@dataclass(frozen=True)
class CommodityStars:
    commodity: str
    counts: list[int]  # one per column of ``AnnualReport.star_columns``
    total: int


@dataclass(frozen=True)
class ComparisonRow:
    label: str
    previous: float | None
    current: float | None
    decimals: int = 0


@dataclass(frozen=True)
class Comparison:
    previous: Cycle
    rows: list[ComparisonRow]
    # Centres rated in both cycles: (name, stars before, stars now).
    both: list[tuple[str, int, int]]


@dataclass(frozen=True)
class ProgrammeRow:
    name: str
    owner: str
    years: str
    budget: int | None
    activities: int
    participants_male: int
    participants_female: int
    cost: int
    province_centres: int
    target_centres: int


class RollupRow(TypedDict):
    """One indicator's baseline → latest actual over the rated centres, formatted."""

    label: str
    how: str
    centres: int
    baseline: str
    latest: str
    delta: str
    percent_value: float | None
    percent: str


@dataclass
class AnnualReport:
    cycle: Cycle
    province: Region
    round: Round | None
    printed_on: date
    regencies: list[RegencyRow]
    total: RegencyRow
    quota_met_count: int
    states: list[StateCount]
    rated: list[RatedRow]
    star_columns: list[int]  # highest first
    stars_by_commodity: list[CommodityStars]
    comparison: Comparison | None
    programmes: list[ProgrammeRow]
    rollup: list[RollupRow] = field(default_factory=list)
    rollup_centres: int = 0  # rated centres with any indicator figures


def annual_report(*, cycle: Cycle, province: Region, today: date) -> AnnualReport:
    """The figures of ``province`` in ``cycle``, in a fixed number of queries."""
    round_ = Round.objects.filter(cycle=cycle, province=province).first()
    regencies, total, states = _proposals(cycle=cycle, province=province, round_=round_)
    rated = _rated(cycle=cycle, province=province)
    star_columns = list(range(max([cycle.star_scale, *(row.stars for row in rated)]), 0, -1))
    rollup_rows, counted = _rollup([row.centre_id for row in rated])
    return AnnualReport(
        cycle=cycle,
        province=province,
        round=round_,
        printed_on=today,
        regencies=regencies,
        total=total,
        quota_met_count=sum(1 for row in regencies if row.quota_met),
        states=states,
        rated=rated,
        star_columns=star_columns,
        stars_by_commodity=_stars_by_commodity(rated, star_columns),
        comparison=_comparison(cycle=cycle, province=province, rated=rated, total=total),
        programmes=_programmes(cycle=cycle, province=province),
        rollup=rollup_rows,
        rollup_centres=counted,
    )


def _state_counts(proposals: QuerySet[Proposal]) -> dict[str, dict[str, int]]:
    """regency code → state → count, in one query."""
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    for row in proposals.values("regency_id", "state").annotate(count=Count("pk")).order_by():
        counts[row["regency_id"]][row["state"]] = row["count"]
    return counts


def _proposals(
    *, cycle: Cycle, province: Region, round_: Round | None
) -> tuple[list[RegencyRow], RegencyRow, list[StateCount]]:
    counts = _state_counts(Proposal.objects.filter(round__cycle=cycle, round__province=province))
    regencies = Region.objects.filter(parent=province, level=RegionLevel.REGENCY).order_by("code")
    rows = []
    for code, name in regencies.values_list("code", "name"):
        row = RegencyRow(code=code, name=name).count(counts.get(code, {}))
        if round_ is not None:
            row.quota_met = row.submitted >= round_.min_per_regency
        rows.append(row)
    by_state: dict[str, int] = defaultdict(int)
    for per_state in counts.values():
        for state, count in per_state.items():
            by_state[state] += count
    total = RegencyRow(code=province.code, name=_("Province total")).count(by_state)
    states = [
        StateCount(state=value, label=str(label), count=by_state.get(value, 0))
        for value, label in ProposalState.choices
    ]
    return rows, total, states


def _commodity(name: str, name_en: str) -> str:
    return name_en if (get_language() or "").startswith("en") and name_en else name


def _rated(*, cycle: Cycle, province: Region) -> list[RatedRow]:
    """The province's centres rated by a published decision of ``cycle``, best first."""
    decisions = public_decisions().filter(
        proposal__round__cycle=cycle, proposal__round__province=province
    )
    return [
        RatedRow(
            centre_id=row["proposal__centre_id"],
            centre=row["proposal__centre__name"],
            regency=row["proposal__regency__name"],
            commodity=_commodity(
                row["proposal__centre__commodity__name"],
                row["proposal__centre__commodity__name_en"],
            ),
            score=None if row["score"] is None else float(row["score"]),
            stars=cast(int, row["stars"]),  # public_decisions() keeps rated decisions only
        )
        for row in decisions.order_by("-stars", "-score", "proposal__centre__name").values(
            "proposal__centre_id",
            "proposal__centre__name",
            "proposal__regency__name",
            "proposal__centre__commodity__name",
            "proposal__centre__commodity__name_en",
            "score",
            "stars",
        )
    ]


def _stars_by_commodity(rated: list[RatedRow], columns: list[int]) -> list[CommodityStars]:
    tally: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for row in rated:
        tally[row.commodity][row.stars] += 1
    rows = [
        CommodityStars(
            commodity=commodity,
            counts=[by_stars.get(stars, 0) for stars in columns],
            total=sum(by_stars.values()),
        )
        for commodity, by_stars in tally.items()
    ]
    return sorted(rows, key=lambda row: (-row.total, row.commodity))


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _comparison(
    *, cycle: Cycle, province: Region, rated: list[RatedRow], total: RegencyRow
) -> Comparison | None:
    """This cycle against the latest earlier one, for the same province (three queries)."""
    previous = Cycle.objects.filter(year__lt=cycle.year).order_by("-year", "-pk").first()
    if previous is None:
        return None
    proposals = Proposal.objects.filter(round__cycle=previous, round__province=province)
    by_state = {
        row["state"]: row["count"]
        for row in proposals.values("state").annotate(count=Count("pk")).order_by()
    }
    before = RegencyRow(code=province.code, name="").count(by_state)
    earlier = _rated(cycle=previous, province=province)
    rows = [
        ComparisonRow(_("Proposals submitted to the province"), before.submitted, total.submitted),
        ComparisonRow(_("Eligible after screening"), before.eligible, total.eligible),
        ComparisonRow(_("Rated sentra"), len(earlier), len(rated)),
        ComparisonRow(_("Not rated"), before.not_rated, total.not_rated),
        ComparisonRow(
            _("Mean score of the rated sentra"),
            _mean([row.score for row in earlier if row.score is not None]),
            _mean([row.score for row in rated if row.score is not None]),
            decimals=2,
        ),
    ]
    highest = max([previous.star_scale, cycle.star_scale, *(row.stars for row in earlier + rated)])
    rows += _star_rows(highest, earlier, rated)
    stars_before = {row.centre_id: row.stars for row in earlier}
    both = [
        (row.centre, stars_before[row.centre_id], row.stars)
        for row in rated
        if row.centre_id in stars_before
    ]
    return Comparison(previous=previous, rows=rows, both=both)


def _star_rows(highest: int, earlier: list[RatedRow], rated: list[RatedRow]) -> list[ComparisonRow]:
    return [
        ComparisonRow(
            _("Sentra with %(stars)s star(s)") % {"stars": stars},
            sum(1 for row in earlier if row.stars == stars),
            sum(1 for row in rated if row.stars == stars),
        )
        for stars in range(highest, 0, -1)
    ]


def _owner(level: str, region_name: str | None) -> str:
    label = str(OwnerLevel(level).label) if level in OwnerLevel.values else level
    return f"{label} — {region_name}" if region_name else label


def _programmes(*, cycle: Cycle, province: Region) -> list[ProgrammeRow]:
    """Programmes still running in the cycle's year or later that coach a centre of the
    province, as a target or in one of their activities (two queries)."""
    targets = Programme.centres.through.objects.filter(centre__province=province)
    participants = Activity.centres.through.objects.filter(centre__province=province)
    programmes = list(
        Programme.objects.filter(
            Q(pk__in=targets.values("programme_id"))
            | Q(pk__in=participants.values("activity__programme_id")),
            year_end__gte=cycle.year,
        )
        .annotate(
            province_centres=Count("centres", filter=Q(centres__province=province), distinct=True),
            target_centres=Count("centres", distinct=True),
        )
        .select_related("owner_region")
        .order_by("year_start", "name", "pk")
    )
    totals = _activity_totals([programme.pk for programme in programmes])
    return [_programme_row(programme, totals.get(programme.pk, {})) for programme in programmes]


def _activity_totals(programme_ids: list[int]) -> dict[int, Mapping[str, Any]]:
    """programme id → its activities' count, participants and cost (one query)."""
    return {
        row["programme_id"]: row
        for row in Activity.objects.filter(programme__in=programme_ids)
        .values("programme_id")
        .annotate(
            activities=Count("pk"),
            men=Sum("participants_male"),
            women=Sum("participants_female"),
            cost=Sum("cost"),
        )
        .order_by()
    }


def _programme_row(programme: Programme, totals: Mapping[str, Any]) -> ProgrammeRow:
    years = str(programme.year_start)
    if programme.year_end != programme.year_start:
        years = f"{programme.year_start}–{programme.year_end}"
    region = programme.owner_region
    return ProgrammeRow(
        name=programme.name,
        owner=_owner(programme.owner_level, region.name if region else None),
        years=years,
        budget=programme.budget,
        activities=totals.get("activities", 0),
        participants_male=totals.get("men") or 0,
        participants_female=totals.get("women") or 0,
        cost=totals.get("cost") or 0,
        province_centres=programme.province_centres,  # type: ignore[attr-defined]
        target_centres=programme.target_centres,  # type: ignore[attr-defined]
    )


def _rollup(centre_ids: list[int]) -> tuple[list[RollupRow], int]:
    """Baseline → latest actual per indicator over the rated centres (one query), formatted
    as the coaching screens show it."""
    grouped: dict[int, list[Indicator]] = defaultdict(list)
    if centre_ids:
        for indicator in Indicator.objects.filter(centre_id__in=centre_ids).order_by("pk"):
            grouped[indicator.centre_id].append(indicator)
    rows = rollup({centre_id: changes_for(found) for centre_id, found in grouped.items()})
    return [_rollup_row(row) for row in rows], len(grouped)


def _rollup_row(row: Rollup) -> RollupRow:
    percent = percent_of(row.delta, row.baseline)
    return {
        "label": row.label,
        "how": _("mean") if row.how == "mean" else _("total"),
        "centres": row.centres,
        "baseline": format_metric(row.field, row.baseline),
        "latest": format_metric(row.field, row.latest),
        "delta": format_delta(row.field, row.delta),
        "percent_value": percent if row.centres else None,
        "percent": format_percent(percent) if row.centres else _("no comparable figures"),
    }
