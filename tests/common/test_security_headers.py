"""Response headers: the strict CSP and Permissions-Policy everywhere, and the production
settings (HSTS, secure cookies, referrer, opener policy, nosniff) when DEBUG is off."""

import json
import os
import subprocess
import sys

import pytest
from django.http import HttpResponse
from django.urls import reverse

from ovop.common.security import SecurityHeadersMiddleware

STRICT_POLICY = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "font-src 'self'",
    "connect-src 'self'",
    "frame-ancestors 'none'",
    "form-action 'self'",
    "base-uri 'self'",
    "object-src 'none'",
]


def directives(response) -> list[str]:
    return [part.strip() for part in response["Content-Security-Policy"].split(";")]


def test_csp_is_strict_on_the_sign_in_page(client, db):
    response = client.get(reverse("accounts:login"))

    policy = directives(response)
    for directive in STRICT_POLICY:
        assert directive in policy
    assert "img-src 'self' data: https://tile.openstreetmap.org" in policy
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]


def test_csp_names_the_configured_tile_server(client, db, settings):
    settings.OVOP_MAP_TILE_URL = "https://{s}.peta.kemenperin.go.id/{z}/{x}/{y}.png"

    response = client.get(reverse("accounts:login"))

    assert "img-src 'self' data: https://*.peta.kemenperin.go.id" in directives(response)


def test_csp_and_permissions_policy_on_signed_in_pages_and_the_api(client, operator):
    client.force_login(operator)

    for url in ("/", "/centres/", "/api/v1/regions/", "/catalogue/id/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "script-src 'self'" in directives(response), url
        assert "geolocation=()" in response["Permissions-Policy"], url
        assert "camera=()" in response["Permissions-Policy"], url
        assert "microphone=()" in response["Permissions-Policy"], url


def test_page_templates_have_no_inline_script_or_style(client, operator):
    client.force_login(operator)

    for url in ("/", "/centres/", "/api/v1/docs/", "/catalogue/id/", "/accounts/login/"):
        html = client.get(url).content.decode()
        assert "<style" not in html, url
        assert " style=" not in html, url
        for tag in html.split("<script")[1:]:
            attributes = tag.split(">", 1)[0]
            # Data for scripts (json_script) is not run; everything else comes from a file.
            assert "src=" in attributes or 'type="application/json"' in attributes, url


def test_csp_htmx_inline_indicator_styles_are_switched_off(client, db):
    html = client.get(reverse("accounts:login")).content.decode()

    assert """<meta name="htmx-config" content='{"includeIndicatorStyles": false}'>""" in html


def test_csp_is_not_sent_with_pdf_documents(rf):
    middleware = SecurityHeadersMiddleware(
        lambda request: HttpResponse(b"%PDF-1.7", content_type="application/pdf")
    )
    response = middleware(rf.get("/letters/1.pdf"))

    assert "Content-Security-Policy" not in response
    assert "Permissions-Policy" in response


PRODUCTION_PROBE = """
import json
import django
django.setup()
from django.conf import settings
from django.test import Client

client = Client()
plain = client.get("/accounts/login/", HTTP_HOST="ovop.kalselprov.go.id")
secure = client.get("/accounts/login/", HTTP_HOST="ovop.kalselprov.go.id", secure=True)
print(json.dumps({
    "debug": settings.DEBUG,
    "plain_status": plain.status_code,
    "plain_location": plain.get("Location", ""),
    "secure_status": secure.status_code,
    "headers": dict(secure.headers),
    "csrf_cookie_secure": bool(secure.cookies["csrftoken"]["secure"]),
    "session_cookie_secure": settings.SESSION_COOKIE_SECURE,
    "session_cookie_httponly": settings.SESSION_COOKIE_HTTPONLY,
}))
"""


@pytest.fixture(scope="module")
def production(tmp_path_factory) -> dict:
    """The sign-in page as served by the real settings with DEBUG off, in a fresh process."""
    var = tmp_path_factory.mktemp("production")
    leaky = {"DEBUG", "SECRET_KEY", "OVOP_PLAIN_STATIC", "DATABASE_URL", "SECURE_SSL_REDIRECT"}
    environment = {k: v for k, v in os.environ.items() if k not in leaky}
    environment.update(
        DJANGO_SETTINGS_MODULE="ovop.settings",
        SECRET_KEY="k" + "3xQ9!v#Lz8@pR2^mW5&nB7*" * 3,
        ALLOWED_HOSTS="ovop.kalselprov.go.id",
        OVOP_VAR_DIR=str(var),
        OVOP_PLAIN_STATIC="1",  # no collectstatic manifest in a test
    )
    result = subprocess.run(
        [sys.executable, "-c", PRODUCTION_PROBE],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_redirects_plain_http_to_https(production):
    assert production["debug"] is False
    assert production["plain_status"] == 301
    assert production["plain_location"].startswith("https://ovop.kalselprov.go.id/")


def test_production_sends_hsts_referrer_opener_and_nosniff(production):
    headers = production["headers"]

    assert production["secure_status"] == 200
    assert headers["Strict-Transport-Security"] == ("max-age=31536000; includeSubDomains; preload")
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert "microphone=()" in headers["Permissions-Policy"]


def test_production_cookies_are_secure(production):
    assert production["csrf_cookie_secure"] is True
    assert production["session_cookie_secure"] is True
    assert production["session_cookie_httponly"] is True
