"""Shared fixtures: the region data and one persona for every role."""

import pytest

from ovop.accounts.enums import Role
from ovop.regions.models import Region
from ovop.regions.services import load_regions
from tests.factories import UserFactory

# Districts and villages of these provinces are loaded for tests (all provinces and
# regencies always are); the full national load is tested once on its own.
TEST_PROVINCES = ("63", "64")


def ensure_regions() -> None:
    if not Region.objects.filter(code="63.03.01").exists():
        load_regions(provinces=TEST_PROVINCES)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        ensure_regions()


PERSONAS = {
    "admin": (Role.ADMIN, None),
    "operator": (Role.OPERATOR, "63.03"),  # Kabupaten Banjar
    "operator_neighbour": (Role.OPERATOR, "63.04"),  # Kabupaten Barito Kuala, next door
    "verifier": (Role.VERIFIER, "63"),  # Kalimantan Selatan
    "verifier_other": (Role.VERIFIER, "64"),  # Kalimantan Timur
    "assessor": (Role.ASSESSOR, "63"),
    "viewer": (Role.VIEWER, None),
}


def make_persona(name: str):
    from ovop.accounts.models import User

    existing = User.objects.filter(username=f"persona-{name}").first()
    if existing is not None:
        return existing  # re-saving would change the password hash and end sessions
    role, region = PERSONAS[name]
    return UserFactory(username=f"persona-{name}", role=role, region_id=region)


@pytest.fixture
def personas(db) -> dict:
    """Every role, plus an operator of the neighbouring regency and another province's verifier."""
    return {name: make_persona(name) for name in PERSONAS}


def _persona_fixture(name: str):
    @pytest.fixture
    def fixture(db):
        return make_persona(name)

    fixture.__doc__ = f"The {name} persona ({PERSONAS[name][0]}, {PERSONAS[name][1]})."
    return fixture


admin_user = _persona_fixture("admin")
operator = _persona_fixture("operator")
operator_neighbour = _persona_fixture("operator_neighbour")
verifier = _persona_fixture("verifier")
verifier_other = _persona_fixture("verifier_other")
assessor = _persona_fixture("assessor")
viewer = _persona_fixture("viewer")


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()
