"""The accounts' named predicates built on ``region_scope`` (issue 16)."""

from ovop.accounts.rules import works_in_a_province, works_in_a_region
from ovop.proposals.rules import is_users_province
from ovop.regions.models import Region


def test_works_in_a_region_is_the_regional_personas(personas):
    regional = {name for name, user in personas.items() if works_in_a_region(user)}
    assert regional == {"operator", "operator_neighbour", "verifier", "verifier_other"}


def test_works_in_a_province_is_the_verifiers(personas):
    provincial = {name for name, user in personas.items() if works_in_a_province(user)}
    assert provincial == {"verifier", "verifier_other"}


def test_is_users_province_only_for_a_province_scope(personas):
    south = Region.objects.get(code="63")
    matching = {name for name, user in personas.items() if is_users_province(user, south)}
    # The Banjar operator works inside province 63, but the province is not theirs to run.
    assert matching == {"verifier"}
