"""Everything a persona may use is reachable by clicking: within three clicks of the home page.

For each signed-in persona the test follows the same-site links of the home page breadth
first (home = 0 clicks) and collects the route of every link found on pages up to two clicks
deep, i.e. every page reached in at most three clicks. Every *screen* the permission matrix
lets that persona open (a GET answering a full HTML page, not an API, a download or a
fragment) must be among them, or be listed in EXCEPTIONS with its reason.
"""

from collections import deque
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import Resolver404, resolve, reverse

from ovop.proposals.enums import CycleStatus
from ovop.proposals.models import Cycle
from tests.catalogue.matrix_manage import publish
from tests.coaching.matrix_bimtek import event_63
from tests.coaching.matrix_indicators import banjar_indicator
from tests.coaching.matrix_programmes import evidence_pk
from tests.common.matrix_exports import operator_job
from tests.conftest import PERSONAS
from tests.evaluation.matrix_ranking import scored_cycle
from tests.factories import CentreFactory, make_proposal
from tests.test_permission_matrix import MATRIX, cover_letter_63, operator_notification

MAX_CLICKS = 3

# Routes a persona may open that no link needs to reach, each for a reason.
EXCEPTIONS = {
    # Reached from the e-mail a reset sends, or as the steps of that form, not from a page.
    "accounts:password_reset_done": "the page after the reset form is sent",
    "accounts:password_reset_confirm": "the link in the reset e-mail",
    "accounts:password_reset_complete": "the page after a new password is set",
    "accounts:password_change_done": "the page after the change form is sent",
    # Signed in, one changes the password (linked from home); the reset is for the signed out.
    "accounts:password_reset": "linked from the sign-in page, for those who cannot sign in",
}

# The same, for one persona only.
PERSONA_EXCEPTIONS = {
    # The menu shows Coaching and the catalogue's office list only to roles with sentra of
    # their own (coaching.view, catalogue.view_entries); an assessor may open them, empty.
    ("assessor", "coaching:programme_list"): "empty for an assessor; not in their menu",
    ("assessor", "coaching:bimtek_list"): "empty for an assessor; not in their menu",
    ("assessor", "catalogue:manage"): "empty for an assessor; not in their menu",
}

# Links the crawl does not follow: they act (sign out, switch language) rather than show.
NOT_FOLLOWED = {"accounts:logout", "set_language"}


class LinkParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.links.append(href)


def links_of(html: str) -> list[str]:
    parser = LinkParser()
    parser.feed(html)
    return parser.links


def same_site_path(href: str, base: str) -> str | None:
    """The path (query and fragment dropped) of a same-site page link, or None."""
    url = urlsplit(urljoin(f"http://testserver{base}", href.strip()))
    if url.scheme not in ("http", "https") or url.netloc != "testserver":
        return None  # mailto:, tel:, javascript: and other sites
    if url.path.startswith((settings.STATIC_URL, settings.MEDIA_URL)):
        return None
    return url.path


def route_name(path: str) -> str | None:
    """The route's namespaced name, or None for a path of no route."""
    try:
        return resolve(path).view_name
    except Resolver404:
        return None


def is_screen(response) -> bool:
    """A full HTML page (not a download, a JSON answer or an HTMX fragment)."""
    return (
        response.status_code == 200
        and not response.streaming
        and response.get("Content-Type", "").startswith("text/html")
        and b"<html" in response.content[:2000].lower()
    )


def crawl(client) -> set[str]:
    """The routes of the pages reached within MAX_CLICKS of home (a redirect costs no click).

    Each path is opened once, without its query: a filtered or sorted list is its list. At
    the last click one page of a route is enough (its links are not followed); before it,
    every object's page is opened, since a draft shows other links than a scored proposal.
    """
    reached: set[str] = set()
    seen = {"/"}
    queue = deque([("/", 0)])
    while queue:
        path, clicks = queue.popleft()
        name = route_name(path)
        if clicks == MAX_CLICKS and name in reached:
            continue
        reached.add(name)
        response = client.get(path)
        if response.streaming:
            b"".join(response.streaming_content)  # close downloads inside the test's transaction
            continue
        if response.status_code in (301, 302):
            found = [response["Location"]]
        elif is_screen(response) and clicks < MAX_CLICKS:
            found = links_of(response.content.decode())
            clicks += 1
        else:
            continue
        for href in found:
            target = same_site_path(href, path)
            if target and target not in seen and route_name(target) not in NOT_FOLLOWED:
                seen.add(target)
                queue.append((target, clicks))
    reached.discard(None)
    return reached


@pytest.fixture(scope="module")
def screens(django_db_setup, module_world) -> set[str]:
    """The MATRIX routes that answer a full HTML page to some persona (API routes aside).

    Each route is opened once, by the first persona allowed, with the matrix's own objects,
    which are rolled back after.
    """
    clients = {persona: Client() for persona in PERSONAS}
    for persona, client in clients.items():
        client.force_login(module_world[persona])  # outside the rollbacks: sessions stay
    found = set()
    for name, (kwargs_for, expected) in MATRIX.items():
        allowed = [persona for persona in PERSONAS if expected[persona] == 200]
        if not allowed:
            continue
        with transaction.atomic():
            url = reverse(name, kwargs=kwargs_for(module_world))
            if not url.startswith("/api/"):
                response = clients[allowed[0]].get(url)
                if response.streaming:
                    b"".join(response.streaming_content)
                if is_screen(response):
                    found.add(name)
            transaction.set_rollback(True)
    return found


@pytest.fixture(scope="module")
def crawl_world(module_world, screens) -> dict:
    """The module's world with one of everything a link may lead to: a cycle being assessed
    with a scored proposal (so ranking, decisions and the next step exist), a draft proposal
    of Banjar's operator, a programme with an activity and evidence, a Bimtek event, an
    indicator, an export, a notification, a cover letter and a rated sentra (Tapin's)."""
    scored_cycle(module_world)
    Cycle.objects.filter(pk=module_world["cycle"].pk).update(status=CycleStatus.ASSESSMENT)
    make_proposal(round_=module_world["round"], centre=CentreFactory(region_id="63.03.01"))
    publish(module_world["centre_tapin"], world=module_world)  # a sentra in the public catalogue
    for builder in (
        evidence_pk,
        event_63,
        banjar_indicator,
        operator_job,
        operator_notification,
        cover_letter_63,
    ):
        builder(module_world)
    return module_world


@pytest.mark.parametrize("persona", sorted(PERSONAS))
def test_every_screen_is_within_three_clicks_of_home(persona_client, crawl_world, screens, persona):
    reached = crawl(persona_client(persona))
    allowed = {
        name
        for name in screens
        if MATRIX[name][1][persona] == 200
        and name not in EXCEPTIONS
        and (persona, name) not in PERSONA_EXCEPTIONS
    }
    missing = sorted(allowed - reached)
    assert missing == [], f"{persona}: no link within {MAX_CLICKS} clicks of home: {missing}"


def test_screens_and_exceptions_are_real(db, screens):
    # A screen list gone short (say, every GET sent to sign-in) would let the crawl pass.
    assert {"home", "centres:detail", "evaluation:ranking", "proposals:edit"} <= screens
    excepted = EXCEPTIONS.keys() | {name for _persona, name in PERSONA_EXCEPTIONS}
    assert sorted(excepted - screens) == [], "these exceptions are no screens (any more)"


def test_decisions_breadcrumb_follows_cycle_ranking_decisions(persona_client, crawl_world):
    cycle = crawl_world["cycle"]
    client = persona_client("admin")
    evaluation = reverse("evaluation:index")
    hub = reverse("evaluation:cycle", kwargs={"pk": cycle.pk})
    ranking = reverse("evaluation:ranking", kwargs={"pk": cycle.pk})

    assert breadcrumb(client.get(ranking).content.decode()) == [evaluation, hub]
    decisions = reverse("evaluation:decisions", kwargs={"pk": cycle.pk})
    assert breadcrumb(client.get(decisions).content.decode()) == [evaluation, hub, ranking]


class BreadcrumbParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.inside = False
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "nav" and "breadcrumb" in (attributes.get("class") or "").split():
            self.inside = True
        elif tag == "a" and self.inside:
            self.links.append(attributes["href"])

    def handle_endtag(self, tag):
        if tag == "nav":
            self.inside = False


def breadcrumb(html: str) -> list[str]:
    """The links of the page's breadcrumb, in order."""
    parser = BreadcrumbParser()
    parser.feed(html)
    return parser.links
