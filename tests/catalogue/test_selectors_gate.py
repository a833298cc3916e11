"""Direct tests of the public gate in ``ovop.catalogue.selectors.gate``."""

import pytest

from ovop.catalogue.selectors.gate import (
    public_centres,
    public_centres_plain,
    public_decisions,
    public_photos,
)
from ovop.evaluation.enums import DecisionStatus
from ovop.evaluation.models import Decision
from tests.catalogue.public_builders import add_photo, public_centre, publish, round_of
from tests.conftest import make_persona
from tests.factories import CentreFactory, make_proposal

pytestmark = pytest.mark.django_db


def _proposal(year: int = 2025):
    return make_proposal(round_=round_of(year), centre=CentreFactory(), documents=False)


def test_public_centres_published_rated_included():
    centre = public_centre(name="Sentra Terbit", stars=5)
    assert list(public_centres()) == [centre]
    assert list(public_centres_plain()) == [centre]
    assert public_centres().get().stars == 5


def test_public_centres_pending_decision_excluded():
    proposal = _proposal()
    proposal.state = "rated"
    proposal.save(update_fields=["state"])
    Decision.objects.create(
        proposal=proposal,
        stars=4,
        computed_stars=4,
        status=DecisionStatus.PENDING,
        decided_by=make_persona("admin"),
    )
    assert not public_centres().exists()
    assert not public_decisions().exists()


def test_public_centres_not_rated_excluded():
    publish(_proposal(), stars=None)
    assert not public_centres().exists()
    assert not public_centres_plain().exists()


@pytest.mark.parametrize("state", ["returned", "withdrawn", "eligible"])
def test_public_centres_published_but_proposal_not_rated_excluded(state):
    decision = publish(_proposal(), stars=4)
    decision.proposal.state = state
    decision.proposal.save(update_fields=["state"])
    assert not public_centres().exists()


def test_public_centres_without_decision_excluded():
    _proposal()
    CentreFactory()
    assert not public_centres().exists()


def test_public_centres_latest_year_stars_win():
    centre = public_centre(name="Sentra Dua Kali", stars=3, year=2024)
    publish(make_proposal(round_=round_of(2025), centre=centre, documents=False), stars=5)
    rated = public_centres().get()
    assert (rated.stars, rated.rated_year) == (5, 2025)


def test_public_photos_only_of_public_centres():
    shown = add_photo(public_centre(name="Sentra Foto"))
    add_photo(CentreFactory())
    assert list(public_photos()) == [shown]
