"""Issue 23: programme and activity names and figures are bounded on the API (400 by field)."""

import pytest

from ovop.coaching.models import Activity, Programme
from tests.coaching.test_api_programmes import ACTIVITIES, PROGRAMMES, activity_body, two_centres

__all__ = ["two_centres"]  # the fixture, used below


@pytest.fixture
def as_operator(api_client, world):
    api_client.force_authenticate(world["operator"])
    return api_client


def programme_body(**overrides) -> dict:
    body = {"name": "Klinik kemasan", "year_start": 2026, "budget": 50_000_000}
    body.update(overrides)
    return body


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", "Klinik\u202e kemasan"),
        ("name", "Klinik\u200b kemasan"),
        ("budget", 10**30),
        ("budget", 10**15),
        ("year_start", 10**6),
        ("description", "x" * 1_000_000),
        ("focus", ["image"] * 10_000),
    ],
)
def test_programme_out_of_bounds_is_400(as_operator, world, field, value):
    response = as_operator.post(
        PROGRAMMES, programme_body(**{field: value}), format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not Programme.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", "Pameran\u2066 Banjarbaru"),
        ("place", "Banjar\ufeffbaru"),
        ("participants_male", 10**7),
        ("participants_female", 10**12),
        ("cost", 10**15),
        ("outcome", "x" * 1_000_000),
    ],
)
def test_activity_out_of_bounds_is_400(as_operator, two_centres, field, value):
    programme, _banjar, _second = two_centres
    response = as_operator.post(
        ACTIVITIES, activity_body(programme, **{field: value}), format="json"
    )
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not Activity.objects.exists()
