"""Reading indicators: a centre's rows, many centres' changes in one query, and the centres a
user may record figures for. Visibility always comes from ``indicators_visible_to``."""

from collections import defaultdict
from collections.abc import Iterable

from django.contrib.auth.models import AnonymousUser
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from ovop.accounts.enums import Role
from ovop.accounts.models import User
from ovop.accounts.scope import region_scope
from ovop.centres.enums import SalesChannel
from ovop.centres.models import Centre
from ovop.centres.selectors import centres_visible_to
from ovop.coaching.enums import IndicatorKind
from ovop.coaching.models import Indicator
from ovop.coaching.selectors.visibility import indicators_visible_to
from ovop.coaching.services.indicators import Change, changes_for
from ovop.common.history import LogEntry, change_log

# Baseline, then actual, then target within a year: the order people read them in.
KIND_RANK = Case(
    When(kind=IndicatorKind.BASELINE, then=Value(0)),
    When(kind=IndicatorKind.ACTUAL, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


def centre_indicators(*, user: User | AnonymousUser, centre: Centre) -> list[Indicator]:
    """One centre's rows the user may see, by year and kind (one query)."""
    return list(
        indicators_visible_to(user)
        .filter(centre=centre)
        .annotate(kind_rank=KIND_RANK)
        .order_by("year", "kind_rank", "pk")
    )


def changes_by_centre(
    *, user: User | AnonymousUser, centres: QuerySet[Centre] | Iterable[int]
) -> dict[int, list[Change]]:
    """Baseline → latest per metric for each of ``centres`` that has figures (one query)."""
    grouped: dict[int, list[Indicator]] = defaultdict(list)
    for indicator in indicators_visible_to(user).filter(centre__in=centres).order_by("pk"):
        grouped[indicator.centre_id].append(indicator)
    return {centre_id: changes_for(rows) for centre_id, rows in grouped.items()}


def centres_changeable_by(user: User | AnonymousUser) -> QuerySet[Centre]:
    """The centres whose figures ``user`` may record (``coaching.change_indicators``)."""
    if not user.is_authenticated or not user.is_active:
        return Centre.objects.none()
    if user.is_superuser or user.role == Role.ADMIN:
        return centres_visible_to(user)
    office = region_scope(user).code
    if user.role in (Role.VERIFIER, Role.OPERATOR) and office is not None:
        return centres_visible_to(user).filter(Q(regency_id=office) | Q(province_id=office))
    return Centre.objects.none()


def indicators_for_export(
    *,
    user: User | AnonymousUser,
    year: int | None = None,
    regency: str = "",
    centre: int | None = None,
) -> QuerySet[Indicator]:
    """Every indicator row of the centres the user sees, optionally for one year, regency or
    centre, in the order of the workbook."""
    queryset = indicators_visible_to(user).select_related("centre__regency")
    if year is not None:
        queryset = queryset.filter(year=year)
    if regency:
        queryset = queryset.filter(centre__regency_id=regency)
    if centre is not None:
        queryset = queryset.filter(centre_id=centre)
    return queryset.annotate(kind_rank=KIND_RANK).order_by(
        "centre__regency_id", "centre__name", "centre_id", "year", "kind_rank"
    )


def indicator_history(indicator: Indicator, *, limit: int = 50) -> list[LogEntry]:
    """Who changed the figures, old → new, and why; sales channels by their names."""
    return change_log(
        indicator, limit=limit, list_labels={"sales_channels": dict(SalesChannel.choices)}
    )
