"""Programme screens: list, form, detail, delete — persona by persona."""

import io

import pytest
import python_calamine
from django.urls import reverse

from ovop.coaching.models import Programme
from tests.coaching.programmes_builders import (
    banjar_programme,
    make_activity,
    make_programme,
    publish_stars,
    tapin_programme,
)
from tests.factories import CentreFactory, make_proposal


@pytest.fixture(autouse=True)
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def url(name: str, **kwargs) -> str:
    return reverse(f"coaching:{name}", kwargs=kwargs)


def form_data(**overrides) -> dict:
    data = {
        "name": "Klinik kemasan sasirangan",
        "owner_level": "regency",
        "owner_region_code": "63.03",
        "year_start": "2026",
        "year_end": "2027",
        "budget": "150000000",
        "focus": ["image", "market_access"],
        "principles": ["local_yet_global"],
        "description": "Desain kemasan baru",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


# --- list ----------------------------------------------------------------------------------


def test_programme_list_shows_only_visible_programmes(client, world):
    banjar_programme(world)
    tapin_programme(world)
    client.force_login(world["operator"])
    page = client.get(url("programme_list")).content.decode()
    assert "Pembinaan Sasirangan Banjar" in page
    assert "Pembinaan Tapin" not in page
    client.force_login(world["admin"])
    page = client.get(url("programme_list")).content.decode()
    assert "Pembinaan Sasirangan Banjar" in page
    assert "Pembinaan Tapin" in page


def test_programme_list_offers_new_programme_only_to_offices(client, world):
    client.force_login(world["operator"])
    assert url("programme_create") in client.get(url("programme_list")).content.decode()
    client.force_login(world["viewer"])
    assert url("programme_create") not in client.get(url("programme_list")).content.decode()


def test_programme_list_filters_by_name_level_year_focus_and_regency(client, world):
    admin = world["admin"]
    make_programme(
        actor=admin,
        centres=[world["centre_banjar"]],
        name="Klinik desain Banjar",
        focus=["image"],
        year_start=2025,
        year_end=2026,
    )
    make_programme(
        actor=admin,
        centres=[world["centre_tapin"]],
        name="Pameran Tapin",
        level="province",
        region="63",
        focus=["market_access"],
        year_start=2027,
        year_end=2027,
    )
    client.force_login(admin)

    def names(**query) -> set[str]:
        response = client.get(url("programme_list"), query)
        return {programme.name for programme in response.context["page"]}

    assert names(q="klinik") == {"Klinik desain Banjar"}
    assert names(owner_level="province") == {"Pameran Tapin"}
    assert names(year="2026") == {"Klinik desain Banjar"}
    assert names(year="2027") == {"Pameran Tapin"}
    assert names(focus="market_access") == {"Pameran Tapin"}
    assert names(focus="image") == {"Klinik desain Banjar"}
    assert names(regency="63.05") == {"Pameran Tapin"}  # by its target sentra
    assert names(regency="63.03") == {"Klinik desain Banjar"}  # by its office
    assert names(focus="nonsense") == {"Klinik desain Banjar", "Pameran Tapin"}


def test_programme_list_exports_csv_and_xlsx_of_the_filtered_rows(client, world):
    programme = banjar_programme(world)
    make_activity(
        actor=world["operator"],
        programme=programme,
        centres=[world["centre_banjar"]],
        cost=2_500_000,
    )
    tapin_programme(world)
    client.force_login(world["operator"])
    response = client.get(url("programme_list"), {"format": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert "Pembinaan Sasirangan Banjar" in text
    assert "Pembinaan Tapin" not in text
    assert "2500000" in text
    response = client.get(url("programme_list"), {"format": "xlsx", "q": "Banjar"})
    book = python_calamine.CalamineWorkbook.from_filelike(
        io.BytesIO(b"".join(response.streaming_content))
    )
    rows = book.get_sheet_by_index(0).to_python()
    assert rows[1][1] == "Pembinaan Sasirangan Banjar"
    assert len(rows) == 2


def test_programme_list_queries_do_not_grow_with_rows(client, world, django_assert_max_num_queries):
    client.force_login(world["verifier"])
    banjar_programme(world)
    with django_assert_max_num_queries(12) as one:
        assert client.get(url("programme_list")).status_code == 200
    for number in range(30):
        centre = CentreFactory(region_id="63.03.01")
        programme = make_programme(
            actor=world["admin"],
            centres=[centre, world["centre_banjar"]],
            name=f"Program {number}",
            budget=10_000_000,
        )
        make_activity(actor=world["admin"], programme=programme, centres=[centre], cost=1000)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(url("programme_list"))
    assert len(response.context["page"]) == 31


# --- create and edit -----------------------------------------------------------------------


def test_operator_creates_a_programme_for_their_regency(client, world):
    client.force_login(world["operator"])
    data = form_data(
        owner_level="ministry", owner_region_code="63", centres=[world["centre_banjar"].pk]
    )  # disabled fields ignore these
    response = client.post(url("programme_create"), data)
    programme = Programme.objects.get(name="Klinik kemasan sasirangan")
    assert response.status_code == 302
    assert response["Location"] == url("programme_detail", pk=programme.pk)
    assert (programme.owner_level, programme.owner_region_id) == ("regency", "63.03")
    assert programme.focus == ["image", "market_access"]
    assert programme.budget == 150_000_000
    assert list(programme.centres.all()) == [world["centre_banjar"]]
    assert programme.created_by == world["operator"]


def test_new_programme_defaults_to_the_users_own_level(client, world):
    expected = {
        "operator": ("regency", "63.03"),
        "verifier": ("province", "63"),
        "admin": ("ministry", ""),
    }
    for persona, (level, region) in expected.items():
        client.force_login(world[persona])
        form = client.get(url("programme_create")).context["form"]
        assert form["owner_level"].value() == level, persona
        assert (form["owner_region_code"].value() or "") == region, persona
    assert (
        client.get(url("programme_create")).context["form"].fields["owner_level"].disabled is False
    )


@pytest.mark.parametrize(
    ("stars", "level", "region"),
    [
        (5, "ministry", ""),
        (4, "ministry", ""),
        (3, "province", "63"),
        (2, "regency", "63.03"),
        (None, "regency", "63.03"),
    ],
)
def test_admin_programme_from_a_centre_defaults_owner_from_its_stars(
    client, world, stars, level, region
):
    if stars is not None:
        publish_stars(proposal=world["proposal_banjar"], stars=stars, by=world["admin"])
    client.force_login(world["admin"])
    response = client.get(url("programme_create"), {"centre": world["centre_banjar"].pk})
    form = response.context["form"]
    assert form["owner_level"].value() == level
    assert (form["owner_region_code"].value() or "") == region
    assert form["centres"].value() == [world["centre_banjar"].pk]
    assert f'id="centre-choice-{world["centre_banjar"].pk}"' in response.content.decode()


def test_operator_programme_from_a_starred_centre_shows_the_suggested_level(client, world):
    publish_stars(proposal=world["proposal_banjar"], stars=4, by=world["admin"])
    client.force_login(world["operator"])
    response = client.get(url("programme_create"), {"centre": world["centre_banjar"].pk})
    assert response.context["form"]["owner_level"].value() == "regency"
    assert response.context["suggestion"] == "Ministry (Kemenperin)"
    assert 'id="owner-suggestion"' in response.content.decode()


def test_programme_from_a_centre_the_user_cannot_see_is_404(client, world):
    client.force_login(world["operator"])
    response = client.get(url("programme_create"), {"centre": world["centre_tapin"].pk})
    assert response.status_code == 404


def test_programme_create_is_403_for_viewers_and_assessors(client, world):
    for persona in ("viewer", "assessor"):
        client.force_login(world[persona])
        assert client.get(url("programme_create")).status_code == 403
        assert client.post(url("programme_create"), form_data()).status_code == 403
    assert not Programme.objects.exists()


def test_programme_years_must_not_run_backwards(client, world):
    client.force_login(world["operator"])
    response = client.post(url("programme_create"), form_data(year_start="2027", year_end="2026"))
    assert response.status_code == 200
    assert response.context["form"].errors["year_end"] == [
        "The last year cannot come before the first."
    ]
    assert not Programme.objects.exists()


def test_admin_programme_region_must_match_its_level(client, world):
    client.force_login(world["admin"])
    response = client.post(
        url("programme_create"), form_data(owner_level="province", owner_region_code="63.03")
    )
    assert "owner_region_code" in response.context["form"].errors
    response = client.post(
        url("programme_create"), form_data(owner_level="regency", owner_region_code="99.99")
    )
    assert response.context["form"].errors["owner_region_code"] == [
        "Unknown province or kab/kota code 99.99."
    ]
    response = client.post(
        url("programme_create"), form_data(owner_level="ministry", owner_region_code="63")
    )
    assert response.context["form"].errors["owner_region_code"] == [
        "A ministry programme has no region."
    ]
    assert not Programme.objects.exists()


def test_programme_target_centres_must_lie_in_the_office_region(client, world):
    client.force_login(world["admin"])
    response = client.post(url("programme_create"), form_data(centres=[world["centre_tapin"].pk]))
    errors = response.context["form"].errors["centres"]
    assert errors == ["Outside the office's region: Sentra Tapin."]
    assert 'class="field-error"' in response.content.decode()  # beside the field
    assert not Programme.objects.exists()


def test_operator_cannot_target_a_centre_outside_their_area(client, world):
    client.force_login(world["operator"])
    response = client.post(url("programme_create"), form_data(centres=[world["centre_tapin"].pk]))
    assert "centres" in response.context["form"].errors
    assert not Programme.objects.exists()


def test_operator_edits_their_programme_and_history_names_the_centres(client, world):
    programme = banjar_programme(world)
    second = CentreFactory(region_id="63.03.02", name="Sentra Sasirangan Kertak Hanyar")
    client.force_login(world["operator"])
    data = form_data(
        name="Pembinaan Sasirangan Banjar", centres=[world["centre_banjar"].pk, second.pk]
    )
    response = client.post(url("programme_edit", pk=programme.pk), data)
    assert response.status_code == 302
    programme.refresh_from_db()
    assert set(programme.centres.all()) == {world["centre_banjar"], second}
    assert programme.year_end == 2027
    page = client.get(url("programme_detail", pk=programme.pk))
    changes = [change for entry in page.context["history"] for change in entry.changes]
    assert any(
        "Kertak Hanyar" in str(change.new) and change.field == "target sentra" for change in changes
    )


def test_verifier_sees_but_may_not_edit_an_operators_programme(client, world):
    programme = banjar_programme(world)
    client.force_login(world["verifier"])
    assert client.get(url("programme_detail", pk=programme.pk)).status_code == 200
    assert client.get(url("programme_edit", pk=programme.pk)).status_code == 403
    response = client.post(url("programme_edit", pk=programme.pk), form_data())
    assert response.status_code == 403
    programme.refresh_from_db()
    assert programme.name == "Pembinaan Sasirangan Banjar"


def test_operator_of_another_regency_does_not_see_the_programme(client, world):
    programme = tapin_programme(world)
    client.force_login(world["operator"])
    for name in ("programme_detail", "programme_edit"):
        assert client.get(url(name, pk=programme.pk)).status_code == 404
    assert client.post(url("programme_delete", pk=programme.pk)).status_code == 404
    assert Programme.objects.filter(pk=programme.pk).exists()


def test_admin_sees_and_edits_every_programme(client, world):
    programme = tapin_programme(world)
    client.force_login(world["admin"])
    assert client.get(url("programme_detail", pk=programme.pk)).status_code == 200
    assert client.get(url("programme_edit", pk=programme.pk)).status_code == 200


def test_target_centre_choices_search_within_the_office_region(client, world):
    CentreFactory(region_id="63.03.02", name="Sentra Purun Banjar")
    client.force_login(world["operator"])
    response = client.get(url("programme_centre_choices"), {"centre_q": "purun"})
    names = [option["centre"].name for option in response.context["options"]]
    assert names == ["Sentra Purun Banjar"]
    response = client.get(
        url("programme_centre_choices"), {"centre_q": "tapin", "owner_region_code": "63.05"}
    )
    assert response.context["options"] == []  # not in their area, whatever they ask
    response = client.get(
        url("programme_centre_choices"),
        {"centre_q": "purun", "centres": [world["centre_banjar"].pk]},
    )
    checked = [(o["centre"].name, o["checked"]) for o in response.context["options"]]
    assert checked == [("Sentra Banjar", True), ("Sentra Purun Banjar", False)]


def test_target_centre_choices_are_limited_and_say_so(client, world):
    for number in range(55):
        CentreFactory(region_id="63.03.01", name=f"Sentra Anyaman {number:02d}")
    client.force_login(world["operator"])
    response = client.get(url("programme_centre_choices"), {"centre_q": "anyaman"})
    assert len(response.context["options"]) == 50
    assert response.context["truncated"] is True


# --- detail and delete ---------------------------------------------------------------------


def test_programme_detail_shows_activities_and_cost_against_the_budget(client, world):
    programme = make_programme(
        actor=world["operator"], centres=[world["centre_banjar"]], budget=10_000_000
    )
    make_activity(
        actor=world["operator"],
        programme=programme,
        centres=[world["centre_banjar"]],
        cost=4_000_000,
        participants_male=3,
        participants_female=9,
        title="Klinik kemasan",
    )
    make_activity(
        actor=world["operator"], programme=programme, cost=7_500_000, title="Pameran Banjarbaru"
    )
    client.force_login(world["operator"])
    response = client.get(url("programme_detail", pk=programme.pk))
    page = response.content.decode()
    assert response.context["spent"] == 11_500_000
    assert response.context["remaining"] == -1_500_000
    assert "Klinik kemasan" in page
    assert "Pameran Banjarbaru" in page
    assert "over budget" in page
    assert reverse("centres:detail", kwargs={"pk": world["centre_banjar"].pk}) in page
    assert url("activity_create", programme_pk=programme.pk) in page


def test_programme_detail_queries_do_not_grow_with_activities(
    client, world, django_assert_max_num_queries
):
    programme = banjar_programme(world)
    make_activity(actor=world["operator"], programme=programme, centres=[world["centre_banjar"]])
    client.force_login(world["operator"])
    with django_assert_max_num_queries(40) as one:
        assert client.get(url("programme_detail", pk=programme.pk)).status_code == 200
    for number in range(20):
        make_activity(
            actor=world["operator"],
            programme=programme,
            centres=[world["centre_banjar"]],
            title=f"Pendampingan {number}",
        )
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(url("programme_detail", pk=programme.pk))
    assert len(response.context["activities"]) == 21


def test_programme_delete_only_without_activities(client, world):
    programme = banjar_programme(world)
    activity = make_activity(actor=world["operator"], programme=programme)
    client.force_login(world["operator"])
    response = client.post(url("programme_delete", pk=programme.pk), follow=True)
    assert Programme.objects.filter(pk=programme.pk).exists()
    assert "has activities" in response.content.decode()
    activity.delete()
    response = client.post(url("programme_delete", pk=programme.pk))
    assert response.status_code == 302
    assert response["Location"] == url("programme_list")
    assert not Programme.objects.filter(pk=programme.pk).exists()


def test_programme_delete_is_403_for_the_verifier_and_post_only(client, world):
    programme = banjar_programme(world)
    client.force_login(world["verifier"])
    assert client.post(url("programme_delete", pk=programme.pk)).status_code == 403
    client.force_login(world["operator"])
    assert client.get(url("programme_delete", pk=programme.pk)).status_code == 405
    assert Programme.objects.filter(pk=programme.pk).exists()


def test_tapin_proposal_does_not_leak_into_banjar_defaults(client, world):
    # A 5-star Tapin sentra must not raise the level of a programme for Banjar alone.
    tapin_proposal = make_proposal(round_=world["round"], centre=world["centre_tapin"])
    publish_stars(proposal=tapin_proposal, stars=5, by=world["admin"])
    client.force_login(world["admin"])
    response = client.get(url("programme_create"), {"centre": world["centre_banjar"].pk})
    assert response.context["form"]["owner_level"].value() == "regency"
