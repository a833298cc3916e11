"""Direct tests of ``proposals_visible_to`` and ``rounds_visible_to`` per persona."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from ovop.proposals.selectors import proposals_visible_to, rounds_visible_to
from tests.evaluation.helpers import assigned_world
from tests.factories import CentreFactory, make_proposal, make_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def spread(world):
    """The world's Banjar proposal (63.03), one of Tapin (63.05) and a round of province 64."""
    tapin = make_proposal(round_=world["round"], centre=world["centre_tapin"], documents=False)
    round_64 = make_round(cycle=world["cycle"], province="64")
    return {"banjar": world["proposal_banjar"], "tapin": tapin, "round_64": round_64}


@pytest.mark.parametrize("name", ["admin", "viewer"])
def test_proposals_national_sees_all(world, spread, name):
    assert set(proposals_visible_to(world[name])) == {spread["banjar"], spread["tapin"]}


def test_proposals_verifier_sees_own_province(world, spread):
    assert set(proposals_visible_to(world["verifier"])) == {spread["banjar"], spread["tapin"]}


def test_proposals_verifier_of_another_province_sees_none(world, spread):
    assert not proposals_visible_to(world["verifier_other"]).exists()


def test_proposals_operator_sees_own_regency_only(world, spread):
    assert list(proposals_visible_to(world["operator"])) == [spread["banjar"]]


def test_proposals_operator_of_another_regency_sees_none(world, spread):
    assert not proposals_visible_to(world["operator_neighbour"]).exists()


def test_proposals_assessor_sees_only_assigned(world, spread):
    assigned = assigned_world(world)
    assert list(proposals_visible_to(assigned["assessor"])) == [spread["banjar"]]
    assert not proposals_visible_to(world["assessor"]).exists()


def test_proposals_assessor_recused_sees_none(world, spread):
    assigned = assigned_world(world)
    assigned["assignment"].recused_at = timezone.now()
    assigned["assignment"].save(update_fields=["recused_at"])
    assert not proposals_visible_to(assigned["assessor"]).exists()


def test_proposals_anonymous_sees_none(world, spread):
    assert not proposals_visible_to(AnonymousUser()).exists()


def test_proposals_regency_outside_any_round_province(world):
    """The filter is on the proposal's regency, not the round's province."""
    centre = CentreFactory(region_id="63.03.01")
    proposal = make_proposal(round_=make_round(cycle=world["cycle"], province="64"), centre=centre)
    assert proposal in proposals_visible_to(world["operator"])
    assert proposal not in proposals_visible_to(world["verifier"])


@pytest.mark.parametrize("name", ["admin", "viewer"])
def test_rounds_national_sees_all(world, spread, name):
    assert set(rounds_visible_to(world[name])) == {world["round"], spread["round_64"]}


@pytest.mark.parametrize("name", ["verifier", "operator", "operator_neighbour"])
def test_rounds_province_and_its_regencies_see_the_province_round(world, spread, name):
    assert list(rounds_visible_to(world[name])) == [world["round"]]


def test_rounds_other_province_sees_its_own(world, spread):
    assert list(rounds_visible_to(world["verifier_other"])) == [spread["round_64"]]


@pytest.mark.parametrize("assigned", [False, True])
def test_rounds_assessor_sees_none(world, spread, assigned):
    user = assigned_world(world)["assessor"] if assigned else world["assessor"]
    assert not rounds_visible_to(user).exists()


def test_rounds_anonymous_sees_none(world, spread):
    assert not rounds_visible_to(AnonymousUser()).exists()
