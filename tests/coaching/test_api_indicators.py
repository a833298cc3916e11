"""``/api/v1/centres/{id}/indicators/``: a centre's yearly figures and their change."""

import pytest
from django.urls import reverse

from ovop.coaching.models import Indicator

pytestmark = pytest.mark.django_db

MINIMUM = {
    "year",
    "capacity_value",
    "production_value",
    "worker_count",
    "market_reach",
    "export_value",
}


def url(centre) -> str:
    return reverse("centre-indicators", kwargs={"pk": centre.pk})


def test_list_gives_rows_by_year_and_kind_and_the_changes(api_client, world):
    centre = world["centre_banjar"]
    Indicator.objects.create(centre=centre, year=2026, kind="target", production_value=300)
    Indicator.objects.create(
        centre=centre,
        year=2026,
        kind="actual",
        production_value=150,
        workers_male=4,
        workers_female=6,
    )
    Indicator.objects.create(
        centre=centre,
        year=2025,
        kind="baseline",
        production_value=100,
        workers_male=5,
        workers_female=5,
        market_reach="local",
    )
    api_client.force_authenticate(world["viewer"])
    response = api_client.get(url(centre))
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    assert [(row["year"], row["kind"]) for row in body["results"]] == [
        (2025, "baseline"),
        (2026, "actual"),
        (2026, "target"),
    ]
    assert body["results"][0].keys() >= MINIMUM
    assert body["results"][1]["worker_count"] == 10
    changes = {change["metric"]: change for change in body["changes"]}
    assert changes["production_value"] == {
        "metric": "production_value",
        "label": changes["production_value"]["label"],
        "baseline": 100.0,
        "latest": 150.0,
        "latest_year": 2026,
        "delta": 50.0,
        "percent": 50.0,
        "target": 300.0,
    }
    assert changes["worker_count"]["delta"] == 0
    assert changes["market_reach_level"]["latest"] is None


def test_post_creates_then_replaces_one_year(api_client, world):
    centre = world["centre_banjar"]
    api_client.force_authenticate(world["operator"])
    payload = {
        "year": 2026,
        "kind": "actual",
        "production_value": 1_500_000_000,
        "capacity_value": "1200.50",
        "capacity_unit": "lembar",
        "workers_male": 3,
        "workers_female": 7,
        "market_reach": "export",
        "export_value": 25_000_000,
        "export_destinations": "Malaysia",
        "sales_channels": ["exporter", "direct"],
    }
    created = api_client.post(url(centre), payload, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["worker_count"] == 10
    assert created.json()["capacity_value"] == "1200.50"
    again = api_client.post(url(centre), {"year": 2026, "export_value": 0}, format="json")
    assert again.status_code == 200
    saved = Indicator.objects.get(centre=centre)
    # The kind defaults to actual; what the second call left out is kept.
    assert (saved.export_value, saved.production_value, saved.market_reach) == (
        0,
        1_500_000_000,
        "export",
    )
    assert saved.sales_channels == ["direct", "exporter"]  # in the list's order


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"year": 2026, "production_value": -1}, "production_value"),
        ({"year": 2026, "capacity_value": "-0.5"}, "capacity_value"),
        ({"year": 1999}, "year"),
        ({"production_value": 5}, "year"),
        ({"year": 2026, "kind": "prediksi"}, "kind"),
        ({"year": 2026, "market_reach": "galaksi"}, "market_reach"),
        ({"year": 2026, "sales_channels": ["tiktok"]}, "sales_channels"),
        ({"year": 2026, "kind": "baseline", "production_value": 5}, "reason"),
    ],
)
def test_post_refuses_invalid_figures(api_client, world, payload, field):
    api_client.force_authenticate(world["operator"])
    response = api_client.post(url(world["centre_banjar"]), payload, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Indicator.objects.exists()


def test_a_second_baseline_in_another_year_is_refused(api_client, world):
    centre = world["centre_banjar"]
    Indicator.objects.create(centre=centre, year=2024, kind="baseline", production_value=9)
    api_client.force_authenticate(world["admin"])
    payload = {"year": 2025, "kind": "baseline", "production_value": 5, "reason": "koreksi"}
    response = api_client.post(url(centre), payload, format="json")
    assert response.status_code == 400
    assert "year" in response.json()
    corrected = api_client.post(url(centre), {**payload, "year": 2024}, format="json")
    assert corrected.status_code == 200
    assert Indicator.objects.get().production_value == 5


@pytest.mark.parametrize(
    ("persona", "status"),
    [("operator_neighbour", 404), ("verifier_other", 404), ("assessor", 404), ("viewer", 403)],
)
def test_post_is_scoped(api_client, world, persona, status):
    api_client.force_authenticate(world[persona])
    response = api_client.post(url(world["centre_banjar"]), {"year": 2026}, format="json")
    assert response.status_code == status
    assert not Indicator.objects.exists()


@pytest.mark.parametrize("persona", ["operator_neighbour", "verifier_other", "assessor"])
def test_list_is_404_for_those_who_cannot_see_the_centre(api_client, world, persona):
    Indicator.objects.create(centre=world["centre_banjar"], year=2026, kind="actual")
    api_client.force_authenticate(world[persona])
    assert api_client.get(url(world["centre_banjar"])).status_code == 404


def test_without_credentials_the_answer_is_401(api_client, world):
    assert api_client.get(url(world["centre_banjar"])).status_code == 401
    assert api_client.post(url(world["centre_banjar"]), {"year": 2026}).status_code == 401


def test_list_queries_do_not_grow_with_rows(api_client, world, django_assert_max_num_queries):
    centre = world["centre_banjar"]
    Indicator.objects.create(centre=centre, year=2020, kind="baseline", production_value=1)
    api_client.force_authenticate(world["operator"])
    with django_assert_max_num_queries(2):
        assert api_client.get(url(centre)).json()["count"] == 1
    for year in range(2021, 2050):
        Indicator.objects.create(centre=centre, year=year, kind="actual", production_value=year)
    with django_assert_max_num_queries(2):
        assert api_client.get(url(centre)).json()["count"] == 30


def test_schema_describes_the_indicators_endpoint(api_client, world):
    response = api_client.get(reverse("api-schema"), {"format": "json"})
    paths = response.json()["paths"]
    operations = paths["/api/v1/centres/{id}/indicators/"]
    assert {"get", "post"} <= operations.keys()
