"""Every error the API answers reads in one language: the reader's.

The messages come from three places — DRF (authentication, parsing, validation, throttling),
django-axes (the lockout) and our own code — and each request below provokes one of them. With
``Accept-Language: id`` no message may hold an English word; with ``en`` none an Indonesian
one. The values echoed back ("zzz") are chosen to be words of neither language.
"""

import re

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from tests.factories import CentreFactory

ENGLISH = {
    "again",
    "allowed",
    "available",
    "be",
    "characters",
    "credentials",
    "does",
    "ensure",
    "exist",
    "expected",
    "field",
    "found",
    "invalid",
    "is",
    "many",
    "may",
    "minutes",
    "more",
    "must",
    "not",
    "number",
    "object",
    "password",
    "please",
    "provided",
    "request",
    "required",
    "seconds",
    "than",
    "the",
    "this",
    "too",
    "try",
    "unable",
    "valid",
    "value",
    "was",
    "with",
}
INDONESIAN = {
    "atau",
    "bidang",
    "berkas",
    "coba",
    "dalam",
    "dan",
    "detik",
    "dengan",
    "harus",
    "ini",
    "isi",
    "kata",
    "lagi",
    "masuk",
    "menit",
    "pengguna",
    "permintaan",
    "pilihan",
    "sandi",
    "tidak",
    "untuk",
    "yang",
}
FOREIGN = {"id": ENGLISH, "en": INDONESIAN}


def messages_of(body) -> list[str]:
    """Every message string in an error body (values only; keys are field names)."""
    if isinstance(body, dict):
        return [text for value in body.values() for text in messages_of(value)]
    if isinstance(body, list):
        return [text for value in body for text in messages_of(value)]
    return [str(body)]


def foreign_words(response, language: str) -> list[str]:
    assert response.status_code >= 400, response.content
    texts = messages_of(response.json())
    assert texts, response.content
    words = {word.lower() for text in texts for word in re.findall(r"[A-Za-z]+", text)}
    return sorted(words & FOREIGN[language])


@pytest.fixture
def client_in(db):
    def make(language: str, **credentials) -> APIClient:
        client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
        if credentials:
            client.credentials(**credentials)
        return client

    return make


LANGUAGES = pytest.mark.parametrize("language", ["id", "en"])


def signed_in(client_in, language, user) -> APIClient:
    client = client_in(language)
    client.force_authenticate(user)
    return client


@LANGUAGES
def test_anonymous_call(client_in, language):
    response = client_in(language).get("/api/v1/centres/")
    assert response.status_code == 401
    assert foreign_words(response, language) == []


@LANGUAGES
@pytest.mark.parametrize("header", ["Token zzz", "Token zzz zzz", "Token"])
def test_bad_token_header(client_in, language, header):
    response = client_in(language, HTTP_AUTHORIZATION=header).get("/api/v1/centres/")
    assert response.status_code == 401
    assert foreign_words(response, language) == []


@LANGUAGES
def test_object_not_found(client_in, language, operator):
    response = signed_in(client_in, language, operator).get("/api/v1/centres/999999/")
    assert response.status_code == 404
    assert foreign_words(response, language) == []


@LANGUAGES
def test_page_out_of_range(client_in, language, operator):
    response = signed_in(client_in, language, operator).get("/api/v1/centres/?page=999")
    assert response.status_code == 404
    assert foreign_words(response, language) == []


@LANGUAGES
def test_method_not_allowed(client_in, language, operator):
    response = signed_in(client_in, language, operator).delete("/api/v1/regions/63/")
    assert response.status_code == 405
    assert foreign_words(response, language) == []


@LANGUAGES
def test_unsupported_media_type(client_in, language, operator):
    client = signed_in(client_in, language, operator)
    response = client.post("/api/v1/centres/", "zzz", content_type="text/zzz")
    assert response.status_code == 415
    assert foreign_words(response, language) == []


@LANGUAGES
def test_unacceptable_answer_format(client_in, language, operator):
    client = signed_in(client_in, language, operator)
    response = client.get("/api/v1/centres/", HTTP_ACCEPT="application/zzz")
    assert response.status_code == 406
    assert foreign_words(response, language) == []


@LANGUAGES
def test_malformed_json(client_in, language, operator):
    client = signed_in(client_in, language, operator)
    response = client.post("/api/v1/centres/", '{"name": ', content_type="application/json")
    assert response.status_code == 400
    assert foreign_words(response, language) == []


@LANGUAGES
def test_field_validation(client_in, language, operator):
    """Required, wrong type, bad choice, bad date, too long, null and a non-list."""
    client = signed_in(client_in, language, operator)
    response = client.post(
        "/api/v1/centres/",
        {
            "region": "zzz",
            "commodity": None,
            "unit_count": "zzz",
            "production_value": "zzz",
            "market_reach": "zzz",
            "decree_date": "zzz",
            "main_product": "z" * 5000,
            "latitude": "zzz",
        },
        format="json",
    )
    assert response.status_code == 400
    assert {"name", "region", "commodity", "unit_count", "decree_date"} <= set(response.json())
    assert foreign_words(response, language) == []


@LANGUAGES
def test_enterprise_validation(client_in, language, operator):
    """Lists, booleans and relations: the other field kinds of DRF."""
    centre = CentreFactory(region_id="63.03.01")
    client = signed_in(client_in, language, operator)
    response = client.post(
        "/api/v1/enterprises/",
        {
            "centre": "zzz",
            "name": "",
            "founded_year": "zzz",
            "sales_channels": "zzz",
            "certificates": [{"kind": "zzz", "issued_on": "zzz"}],
        },
        format="json",
    )
    assert response.status_code == 400
    assert foreign_words(response, language) == []
    response = client.post(
        "/api/v1/enterprises/", {"centre": centre.pk, "certificates": "zzz"}, format="json"
    )
    assert response.status_code == 400
    assert foreign_words(response, language) == []


@LANGUAGES
def test_not_allowed(client_in, language, viewer):
    centre = CentreFactory(region_id="63.03.01")
    client = signed_in(client_in, language, viewer)
    response = client.patch(f"/api/v1/centres/{centre.pk}/", {"name": "zzz"}, format="json")
    assert response.status_code == 403
    assert foreign_words(response, language) == []


@LANGUAGES
def test_wrong_and_missing_credentials(client_in, language, operator):
    client = client_in(language)
    wrong = client.post(
        "/api/v1/auth/token/", {"username": operator.username, "password": "zzz"}, format="json"
    )
    assert wrong.status_code == 400
    assert foreign_words(wrong, language) == []
    missing = client.post("/api/v1/auth/token/", {}, format="json")
    assert missing.status_code == 400
    assert foreign_words(missing, language) == []


def throttled(client: APIClient):
    """Past the ``auth_token`` rate (10 a minute): the answer of the eleventh POST."""
    cache.clear()  # DRF counts in the cache, which outlives each test's transaction
    for attempt in range(11):
        response = client.post(
            "/api/v1/auth/token/", {"username": f"zzz-{attempt}", "password": "zzz"}, format="json"
        )
    return response


@LANGUAGES
def test_token_throttle(client_in, language):
    response = throttled(client_in(language))
    assert response.status_code == 429
    assert response["Retry-After"]
    assert foreign_words(response, language) == []


@LANGUAGES
def test_lockout(client_in, language, operator, settings):
    settings.AXES_FAILURE_LIMIT = 2
    client = client_in(language)
    for _attempt in range(3):
        response = client.post(
            "/api/v1/auth/token/",
            {"username": operator.username, "password": "zzz"},
            format="json",
        )
    assert response.status_code == 429
    assert foreign_words(response, language) == []


@pytest.mark.parametrize(
    ("language", "pattern"),
    [
        ("id", r"^Permintaan ini telah dibatasi\. Coba lagi dalam \d+ detik\.$"),
        ("en", r"^Request was throttled\. Try again in \d+ seconds?\.$"),
    ],
)
def test_throttle_says_when(client_in, language, pattern):
    response = throttled(client_in(language))
    assert re.match(pattern, response.json()["detail"]), response.json()
