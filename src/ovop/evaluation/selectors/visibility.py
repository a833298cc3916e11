"""Who sees which assignments, assessments and decisions. Proposals: ``proposals_visible_to``."""

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from ovop.accounts.enums import Role
from ovop.accounts.models import User
from ovop.evaluation.enums import DecisionStatus
from ovop.evaluation.models import Assignment, Decision
from ovop.proposals.selectors import proposals_visible_to


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


def decisions_visible_to(user: User | AnonymousUser) -> QuerySet[Decision]:
    """The ministry admin sees every decision, pending or published; everyone else sees the
    published decisions of the proposals they may see (pending ones stay in the ministry)."""
    queryset = Decision.objects.all()
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.has_perm("evaluation.manage"):
        return queryset
    return queryset.filter(
        status=DecisionStatus.PUBLISHED, proposal__in=proposals_visible_to(user).values("pk")
    )
