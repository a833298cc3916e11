"""ovop.coaching.services.programmes, called directly: the owner suggested by the stars, and
the checks made when a programme or an activity is saved."""

import datetime
import inspect

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from ovop.coaching.models import Activity, Programme
from ovop.coaching.services.programmes import (
    LEVEL_OF_REGION,
    default_owner_level,
    save_activity,
    save_programme,
)
from ovop.evaluation.models import Decision
from tests.coaching.programmes_builders import make_activity, make_programme, publish_stars
from tests.factories import CentreFactory, EnterpriseFactory, make_proposal, make_round

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def banjar():
    """A sentra in Kabupaten Banjar (63.03), the operator persona's regency."""
    return CentreFactory(region_id="63.03.01", name="Sentra Banjar")


@pytest.fixture
def tapin():
    """A sentra in Kabupaten Tapin (63.05): same province, another kab/kota."""
    return CentreFactory(region_id="63.05.01", name="Sentra Tapin")


def unsaved(**fields) -> Programme:
    values = {
        "name": "Klinik kemasan",
        "owner_level": "regency",
        "owner_region_id": "63.03",
        "year_start": 2026,
        "year_end": 2027,
    }
    values.update(fields)
    return Programme(**values)


def refused(call, **kwargs) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        call(**kwargs)
    return caught.value.message_dict


def test_services_take_keyword_arguments_only():
    for function in (save_programme, save_activity):
        kinds = {p.kind for p in inspect.signature(function).parameters.values()}
        assert kinds == {inspect.Parameter.KEYWORD_ONLY}, function.__name__


def test_level_of_region_is_the_length_of_its_code():
    assert LEVEL_OF_REGION == {"province": 2, "regency": 5}


# --- default_owner_level -------------------------------------------------------------------


def test_default_owner_level_without_stars_is_the_regency(banjar):
    assert default_owner_level([banjar]) == "regency"
    assert default_owner_level([]) == "regency"


@pytest.mark.parametrize(
    ("stars", "level"),
    [(5, "ministry"), (4, "ministry"), (3, "province"), (2, "regency"), (1, "regency")],
)
def test_default_owner_level_follows_the_published_stars(admin_user, banjar, stars, level):
    publish_stars(proposal=make_proposal(centre=banjar), stars=stars, by=admin_user)
    assert default_owner_level([banjar]) == level


def test_default_owner_level_takes_the_best_stars_among_the_centres(admin_user, banjar, tapin):
    round_ = make_round()
    publish_stars(proposal=make_proposal(round_=round_, centre=banjar), stars=2, by=admin_user)
    publish_stars(proposal=make_proposal(round_=round_, centre=tapin), stars=3, by=admin_user)
    assert default_owner_level([banjar]) == "regency"
    assert default_owner_level([banjar, tapin]) == "province"


def test_default_owner_level_ignores_pending_and_starless_decisions(admin_user, banjar, tapin):
    round_ = make_round()
    Decision.objects.create(
        proposal=make_proposal(round_=round_, centre=banjar),
        stars=5,
        computed_stars=5,
        status="pending",
        decided_by=admin_user,
    )
    Decision.objects.create(
        proposal=make_proposal(round_=round_, centre=tapin),
        stars=None,
        status="published",
        decided_by=admin_user,
        published_at=timezone.now(),
    )
    assert default_owner_level([banjar, tapin]) == "regency"


# --- save_programme: saving ----------------------------------------------------------------


def test_save_programme_creates_it_with_its_centres_and_creator(operator, banjar):
    programme = save_programme(actor=operator, programme=unsaved(), centres=[banjar])
    stored = Programme.objects.get(pk=programme.pk)
    assert (stored.name, stored.owner_level, stored.owner_region_id) == (
        "Klinik kemasan",
        "regency",
        "63.03",
    )
    assert stored.created_by == operator
    assert list(stored.centres.all()) == [banjar]
    # The row, then its centres: django-simple-history records the m2m set as a change.
    assert [h.history_type for h in stored.history.all()] == ["~", "+"]
    assert stored.history.last().name == "Klinik kemasan"
    assert [row.centre_id for row in stored.history.first().centres.all()] == [banjar.pk]


def test_save_programme_accepts_a_generator_of_centres(operator, banjar):
    programme = save_programme(actor=operator, programme=unsaved(), centres=(c for c in [banjar]))
    assert list(programme.centres.all()) == [banjar]


def test_save_programme_edit_keeps_the_creator_and_replaces_the_centres(
    operator, admin_user, banjar
):
    programme = make_programme(actor=operator, centres=[banjar])
    second = CentreFactory(region_id="63.03.02")
    programme.name = "Klinik kemasan baru"
    save_programme(actor=admin_user, programme=programme, centres=[second])
    stored = Programme.objects.get(pk=programme.pk)
    assert stored.created_by == operator
    assert stored.name == "Klinik kemasan baru"
    assert list(stored.centres.all()) == [second]
    assert Programme.objects.count() == 1
    latest = stored.history.first()
    assert latest.history_type == "~"
    assert latest.name == "Klinik kemasan baru"
    assert [row.centre_id for row in latest.centres.all()] == [second.pk]


def test_save_programme_with_a_single_year(operator):
    programme = save_programme(
        actor=operator, programme=unsaved(year_start=2026, year_end=2026), centres=[]
    )
    assert (programme.year_start, programme.year_end) == (2026, 2026)
    assert not programme.centres.exists()


def test_save_programme_admin_runs_a_ministry_programme_for_any_centre(admin_user, banjar):
    other_province = CentreFactory(region_id="64.01.01")
    programme = save_programme(
        actor=admin_user,
        programme=unsaved(owner_level="ministry", owner_region_id=None),
        centres=[banjar, other_province],
    )
    assert programme.owner_region_id is None
    assert set(programme.centres.all()) == {banjar, other_province}


def test_save_programme_province_programme_takes_centres_of_every_kab_kota(verifier, banjar, tapin):
    programme = save_programme(
        actor=verifier,
        programme=unsaved(owner_level="province", owner_region_id="63"),
        centres=[banjar, tapin],
    )
    assert set(programme.centres.all()) == {banjar, tapin}
    assert programme.created_by == verifier


def test_save_programme_stores_known_focus_and_principles(operator):
    programme = save_programme(
        actor=operator,
        programme=unsaved(focus=["image", "market_access"], principles=["self_reliance"]),
        centres=[],
    )
    programme.refresh_from_db()
    assert programme.focus == ["image", "market_access"]
    assert programme.principles == ["self_reliance"]


# --- save_programme: refusals --------------------------------------------------------------


def test_save_programme_refuses_years_that_run_backwards(operator):
    errors = refused(
        save_programme,
        actor=operator,
        programme=unsaved(year_start=2027, year_end=2026),
        centres=[],
    )
    assert errors == {"year_end": ["The last year cannot come before the first."]}
    assert not Programme.objects.exists()


def test_save_programme_refuses_unknown_focus_and_principles(operator):
    errors = refused(
        save_programme,
        actor=operator,
        programme=unsaved(focus=["image", "magic", "luck"]),
        centres=[],
    )
    assert errors == {"focus": ["Unknown choice: magic, luck."]}
    errors = refused(
        save_programme, actor=operator, programme=unsaved(principles=["speed"]), centres=[]
    )
    assert errors == {"principles": ["Unknown choice: speed."]}
    assert not Programme.objects.exists()


def test_save_programme_refuses_a_ministry_programme_with_a_region(admin_user):
    errors = refused(
        save_programme,
        actor=admin_user,
        programme=unsaved(owner_level="ministry", owner_region_id="63"),
        centres=[],
    )
    assert errors == {"owner_region": ["A ministry programme has no region."]}
    assert not Programme.objects.exists()


@pytest.mark.parametrize("persona", ["verifier", "operator"])
def test_save_programme_only_the_ministry_runs_ministry_programmes(personas, persona):
    errors = refused(
        save_programme,
        actor=personas[persona],
        programme=unsaved(owner_level="ministry", owner_region_id=None),
        centres=[],
    )
    assert errors == {"owner_level": ["Only the ministry runs ministry programmes."]}
    assert not Programme.objects.exists()


@pytest.mark.parametrize(("level", "region"), [("", "63.03"), ("galaxy", None), ("", None)])
def test_save_programme_refuses_an_unknown_owner_level(admin_user, level, region):
    errors = refused(
        save_programme,
        actor=admin_user,
        programme=unsaved(owner_level=level, owner_region_id=region),
        centres=[],
    )
    assert errors == {
        "owner_level": ["Choose who runs it: the ministry, a province or a kab/kota."]
    }
    assert not Programme.objects.exists()


@pytest.mark.parametrize(
    ("level", "region"),
    [("province", "63.03"), ("regency", "63"), ("regency", None), ("province", None)],
)
def test_save_programme_refuses_a_region_of_the_wrong_level(admin_user, level, region):
    errors = refused(
        save_programme,
        actor=admin_user,
        programme=unsaved(owner_level=level, owner_region_id=region),
        centres=[],
    )
    assert list(errors) == ["owner_region"]
    assert errors["owner_region"][0].startswith("Choose the ")
    assert not Programme.objects.exists()


@pytest.mark.parametrize(
    ("persona", "level", "region"),
    [
        ("operator", "regency", "63.04"),  # the neighbouring kab/kota
        ("operator", "province", "63"),  # the operator's own province is not their office
        ("verifier", "province", "64"),
        ("verifier", "regency", "63.03"),  # a kab/kota of the verifier's province
    ],
)
def test_save_programme_an_office_runs_its_own_programmes_only(personas, persona, level, region):
    errors = refused(
        save_programme,
        actor=personas[persona],
        programme=unsaved(owner_level=level, owner_region_id=region),
        centres=[],
    )
    assert errors == {"owner_region": ["You can run programmes for your own office only."]}
    assert not Programme.objects.exists()


def test_save_programme_refuses_centres_outside_the_actors_area(operator, banjar, tapin):
    errors = refused(save_programme, actor=operator, programme=unsaved(), centres=[banjar, tapin])
    assert errors == {"centres": ["Not in your area: Sentra Tapin."]}
    assert not Programme.objects.exists()


def test_save_programme_refuses_centres_outside_the_offices_region(admin_user, banjar, tapin):
    errors = refused(
        save_programme,
        actor=admin_user,
        programme=unsaved(owner_region_id="63.03"),
        centres=[banjar, tapin],
    )
    assert errors == {"centres": ["Outside the office's region: Sentra Tapin."]}
    assert not Programme.objects.exists()


def test_save_programme_runs_the_model_validation(operator):
    errors = refused(
        save_programme, actor=operator, programme=unsaved(name="", year_start=1999), centres=[]
    )
    assert {"name", "year_start"} <= set(errors)
    assert "created_by" not in errors
    assert not Programme.objects.exists()


def test_save_programme_refused_edit_leaves_the_row_and_centres_unchanged(operator, banjar):
    programme = make_programme(actor=operator, centres=[banjar], name="Asli")
    history = programme.history.count()
    programme.name = "Diubah"
    programme.year_end = programme.year_start - 1
    refused(save_programme, actor=operator, programme=programme, centres=[])
    stored = Programme.objects.get(pk=programme.pk)
    assert (stored.name, stored.year_end) == ("Asli", 2026)
    assert list(stored.centres.all()) == [banjar]
    assert stored.history.count() == history


# --- save_activity -------------------------------------------------------------------------


@pytest.fixture
def programme(operator, banjar):
    return make_programme(actor=operator, centres=[banjar])


def activity_for(programme, **fields) -> Activity:
    values = {
        "programme": programme,
        "kind": "training",
        "title": "Bimtek pewarnaan",
        "starts_on": datetime.date(2026, 3, 2),
        "ends_on": datetime.date(2026, 3, 3),
    }
    values.update(fields)
    return Activity(**values)


def test_save_activity_creates_it_with_its_participants_and_creator(operator, programme, banjar):
    unit = EnterpriseFactory(centre=banjar)
    activity = save_activity(
        actor=operator,
        activity=activity_for(programme, focus=["image"], participants_male=3),
        centres=[banjar],
        enterprises=[unit],
    )
    stored = Activity.objects.get(pk=activity.pk)
    assert stored.programme == programme
    assert stored.created_by == operator
    assert (stored.focus, stored.participants_male) == (["image"], 3)
    assert list(stored.centres.all()) == [banjar]
    assert list(stored.enterprises.all()) == [unit]
    assert stored.history.last().history_type == "+"
    latest = stored.history.first()
    assert [row.centre_id for row in latest.centres.all()] == [banjar.pk]
    assert [row.enterprise_id for row in latest.enterprises.all()] == [unit.pk]


def test_save_activity_may_have_no_participating_centres(operator, programme):
    activity = save_activity(
        actor=operator, activity=activity_for(programme), centres=[], enterprises=[]
    )
    assert not activity.centres.exists()
    assert not activity.enterprises.exists()


def test_save_activity_on_a_single_day(operator, programme):
    day = datetime.date(2026, 5, 1)
    activity = save_activity(
        actor=operator,
        activity=activity_for(programme, starts_on=day, ends_on=day),
        centres=[],
        enterprises=[],
    )
    assert (activity.starts_on, activity.ends_on) == (day, day)


def test_save_activity_edit_keeps_the_creator_and_replaces_participants(
    operator, admin_user, programme, banjar
):
    unit = EnterpriseFactory(centre=banjar)
    activity = make_activity(
        actor=operator, programme=programme, centres=[banjar], enterprises=[unit]
    )
    activity.title = "Bimtek pewarnaan alami"
    save_activity(actor=admin_user, activity=activity, centres=[], enterprises=[])
    stored = Activity.objects.get(pk=activity.pk)
    assert stored.created_by == operator
    assert stored.title == "Bimtek pewarnaan alami"
    assert not stored.centres.exists()
    assert not stored.enterprises.exists()
    assert stored.history.first().history_type == "~"


def test_save_activity_refuses_an_end_before_the_start(operator, programme):
    errors = refused(
        save_activity,
        actor=operator,
        activity=activity_for(
            programme, starts_on=datetime.date(2026, 3, 3), ends_on=datetime.date(2026, 3, 2)
        ),
        centres=[],
        enterprises=[],
    )
    assert errors == {"ends_on": ["The activity cannot end before it starts."]}
    assert not Activity.objects.exists()


def test_save_activity_refuses_an_unknown_focus(operator, programme):
    errors = refused(
        save_activity,
        actor=operator,
        activity=activity_for(programme, focus=["image", "nonsense"]),
        centres=[],
        enterprises=[],
    )
    assert errors == {"focus": ["Unknown choice: nonsense."]}
    assert not Activity.objects.exists()


def test_save_activity_refuses_a_centre_the_programme_does_not_target(operator, programme, banjar):
    stranger = CentreFactory(region_id="63.03.02", name="Sentra Purun")
    errors = refused(
        save_activity,
        actor=operator,
        activity=activity_for(programme),
        centres=[banjar, stranger],
        enterprises=[],
    )
    assert errors == {"centres": ["Not a target sentra of this programme: Sentra Purun."]}
    assert not Activity.objects.exists()


def test_save_activity_refuses_a_unit_of_a_centre_not_taking_part(operator, banjar):
    second = CentreFactory(region_id="63.03.02")
    programme = make_programme(actor=operator, centres=[banjar, second])
    loose = EnterpriseFactory(centre=second, name="UD Kertak Hanyar")
    errors = refused(
        save_activity,
        actor=operator,
        activity=activity_for(programme),
        centres=[banjar],
        enterprises=[loose],
    )
    assert errors == {
        "enterprises": [
            "These IKM units belong to a sentra that is not taking part: UD Kertak Hanyar."
        ]
    }
    assert not Activity.objects.exists()


def test_save_activity_runs_the_model_validation(operator, programme):
    errors = refused(
        save_activity,
        actor=operator,
        activity=activity_for(programme, title="", kind="juggling"),
        centres=[],
        enterprises=[],
    )
    assert {"title", "kind"} <= set(errors)
    assert "created_by" not in errors
    assert not Activity.objects.exists()


def test_save_activity_refused_edit_leaves_the_row_and_participants_unchanged(
    operator, programme, banjar
):
    activity = make_activity(actor=operator, programme=programme, centres=[banjar], title="Asli")
    history = activity.history.count()
    activity.title = "Diubah"
    activity.focus = ["nonsense"]
    refused(save_activity, actor=operator, activity=activity, centres=[], enterprises=[])
    stored = Activity.objects.get(pk=activity.pk)
    assert stored.title == "Asli"
    assert stored.focus == []
    assert list(stored.centres.all()) == [banjar]
    assert stored.history.count() == history
