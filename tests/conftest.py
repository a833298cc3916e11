"""Shared fixtures: the region data and one persona for every role."""

import io

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client, override_settings
from django.utils import translation
from PIL import Image
from rest_framework.test import APIClient

from ovop.accounts.enums import Role
from ovop.accounts.models import User
from ovop.centres.models import CentreDocument, CentrePhoto
from ovop.centres.services.centres import ensure_default_commodities
from ovop.common.freshness import forget
from ovop.regions.models import Region
from ovop.regions.services import load_regions
from tests.factories import (
    CentreFactory,
    CertificateFactory,
    EnterpriseFactory,
    UserFactory,
    make_proposal,
    make_round,
)

# Districts and villages of these provinces are loaded for tests (all provinces and
# regencies always are); the full national load is tested once on its own.
TEST_PROVINCES = ("63", "64")


def ensure_regions() -> None:
    """Regions and the default commodity groups (transactional tests flush both)."""
    if not Region.objects.filter(code="63.03.01").exists():
        load_regions(provinces=TEST_PROVINCES)
    ensure_default_commodities()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache (cached rankings must not outlive their data)."""
    cache.clear()
    forget()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a request that chose English (cookie or
    Accept-Language) leaves it active in the worker's thread, as Django does between requests."""
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture
def english():
    """Messages in English (the catalogue translates them for Indonesian): for tests that
    assert refusals and labels word for word. Use with ``pytest.mark.usefixtures``."""
    with translation.override("en"):
        yield


@pytest.fixture
def media(settings, tmp_path):
    """Uploads stored in a fresh folder of this test."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path / "media"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        ensure_regions()


PERSONAS = {
    "admin": (Role.ADMIN, None),
    "operator": (Role.OPERATOR, "63.03"),  # Kabupaten Banjar
    "operator_neighbour": (Role.OPERATOR, "63.04"),  # Kabupaten Barito Kuala, next door
    "verifier": (Role.VERIFIER, "63"),  # Kalimantan Selatan
    "verifier_other": (Role.VERIFIER, "64"),  # Kalimantan Timur
    "assessor": (Role.ASSESSOR, "63"),
    "viewer": (Role.VIEWER, None),
}


def make_persona(name: str):
    existing = User.objects.filter(username=f"persona-{name}").first()
    if existing is not None:
        return existing  # re-saving would change the password hash and end sessions
    role, region = PERSONAS[name]
    return UserFactory(username=f"persona-{name}", role=role, region_id=region)


@pytest.fixture
def personas(db) -> dict:
    """Every role, plus an operator of the neighbouring regency and another province's verifier."""
    return {name: make_persona(name) for name in PERSONAS}


def _persona_fixture(name: str):
    @pytest.fixture
    def fixture(db):
        return make_persona(name)

    fixture.__doc__ = f"The {name} persona ({PERSONAS[name][0]}, {PERSONAS[name][1]})."
    return fixture


admin_user = _persona_fixture("admin")
operator = _persona_fixture("operator")
operator_neighbour = _persona_fixture("operator_neighbour")
verifier = _persona_fixture("verifier")
verifier_other = _persona_fixture("verifier_other")
assessor = _persona_fixture("assessor")
viewer = _persona_fixture("viewer")


@pytest.fixture
def api_client():
    return APIClient()


# A tiny valid PDF and PNG for fixtures that need stored files (not for upload validation).
TINY_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def tiny_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (11, 110, 79)).save(buffer, format="PNG")
    return buffer.getvalue()


def build_world() -> dict:
    """Every persona plus registry objects: a centre in 63.03 (Banjar) and one in 63.05
    (Tapin), each with an enterprise, a certificate, a photo and a document, and a proposal of
    the Banjar centre in a round of province 63. Files go to the current MEDIA_ROOT."""
    objects = {name: make_persona(name) for name in PERSONAS}
    for key, district in (("banjar", "63.03.01"), ("tapin", "63.05.01")):
        centre = CentreFactory(region_id=district, name=f"Sentra {key.title()}")
        enterprise = EnterpriseFactory(centre=centre)
        CertificateFactory(enterprise=enterprise)
        photo = CentrePhoto(centre=centre, caption="Produk")
        photo.image.save("p.png", ContentFile(tiny_png()), save=False)
        photo.thumbnail.save("t.png", ContentFile(tiny_png()), save=False)
        photo.save()
        document = CentreDocument(centre=centre, kind="decree", title="SK penetapan", size=10)
        document.file.save("sk.pdf", ContentFile(TINY_PDF), save=False)
        document.save()
        objects[f"centre_{key}"] = centre
        objects[f"enterprise_{key}"] = enterprise
        objects[f"photo_{key}"] = photo
        objects[f"document_{key}"] = document
    objects["round"] = make_round()
    objects["cycle"] = objects["round"].cycle
    objects["proposal_banjar"] = make_proposal(
        round_=objects["round"], centre=objects["centre_banjar"]
    )
    objects["proposal_document_banjar"] = objects["proposal_banjar"].documents.first()
    objects["proposal_document_banjar"].file.save("sk.pdf", ContentFile(TINY_PDF))
    return objects


@pytest.fixture
def world(personas, settings, tmp_path):
    """Personas plus registry objects (see `build_world`), made for this test alone."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return build_world()


@pytest.fixture(scope="module")
def module_db(django_db_blocker, tmp_path_factory):
    """One transaction around a whole test module, for rows its tests only read.

    Rows made in module-scoped fixtures that use this stay for every test of the module;
    each test still runs in its own savepoint (the `db` fixture), so whatever a test
    changes is undone after it, and everything is rolled back when the module ends.
    Not for transactional tests (live server, browser), which flush the tables.
    """
    with (
        override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        yield
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def module_world(module_db) -> dict:
    """`world`, built once for a module whose tests only read it."""
    return build_world()


@pytest.fixture(scope="module")
def module_personas(module_db) -> dict:
    """`personas`, made once for a module."""
    return {name: make_persona(name) for name in PERSONAS}


@pytest.fixture(scope="module")
def persona_sessions(module_world) -> dict:
    """One signed-in session per persona, made once for the module (key by persona name)."""
    sessions = {}
    for name in PERSONAS:
        client = Client()
        client.force_login(module_world[name])
        sessions[name] = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    return sessions


@pytest.fixture
def persona_client(persona_sessions, db):
    """A fresh client signed in as the persona named (or anonymous): one login per persona
    per module, not per test, and no cookie left over from another test."""

    def client_for(name: str) -> Client:
        client = Client()
        if name != "anonymous":
            client.cookies[django_settings.SESSION_COOKIE_NAME] = persona_sessions[name]
        return client

    return client_for
