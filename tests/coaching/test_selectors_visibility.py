"""Direct tests of ``ovop.coaching.selectors.visibility``: who sees which programmes,
activities, Bimtek events and indicators."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from ovop.accounts.enums import Role
from ovop.coaching.models import Activity, BimtekEvent, Indicator, Programme
from ovop.coaching.selectors.visibility import (
    activities_visible_to,
    bimtek_visible_to,
    indicators_visible_to,
    programmes_visible_to,
)
from tests.evaluation.helpers import assign_directly, make_assessor
from tests.factories import CentreFactory, UserFactory, make_proposal

pytestmark = pytest.mark.django_db

HELD_ON = datetime.date(2026, 3, 10)


def _programme(admin, name, *, level, region, centres=()) -> Programme:
    programme = Programme.objects.create(
        name=name,
        owner_level=level,
        owner_region_id=region,
        year_start=2026,
        year_end=2026,
        created_by=admin,
    )
    programme.centres.set(centres)
    return programme


def _activity(admin, programme, title) -> Activity:
    return Activity.objects.create(
        programme=programme,
        kind="training",
        title=title,
        starts_on=HELD_ON,
        ends_on=HELD_ON,
        created_by=admin,
    )


@pytest.fixture
def scene(personas) -> dict:
    """Centres in Banjar (63.03), Tapin (63.05) and Kaltim (64); five programmes:

    - ``banjar``: run by Banjar's office for the Banjar centre;
    - ``banjar_empty``: run by Banjar's office, no centres yet;
    - ``province``: run by province 63 for the Tapin centre;
    - ``ministry_banjar``: run by the ministry for the Banjar centre;
    - ``ministry_kaltim``: run by the ministry for the Kaltim centre.
    """
    admin = personas["admin"]
    banjar = CentreFactory(region_id="63.03.01", name="Sentra Banjar")
    tapin = CentreFactory(region_id="63.05.01", name="Sentra Tapin")
    kaltim = CentreFactory(region_id="64.01.01", name="Sentra Kaltim")
    programmes = {
        "banjar": _programme(admin, "Banjar", level="regency", region="63.03", centres=[banjar]),
        "banjar_empty": _programme(admin, "Banjar kosong", level="regency", region="63.03"),
        "province": _programme(admin, "Kalsel", level="province", region="63", centres=[tapin]),
        "ministry_banjar": _programme(
            admin, "Kemenperin Banjar", level="ministry", region=None, centres=[banjar]
        ),
        "ministry_kaltim": _programme(
            admin, "Kemenperin Kaltim", level="ministry", region=None, centres=[kaltim]
        ),
    }
    return {
        **personas,
        "centres": {"banjar": banjar, "tapin": tapin, "kaltim": kaltim},
        "programmes": programmes,
    }


def _names(queryset) -> list[str]:
    return sorted(str(row) for row in queryset)


def _regionless_operator():
    return UserFactory(username="operator-tanpa-wilayah", role=Role.OPERATOR, region_id=None)


# --- programmes ----------------------------------------------------------------------------

ALL_PROGRAMMES = ["Banjar", "Banjar kosong", "Kalsel", "Kemenperin Banjar", "Kemenperin Kaltim"]


@pytest.mark.parametrize("name", ["admin", "viewer"])
def test_programmes_national_accounts_see_all(scene, name):
    assert _names(programmes_visible_to(scene[name])) == ALL_PROGRAMMES


def test_programmes_superuser_without_role_sees_all(scene):
    superuser = UserFactory(username="root", role=Role.VIEWER, region_id="64", is_superuser=True)
    assert _names(programmes_visible_to(superuser)) == ALL_PROGRAMMES


def test_programmes_verifier_sees_own_office_and_programmes_coaching_province_centres(scene):
    # Not "Banjar kosong": a kab/kota's programme without centres is not the province's.
    visible = _names(programmes_visible_to(scene["verifier"]))
    assert visible == ["Banjar", "Kalsel", "Kemenperin Banjar"]


def test_programmes_other_province_verifier_sees_only_its_centres_programmes(scene):
    assert _names(programmes_visible_to(scene["verifier_other"])) == ["Kemenperin Kaltim"]


def test_programmes_operator_sees_own_office_and_programmes_coaching_own_centres(scene):
    visible = _names(programmes_visible_to(scene["operator"]))
    assert visible == ["Banjar", "Banjar kosong", "Kemenperin Banjar"]


def test_programmes_neighbouring_operator_sees_none_of_banjar(scene):
    assert not programmes_visible_to(scene["operator_neighbour"]).exists()


def test_programmes_neighbouring_operator_sees_a_programme_for_its_centre(scene):
    own = CentreFactory(region_id="63.04.01", name="Sentra Batola")
    scene["programmes"]["province"].centres.add(own)
    assert _names(programmes_visible_to(scene["operator_neighbour"])) == ["Kalsel"]


def test_programmes_regional_viewer_sees_like_its_office(scene):
    viewer = UserFactory(username="pemantau-banjar", role=Role.VIEWER, region_id="63.03")
    visible = _names(programmes_visible_to(viewer))
    assert visible == ["Banjar", "Banjar kosong", "Kemenperin Banjar"]


def test_programmes_assessor_sees_none_even_when_assigned(scene):
    proposal = make_proposal(centre=scene["centres"]["banjar"])
    assessor = make_assessor("penilai-programme")
    assign_directly(proposal, assessor)
    assert not programmes_visible_to(assessor).exists()
    assert not programmes_visible_to(scene["assessor"]).exists()


def test_programmes_account_without_region_sees_none(scene):
    assert not programmes_visible_to(_regionless_operator()).exists()


def test_programmes_anonymous_and_inactive_see_none(scene):
    operator = scene["operator"]
    operator.is_active = False
    operator.save(update_fields=["is_active"])
    assert not programmes_visible_to(AnonymousUser()).exists()
    assert not programmes_visible_to(operator).exists()


def test_programmes_listed_once_when_coaching_several_visible_centres(scene):
    second = CentreFactory(region_id="63.03.02", name="Sentra Banjar Dua")
    scene["programmes"]["ministry_banjar"].centres.add(second)
    visible = list(programmes_visible_to(scene["operator"]))
    assert len(visible) == len(set(visible)) == 3


def test_programmes_scoped_read_is_one_query(scene, django_assert_num_queries):
    with django_assert_num_queries(1):
        visible = list(programmes_visible_to(scene["verifier"]))
    assert len(visible) == 3


# --- activities ----------------------------------------------------------------------------


@pytest.fixture
def activities(scene) -> dict:
    return {
        key: _activity(scene["admin"], programme, f"Kegiatan {programme.name}")
        for key, programme in scene["programmes"].items()
    }


@pytest.mark.parametrize("name", ["admin", "viewer"])
def test_activities_national_accounts_see_all(scene, activities, name):
    assert set(activities_visible_to(scene[name])) == set(activities.values())


@pytest.mark.parametrize(
    ("name", "programmes"),
    [
        ("verifier", ["banjar", "province", "ministry_banjar"]),
        ("verifier_other", ["ministry_kaltim"]),
        ("operator", ["banjar", "banjar_empty", "ministry_banjar"]),
    ],
)
def test_activities_regional_accounts_see_those_of_visible_programmes(
    scene, activities, name, programmes
):
    assert set(activities_visible_to(scene[name])) == {activities[key] for key in programmes}


@pytest.mark.parametrize("name", ["operator_neighbour", "assessor"])
def test_activities_hidden_from_who_sees_no_programme(scene, activities, name):
    assert not activities_visible_to(scene[name]).exists()


def test_activities_anonymous_and_regionless_see_none(scene, activities):
    assert not activities_visible_to(AnonymousUser()).exists()
    assert not activities_visible_to(_regionless_operator()).exists()


def test_activities_of_a_programme_without_activities_are_none(scene):
    assert not activities_visible_to(scene["admin"]).exists()


# --- Bimtek --------------------------------------------------------------------------------


@pytest.fixture
def events(personas) -> dict:
    admin = personas["admin"]

    def event(title, province):
        return BimtekEvent.objects.create(
            title=title, province_id=province, held_on=HELD_ON, created_by=admin
        )

    return {
        "kalsel": event("Bimtek Kalsel", "63"),
        "kaltim": event("Bimtek Kaltim", "64"),
        "national": event("Bimtek nasional", None),
    }


@pytest.mark.parametrize("name", ["admin", "viewer"])
def test_bimtek_national_accounts_see_all(personas, events, name):
    assert _names(bimtek_visible_to(personas[name])) == [
        "Bimtek Kalsel",
        "Bimtek Kaltim",
        "Bimtek nasional",
    ]


@pytest.mark.parametrize("name", ["verifier", "operator", "operator_neighbour"])
def test_bimtek_province_63_accounts_see_their_province_and_national(personas, events, name):
    assert _names(bimtek_visible_to(personas[name])) == ["Bimtek Kalsel", "Bimtek nasional"]


def test_bimtek_other_province_verifier_sees_its_province_and_national(personas, events):
    visible = _names(bimtek_visible_to(personas["verifier_other"]))
    assert visible == ["Bimtek Kaltim", "Bimtek nasional"]


def test_bimtek_regional_viewer_sees_its_province_and_national(personas, events):
    viewer = UserFactory(username="pemantau-banjar", role=Role.VIEWER, region_id="63.03")
    assert _names(bimtek_visible_to(viewer)) == ["Bimtek Kalsel", "Bimtek nasional"]


def test_bimtek_assessor_sees_none(personas, events):
    assert not bimtek_visible_to(personas["assessor"]).exists()


def test_bimtek_account_without_region_sees_national_only(personas, events):
    # National events are "for everyone" signed in; the regionless account has no province.
    assert _names(bimtek_visible_to(_regionless_operator())) == ["Bimtek nasional"]


def test_bimtek_anonymous_and_inactive_see_none(personas, events):
    verifier = personas["verifier"]
    verifier.is_active = False
    verifier.save(update_fields=["is_active"])
    assert not bimtek_visible_to(AnonymousUser()).exists()
    assert not bimtek_visible_to(verifier).exists()


# --- indicators ----------------------------------------------------------------------------


@pytest.fixture
def indicators(scene) -> dict:
    return {
        key: Indicator.objects.create(centre=centre, year=2026, kind="actual", production_value=1)
        for key, centre in scene["centres"].items()
    }


@pytest.mark.parametrize("name", ["admin", "viewer"])
def test_indicators_national_accounts_see_all(scene, indicators, name):
    assert set(indicators_visible_to(scene[name])) == set(indicators.values())


@pytest.mark.parametrize(
    ("name", "centres"),
    [
        ("verifier", ["banjar", "tapin"]),
        ("verifier_other", ["kaltim"]),
        ("operator", ["banjar"]),
        ("operator_neighbour", []),
    ],
)
def test_indicators_regional_accounts_see_their_centres(scene, indicators, name, centres):
    assert set(indicators_visible_to(scene[name])) == {indicators[key] for key in centres}


def test_indicators_unassigned_assessor_sees_none(scene, indicators):
    assert not indicators_visible_to(scene["assessor"]).exists()


def test_indicators_assigned_assessor_sees_the_assigned_centre_only(scene, indicators):
    proposal = make_proposal(centre=scene["centres"]["tapin"])
    assessor = make_assessor("penilai-indikator")
    assignment = assign_directly(proposal, assessor)
    assert list(indicators_visible_to(assessor)) == [indicators["tapin"]]
    assignment.recused_at = timezone.now()
    assignment.save(update_fields=["recused_at"])
    assert not indicators_visible_to(assessor).exists()


def test_indicators_account_without_region_sees_none(scene, indicators):
    assert not indicators_visible_to(_regionless_operator()).exists()


def test_indicators_anonymous_and_inactive_see_none(scene, indicators):
    operator = scene["operator"]
    operator.is_active = False
    operator.save(update_fields=["is_active"])
    assert not indicators_visible_to(AnonymousUser()).exists()
    assert not indicators_visible_to(operator).exists()
