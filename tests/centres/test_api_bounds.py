"""Issue 23: the centres API refuses hidden characters, absurd numbers and malformed channels
with a 400 naming the field, in the reader's language, and never answers 500."""

import pytest

from ovop.centres.models import Centre, Enterprise
from tests.centres.test_api import new_centre
from tests.factories import CentreFactory, EnterpriseFactory

HIDDEN = ["\u200b", "\u202e", "\u2067", "\ufeff", "\x07"]


@pytest.fixture
def as_operator(api_client, operator):
    api_client.force_authenticate(operator)
    return api_client


def post_centre(client, language="en", **overrides):
    return client.post(
        "/api/v1/centres/",
        new_centre(**overrides),
        format="json",
        HTTP_ACCEPT_LANGUAGE=language,
    )


@pytest.mark.parametrize("field", ["name", "main_product", "decree_signer", "capacity_unit"])
@pytest.mark.parametrize("character", HIDDEN)
def test_centre_name_fields_refuse_hidden_characters(as_operator, field, character):
    response = post_centre(as_operator, **{field: f"Sentra{character} Purun"})
    assert response.status_code == 400, response.json()
    assert "invisible or control character" in response.json()[field][0]
    assert not Centre.objects.exists()


def test_hidden_character_message_is_indonesian_by_default(as_operator):
    response = post_centre(as_operator, language="id", name="Sentra\u202e Purun")
    assert response.status_code == 400
    assert "karakter tak terlihat" in response.json()["name"][0]
    assert "U+202E" in response.json()["name"][0]


def test_multi_line_fields_keep_line_breaks_but_refuse_bidi_overrides(as_operator):
    assert post_centre(as_operator, address="Jl. Purun\nKampung Melayu").status_code == 201
    response = post_centre(as_operator, name="Sentra Lain", address="Jl.\u202e Purun")
    assert response.status_code == 400
    assert "address" in response.json()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("production_value", 10**30),
        ("production_value", 10**15),
        ("production_value", -1),
        ("investment_value", 10**15),
        ("capacity_value", "1e27"),
        ("capacity_value", "-5"),
        ("latitude", "1e30"),
        ("latitude", "45"),
        ("latitude", "-91"),
        ("longitude", "200"),
        ("longitude", "12"),
        ("workers_male", 10**7),
        ("workers_female", 10**12),
        ("unit_count", 10**6),
        ("local_material_share", 101),
    ],
)
def test_centre_numbers_out_of_range_are_400(as_operator, field, value):
    response = post_centre(as_operator, **{field: value})
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not Centre.objects.exists()


def test_centre_numbers_at_the_limits_are_accepted(as_operator):
    response = post_centre(
        as_operator,
        production_value=100_000_000_000_000,
        capacity_value="999999999999.99",
        latitude="6.5",
        longitude="141.5",
        workers_male=1_000_000,
    )
    assert response.status_code == 201, response.json()


def test_long_address_is_refused(as_operator):
    response = post_centre(as_operator, address="x" * 1_000_000)
    assert response.status_code == 400
    assert "address" in response.json()


# --- Enterprises ---------------------------------------------------------------------------


def enterprise_body(centre, **overrides) -> dict:
    body = {"centre": centre.pk, "name": "UD Purun Jaya", "owner": "Siti", "worker_count": 3}
    body.update(overrides)
    return body


def test_multipart_sales_channels_null_is_400_not_500(as_operator):
    centre = CentreFactory()
    response = as_operator.post(
        "/api/v1/enterprises/",
        enterprise_body(centre, sales_channels="null"),
        format="multipart",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400, response.content
    assert "sales_channels" in response.json()
    assert not Enterprise.objects.exists()


@pytest.mark.parametrize(
    "channels",
    [None, "direct", ["direct"] * 10_000, ["teleport"], [{"a": 1}], {"direct": True}],
)
def test_json_sales_channels_must_be_a_short_list_of_known_codes(as_operator, channels):
    centre = CentreFactory()
    response = as_operator.post(
        "/api/v1/enterprises/",
        enterprise_body(centre, sales_channels=channels),
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400, response.content
    assert "sales_channels" in response.json()


def test_known_sales_channels_are_stored(as_operator):
    centre = CentreFactory()
    response = as_operator.post(
        "/api/v1/enterprises/",
        enterprise_body(centre, sales_channels=["direct", "marketplace"]),
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert Enterprise.objects.get().sales_channels == ["direct", "marketplace"]


@pytest.mark.parametrize("field", ["name", "owner", "markets", "export_destinations"])
def test_enterprise_name_fields_refuse_hidden_characters(as_operator, field):
    centre = CentreFactory()
    response = as_operator.post(
        "/api/v1/enterprises/",
        enterprise_body(centre, **{field: "UD\u200b Purun"}),
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert field in response.json()


def test_certificate_number_refuses_hidden_characters(as_operator):
    centre = CentreFactory()
    body = enterprise_body(centre, certificates=[{"kind": "halal", "number": "ID\u202e63"}])
    response = as_operator.post("/api/v1/enterprises/", body, format="json")
    assert response.status_code == 400
    assert "certificates" in response.json()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("worker_count", 10**7),
        ("investment_value", 10**15),
        ("capacity_installed", "1e27"),
        ("capacity_realised", "-1"),
        ("founded_year", 1800),
        ("founded_year", 3000),
    ],
)
def test_enterprise_numbers_out_of_range_are_400(as_operator, field, value):
    centre = CentreFactory()
    response = as_operator.post(
        "/api/v1/enterprises/", enterprise_body(centre, **{field: value}), format="json"
    )
    assert response.status_code == 400, response.content
    assert field in response.json()


def test_update_with_huge_value_is_400_and_changes_nothing(as_operator):
    enterprise = EnterpriseFactory()
    response = as_operator.patch(
        f"/api/v1/enterprises/{enterprise.pk}/", {"worker_count": 10**12}, format="json"
    )
    assert response.status_code == 400
    enterprise.refresh_from_db()
    assert enterprise.worker_count == 8


def test_more_certificates_than_the_screen_offers_are_400(as_operator):
    centre = CentreFactory()
    many = [{"kind": "other", "number": f"N-{number}"} for number in range(21)]
    response = as_operator.post(
        "/api/v1/enterprises/", enterprise_body(centre, certificates=many), format="json"
    )
    assert response.status_code == 400
    assert "certificates" in response.json()
    assert not Enterprise.objects.exists()
