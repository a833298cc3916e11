"""Security hardening: response headers, sign-in lockout and the API token throttle.

- ``SecurityHeadersMiddleware`` sends a strict Content-Security-Policy (no inline script or
  style anywhere: every template loads its JavaScript and CSS from static files) and a
  Permissions-Policy that turns off the browser features ovop never uses.
- Sign-in lockout is django-axes: ``LockoutBackend`` refuses a username + address after too
  many failures and ``lockout_response`` tells the person, in their language, when to try
  again. Admins unlock with ``python -m ovop axes_reset_username <username>`` (see README).
- ``ThrottledObtainAuthToken`` is DRF's token view with a rate limit on its POSTs.
"""

from datetime import datetime, timedelta
from urllib.parse import urlsplit

from axes.backends import AxesStandaloneBackend
from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from ovop.common.api import Throttled
from ovop.common.services import api_token_for

LOCKOUT_STATUS = 429


# --- Content-Security-Policy and Permissions-Policy ---------------------------------------


def tile_source(tile_url: str) -> str:
    """The CSP source for the map tile server of ``OVOP_MAP_TILE_URL``.

    Leaflet's ``{s}`` subdomain placeholder becomes a wildcard host (``https://*.tile...``).
    """
    parts = urlsplit(tile_url.replace("{s}", "subdomain-placeholder"))
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        return ""
    host = parts.hostname.replace("subdomain-placeholder", "*")
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}"


def content_security_policy() -> str:
    """The policy sent with every response; the only outside host is the map tile server."""
    images = " ".join(
        source for source in ("'self'", "data:", tile_source(settings.OVOP_MAP_TILE_URL)) if source
    )
    directives = {
        "default-src": "'self'",
        "script-src": "'self'",
        "style-src": "'self'",
        "img-src": images,
        "font-src": "'self'",
        "connect-src": "'self'",
        "frame-ancestors": "'none'",
        "form-action": "'self'",
        "base-uri": "'self'",
        "object-src": "'none'",
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "geolocation",
        "camera",
        "microphone",
        "payment",
        "usb",
        "interest-cohort",
    )
)


class SecurityHeadersMiddleware:
    """Adds the Content-Security-Policy and Permissions-Policy headers to every response."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.tile_url = None
        self.policy = ""

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.tile_url != settings.OVOP_MAP_TILE_URL:  # built once, again if it changes
            self.tile_url = settings.OVOP_MAP_TILE_URL
            self.policy = content_security_policy()
        # Django's own DEBUG error pages are built with inline script and style: leave
        # them readable on a developer's machine. Production (DEBUG off) never skips.
        debug_page = settings.DEBUG and response.status_code in {404, 500}
        # Chromium shows an inline PDF in its built-in viewer, a plugin that the PDF's own
        # `object-src 'none'` would refuse; a PDF runs no page script, so it gains nothing.
        pdf = response.get("Content-Type", "").startswith("application/pdf")
        if not (debug_page or pdf):
            response.headers.setdefault("Content-Security-Policy", self.policy)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


# --- Sign-in lockout (django-axes) ---------------------------------------------------------


def client_ip(request: HttpRequest) -> str | None:
    """The caller's address, counting ``OVOP_PROXY_COUNT`` trusted proxies in front of us.

    Behind nginx REMOTE_ADDR is the proxy itself; nginx appends the real address to
    X-Forwarded-For, so the trusted hop is the n-th address from the right. Anything further
    left was written by the client and can be forged.
    """
    request = getattr(request, "_request", request)  # DRF wraps the Django request
    proxies = settings.OVOP_PROXY_COUNT
    if proxies:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [hop for hop in hops if hop]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR")


class LockoutBackend(AxesStandaloneBackend):
    """axes' check, but only for sign-ins that come with a request.

    Every sign-in form and the API token view pass the request; code that authenticates
    without one (the test client's ``login``, a shell) is not an attacker on the network.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def lockout_until(request: HttpRequest) -> datetime:
    """When the lockout ends: every refused attempt restarts the cool-off period."""
    cool_off = get_cool_off(request) or timedelta(0)
    started = getattr(request, "axes_attempt_time", None) or timezone.now()
    return started + cool_off


def lockout_response(request: HttpRequest, original_response=None, credentials=None):
    """axes' AXES_LOCKOUT_CALLABLE: 429, a Retry-After, and when to try again."""
    until = lockout_until(request)
    retry_after = max(1, int((until - timezone.now()).total_seconds()))
    response: HttpResponse
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {
                "detail": _("Too many failed sign-ins. Try again in %(minutes)d minutes.")
                % {"minutes": (retry_after + 59) // 60}
            },
            status=LOCKOUT_STATUS,
        )
    else:
        username = (credentials or {}).get("username") or request.POST.get("username", "")
        form = AuthenticationForm(request, initial={"username": username})
        response = render(
            request,
            "registration/login.html",
            {"form": form, "locked_until": until, "next": request.POST.get("next", "")},
            status=LOCKOUT_STATUS,
        )
    response["Retry-After"] = str(retry_after)
    return response


# --- API token throttle -------------------------------------------------------------------


class TokenRequestThrottle(SimpleRateThrottle):
    """Password guesses against the token endpoint, per caller address (``auth_token`` rate).

    Only POSTs count: they are the requests that check a password. A caller who is already
    signed in (session) is counted like anyone else.
    """

    scope = "auth_token"

    def allow_request(self, request, view) -> bool:
        if request.method != "POST":
            return True
        return super().allow_request(request, view)

    def get_cache_key(self, request, view) -> str:
        ident = client_ip(request) or self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}


class ThrottledObtainAuthToken(ObtainAuthToken):
    """``POST /api/v1/auth/token/``: DRF's view, which itself switches throttling off."""

    throttle_classes = (TokenRequestThrottle,)
    # DRF's view names its own parsers; the default ones refuse oversized and deeply nested
    # bodies (ovop.common.parsers).
    parser_classes = APIView.parser_classes

    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        if not serializer.is_valid():
            # axes flags the DRF request (its middleware only sees the Django one): answer a
            # locked username like the sign-in page does, 429 with Retry-After.
            if getattr(request, "axes_locked_out", False):
                wait = max(1, int((lockout_until(request) - timezone.now()).total_seconds()))
                raise Throttled(
                    wait=wait,
                    detail=_("Too many failed sign-ins. Try again in %(minutes)d minutes.")
                    % {"minutes": (wait + 59) // 60},
                )
            raise ValidationError(serializer.errors)
        token = api_token_for(user=serializer.validated_data["user"])
        return Response({"token": token.key})


obtain_auth_token = ThrottledObtainAuthToken.as_view()
