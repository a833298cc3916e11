"""Sign-in lockout (django-axes) and the API token throttle."""

import os
import subprocess
import sys
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from ovop.common.security import client_ip, tile_source

LOGIN = "accounts:login"
TOKEN_URL = "/api/v1/auth/token/"


@pytest.fixture(autouse=True)
def fresh_throttle_counts():
    cache.clear()  # DRF throttles count in the cache, which outlives each test's transaction
    yield
    cache.clear()


def sign_in(client, username: str, password: str, address: str = "10.0.0.1"):
    return client.post(
        reverse(LOGIN),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def fail(client, username: str, times: int, address: str = "10.0.0.1") -> None:
    for attempt in range(1, times + 1):
        response = sign_in(client, username, "wrong-password", address)
        # The form again with its error; the failure that reaches the limit already
        # answers with the lockout message.
        expected = 429 if attempt >= settings.AXES_FAILURE_LIMIT else 200
        assert response.status_code == expected


def test_login_sixth_attempt_is_refused_even_with_the_right_password(client, operator):
    fail(client, operator.username, settings.AXES_FAILURE_LIMIT)

    response = sign_in(client, operator.username, settings.OVOP_DEMO_PASSWORD)

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 14 * 60
    assert "_auth_user_id" not in client.session
    assert "Terlalu banyak percobaan masuk" in response.content.decode()  # Indonesian screen
    assert b'name="username"' in response.content  # the page is still the sign-in form


def test_login_lockout_message_is_translated_and_names_the_time(client, operator):
    fail(client, operator.username, settings.AXES_FAILURE_LIMIT)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = sign_in(client, operator.username, settings.OVOP_DEMO_PASSWORD)

    until = timezone.localtime(timezone.now() + settings.AXES_COOLOFF_TIME)
    text = response.content.decode()
    assert (
        until.strftime("%H:%M") in text or (until - timedelta(minutes=1)).strftime("%H:%M") in text
    )


def test_login_below_the_limit_still_succeeds(client, operator):
    fail(client, operator.username, settings.AXES_FAILURE_LIMIT - 1)

    response = sign_in(client, operator.username, settings.OVOP_DEMO_PASSWORD)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(operator.pk)


def test_login_success_before_the_limit_resets_the_count(client, operator):
    fail(client, operator.username, settings.AXES_FAILURE_LIMIT - 1)
    assert sign_in(client, operator.username, settings.OVOP_DEMO_PASSWORD).status_code == 302
    client.logout()

    fail(client, operator.username, settings.AXES_FAILURE_LIMIT - 1)
    response = sign_in(client, operator.username, settings.OVOP_DEMO_PASSWORD)

    assert response.status_code == 302


def test_login_lockout_expires_after_the_cool_off(client, operator):
    fail(client, operator.username, settings.AXES_FAILURE_LIMIT)
    assert sign_in(client, operator.username, settings.OVOP_DEMO_PASSWORD).status_code == 429

    # Sixteen minutes later.
    AccessAttempt.objects.update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(minutes=1)
    )
    response = sign_in(client, operator.username, settings.OVOP_DEMO_PASSWORD)

    assert response.status_code == 302


def test_login_lockout_is_per_username_and_address(client, operator, verifier):
    fail(client, operator.username, settings.AXES_FAILURE_LIMIT, address="10.0.0.1")

    # The same person from the office network, and another user from the attacker's address.
    assert (
        sign_in(client, operator.username, settings.OVOP_DEMO_PASSWORD, "10.9.9.9").status_code
        == 302
    )
    client.logout()
    assert (
        sign_in(client, verifier.username, settings.OVOP_DEMO_PASSWORD, "10.0.0.1").status_code
        == 302
    )


def test_login_admin_unlock_command_lifts_the_lockout(client, operator):
    fail(client, operator.username, settings.AXES_FAILURE_LIMIT)

    call_command("axes_reset_username", operator.username)

    assert sign_in(client, operator.username, settings.OVOP_DEMO_PASSWORD).status_code == 302


def test_login_limits_come_from_the_environment(monkeypatch):
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.AXES_FAILURE_LIMIT, int(s.AXES_COOLOFF_TIME.total_seconds()))"
    )
    env = {
        "DJANGO_SETTINGS_MODULE": "ovop.test_settings",
        "OVOP_LOGIN_FAILURES": "3",
        "OVOP_LOGIN_LOCKOUT_MINUTES": "30",
    }

    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.split() == ["3", "1800"], result.stderr


def test_api_token_locked_username_is_refused_with_the_right_password(api_client, operator):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        api_client.post(
            TOKEN_URL, {"username": operator.username, "password": "wrong"}, format="json"
        )
    cache.clear()  # past the throttle: only the lockout is left

    response = api_client.post(
        TOKEN_URL,
        {"username": operator.username, "password": settings.OVOP_DEMO_PASSWORD},
        format="json",
    )

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 14 * 60
    assert "token" not in response.json()


def test_api_token_endpoint_answers_429_after_the_rate(api_client, operator):
    attempts = [
        api_client.post(
            TOKEN_URL, {"username": f"nobody-{n}", "password": "wrong"}, format="json"
        ).status_code
        for n in range(10)
    ]
    assert attempts == [400] * 10

    response = api_client.post(
        TOKEN_URL,
        {"username": operator.username, "password": settings.OVOP_DEMO_PASSWORD},
        format="json",
    )

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "token" not in response.json()


def test_api_token_get_is_not_counted_by_the_throttle(api_client, db):
    for _ in range(15):
        assert api_client.get(TOKEN_URL).status_code == 405


def test_client_ip_reads_the_proxy_hop_only_when_told(rf, settings):
    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    settings.OVOP_PROXY_COUNT = 0
    assert client_ip(request) == "127.0.0.1"
    settings.OVOP_PROXY_COUNT = 1
    assert client_ip(request) == "203.0.113.9"  # the forged left-most address is ignored


@pytest.mark.parametrize(
    ("url", "source"),
    [
        ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", "https://tile.openstreetmap.org"),
        ("https://{s}.tile.example.id/{z}/{x}/{y}.png", "https://*.tile.example.id"),
        ("http://tiles.internal:8080/{z}/{x}/{y}.png", "http://tiles.internal:8080"),
        ("/tiles/{z}/{x}/{y}.png", ""),
    ],
)
def test_csp_tile_source_for_the_configured_tile_url(url, source):
    assert tile_source(url) == source
