"""Direct tests of ``ovop.evaluation.selectors.visibility``: assignments and decisions."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from ovop.evaluation.enums import DecisionStatus
from ovop.evaluation.models import Decision
from ovop.evaluation.selectors.visibility import assignments_visible_to, decisions_visible_to
from tests.evaluation.helpers import assign_directly, assigned_world, make_assessor

pytestmark = pytest.mark.django_db

NOT_ADMIN = ["operator", "operator_neighbour", "verifier", "verifier_other", "viewer"]


def _decide(proposal, admin, *, status):
    return Decision.objects.create(
        proposal=proposal,
        stars=4,
        computed_stars=4,
        status=status,
        decided_by=admin,
        published_at=timezone.now() if status == DecisionStatus.PUBLISHED else None,
    )


def test_assignments_admin_sees_all(world):
    assigned = assigned_world(world)
    other = assign_directly(assigned["proposal"], make_assessor("penilai-dua"))
    visible = set(assignments_visible_to(world["admin"]))
    assert visible == {assigned["assignment"], other}


def test_assignments_assessor_sees_own_only(world):
    assigned = assigned_world(world)
    other = assign_directly(assigned["proposal"], make_assessor("penilai-dua"))
    assert list(assignments_visible_to(assigned["assessor"])) == [assigned["assignment"]]
    assert list(assignments_visible_to(other.assessor)) == [other]


def test_assignments_unassigned_assessor_sees_none(world):
    assigned_world(world)
    assert not assignments_visible_to(world["assessor"]).exists()


@pytest.mark.parametrize("name", NOT_ADMIN)
def test_assignments_other_roles_see_none(world, name):
    assigned_world(world)
    assert not assignments_visible_to(world[name]).exists()


def test_assignments_anonymous_and_inactive_see_none(world):
    assigned = assigned_world(world)
    assessor = assigned["assessor"]
    assessor.is_active = False
    assessor.save(update_fields=["is_active"])
    assert not assignments_visible_to(AnonymousUser()).exists()
    assert not assignments_visible_to(assessor).exists()


def test_decisions_admin_sees_pending(world):
    decision = _decide(world["proposal_banjar"], world["admin"], status=DecisionStatus.PENDING)
    assert list(decisions_visible_to(world["admin"])) == [decision]


@pytest.mark.parametrize("name", ["operator", "verifier", "viewer"])
def test_decisions_pending_hidden_outside_ministry(world, name):
    _decide(world["proposal_banjar"], world["admin"], status=DecisionStatus.PENDING)
    assert not decisions_visible_to(world[name]).exists()


@pytest.mark.parametrize("name", ["admin", "operator", "verifier", "viewer"])
def test_decisions_published_shown_to_who_sees_the_proposal(world, name):
    decision = _decide(world["proposal_banjar"], world["admin"], status=DecisionStatus.PUBLISHED)
    assert list(decisions_visible_to(world[name])) == [decision]


@pytest.mark.parametrize("name", ["operator_neighbour", "verifier_other", "assessor"])
def test_decisions_published_hidden_from_who_cannot_see_the_proposal(world, name):
    _decide(world["proposal_banjar"], world["admin"], status=DecisionStatus.PUBLISHED)
    assert not decisions_visible_to(world[name]).exists()


def test_decisions_published_shown_to_assigned_assessor(world):
    assigned = assigned_world(world)
    decision = _decide(assigned["proposal"], world["admin"], status=DecisionStatus.PUBLISHED)
    assert list(decisions_visible_to(assigned["assessor"])) == [decision]


def test_decisions_anonymous_sees_none(world):
    _decide(world["proposal_banjar"], world["admin"], status=DecisionStatus.PUBLISHED)
    assert not decisions_visible_to(AnonymousUser()).exists()
