"""Who sees which rounds and proposals, and the quota compliance of a round."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from ovop.accounts.enums import Role
from ovop.accounts.models import User
from ovop.accounts.scope import ScopeLevel, region_scope
from ovop.proposals.enums import SUBMITTED_STATES, VERIFIED_STATES
from ovop.proposals.models import Cycle, Proposal, Round
from ovop.regions.enums import RegionLevel
from ovop.regions.models import Region


def proposals_visible_to(user: User | AnonymousUser) -> QuerySet[Proposal]:
    queryset = Proposal.objects.all()
    scope = region_scope(user)
    if scope.level == ScopeLevel.NATIONAL:
        return queryset
    if scope.level == ScopeLevel.PROVINCE:
        return queryset.filter(round__province_id=scope.code)
    if scope.level == ScopeLevel.REGENCY:
        return queryset.filter(regency_id=scope.code)
    if user.is_authenticated and user.is_active and user.role == Role.ASSESSOR:
        # Only what they are assigned to and have not recused from.
        return queryset.filter(assignments__assessor=user, assignments__recused_at__isnull=True)
    return queryset.none()


def rounds_visible_to(user: User | AnonymousUser) -> QuerySet[Round]:
    queryset = Round.objects.all()
    scope = region_scope(user)
    if scope.is_national:
        return queryset
    if scope.province_code is not None:  # a regency's people see their province's rounds
        return queryset.filter(province_id=scope.province_code)
    return queryset.none()


@dataclass(frozen=True)
class ComplianceRow:
    regency: str
    name: str
    submitted: int
    verified: int
    required: int
    compliant: bool
    days_left: int


def round_compliance(*, round_: Round, now: datetime | None = None) -> list[ComplianceRow]:
    """One row per kab/kota of the round's province, in two queries whatever its size."""
    counts: dict[str, Mapping[str, Any]] = {
        row["regency_id"]: row
        for row in Proposal.objects.filter(round=round_)
        .values("regency_id")
        .annotate(
            submitted=Count("pk", filter=Q(state__in=SUBMITTED_STATES)),
            verified=Count("pk", filter=Q(state__in=VERIFIED_STATES)),
        )
    }
    days_left = max(((round_.deadline - (now or timezone.now())).days), 0)
    rows = []
    regencies = Region.objects.filter(parent_id=round_.province_id, level=RegionLevel.REGENCY)
    for code, name in regencies.order_by("code").values_list("code", "name"):
        counted = counts.get(code, {})
        submitted = counted.get("submitted", 0)
        rows.append(
            ComplianceRow(
                regency=code,
                name=name,
                submitted=submitted,
                verified=counted.get("verified", 0),
                required=round_.min_per_regency,
                compliant=submitted >= round_.min_per_regency,
                days_left=days_left,
            )
        )
    return rows


@dataclass(frozen=True)
class NationalRow:
    province: str
    province_name: str
    regency: str
    name: str
    submitted: int
    verified: int
    required: int | None
    compliant: bool | None


def national_compliance(*, cycle: Cycle) -> list[NationalRow]:
    """Every kab/kota of Indonesia for one cycle, in three queries whatever the size.

    A province without a round has required/compliant None ("no round opened yet").
    """
    rounds = {r.province_id: r for r in Round.objects.filter(cycle=cycle)}
    counts: dict[str, Mapping[str, Any]] = {
        row["regency_id"]: row
        for row in Proposal.objects.filter(round__cycle=cycle)
        .values("regency_id")
        .annotate(
            submitted=Count("pk", filter=Q(state__in=SUBMITTED_STATES)),
            verified=Count("pk", filter=Q(state__in=VERIFIED_STATES)),
        )
    }
    rows = []
    regencies = (
        Region.objects.filter(level=RegionLevel.REGENCY)
        .order_by("code")
        .values_list("code", "name", "parent_id", "parent__name")
    )
    for code, name, province, province_name in regencies:
        round_ = rounds.get(province)
        counted = counts.get(code, {})
        submitted = counted.get("submitted", 0)
        required = round_.min_per_regency if round_ else None
        rows.append(
            NationalRow(
                province=province,
                province_name=province_name,
                regency=code,
                name=name,
                submitted=submitted,
                verified=counted.get("verified", 0),
                required=required,
                compliant=None if required is None else submitted >= required,
            )
        )
    return rows
