"""``ovop.accounts.backends``: a deactivated account holds no permission, whatever its role."""

import pytest

from tests.evaluation.helpers import assigned_world

pytestmark = pytest.mark.django_db


def test_an_active_assessor_may_score_their_assignment(world):
    assigned = assigned_world(world)
    assert assigned["assessor"].has_perm("evaluation.score", assigned["assignment"])


def test_a_deactivated_assessor_may_not_score_their_assignment(world):
    assigned = assigned_world(world)
    assessor = assigned["assessor"]
    assessor.is_active = False
    assessor.save(update_fields=["is_active"])
    assert not assessor.has_perm("evaluation.score", assigned["assignment"])


@pytest.mark.parametrize("persona", ["admin", "verifier", "operator"])
def test_a_deactivated_official_holds_no_permission(world, persona):
    user = world[persona]
    assert user.has_perm("coaching.view")
    assert user.has_perm("reports.view_dashboard")
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert not user.has_perm("coaching.view")
    assert not user.has_perm("reports.view_dashboard")
