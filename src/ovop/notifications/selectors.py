"""Reading notifications, and who should receive them."""

from collections.abc import Iterable

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from ovop.accounts.enums import Role
from ovop.accounts.models import User
from ovop.notifications.models import Notification


def notifications_for(user: User | AnonymousUser) -> QuerySet[Notification]:
    """A person's own notifications, newest first; nobody sees anyone else's."""
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-pk")


def unread_count(user: User | AnonymousUser) -> int:
    """For the navigation badge: one indexed count."""
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def _active(role: str) -> QuerySet[User]:
    return User.objects.filter(role=role, is_active=True).order_by("pk")


def operators_of(*, regency_ids: Iterable[str]) -> QuerySet[User]:
    return _active(Role.OPERATOR).filter(region_id__in=regency_ids)


def verifiers_of(*, province_id: str) -> QuerySet[User]:
    return _active(Role.VERIFIER).filter(region_id=province_id)


def administrators() -> QuerySet[User]:
    return _active(Role.ADMIN)
