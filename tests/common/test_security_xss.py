"""No stored XSS: every user-editable text of the demo programme is overwritten with script
payloads, then the pages of every role, the public catalogue, the dashboards and the API are
crawled. No HTML response may contain a payload unescaped."""

import io
import json
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import models
from django.db.models import Value
from django.db.models.functions import Cast, Concat

from ovop.accounts.models import User
from ovop.notifications.enums import NotificationKind
from ovop.notifications.models import Notification

SCRIPT = '<script>alert("x")</script>'
ATTRIBUTE = '"><img src=x onerror=alert(1)>'
PAYLOAD = SCRIPT + ATTRIBUTE
RAW_MARKERS = ("<script>alert(", "<img src=x onerror=")
ESCAPED_MARKER = "&lt;script&gt;alert("

# Texts people type in. Codes, numbers, phones and usernames are validated on input (and
# appear in URLs), so they are left alone; choice fields cannot hold free text.
SKIPPED_FIELDS = {
    "password",
    "username",
    "code",
    "kbli",
    "nib",
    "phone",
    "contact_phone",
    "whatsapp",
    "number_pattern",
    "signer_nip",
    "website",
    "url",
    "image",
}
SKIPPED_MODELS = {"regions.Region"}
PAGES_PER_PERSONA = 300
DEMO_PERSONAS = ["admin", "verifikator-63", "operator-6303", "penilai-2", "pimpinan"]
NOT_CRAWLED = ("/accounts/logout/", "/i18n/", "/static/", "/media/", "/api/v1/schema/")


def payload_for(field) -> str | None:
    limit = getattr(field, "max_length", None)
    for text in (PAYLOAD, ATTRIBUTE, SCRIPT):
        if limit is None or len(text) + 12 <= limit:  # room for " #<pk>"
            return text
    return None


def with_pk(text: str):
    # Unique together constraints (a centre's name in its regency): each row its own text.
    return Concat(Value(text + " #"), Cast("pk", models.CharField()))


def poison_every_text() -> list[str]:
    """Overwrite every free-text column of every ovop model; return what was poisoned."""
    poisoned = []
    for model in apps.get_models():
        label = model._meta.label
        if not model.__module__.startswith("ovop.") or label in SKIPPED_MODELS:
            continue
        if model.__name__.startswith("Historical"):
            continue
        changes = {}
        for field in model._meta.concrete_fields:
            if not isinstance(field, models.CharField | models.TextField):
                continue
            if isinstance(field, models.SlugField | models.EmailField | models.URLField):
                continue
            if field.choices or field.name in SKIPPED_FIELDS or field.unique:
                continue
            text = payload_for(field)
            if text is not None:
                changes[field.name] = with_pk(text)
        if changes and model.objects.update(**changes):
            poisoned.extend(f"{label}.{name}" for name in changes)
    return poisoned


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def worth_following(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return False
    if parts.path.startswith(NOT_CRAWLED):
        return False
    # Exports are files, not HTML; the rest of a list's pages repeat its first.
    return not any(key in parts.query for key in ("format=", "page=", "sort="))


def crawl(client, starts: list[str]) -> dict[str, str]:
    """HTML of every page reachable from ``starts`` (GET only), at most PAGES_PER_PERSONA."""
    seen: dict[str, str] = {}
    queue = deque(starts)
    while queue and len(seen) < PAGES_PER_PERSONA:
        url = queue.popleft()
        if url in seen:
            continue
        response = client.get(url, follow=True)
        content_type = response.get("Content-Type", "")
        seen[url] = ""
        if response.status_code != 200 or not content_type.startswith("text/html"):
            continue
        html = response.content.decode()
        seen[url] = html
        parser = Links()
        parser.feed(html)
        for href in parser.hrefs:
            target = urljoin(url, href).split("#")[0]
            if worth_following(target) and target not in seen:
                queue.append(target)
    return seen


def assert_escaped(pages: dict[str, str]) -> None:
    unescaped = [
        url for url, html in pages.items() if any(marker in html for marker in RAW_MARKERS)
    ]
    assert unescaped == [], f"payload unescaped on {unescaped}"


@pytest.fixture
def poisoned_demo(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo", stdout=io.StringIO())

    for user in User.objects.filter(username__in=DEMO_PERSONAS):
        Notification.objects.create(
            recipient=user, kind=NotificationKind.RETURNED, title="Halo", body="Pesan"
        )
    poisoned = poison_every_text()
    # The texts the issue names are all among them.
    for column in (
        "centres.Centre.name",
        "centres.Centre.address",
        "centres.Centre.main_product",
        "centres.Enterprise.name",
        "centres.Enterprise.owner",
        "proposals.Proposal.local_yet_global",
        "proposals.Transition.reason",
        "evaluation.Assessment.general_comment",
        "evaluation.Decision.reason",
        "coaching.Programme.name",
        "coaching.Activity.title",
        "coaching.Activity.outcome",
        "coaching.BimtekEvent.title",
        "catalogue.CatalogueEntry.story",
        "notifications.Notification.body",
        "accounts.User.first_name",
    ):
        assert column in poisoned
    return poisoned


@pytest.mark.parametrize("username", DEMO_PERSONAS)
def test_xss_payloads_are_escaped_on_every_page_of_each_role(client, poisoned_demo, username):
    client.force_login(User.objects.get(username=username))

    pages = crawl(client, ["/", "/reports/", "/notifications/"])

    assert len(pages) > 15
    assert_escaped(pages)
    shown = [url for url, html in pages.items() if ESCAPED_MARKER in html]
    print(f"{username}: {len(pages)} pages, the payload shown escaped on {len(shown)}")
    assert len(shown) > 5, "the payloads were shown (escaped) on too few pages to prove much"


def test_xss_payloads_are_escaped_in_the_public_catalogue(client, poisoned_demo):
    pages = crawl(client, ["/catalogue/id/", "/catalogue/en/"])

    assert len(pages) > 3
    assert_escaped(pages)
    assert any(ESCAPED_MARKER in html for html in pages.values())


def test_xss_dashboard_json_script_blocks_escape_the_payload(client, poisoned_demo):
    # The province dashboard's map data carries the centres' names.
    client.force_login(User.objects.get(username="verifikator-63"))

    html = client.get("/reports/").content.decode()

    assert 'type="application/json"' in html
    assert not any(marker in html for marker in RAW_MARKERS)
    assert "\\u003Cscript\\u003Ealert(" in html  # json_script's escaping, the data is there


def test_xss_api_answers_json_not_html_and_keeps_the_text(client, poisoned_demo):
    client.force_login(User.objects.get(username="admin"))
    found = 0
    for url in (
        "/api/v1/centres/",
        "/api/v1/enterprises/",
        "/api/v1/proposals/",
        "/api/v1/programmes/",
        "/api/v1/activities/",
        "/api/v1/catalogue/",
    ):
        response = client.get(url, HTTP_ACCEPT="application/json")
        assert response.status_code == 200, url
        assert response["Content-Type"].startswith("application/json"), url
        assert response["X-Content-Type-Options"] == "nosniff"
        found += json.dumps(response.json()).count("alert(")

        # The browsable API (HTML) escapes it.
        browsable = client.get(url, HTTP_ACCEPT="text/html").content.decode()
        assert not any(marker in browsable for marker in RAW_MARKERS), url
    assert found > 0
