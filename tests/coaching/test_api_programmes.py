"""/api/v1/programmes/ and /api/v1/activities/: scoping, writes through the services."""

import pytest

from ovop.coaching.models import Activity, Programme
from tests.coaching.programmes_builders import (
    banjar_activity,
    banjar_programme,
    make_activity,
    make_evidence,
    make_programme,
    publish_stars,
    tapin_programme,
)
from tests.factories import CentreFactory, EnterpriseFactory

PROGRAMMES = "/api/v1/programmes/"
ACTIVITIES = "/api/v1/activities/"


@pytest.fixture
def as_user(api_client):
    def login(user):
        api_client.force_authenticate(user)
        return api_client

    return login


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


# --- programmes ----------------------------------------------------------------------------


def test_programme_list_is_scoped(as_user, world):
    banjar, tapin = banjar_programme(world), tapin_programme(world)
    assert ids(as_user(world["operator"]).get(PROGRAMMES)) == {banjar.pk}
    assert ids(as_user(world["verifier"]).get(PROGRAMMES)) == {banjar.pk, tapin.pk}
    assert ids(as_user(world["operator_neighbour"]).get(PROGRAMMES)) == set()
    assert ids(as_user(world["verifier_other"]).get(PROGRAMMES)) == set()
    assert ids(as_user(world["admin"]).get(PROGRAMMES)) == {banjar.pk, tapin.pk}


def test_programme_api_answers_401_without_credentials(api_client, world):
    assert api_client.get(PROGRAMMES).status_code == 401
    assert api_client.get(ACTIVITIES).status_code == 401


def test_programme_detail_has_the_public_fields(as_user, world):
    programme = banjar_programme(world)
    banjar_activity(world)
    body = as_user(world["operator"]).get(f"{PROGRAMMES}{programme.pk}/").json()
    assert set(body) == {
        "id",
        "name",
        "owner_level",
        "owner_region",
        "year_start",
        "year_end",
        "budget",
        "focus",
        "principles",
        "description",
        "centres",
        "activity_count",
    }
    assert body["owner_region"] == "63.03"
    assert body["centres"] == [world["centre_banjar"].pk]
    assert body["activity_count"] == 1


def test_programme_filters_by_centre_and_year(as_user, world):
    banjar = banjar_programme(world)
    later = make_programme(
        actor=world["operator"], name="Program 2028", year_start=2028, year_end=2029
    )
    client = as_user(world["admin"])
    assert ids(client.get(PROGRAMMES, {"centre": world["centre_banjar"].pk})) == {banjar.pk}
    assert ids(client.get(PROGRAMMES, {"year": 2029})) == {later.pk}
    assert client.get(PROGRAMMES, {"year": "soon"}).status_code == 400


def test_operator_creates_a_programme_run_by_their_office(as_user, world):
    response = as_user(world["operator"]).post(
        PROGRAMMES,
        {
            "name": "Klinik kemasan",
            "year_start": 2026,
            "budget": 50_000_000,
            "focus": ["image"],
            "principles": ["self_reliance"],
            "centres": [world["centre_banjar"].pk],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["owner_level"], body["owner_region"], body["year_end"]) == (
        "regency",
        "63.03",
        2026,
    )
    assert body["activity_count"] == 0
    assert Programme.objects.get().created_by == world["operator"]


def test_admin_programme_owner_defaults_from_the_centres_stars(as_user, world):
    publish_stars(proposal=world["proposal_banjar"], stars=3, by=world["admin"])
    response = as_user(world["admin"]).post(
        PROGRAMMES,
        {
            "name": "Pendampingan provinsi",
            "year_start": 2026,
            "centres": [world["centre_banjar"].pk],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert (response.json()["owner_level"], response.json()["owner_region"]) == ("province", "63")


def test_programme_validation_errors_are_400_by_field(as_user, world):
    client = as_user(world["admin"])
    backwards = client.post(
        PROGRAMMES,
        {"name": "X", "owner_level": "ministry", "year_start": 2027, "year_end": 2026},
        format="json",
    )
    assert backwards.status_code == 400
    assert list(backwards.json()) == ["year_end"]
    foreign = client.post(
        PROGRAMMES,
        {
            "name": "X",
            "owner_level": "regency",
            "owner_region": "63.03",
            "year_start": 2026,
            "centres": [world["centre_tapin"].pk],
        },
        format="json",
    )
    assert foreign.status_code == 400
    assert "centres" in foreign.json()
    unseen = as_user(world["operator"]).post(
        PROGRAMMES,
        {
            "name": "X",
            "year_start": 2026,
            "centres": [world["centre_tapin"].pk],
        },
        format="json",
    )
    assert unseen.status_code == 400
    assert "centres" in unseen.json()
    assert not Programme.objects.exists()


def test_verifier_may_not_run_another_offices_programme(as_user, world):
    response = as_user(world["verifier"]).post(
        PROGRAMMES,
        {
            "name": "X",
            "owner_level": "regency",
            "owner_region": "63.03",
            "year_start": 2026,
        },
        format="json",
    )
    assert response.status_code == 400
    assert "owner_region" in response.json()


def test_viewer_may_not_create_programmes(as_user, world):
    response = as_user(world["viewer"]).post(
        PROGRAMMES, {"name": "X", "year_start": 2026}, format="json"
    )
    assert response.status_code == 403


def test_programme_patch_scoping(as_user, world):
    programme = banjar_programme(world)
    detail = f"{PROGRAMMES}{programme.pk}/"
    assert (
        as_user(world["operator_neighbour"]).patch(detail, {"name": "X"}, format="json").status_code
        == 404
    )
    assert as_user(world["verifier"]).patch(detail, {"name": "X"}, format="json").status_code == 403
    # Refused before the body is read: invalid data changes nothing about the answer.
    assert (
        as_user(world["verifier"]).patch(detail, {"year_end": "soon"}, format="json").status_code
        == 403
    )
    response = as_user(world["operator"]).patch(
        detail, {"name": "Pembinaan baru", "budget": 9_000_000}, format="json"
    )
    assert response.status_code == 200, response.json()
    programme.refresh_from_db()
    assert (programme.name, programme.budget) == ("Pembinaan baru", 9_000_000)
    assert list(programme.centres.all()) == [world["centre_banjar"]]  # untouched
    assert (
        as_user(world["admin"]).patch(detail, {"year_end": 2020}, format="json").status_code == 400
    )


def test_programme_put_is_not_offered(as_user, world):
    programme = banjar_programme(world)
    response = as_user(world["operator"]).put(f"{PROGRAMMES}{programme.pk}/", {}, format="json")
    assert response.status_code == 405


def test_programme_delete_only_without_activities(as_user, world):
    programme = banjar_programme(world)
    activity = banjar_activity(world)
    detail = f"{PROGRAMMES}{programme.pk}/"
    assert as_user(world["verifier"]).delete(detail).status_code == 403
    assert as_user(world["operator"]).delete(detail).status_code == 409
    activity.delete()
    assert as_user(world["operator"]).delete(detail).status_code == 204
    assert not Programme.objects.exists()


def test_programme_list_queries_do_not_grow_with_rows(
    as_user, world, django_assert_max_num_queries
):
    client = as_user(world["verifier"])
    banjar_programme(world)
    with django_assert_max_num_queries(8) as one:
        assert client.get(PROGRAMMES).status_code == 200
    for number in range(25):
        centre = CentreFactory(region_id="63.03.01")
        programme = make_programme(
            actor=world["admin"], name=f"P{number}", centres=[centre, world["centre_banjar"]]
        )
        make_activity(actor=world["admin"], programme=programme, centres=[centre])
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(PROGRAMMES)
    assert response.json()["count"] == 26


# --- activities ----------------------------------------------------------------------------


@pytest.fixture
def two_centres(world):
    second = CentreFactory(region_id="63.03.02", name="Sentra Kertak Hanyar")
    EnterpriseFactory(centre=second, name="UD Kertak Hanyar")
    programme = make_programme(
        actor=world["operator"],
        name="Pembinaan dua sentra",
        centres=[world["centre_banjar"], second],
    )
    return programme, world["centre_banjar"], second


def activity_body(programme, **overrides) -> dict:
    body = {
        "programme": programme.pk,
        "kind": "exhibition",
        "title": "Pameran Banjarbaru",
        "starts_on": "2026-05-10",
        "ends_on": "2026-05-12",
        "place": "Banjarbaru",
        "focus": ["market_access"],
        "participants_male": 2,
        "participants_female": 5,
        "cost": 8_000_000,
        "outcome": "Kontrak dengan dua pembeli",
    }
    body.update(overrides)
    return body


def test_operator_creates_an_activity(as_user, world, two_centres):
    programme, banjar, second = two_centres
    units = [world["enterprise_banjar"].pk]
    response = as_user(world["operator"]).post(
        ACTIVITIES,
        activity_body(programme, centres=[banjar.pk, second.pk], enterprises=units),
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert set(body) == {
        "id",
        "programme",
        "kind",
        "title",
        "starts_on",
        "ends_on",
        "place",
        "focus",
        "centres",
        "enterprises",
        "participants_male",
        "participants_female",
        "cost",
        "outcome",
        "evidence",
    }
    assert sorted(body["centres"]) == sorted([banjar.pk, second.pk])
    assert body["enterprises"] == units
    assert body["evidence"] == []
    assert Activity.objects.get().created_by == world["operator"]


def test_activity_centre_outside_the_programme_is_400(as_user, world, two_centres):
    programme, banjar, second = two_centres
    stranger = CentreFactory(region_id="63.03.01", name="Sentra Purun")
    response = as_user(world["operator"]).post(
        ACTIVITIES,
        activity_body(programme, centres=[stranger.pk]),
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert response.json()["centres"] == ["Not a target sentra of this programme: Sentra Purun."]


def test_activity_unit_of_a_non_participating_centre_is_400(as_user, world, two_centres):
    programme, banjar, second = two_centres
    response = as_user(world["operator"]).post(
        ACTIVITIES,
        activity_body(programme, centres=[banjar.pk], enterprises=[second.enterprises.get().pk]),
        format="json",
    )
    assert response.status_code == 400
    assert "enterprises" in response.json()
    assert not Activity.objects.exists()


def test_verifier_may_not_add_activities_to_an_operators_programme(as_user, world):
    programme = banjar_programme(world)
    response = as_user(world["verifier"]).post(ACTIVITIES, activity_body(programme), format="json")
    assert response.status_code == 403
    unseen = as_user(world["operator_neighbour"]).post(
        ACTIVITIES, activity_body(programme), format="json"
    )
    assert unseen.status_code == 400
    assert "programme" in unseen.json()
    assert not Activity.objects.exists()


def test_activity_detail_scoping_and_patch(as_user, world):
    activity = banjar_activity(world)
    detail = f"{ACTIVITIES}{activity.pk}/"
    assert as_user(world["operator_neighbour"]).get(detail).status_code == 404
    assert as_user(world["verifier_other"]).get(detail).status_code == 404
    assert as_user(world["verifier"]).get(detail).status_code == 200
    assert (
        as_user(world["verifier"]).patch(detail, {"title": "X"}, format="json").status_code == 403
    )
    response = as_user(world["operator"]).patch(
        detail, {"title": "Bimtek pewarna alami"}, format="json"
    )
    assert response.status_code == 200
    activity.refresh_from_db()
    assert activity.title == "Bimtek pewarna alami"
    assert list(activity.centres.all()) == [world["centre_banjar"]]


def test_activity_cannot_move_to_another_programme(as_user, world):
    activity = banjar_activity(world)
    other = make_programme(actor=world["operator"], name="Program lain")
    response = as_user(world["operator"]).patch(
        f"{ACTIVITIES}{activity.pk}/", {"programme": other.pk}, format="json"
    )
    assert response.status_code == 400
    assert "programme" in response.json()


def test_activity_lists_its_evidence_with_download_urls(as_user, world):
    activity = banjar_activity(world)
    evidence = make_evidence(activity=activity, actor=world["operator"])
    body = as_user(world["operator"]).get(f"{ACTIVITIES}{activity.pk}/").json()
    assert body["evidence"] == [
        {
            "id": evidence.pk,
            "kind": "attendance",
            "title": "Daftar hadir",
            "url": f"http://testserver/coaching/evidence/{evidence.pk}/",
        }
    ]


def test_activity_filters_by_programme_centre_and_year(as_user, world, two_centres):
    programme, banjar, second = two_centres
    first = make_activity(actor=world["operator"], programme=programme, centres=[banjar])
    both = make_activity(
        actor=world["operator"],
        programme=programme,
        centres=[banjar, second],
        starts_on=__import__("datetime").date(2027, 1, 5),
    )
    other = banjar_activity(world)
    client = as_user(world["operator"])
    assert ids(client.get(ACTIVITIES, {"programme": programme.pk})) == {first.pk, both.pk}
    assert ids(client.get(ACTIVITIES, {"centre": second.pk})) == {both.pk}
    assert ids(client.get(ACTIVITIES, {"year": 2026})) == {first.pk, other.pk}
    assert client.get(ACTIVITIES, {"centre": "x"}).status_code == 400


def test_activity_delete(as_user, world):
    activity = banjar_activity(world)
    detail = f"{ACTIVITIES}{activity.pk}/"
    assert as_user(world["verifier"]).delete(detail).status_code == 403
    assert as_user(world["operator"]).delete(detail).status_code == 204
    assert not Activity.objects.exists()


def test_activity_list_queries_do_not_grow_with_rows(as_user, world, django_assert_max_num_queries):
    client = as_user(world["admin"])
    activity = banjar_activity(world)
    make_evidence(activity=activity, actor=world["operator"])
    with django_assert_max_num_queries(10) as one:
        assert client.get(ACTIVITIES).status_code == 200
    programme = activity.programme
    for number in range(25):
        extra = make_activity(
            actor=world["operator"],
            programme=programme,
            centres=[world["centre_banjar"]],
            enterprises=[world["enterprise_banjar"]],
            title=f"A{number}",
        )
        make_evidence(activity=extra, actor=world["operator"])
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(ACTIVITIES)
    assert response.json()["count"] == 26
