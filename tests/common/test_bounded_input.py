"""Issue 23: request bodies, names and numbers are bounded, and refusals are 400s, never 500s."""

import json

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models

from ovop.accounts.models import User
from ovop.centres.models import Centre, Certificate, CommodityGroup, Enterprise
from ovop.coaching.models import Activity, BimtekAttendance, BimtekEvent, Programme
from ovop.common.parsers import MAX_JSON_DEPTH, json_depth_exceeds
from ovop.common.validators import PlainTextValidator, hidden_character, single_line_text
from ovop.evaluation.models import Criterion, SubCriterion
from ovop.proposals.models import Cycle, Proposal

TOKEN_URL = "/api/v1/auth/token/"
HIDDEN = ["\u200b", "\u200f", "\u202e", "\u2066", "\ufeff", "\x00", "\x1b", "\x85"]


def nested(levels: int) -> str:
    return "[" * levels + "]" * levels


# --- Request bodies ------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "expected"), [("id", "bersarang lebih dari 32"), ("en", "nested more than 32")]
)
def test_deeply_nested_json_to_the_token_endpoint_is_400(api_client, language, expected):
    body = '{"username": ' + nested(5000) + ', "password": "x"}'
    response = api_client.post(
        TOKEN_URL, body, content_type="application/json", HTTP_ACCEPT_LANGUAGE=language
    )
    assert response.status_code == 400
    assert expected in response.json()["detail"]


@pytest.mark.django_db
def test_json_nested_up_to_the_limit_is_parsed(api_client):
    body = json.dumps({"username": "nobody", "password": "x", "extra": json.loads(nested(30))})
    response = api_client.post(TOKEN_URL, body, content_type="application/json")
    # Parsed, then refused for what it says: wrong credentials.
    assert response.status_code == 400
    assert "detail" not in response.json()


@pytest.mark.django_db
def test_nesting_deeper_than_the_limit_on_an_authenticated_endpoint_is_400(api_client, operator):
    api_client.force_authenticate(operator)
    body = '{"name": ' + nested(MAX_JSON_DEPTH + 1) + "}"
    response = api_client.post(
        "/api/v1/centres/", body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert "nested more than" in response.json()["detail"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "expected"), [("id", "lebih besar dari 2,0"), ("en", "larger than 2.0")]
)
def test_oversized_json_body_is_400_before_parsing(api_client, language, expected):
    body = json.dumps({"username": "x" * (3 * 1024 * 1024), "password": "x"})
    response = api_client.post(
        TOKEN_URL, body, content_type="application/json", HTTP_ACCEPT_LANGUAGE=language
    )
    assert response.status_code == 400
    assert expected in response.json()["detail"]


@pytest.mark.django_db
def test_oversized_form_body_is_400(api_client):
    body = "username=" + "x" * (3 * 1024 * 1024) + "&password=x"
    response = api_client.post(
        TOKEN_URL,
        body,
        content_type="application/x-www-form-urlencoded",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "larger than" in response.json()["detail"]


@pytest.mark.parametrize(
    ("body", "too_deep"),
    [
        (nested(MAX_JSON_DEPTH), False),
        (nested(MAX_JSON_DEPTH + 1), True),
        ("[" * 5000, True),  # never closed: the decoder would still recurse 5000 times
        ('{"a": "' + "[" * 100 + '"}', False),  # brackets inside a string do not nest
        ('{"a": "\\"' + "{" * 100 + '"}', False),  # nor after an escaped quote
        ('"never closed ' + "[" * 100, False),
        ("[]" * 100_000, False),
    ],
)
def test_json_depth_counts_brackets_outside_strings(body, too_deep):
    assert json_depth_exceeds(body.encode()) is too_deep


# --- Names refuse invisible and control characters -----------------------------------------

NAME_FIELDS = [
    (CommodityGroup, "name"),
    (CommodityGroup, "name_en"),
    (Centre, "name"),
    (Centre, "main_product"),
    (Centre, "decree_signer"),
    (Enterprise, "name"),
    (Enterprise, "owner"),
    (Certificate, "number"),
    (Programme, "name"),
    (Activity, "title"),
    (BimtekEvent, "title"),
    (BimtekAttendance, "name"),
    (Cycle, "name"),
    (Proposal, "featured_products"),
    (Proposal, "contact_name"),
    (Criterion, "name"),
    (SubCriterion, "name_en"),
    (User, "first_name"),
    (User, "last_name"),
    (User, "organisation"),
]


@pytest.mark.parametrize(("model", "name"), NAME_FIELDS)
@pytest.mark.parametrize("character", HIDDEN)
def test_every_name_field_refuses_a_hidden_character(model, name, character):
    field = model._meta.get_field(name)
    with pytest.raises(ValidationError) as refused:
        field.run_validators(f"Sentra{character} Purun")
    assert refused.value.error_list[0].code == "hidden_character"
    field.run_validators("Sentra Anyaman Purun — Kampung Melayu")  # ordinary text passes


def test_single_line_fields_refuse_line_breaks_multi_line_fields_keep_them():
    with pytest.raises(ValidationError):
        single_line_text("Sentra\nPurun")
    PlainTextValidator(multiline=True)("Jl. Sasirangan No. 2\r\nKampung Melayu\tBanjar")
    with pytest.raises(ValidationError):
        PlainTextValidator(multiline=True)("Jl. Sasirangan\u202e2 .oN")


def test_hidden_character_names_its_code_and_position():
    assert hidden_character("Purun\u200b") == (6, "U+200B")
    assert hidden_character("Purun") is None


@pytest.mark.parametrize(
    ("model", "name", "limit"),
    [
        ("proposals.Transition", "reason", 2000),
        ("evaluation.Decision", "reason", 2000),
        ("evaluation.Assessment", "general_comment", 4000),
        ("proposals.Proposal", "local_yet_global", 10000),
        ("centres.Centre", "address", 5000),
    ],
)
def test_long_text_fields_have_a_length_limit_that_full_clean_checks(model, name, limit):
    field = apps.get_model(model)._meta.get_field(name)
    assert isinstance(field, models.TextField)
    assert field.max_length == limit
    field.run_validators("x" * limit)
    with pytest.raises(ValidationError):
        field.run_validators("x" * (limit + 1))


@pytest.mark.django_db
def test_malformed_json_says_where_it_breaks(api_client):
    response = api_client.post(
        TOKEN_URL, '{"username": ', content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert response.json()["detail"] == "The body is not valid JSON (line 1, column 14)."


@pytest.mark.django_db
def test_oversized_multipart_fields_are_400(api_client, operator):
    api_client.force_authenticate(operator)
    response = api_client.post(
        "/api/v1/enterprises/",
        {"name": "x" * (3 * 1024 * 1024), "owner": "Siti"},
        format="multipart",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "larger than" in response.json()["detail"]
