"""Direct tests of the evaluation permissions in ``ovop.evaluation.rules``."""

import pytest
from django.utils import timezone

from tests.conftest import PERSONAS
from tests.evaluation.helpers import assigned_world

pytestmark = pytest.mark.django_db

EVERYONE = list(PERSONAS)


@pytest.mark.parametrize("name", EVERYONE)
def test_manage_admin_only(personas, name):
    assert personas[name].has_perm("evaluation.manage") is (name == "admin")


@pytest.mark.parametrize("name", EVERYONE)
def test_view_results_admin_and_national_viewer(personas, name):
    assert personas[name].has_perm("evaluation.view_results") is (name in {"admin", "viewer"})


@pytest.mark.parametrize("name", EVERYONE)
def test_my_assignments_assessor_only(personas, name):
    assert personas[name].has_perm("evaluation.my_assignments") is (name == "assessor")


@pytest.mark.parametrize("name", EVERYONE)
def test_declare_conflict_admin_and_assessor(personas, name):
    expected = name in {"admin", "assessor"}
    assert personas[name].has_perm("evaluation.declare_conflict") is expected


@pytest.mark.parametrize("perm", ["evaluation.score", "evaluation.recuse"])
def test_score_own_active_assignment_true(world, perm):
    assigned = assigned_world(world)
    assert assigned["assessor"].has_perm(perm, assigned["assignment"])


@pytest.mark.parametrize("perm", ["evaluation.score", "evaluation.recuse"])
def test_score_other_assessors_assignment_false(world, perm):
    assigned = assigned_world(world)
    assert not world["assessor"].has_perm(perm, assigned["assignment"])


@pytest.mark.parametrize("perm", ["evaluation.score", "evaluation.recuse"])
def test_score_recused_assignment_false(world, perm):
    assigned = assigned_world(world)
    assignment = assigned["assignment"]
    assignment.recused_at = timezone.now()
    assignment.save(update_fields=["recused_at"])
    assert not assigned["assessor"].has_perm(perm, assignment)


@pytest.mark.parametrize("perm", ["evaluation.score", "evaluation.recuse"])
def test_score_without_assignment_false(world, perm):
    assigned = assigned_world(world)
    assert not assigned["assessor"].has_perm(perm)
    assert not assigned["assessor"].has_perm(perm, None)


@pytest.mark.parametrize("name", ["admin", "operator", "verifier", "viewer"])
def test_score_non_assessor_false_even_on_assignment(world, name):
    assigned = assigned_world(world)
    assert not world[name].has_perm("evaluation.score", assigned["assignment"])
