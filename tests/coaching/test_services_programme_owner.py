"""Direct tests of ``ovop.coaching.services.programme_owner``: who runs a new programme by
default (the user's own office, else the level the centres' published stars call for)."""

import pytest
from django.contrib.auth.models import AnonymousUser

from ovop.accounts.enums import Role
from ovop.coaching.enums import OwnerLevel
from ovop.coaching.services.programme_owner import (
    initial_owner,
    office_level,
    suggested_owner_level,
)
from ovop.evaluation.models import Decision
from tests.coaching.programmes_builders import publish_stars
from tests.factories import CentreFactory, UserFactory, make_proposal, make_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def centres(db) -> dict:
    return {
        "banjar": CentreFactory(region_id="63.03.01", name="Sentra Banjar"),
        "banjar_b": CentreFactory(region_id="63.03.02", name="Sentra Anyaman Banjar"),
        "tapin": CentreFactory(region_id="63.05.01", name="Sentra Tapin"),
        "kaltim": CentreFactory(region_id="64.01.01", name="Sentra Kaltim"),
    }


@pytest.fixture
def rate(personas):
    """Publish ``stars`` for a centre (one round of province 63 for all of them)."""
    round_ = make_round()

    def rate(centre, stars: int, *, status: str = "published"):
        decision = publish_stars(
            proposal=make_proposal(round_=round_, centre=centre), stars=stars, by=personas["admin"]
        )
        if status != "published":
            Decision.objects.filter(pk=decision.pk).update(status=status, published_at=None)
        return decision

    return rate


def _regionless_operator():
    return UserFactory(username="operator-tanpa-wilayah", role=Role.OPERATOR, region_id=None)


# --- office_level --------------------------------------------------------------------------


def test_office_level_of_a_verifier_is_province(personas):
    assert office_level(personas["verifier"]) == OwnerLevel.PROVINCE
    assert office_level(personas["verifier_other"]) == OwnerLevel.PROVINCE


def test_office_level_of_an_operator_is_regency(personas):
    assert office_level(personas["operator"]) == OwnerLevel.REGENCY
    assert office_level(personas["operator_neighbour"]) == OwnerLevel.REGENCY


@pytest.mark.parametrize("name", ["admin", "viewer", "assessor"])
def test_office_level_is_none_for_who_runs_no_office(personas, name):
    assert office_level(personas[name]) is None


def test_office_level_is_none_for_a_regional_viewer(db):
    viewer = UserFactory(username="pemantau-banjar", role=Role.VIEWER, region_id="63.03")
    assert office_level(viewer) is None


def test_office_level_is_none_for_an_operator_without_region_or_anonymous(db):
    assert office_level(_regionless_operator()) is None
    assert office_level(AnonymousUser()) is None


# --- suggested_owner_level -----------------------------------------------------------------


def test_suggested_owner_level_without_centres_is_none(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert suggested_owner_level([]) is None
        assert suggested_owner_level(iter(())) is None


def test_suggested_owner_level_unrated_centres_are_the_regencys(centres):
    assert suggested_owner_level([centres["banjar"]]) == OwnerLevel.REGENCY


@pytest.mark.parametrize(
    ("stars", "level"),
    [
        (1, OwnerLevel.REGENCY),
        (2, OwnerLevel.REGENCY),
        (3, OwnerLevel.PROVINCE),
        (4, OwnerLevel.MINISTRY),
        (5, OwnerLevel.MINISTRY),
    ],
)
def test_suggested_owner_level_follows_the_stars(centres, rate, stars, level):
    rate(centres["banjar"], stars)
    assert suggested_owner_level([centres["banjar"]]) == level


def test_suggested_owner_level_takes_the_best_centre(centres, rate):
    rate(centres["banjar"], 2)
    rate(centres["tapin"], 4)
    # A generator is read once, like a list.
    chosen = (centres[key] for key in ("banjar", "tapin"))
    assert suggested_owner_level(chosen) == OwnerLevel.MINISTRY


def test_suggested_owner_level_ignores_unpublished_stars(centres, rate):
    rate(centres["banjar"], 5, status="pending")
    assert suggested_owner_level([centres["banjar"]]) == OwnerLevel.REGENCY


def test_suggested_owner_level_ignores_centres_not_chosen(centres, rate):
    rate(centres["tapin"], 5)
    assert suggested_owner_level([centres["banjar"]]) == OwnerLevel.REGENCY


# --- initial_owner -------------------------------------------------------------------------


def test_initial_owner_of_a_verifier_is_their_province(personas, centres, rate):
    rate(centres["banjar"], 5)
    assert initial_owner(personas["verifier"], [centres["banjar"]]) == ("province", "63")
    assert initial_owner(personas["verifier"], []) == ("province", "63")


def test_initial_owner_of_an_operator_is_their_regency(personas, centres, rate):
    rate(centres["banjar"], 3)
    assert initial_owner(personas["operator"], [centres["banjar"]]) == ("regency", "63.03")
    assert initial_owner(personas["operator_neighbour"], []) == ("regency", "63.04")


def test_initial_owner_of_an_office_reads_no_stars(personas, centres, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert initial_owner(personas["operator"], [centres["banjar"]]) == ("regency", "63.03")


def test_initial_owner_for_the_ministry_without_centres(personas):
    assert initial_owner(personas["admin"], []) == (OwnerLevel.MINISTRY, None)
    assert initial_owner(personas["admin"], iter(())) == (OwnerLevel.MINISTRY, None)


def test_initial_owner_unrated_centre_goes_to_its_regency(personas, centres):
    assert initial_owner(personas["admin"], [centres["banjar"]]) == (OwnerLevel.REGENCY, "63.03")


def test_initial_owner_centres_sharing_a_regency_name_it(personas, centres):
    chosen = [centres["banjar"], centres["banjar_b"]]
    assert initial_owner(personas["admin"], chosen) == (OwnerLevel.REGENCY, "63.03")


def test_initial_owner_centres_of_several_regencies_leave_the_region_open(personas, centres):
    chosen = [centres["banjar"], centres["tapin"]]
    assert initial_owner(personas["admin"], chosen) == (OwnerLevel.REGENCY, None)


def test_initial_owner_three_stars_go_to_the_province(personas, centres, rate):
    rate(centres["banjar"], 3)
    chosen = [centres["banjar"], centres["tapin"]]
    assert initial_owner(personas["admin"], chosen) == (OwnerLevel.PROVINCE, "63")


def test_initial_owner_three_stars_across_provinces_leave_the_region_open(personas, centres, rate):
    rate(centres["banjar"], 3)
    chosen = [centres["banjar"], centres["kaltim"]]
    assert initial_owner(personas["admin"], chosen) == (OwnerLevel.PROVINCE, None)


@pytest.mark.parametrize("stars", [4, 5])
def test_initial_owner_best_centres_go_to_the_ministry(personas, centres, rate, stars):
    rate(centres["banjar"], stars)
    assert initial_owner(personas["admin"], [centres["banjar"]]) == (OwnerLevel.MINISTRY, None)


def test_initial_owner_for_a_viewer_follows_the_stars(personas, centres, rate):
    rate(centres["tapin"], 3)
    assert initial_owner(personas["viewer"], [centres["tapin"]]) == (OwnerLevel.PROVINCE, "63")


def test_initial_owner_for_an_operator_without_region_follows_the_stars(centres):
    regionless = _regionless_operator()
    assert initial_owner(regionless, []) == (OwnerLevel.MINISTRY, None)
    assert initial_owner(regionless, [centres["tapin"]]) == (OwnerLevel.REGENCY, "63.05")


def test_initial_owner_anonymous_follows_the_stars(centres):
    assert initial_owner(AnonymousUser(), [centres["kaltim"]]) == (OwnerLevel.REGENCY, "64.01")


def test_initial_owner_pending_stars_do_not_count(personas, centres, rate):
    rate(centres["banjar"], 5, status="pending")
    assert initial_owner(personas["admin"], [centres["banjar"]]) == (OwnerLevel.REGENCY, "63.03")
