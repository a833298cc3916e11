"""Coaching's named predicates and permissions (issue 16)."""

from ovop.coaching.rules import is_operator_of_regency, runs_an_office
from ovop.coaching.services.programme_owner import office_level
from ovop.regions.models import Region


def test_runs_an_office_is_verifiers_and_operators(personas):
    offices = {name for name, user in personas.items() if runs_an_office(user)}
    assert offices == {"operator", "operator_neighbour", "verifier", "verifier_other"}
    assert office_level(personas["verifier"]) == "province"
    assert office_level(personas["operator"]) == "regency"
    assert office_level(personas["admin"]) is None


def test_is_operator_of_regency_links_the_kab_kotas_own_operator(personas):
    banjar = Region.objects.get(code="63.03")
    linked = {name for name, user in personas.items() if is_operator_of_regency(user, banjar)}
    assert linked == {"operator"}


def test_watch_certificates_is_regional_offices_only(personas):
    watchers = {
        name for name, user in personas.items() if user.has_perm("coaching.watch_certificates")
    }
    assert watchers == {"operator", "operator_neighbour", "verifier", "verifier_other"}
