"""The dashboards' figures, aggregated in SQL: a fixed number of queries whatever the size.

A dashboard shows one province (the kab/kota are its areas) or the whole country (the
provinces are its areas) for one cycle. Who gets which is decided by ``dashboard_province``;
the figures below trust the province they are given.

Counts of proposals per area and state are programme figures, like the quota compliance that
every office of the province already sees; rows naming single centres (the map) also go
through ``centres_visible_to``, and star ratings only through the public gate
(``public_decisions``: published, rated).
"""

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypedDict, cast

from django.db.models import Avg, Count, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext_lazy as _

from ovop.accounts.models import User
from ovop.accounts.scope import region_scope
from ovop.catalogue.selectors.gate import Source, public_decisions
from ovop.centres.models import Centre, CommodityGroup
from ovop.centres.selectors import centres_visible_to
from ovop.common.freshness import Fingerprint
from ovop.evaluation.enums import DecisionStatus
from ovop.evaluation.models import Decision
from ovop.proposals.enums import SUBMITTED_STATES, ProposalState
from ovop.proposals.models import Cycle, Proposal, Round
from ovop.proposals.selectors import ComplianceRow, national_compliance, round_compliance
from ovop.regions.enums import RegionLevel
from ovop.regions.models import Region

# Proposals that passed the administrative screening, before and after the decision.
SCREENED_ELIGIBLE = {ProposalState.ELIGIBLE, ProposalState.RATED, ProposalState.NOT_RATED}
# The map's status of a centre of the province that has no proposal in the cycle.
NOT_PROPOSED = "not_proposed"
NOT_PROPOSED_LABEL = _("Registered, not proposed")


class OutOfScopeError(Exception):
    """The user asked for a province that is not theirs to see (the view answers 404)."""


def _home_province(user: User) -> str | None:
    """None for national users (admins, viewers without a region); otherwise the province
    the user works in."""
    if region_scope(user).is_national:
        return None
    if user.province_code is None:
        raise OutOfScopeError  # a scoped role without a region sees nothing
    return user.province_code


def sees_country(user: User) -> bool:
    """Whether ``user`` may see the national dashboard (and so choose any province)."""
    try:
        return _home_province(user) is None
    except OutOfScopeError:
        return False


def dashboard_province(*, user: User, requested: str = "") -> Region | None:
    """The province whose dashboard ``user`` sees, or None for the national dashboard.

    National users (admin, viewer without a region) see the country or any province they ask
    for; everyone else sees their own province only. Raises ``OutOfScopeError`` otherwise.
    """
    home = _home_province(user)
    code = requested.strip() or home
    if home is not None and code != home:
        raise OutOfScopeError
    if code is None:
        return None
    province = Region.objects.filter(code=code, level=RegionLevel.PROVINCE).first()
    if province is None:
        raise OutOfScopeError
    return province


def _dashboard_sources() -> list[Source]:
    return [
        Proposal.objects.all(),
        Decision.objects.all(),
        Centre.objects.all(),
        Round.objects.all(),
        Cycle.objects.all(),
        CommodityGroup.objects.all(),
    ]


# A fingerprint of everything the dashboards count (``common.freshness``).
dashboard_stamp = Fingerprint(_dashboard_sources)


def dashboard_cycles() -> list[Cycle]:
    """Every cycle, newest first (cycles are visible to everyone signed in)."""
    return list(Cycle.objects.order_by("-year", "-pk"))


def provinces() -> list[tuple[str, str]]:
    return list(
        Region.objects.filter(level=RegionLevel.PROVINCE)
        .order_by("code")
        .values_list("code", "name")
    )


def _areas(province: Region | None) -> list[tuple[str, str]]:
    """(code, name) of the kab/kota of ``province``, or of every province."""
    if province is None:
        return provinces()
    regencies = Region.objects.filter(parent_id=province.code, level=RegionLevel.REGENCY)
    return list(regencies.order_by("code").values_list("code", "name"))


def _cycle_proposals(*, cycle: Cycle, province: Region | None) -> QuerySet[Proposal]:
    queryset = Proposal.objects.filter(round__cycle=cycle)
    if province is not None:
        queryset = queryset.filter(round__province_id=province.code)
    return queryset


# --- Proposals by area and state -----------------------------------------------------------


@dataclass(frozen=True)
class AreaStates:
    code: str
    name: str
    counts: dict[str, int]
    total: int


@dataclass(frozen=True)
class ProposalsByArea:
    states: list[str]  # the states that occur, in workflow order
    rows: list[AreaStates]


def proposals_by_area(*, cycle: Cycle, province: Region | None) -> ProposalsByArea:
    """Every kab/kota of the province (or every province) with its proposals per state."""
    area_field = "round__province_id" if province is None else "regency_id"
    counted: dict[str, dict[str, int]] = defaultdict(dict)
    grouped = (
        _cycle_proposals(cycle=cycle, province=province)
        .values(area_field, "state")
        .annotate(count=Count("pk"))
        .order_by()
    )
    for row in grouped:
        counted[row[area_field]][row["state"]] = row["count"]
    present = {state for counts in counted.values() for state in counts}
    states = [state for state in ProposalState.values if state in present]
    rows = [
        AreaStates(
            code=code,
            name=name,
            counts=counted.get(code, {}),
            total=sum(counted.get(code, {}).values()),
        )
        for code, name in _areas(province)
    ]
    return ProposalsByArea(states=states, rows=rows)


# --- Quota compliance --------------------------------------------------------------------


@dataclass(frozen=True)
class ProvinceCompliance:
    code: str
    name: str
    regencies: int
    compliant: int
    submitted: int
    has_round: bool

    @property
    def not_compliant(self) -> int:
        return self.regencies - self.compliant if self.has_round else 0

    @property
    def without_round(self) -> int:
        return 0 if self.has_round else self.regencies


@dataclass(frozen=True)
class Compliance:
    round: Round | None  # the province's round (province dashboards only)
    regencies: list[ComplianceRow] = field(default_factory=list)  # province dashboards
    provinces: list[ProvinceCompliance] = field(default_factory=list)  # national dashboard


class _ProvinceTotals(TypedDict):
    code: str
    name: str
    regencies: int
    compliant: int
    submitted: int
    has_round: bool


def compliance(*, cycle: Cycle, province: Region | None) -> Compliance:
    """A province: ``round_compliance`` of its round; the country: kab/kota compliant per
    province, from ``national_compliance``."""
    if province is not None:
        round_ = Round.objects.filter(cycle=cycle, province_id=province.code).first()
        rows = round_compliance(round_=round_) if round_ is not None else []
        return Compliance(round=round_, regencies=rows)
    totals: dict[str, _ProvinceTotals] = {}
    for row in national_compliance(cycle=cycle):
        entry = totals.setdefault(
            row.province,
            {
                "code": row.province,
                "name": row.province_name,
                "regencies": 0,
                "compliant": 0,
                "submitted": 0,
                "has_round": row.required is not None,
            },
        )
        entry["regencies"] += 1
        entry["compliant"] += 1 if row.compliant else 0
        entry["submitted"] += row.submitted
    return Compliance(
        round=None, provinces=[ProvinceCompliance(**entry) for entry in totals.values()]
    )


# --- Stars by commodity ------------------------------------------------------------------


@dataclass(frozen=True)
class CommodityStars:
    code: str
    name: str
    name_en: str
    counts: dict[int, int]  # stars → centres rated with that many
    total: int


@dataclass(frozen=True)
class StarsByCommodity:
    scale: list[int]  # 1..the cycle's star scale (and any higher stars recorded)
    rows: list[CommodityStars]


class _CommodityTotals(TypedDict):
    code: str
    name: str
    name_en: str
    position: int
    counts: dict[int, int]


def stars_by_commodity(*, cycle: Cycle, province: Region | None) -> StarsByCommodity:
    """Published ratings of the cycle per commodity group and star count (public gate only)."""
    decisions = public_decisions().filter(proposal__round__cycle=cycle)
    if province is not None:
        decisions = decisions.filter(proposal__round__province_id=province.code)
    grouped = (
        decisions.values(
            "proposal__centre__commodity__code",
            "proposal__centre__commodity__name",
            "proposal__centre__commodity__name_en",
            "proposal__centre__commodity__position",
            "stars",
        )
        .annotate(count=Count("pk"))
        .order_by()
    )
    commodities: dict[str, _CommodityTotals] = {}
    for row in grouped:
        entry = commodities.setdefault(
            row["proposal__centre__commodity__code"],
            {
                "code": row["proposal__centre__commodity__code"],
                "name": row["proposal__centre__commodity__name"],
                "name_en": row["proposal__centre__commodity__name_en"],
                "position": row["proposal__centre__commodity__position"],
                "counts": {},
            },
        )
        # Never None: public_decisions() keeps rated decisions only.
        entry["counts"][cast(int, row["stars"])] = row["count"]
    highest = max([cycle.star_scale, *(s for e in commodities.values() for s in e["counts"])])
    ordered = sorted(commodities.values(), key=lambda entry: (entry["position"], entry["name"]))
    rows = [
        CommodityStars(
            code=e["code"],
            name=e["name"],
            name_en=e["name_en"],
            counts=e["counts"],
            total=sum(e["counts"].values()),
        )
        for e in ordered
    ]
    return StarsByCommodity(scale=list(range(1, highest + 1)), rows=rows)


# --- Trends across cycles ----------------------------------------------------------------


@dataclass(frozen=True)
class CycleTrend:
    cycle_id: int
    year: int
    name: str
    submitted: int
    eligible: int
    rated: int
    mean_score: float | None  # mean official score of the published decisions


def trends(*, cycles: list[Cycle], until: Cycle, province: Region | None) -> list[CycleTrend]:
    """One row per cycle up to ``until`` (oldest first), in one query."""
    shown = sorted((c for c in cycles if c.year <= until.year), key=lambda c: (c.year, c.pk))
    queryset = Proposal.objects.filter(round__cycle__in=[c.pk for c in shown])
    if province is not None:
        queryset = queryset.filter(round__province_id=province.code)
    figures = {
        row["round__cycle_id"]: row
        for row in queryset.values("round__cycle_id")
        .annotate(
            submitted=Count("pk", filter=Q(state__in=SUBMITTED_STATES)),
            eligible=Count("pk", filter=Q(state__in=SCREENED_ELIGIBLE)),
            rated=Count("pk", filter=Q(state=ProposalState.RATED)),
            mean_score=Avg("decision__score", filter=Q(decision__status=DecisionStatus.PUBLISHED)),
        )
        .order_by()
    }
    rows = []
    for cycle in shown:
        # The aggregates of a cycle without proposals are missing: they count as 0.
        row: Mapping[str, Any] = figures.get(cycle.pk, {})
        mean = row.get("mean_score")
        rows.append(
            CycleTrend(
                cycle_id=cycle.pk,
                year=cycle.year,
                name=cycle.name,
                submitted=row.get("submitted", 0),
                eligible=row.get("eligible", 0),
                rated=row.get("rated", 0),
                mean_score=None if mean is None else round(float(mean), 2),
            )
        )
    return rows


# --- The map -----------------------------------------------------------------------------


@dataclass(frozen=True)
class MapCentre:
    pk: int
    name: str
    regency: str
    province: str
    latitude: float | None
    longitude: float | None
    status: str  # a proposal state, NOT_PROPOSED, or "stars-N" on the national map


def province_map(*, user: User, cycle: Cycle, province: Region) -> list[MapCentre]:
    """The province's centres the user may see, each with its proposal state in the cycle."""
    state = Proposal.objects.filter(centre=OuterRef("pk"), round__cycle=cycle).values("state")
    rows = (
        centres_visible_to(user)
        .filter(province_id=province.code)
        .annotate(cycle_state=Subquery(state[:1]))
        .order_by("regency_id", "name", "pk")
        .values("pk", "name", "regency__name", "latitude", "longitude", "cycle_state")
    )
    return [
        MapCentre(
            pk=row["pk"],
            name=row["name"],
            regency=row["regency__name"],
            province=province.name,
            latitude=_float(row["latitude"]),
            longitude=_float(row["longitude"]),
            status=row["cycle_state"] or NOT_PROPOSED,
        )
        for row in rows.iterator(chunk_size=2000)
    ]


def national_map(*, cycle: Cycle) -> list[MapCentre]:
    """Only the centres rated in the cycle (published): a map of 20,000 centres is too heavy."""
    rows = (
        public_decisions()
        .filter(proposal__round__cycle=cycle)
        .order_by(
            "proposal__centre__province_id",
            "proposal__centre__regency_id",
            "proposal__centre__name",
            "pk",
        )
        .values(
            "proposal__centre_id",
            "proposal__centre__name",
            "proposal__centre__regency__name",
            "proposal__centre__province__name",
            "proposal__centre__latitude",
            "proposal__centre__longitude",
            "stars",
        )
    )
    return [
        MapCentre(
            pk=row["proposal__centre_id"],
            name=row["proposal__centre__name"],
            regency=row["proposal__centre__regency__name"],
            province=row["proposal__centre__province__name"],
            latitude=_float(row["proposal__centre__latitude"]),
            longitude=_float(row["proposal__centre__longitude"]),
            status=f"stars-{row['stars']}",
        )
        for row in rows.iterator(chunk_size=2000)
    ]


def _float(value: Decimal | float | None) -> float | None:
    return None if value is None else float(value)
