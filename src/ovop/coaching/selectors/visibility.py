"""Who sees which programmes, activities, Bimtek events and indicators; and outcome reads."""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from ovop.accounts.enums import Role
from ovop.accounts.models import User
from ovop.accounts.scope import region_scope
from ovop.centres.selectors import _centre_scope, centres_visible_to
from ovop.coaching.models import Activity, BimtekEvent, Indicator, Programme


def _everything(user: User) -> bool:
    return region_scope(user).is_national


def programmes_visible_to(user: User | AnonymousUser) -> QuerySet[Programme]:
    """Admin and national viewers: all. Others: their office's programmes and those that
    coach a centre they can see."""
    queryset = Programme.objects.all()
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if _everything(user):
        return queryset
    if user.role == Role.ASSESSOR:
        return queryset.none()  # assessors see their assigned proposals and nothing else
    through = Programme.centres.through.objects.filter(centre__in=centres_visible_to(user)).values(
        "programme_id"
    )
    office = region_scope(user).code
    owned = Q(owner_region_id=office) if office else Q(pk__in=[])
    return queryset.filter(owned | Q(pk__in=through))


def activities_visible_to(user: User | AnonymousUser) -> QuerySet[Activity]:
    return Activity.objects.filter(programme__in=programmes_visible_to(user))


def bimtek_visible_to(user: User | AnonymousUser) -> QuerySet[BimtekEvent]:
    """Events of the user's province (national events, without a province, for everyone)."""
    queryset = BimtekEvent.objects.all()
    if not user.is_authenticated or not user.is_active or user.role == Role.ASSESSOR:
        return queryset.none()
    if _everything(user):
        return queryset
    return queryset.filter(
        Q(province_id=region_scope(user).province_code) | Q(province__isnull=True)
    )


def indicators_visible_to(user: User | AnonymousUser) -> QuerySet[Indicator]:
    scope = _centre_scope(user)
    queryset = Indicator.objects.all()
    if scope is None:
        return queryset
    return queryset.filter(centre__in=centres_visible_to(user))
