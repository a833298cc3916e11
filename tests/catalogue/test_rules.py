"""Direct tests of the catalogue permissions in ``ovop.catalogue.rules``."""

import pytest

from tests.conftest import PERSONAS
from tests.factories import CentreFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", list(PERSONAS))
def test_view_entries_every_role_but_assessor(personas, name):
    assert personas[name].has_perm("catalogue.view_entries") is (name != "assessor")


def test_change_entry_operator_of_the_centres_regency(operator):
    assert operator.has_perm("catalogue.change_entry", CentreFactory(region_id="63.03.01"))


def test_change_entry_operator_of_another_regency_false(operator_neighbour):
    centre = CentreFactory(region_id="63.03.01")
    assert not operator_neighbour.has_perm("catalogue.change_entry", centre)


def test_change_entry_admin_any_centre(admin_user):
    assert admin_user.has_perm("catalogue.change_entry", CentreFactory(region_id="63.05.01"))


@pytest.mark.parametrize("name", ["verifier", "verifier_other", "assessor", "viewer"])
def test_change_entry_other_roles_false(personas, name):
    centre = CentreFactory(region_id="63.03.01")
    assert not personas[name].has_perm("catalogue.change_entry", centre)


def test_change_entry_operator_without_centre_false(operator):
    assert not operator.has_perm("catalogue.change_entry")
