"""The schema documents the errors each operation can answer (ovop.common.schema)."""

import pytest
from drf_spectacular.generators import SchemaGenerator


@pytest.fixture(scope="module")
def paths() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)["paths"]


def test_schema_round_compliance_documented_as_list(paths):
    response = paths["/api/v1/rounds/{id}/compliance/"]["get"]["responses"]["200"]

    schema = response["content"]["application/json"]["schema"]
    assert schema["type"] == "array"
    assert schema["items"] == {"$ref": "#/components/schemas/ComplianceRow"}


def test_schema_change_of_object_documents_every_refusal(paths):
    responses = paths["/api/v1/proposals/{id}/submit/"]["post"]["responses"]

    assert set(responses) == {"200", "400", "401", "403", "404", "409", "415"}
    detail = {"$ref": "#/components/schemas/Error"}
    assert responses["409"]["content"]["application/json"]["schema"] == detail


def test_schema_plain_read_documents_no_refusal_it_cannot_answer(paths):
    assert set(paths["/api/v1/me/tasks/"]["get"]["responses"]) == {"200", "401"}
    assert set(paths["/api/v1/catalogue/{id}/"]["get"]["responses"]) == {"200", "404"}


def test_schema_token_endpoint_documents_throttling(paths):
    responses = paths["/api/v1/auth/token/"]["post"]["responses"]

    assert "403" not in responses
    assert "409" not in responses
    assert "Retry-After" in responses["429"]["headers"]


def test_schema_read_with_role_check_documents_403(paths):
    assert "403" in paths["/api/v1/cycles/{id}/ranking/"]["get"]["responses"]
    assert "403" in paths["/api/v1/centres/template/"]["get"]["responses"]
