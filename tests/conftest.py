"""Shared fixtures: the region data and one persona for every role."""

import pytest

from ovop.accounts.enums import Role
from ovop.regions.models import Region
from ovop.regions.services import load_regions
from tests.factories import UserFactory

# Districts and villages of these provinces are loaded for tests (all provinces and
# regencies always are); the full national load is tested once on its own.
TEST_PROVINCES = ("63", "64")


def ensure_regions() -> None:
    """Regions and the default commodity groups (transactional tests flush both)."""
    from ovop.centres.services import ensure_default_commodities

    if not Region.objects.filter(code="63.03.01").exists():
        load_regions(provinces=TEST_PROVINCES)
    ensure_default_commodities()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache (cached rankings must not outlive their data)."""
    from django.core.cache import cache

    from ovop.common.freshness import forget

    cache.clear()
    forget()
    yield


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
    from ovop.accounts.models import User

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
    from rest_framework.test import APIClient

    return APIClient()


# A tiny valid PDF and PNG for fixtures that need stored files (not for upload validation).
TINY_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def tiny_png() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (11, 110, 79)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def world(personas, settings, tmp_path):
    """Personas plus registry objects: a centre in 63.03 (Banjar) and one in 63.05 (Tapin),
    each with an enterprise, a certificate, a photo and a document."""
    from django.core.files.base import ContentFile

    from ovop.centres.models import CentreDocument, CentrePhoto
    from tests.factories import CentreFactory, CertificateFactory, EnterpriseFactory

    settings.MEDIA_ROOT = tmp_path / "media"
    objects = dict(personas)
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
    from tests.factories import make_proposal, make_round

    objects["round"] = make_round()
    objects["cycle"] = objects["round"].cycle
    objects["proposal_banjar"] = make_proposal(
        round_=objects["round"], centre=objects["centre_banjar"]
    )
    objects["proposal_document_banjar"] = objects["proposal_banjar"].documents.first()
    objects["proposal_document_banjar"].file.save("sk.pdf", ContentFile(TINY_PDF))
    return objects
