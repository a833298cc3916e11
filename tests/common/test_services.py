"""The API token a user signs in for (``ovop.common.services.api_token_for``)."""

from django.conf import settings
from rest_framework.authtoken.models import Token


def test_signing_in_again_gives_the_same_token(api_client, operator):
    credentials = {"username": operator.username, "password": settings.OVOP_DEMO_PASSWORD}
    first = api_client.post("/api/v1/auth/token/", credentials, format="json")
    again = api_client.post("/api/v1/auth/token/", credentials, format="json")
    assert (first.status_code, again.status_code) == (200, 200)
    assert first.json()["token"] == again.json()["token"] == Token.objects.get(user=operator).key
