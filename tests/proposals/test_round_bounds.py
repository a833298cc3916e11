"""Issue 23: a round nobody can comply with is refused, on the screen and over the API."""

import pytest
from django.urls import reverse

from ovop.proposals.models import Round
from tests.factories import make_cycle, make_round


def body(cycle, **overrides) -> dict:
    values = {
        "cycle": cycle.pk,
        "province": "63",
        "opens_at": "2026-12-01T08:00:00+08:00",
        "deadline": "2026-12-31T16:00:00+08:00",
        "min_per_regency": 2,
    }
    values.update(overrides)
    return values


@pytest.mark.parametrize(
    ("overrides", "field", "english"),
    [
        ({"min_per_regency": 5, "max_per_regency": 1}, "max_per_regency", "below the minimum"),
        ({"opens_at": "2027-01-10T08:00:00+08:00"}, "deadline", "after the opening"),
        ({"min_per_regency": 1000}, "min_per_regency", "less than or equal to 100"),
        ({"max_per_regency": 0}, "max_per_regency", "greater than or equal to 1"),
    ],
)
def test_api_refuses_a_round_nobody_can_comply_with(
    api_client, verifier, overrides, field, english
):
    cycle = make_cycle()
    api_client.force_authenticate(verifier)
    response = api_client.post(
        "/api/v1/rounds/", body(cycle, **overrides), format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400, response.json()
    assert english in response.json()[field][0]
    assert not Round.objects.exists()


def test_api_refusal_is_in_indonesian_by_default(api_client, verifier):
    cycle = make_cycle()
    api_client.force_authenticate(verifier)
    response = api_client.post(
        "/api/v1/rounds/", body(cycle, min_per_regency=5, max_per_regency=1), format="json"
    )
    assert response.status_code == 400
    assert "minimum" in response.json()["max_per_regency"][0]
    assert "below" not in response.json()["max_per_regency"][0]


def test_api_update_cannot_make_the_quota_impossible(api_client, verifier):
    round_ = make_round()
    api_client.force_authenticate(verifier)
    url = f"/api/v1/rounds/{round_.pk}/"
    response = api_client.patch(url, {"max_per_regency": 1, "min_per_regency": 5}, format="json")
    assert response.status_code == 400
    assert "max_per_regency" in response.json()
    # Only the maximum sent: checked against the stored minimum.
    response = api_client.patch(url, {"max_per_regency": 1}, format="json")
    assert response.status_code == 400
    assert "max_per_regency" in response.json()
    response = api_client.patch(
        url,
        {"deadline": round_.opens_at.replace(year=round_.opens_at.year - 1).isoformat()},
        format="json",
    )
    assert response.status_code == 400
    assert "deadline" in response.json()
    round_.refresh_from_db()
    assert (round_.min_per_regency, round_.max_per_regency) == (2, None)


def test_api_accepts_a_sensible_quota(api_client, verifier):
    cycle = make_cycle()
    api_client.force_authenticate(verifier)
    response = api_client.post(
        "/api/v1/rounds/", body(cycle, min_per_regency=2, max_per_regency=4), format="json"
    )
    assert response.status_code == 201, response.json()
    assert (response.json()["min_per_regency"], response.json()["max_per_regency"]) == (2, 4)


def test_screen_refuses_a_maximum_below_the_minimum(client, verifier):
    cycle = make_cycle()
    client.force_login(verifier)
    url = reverse("proposals:round_create", kwargs={"cycle_pk": cycle.pk})
    data = {
        "opens_at": "2026-12-01T08:00",
        "deadline": "2026-12-31T23:59",
        "min_per_regency": "5",
        "max_per_regency": "1",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "max_per_regency" in response.context["form"].errors
    assert not Round.objects.exists()
