"""Who may see which centres — the one visibility rule for the registry.

Enterprises, certificates, documents and photos are visible exactly when their centre is.
"""

from typing import Any, TypeVar, cast

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, Model, OuterRef, Q, QuerySet

from ovop.accounts.enums import Role
from ovop.accounts.models import User
from ovop.accounts.scope import ScopeLevel, region_scope
from ovop.centres.models import Centre, CentreDocument, CentrePhoto, Certificate, Enterprise

_M = TypeVar("_M", bound=Model)


def _centre_scope(user: User | AnonymousUser) -> Q | None:
    """A filter on Centre for the user's scope; None means everything, Q(pk=None) nothing."""
    scope = region_scope(user)
    if scope.level == ScopeLevel.NATIONAL:
        return None
    if scope.level == ScopeLevel.PROVINCE:
        return Q(province_id=scope.code)
    if scope.level == ScopeLevel.REGENCY:
        return Q(regency_id=scope.code)
    if user.is_authenticated and user.is_active and user.role == Role.ASSESSOR:
        # Assessors read the centres of the proposals assigned to them, and nothing else.
        # Reached through the reverse relations, so the registry does not import evaluation;
        # both conditions sit in one filter() so they hold for the same assignment.
        assigned = Centre.objects.filter(
            proposals__assignments__assessor=user,
            proposals__assignments__recused_at__isnull=True,
        )
        return Q(pk__in=assigned.values("pk"))
    return Q(pk__in=[])


def _lookups(scope: Q) -> list[tuple[str, Any]]:
    """The ``(lookup, value)`` pairs of a scope: ``_centre_scope`` builds one-lookup Qs only."""
    return cast(list[tuple[str, Any]], scope.children)


def scope_key(user: User | AnonymousUser) -> str:
    """Names the set of centres ``user`` sees, for cache keys: users with the same key see
    the same centres."""
    scope = _centre_scope(user)
    if scope is None:
        return "all"
    lookups = _lookups(scope)
    if len(lookups) == 1 and lookups[0][0] in ("regency_id", "province_id"):
        field, value = lookups[0]
        return f"{field}={value}"
    return f"user={user.pk}"  # assessors (their assignments) and the inactive


def centres_visible_to(user: User | AnonymousUser) -> QuerySet[Centre]:
    return _scoped(Centre.objects.all(), _centre_scope(user))


def _scoped(queryset: QuerySet[_M], scope: Q | None, path: str = "") -> QuerySet[_M]:
    """Apply a Centre scope to ``queryset`` whose centre is reached through ``path``."""
    if scope is None:
        return queryset
    if path:
        scope = Q(
            *[(f"{path}__{key}", value) for key, value in _lookups(scope)],
            _connector=scope.connector,
            _negated=scope.negated,
        )
    return queryset.filter(scope)


def enterprises_visible_to(user: User | AnonymousUser) -> QuerySet[Enterprise]:
    return _scoped(Enterprise.objects.all(), _centre_scope(user), "centre")


def documents_visible_to(user: User | AnonymousUser) -> QuerySet[CentreDocument]:
    return _scoped(CentreDocument.objects.all(), _centre_scope(user), "centre")


def photos_visible_to(user: User | AnonymousUser) -> QuerySet[CentrePhoto]:
    return _scoped(CentrePhoto.objects.all(), _centre_scope(user), "centre")


def certificates_visible_to(user: User | AnonymousUser) -> QuerySet[Certificate]:
    return _scoped(Certificate.objects.all(), _centre_scope(user), "enterprise__centre")


def search_centres(
    *,
    queryset: QuerySet[Centre],
    text: str = "",
    regency: str = "",
    commodity: str = "",
    market_reach: str = "",
    certificate_kind: str = "",
    size_class: str = "",
) -> QuerySet[Centre]:
    if text:
        text = text.strip()
        queryset = queryset.filter(
            Q(name__icontains=text)
            | Q(main_product__icontains=text)
            | Q(kbli__startswith=text)
            | Q(region__name__icontains=text)
        )
    if regency:
        queryset = queryset.filter(regency_id=regency)
    if commodity:
        queryset = queryset.filter(commodity__code=commodity)
    if market_reach:
        queryset = queryset.filter(market_reach=market_reach)
    if certificate_kind:
        queryset = queryset.filter(
            Exists(
                Certificate.objects.filter(enterprise__centre=OuterRef("pk"), kind=certificate_kind)
            )
        )
    if size_class:
        queryset = queryset.filter(
            Exists(Enterprise.objects.filter(centre=OuterRef("pk"), size_class=size_class))
        )
    return queryset
