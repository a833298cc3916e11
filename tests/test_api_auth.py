from django.conf import settings
from django.core.management import call_command


def test_token_for_right_credentials(api_client, operator):
    response = api_client.post(
        "/api/v1/auth/token/",
        {"username": operator.username, "password": settings.OVOP_DEMO_PASSWORD},
        format="json",
    )
    assert response.status_code == 200
    token = response.json()["token"]
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api_client.get("/api/v1/regions/63/").status_code == 200


def test_token_for_wrong_credentials_is_400(api_client, operator):
    response = api_client.post(
        "/api/v1/auth/token/",
        {"username": operator.username, "password": "wrong"},
        format="json",
    )
    assert response.status_code == 400
    assert "token" not in response.json()


def test_bad_token_is_401(api_client, db):
    api_client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert api_client.get("/api/v1/regions/").status_code == 401


def test_schema_is_openapi_3_and_names_the_regions_endpoints(client, db):
    response = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/regions/" in schema["paths"]
    assert "/api/v1/regions/{code}/" in schema["paths"]


def test_openapi_schema_is_valid_and_warning_free(tmp_path, db):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    assert "/api/v1/proposals/{id}/submit/" in target.read_text()
