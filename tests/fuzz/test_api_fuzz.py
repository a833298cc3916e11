"""Bounded fuzzing of the whole API from its own OpenAPI schema (schemathesis, in-process
through WSGI): every operation, signed in as an administrator (token) and anonymously, must
never answer a server error, and every answer must be one the schema documents (status code,
content type, body, headers). Derandomized with a fixed example budget so CI is repeatable."""

import os

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from ovop.wsgi import application

# A deeper search on demand: OVOP_FUZZ_EXAMPLES=200 pytest tests/fuzz (CI keeps the default).
MAX_EXAMPLES = int(os.environ.get("OVOP_FUZZ_EXAMPLES", "10"))

# Every answer must be one the schema documents: status, body, content type and headers.
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]


# Loaded at collection: generating the schema touches no database.
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", application)


@pytest.fixture(autouse=True)
def keep_test_transaction():
    """As Django's test client does: a request through the WSGI handler must not close the
    connection that holds the test's transaction (PostgreSQL)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def admin_token(world):
    """An administrator's token, over the small `world` so ids in paths can hit real rows."""
    return Token.objects.get_or_create(user=world["admin"])[0].key


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_api_operation_fuzzed_as_admin_matches_schema(case, admin_token):
    case.call_and_validate(
        headers={"Authorization": f"Token {admin_token}", "Accept-Language": "en"},
        checks=CHECKS,
    )


@schema.parametrize()
@settings(
    max_examples=3,
    derandomize=True,
    database=None,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_api_operation_fuzzed_anonymously_matches_schema(case, world):
    response = case.call_and_validate(checks=CHECKS)
    public = case.path.startswith(("/api/v1/auth/", "/api/v1/catalogue/"))
    # 404 only from URL routing (an id that is not a number), before anyone is asked.
    assert public or response.status_code in {401, 404}, (case.method, case.path)


# Generated ids rarely hit a real row, so each read of one object is also made of a real one.
REAL_OBJECT_READS = [
    ("/api/v1/centres/{id}/", "centre_banjar"),
    ("/api/v1/centres/{id}/indicators/", "centre_banjar"),
    ("/api/v1/enterprises/{id}/", "enterprise_banjar"),
    ("/api/v1/cycles/{id}/", "cycle"),
    ("/api/v1/cycles/{id}/ranking/", "cycle"),
    ("/api/v1/rounds/{id}/", "round"),
    ("/api/v1/rounds/{id}/compliance/", "round"),
    ("/api/v1/proposals/{id}/", "proposal_banjar"),
    ("/api/v1/proposals/{id}/assessors/", "proposal_banjar"),
]


@pytest.mark.parametrize(("path", "key"), REAL_OBJECT_READS)
def test_api_read_of_real_object_matches_schema(path, key, world, admin_token):
    case = schema[path]["GET"].Case(path_parameters={"id": world[key].pk})

    response = case.call_and_validate(
        headers={"Authorization": f"Token {admin_token}", "Accept-Language": "en"},
        checks=CHECKS,
    )

    assert response.status_code == 200
