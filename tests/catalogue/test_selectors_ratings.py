"""Direct tests of ``ovop.catalogue.selectors.ratings``: each public centre's latest rating."""

import datetime

import pytest
from django.utils import timezone

from ovop.catalogue.selectors.gate import public_centres
from ovop.catalogue.selectors.ratings import Rating, ratings
from ovop.evaluation.enums import DecisionStatus
from ovop.evaluation.models import Decision
from tests.catalogue.public_builders import public_centre, publish, round_of
from tests.conftest import make_persona
from tests.factories import CentreFactory, make_proposal

pytestmark = pytest.mark.django_db


def _propose(centre, year: int, province: str = "63"):
    return make_proposal(round_=round_of(year, province), centre=centre, documents=False)


def _pending(proposal, *, stars: int, state: str = "rated") -> Decision:
    proposal.state = state
    proposal.save(update_fields=["state"])
    return Decision.objects.create(
        proposal=proposal,
        stars=stars,
        computed_stars=stars,
        status=DecisionStatus.PENDING,
        decided_by=make_persona("admin"),
    )


def test_ratings_one_per_public_centre_with_year_and_scale():
    five = public_centre(name="Sentra Lima", stars=5, year=2025)
    three = public_centre(name="Sentra Tiga", stars=3, year=2024)
    assert ratings() == {
        five.pk: Rating(stars=5, year=2025, scale=5),
        three.pk: Rating(stars=3, year=2024, scale=5),
    }


def test_ratings_scale_is_the_cycles():
    centre = CentreFactory()
    round_of(2023, star_scale=3)
    publish(_propose(centre, 2023), stars=2)
    assert ratings() == {centre.pk: Rating(stars=2, year=2023, scale=3)}


def test_ratings_latest_year_wins_even_when_lower():
    centre = public_centre(name="Sentra Turun", stars=5, year=2024)
    publish(_propose(centre, 2025), stars=2, when=timezone.now() - datetime.timedelta(days=1))
    assert ratings()[centre.pk] == Rating(stars=2, year=2025, scale=5)


def test_ratings_same_year_latest_published_wins():
    centre = CentreFactory()
    now = timezone.now()
    publish(_propose(centre, 2025, "63"), stars=4, when=now)
    publish(_propose(centre, 2025, "64"), stars=2, when=now - datetime.timedelta(hours=1))
    assert ratings()[centre.pk].stars == 4


def test_ratings_pending_decision_never_counts():
    _pending(_propose(CentreFactory(), 2025), stars=5)
    assert ratings() == {}


def test_ratings_newer_pending_decision_keeps_the_published_one():
    centre = public_centre(name="Sentra Tetap", stars=3, year=2024)
    _pending(_propose(centre, 2025), stars=5)
    assert ratings() == {centre.pk: Rating(stars=3, year=2024, scale=5)}


def test_ratings_not_rated_decision_never_counts():
    publish(_propose(CentreFactory(), 2025), stars=None)
    assert ratings() == {}


def test_ratings_newer_not_rated_decision_keeps_the_earlier_stars():
    centre = public_centre(name="Sentra Dulu", stars=4, year=2024)
    publish(_propose(centre, 2025), stars=None)
    assert ratings() == {centre.pk: Rating(stars=4, year=2024, scale=5)}


@pytest.mark.parametrize("state", ["returned", "withdrawn", "eligible", "not_rated"])
def test_ratings_published_but_proposal_not_rated_never_counts(state):
    decision = publish(_propose(CentreFactory(), 2025), stars=4)
    decision.proposal.state = state
    decision.proposal.save()
    assert ratings() == {}


def test_ratings_centre_without_decision_absent():
    CentreFactory()
    shown = public_centre(name="Sentra Ada")
    assert set(ratings()) == {shown.pk}


def test_ratings_agree_with_the_public_gate():
    public_centre(name="Sentra A", stars=5, year=2024)
    b = public_centre(name="Sentra B", stars=2, year=2025)
    publish(_propose(b, 2026), stars=4)
    found = ratings()
    gate = {c.pk: (c.stars, c.rated_year) for c in public_centres()}
    assert {pk: (r.stars, r.year) for pk, r in found.items()} == gate


def test_ratings_read_once_then_only_the_fingerprint(django_assert_num_queries):
    centre = public_centre(name="Sentra Cache", stars=4)
    with django_assert_num_queries(2):  # the fingerprint and the decisions
        first = ratings()
    with django_assert_num_queries(1):  # the fingerprint only
        assert ratings() == first == {centre.pk: Rating(4, 2025, 5)}


def test_ratings_follow_a_newly_published_decision_at_once():
    centre = public_centre(name="Sentra Baru", stars=3, year=2024)
    assert ratings()[centre.pk].stars == 3
    publish(_propose(centre, 2025), stars=5)
    assert ratings()[centre.pk] == Rating(stars=5, year=2025, scale=5)
