"""Who sees which assignments and assessments. Proposals: ``proposals_visible_to``."""

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from ovop.accounts.enums import Role
from ovop.accounts.models import User
from ovop.evaluation.models import Assignment


def assignments_visible_to(user: User | AnonymousUser) -> QuerySet[Assignment]:
    """The ministry admin sees every assignment, an assessor their own, nobody else any."""
    queryset = Assignment.objects.all()
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.is_superuser or user.role == Role.ADMIN:
        return queryset
    if user.role == Role.ASSESSOR:
        return queryset.filter(assessor=user)
    return queryset.none()
