"""Who may see which accounts: the one visibility rule for the User model."""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from ovop.accounts.enums import Role
from ovop.accounts.models import User
from ovop.accounts.scope import region_scope


def users_visible_to(user: User | AnonymousUser) -> QuerySet[User]:
    """admin: everyone; verifier: their province's accounts; anyone else: themselves.

    A deactivated account sees no one, like it sees nothing else (``region_scope``).
    """
    queryset = User.objects.select_related("region")
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.is_superuser or user.role == Role.ADMIN:
        return queryset
    # A verifier's scope is their province (none without one).
    province = region_scope(user).code if user.role == Role.VERIFIER else None
    if province is not None:
        return queryset.filter(
            Q(pk=user.pk)
            | Q(region_id=province, role__in=[Role.VERIFIER, Role.VIEWER])
            | Q(region__code__startswith=province + ".", role__in=[Role.OPERATOR, Role.VIEWER])
        )
    return queryset.filter(pk=user.pk)


def search_users(
    *, queryset: QuerySet[User], text: str = "", role: str = "", region: str = ""
) -> QuerySet[User]:
    if text:
        text = text.strip()
        queryset = queryset.filter(
            Q(username__icontains=text)
            | Q(first_name__icontains=text)
            | Q(last_name__icontains=text)
            | Q(email__icontains=text)
            | Q(organisation__icontains=text)
        )
    if role:
        queryset = queryset.filter(role=role)
    if region:
        queryset = queryset.filter(Q(region_id=region) | Q(region__code__startswith=region + "."))
    return queryset
