"""QR codes for packaging: they decode to the centre's public page, and exist only for it."""

import io
import xml.etree.ElementTree as ElementTree

import pytest
import zxingcpp
from django.urls import reverse
from PIL import Image

from ovop.catalogue.outputs.qr import public_url
from ovop.evaluation.models import Decision
from tests.catalogue.matrix_manage import publish
from tests.factories import make_cycle, make_proposal, make_round

SVG = "{http://www.w3.org/2000/svg}"


def qr_url(kind: str, lang: str, centre) -> str:
    return reverse(f"catalogue:qr_{kind}", kwargs={"lang": lang, "pk": centre.pk})


def detail_path(lang: str, centre) -> str:
    return reverse(
        "catalogue:detail", kwargs={"lang": lang, "pk": centre.pk, "slug": "sentra-banjar"}
    )


def decoded(png: bytes) -> list[str]:
    return [barcode.text for barcode in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))]


@pytest.fixture
def public_banjar(world):
    return publish(world["centre_banjar"], world=world)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_qr_png_decodes_to_the_public_page_in_its_language(client, public_banjar, lang):
    response = client.get(qr_url("png", lang, public_banjar))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert decoded(response.content) == [f"http://testserver{detail_path(lang, public_banjar)}"]


def test_qr_png_prints_at_least_three_centimetres(client, public_banjar):
    image = Image.open(io.BytesIO(client.get(qr_url("png", "id", public_banjar)).content))
    dpi = image.info["dpi"][0]
    assert image.width / dpi * 2.54 >= 2.9


def test_qr_png_uses_the_configured_base_url(client, settings, public_banjar):
    settings.OVOP_BASE_URL = "https://ovop.kemenperin.go.id"
    response = client.get(qr_url("png", "en", public_banjar), HTTP_HOST="10.0.0.5")
    assert decoded(response.content) == [
        f"https://ovop.kemenperin.go.id{detail_path('en', public_banjar)}"
    ]


@pytest.mark.parametrize("lang", ["id", "en"])
def test_qr_svg_is_an_svg_document_with_a_title(client, public_banjar, lang):
    response = client.get(qr_url("svg", lang, public_banjar))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    root = ElementTree.fromstring(response.content)
    assert root.tag == f"{SVG}svg"
    assert root.get("viewBox")
    assert "Sentra Banjar" in root.find(f"{SVG}title").text
    assert root.find(f"{SVG}path") is not None


def test_qr_svg_title_escapes_the_centre_name(client, world, public_banjar):
    public_banjar.name = 'Sentra <Banjar> & "Co"'
    public_banjar.save()
    content = client.get(qr_url("svg", "id", public_banjar)).content
    assert "<Banjar>" not in content.decode()
    assert 'Sentra <Banjar> & "Co"' in ElementTree.fromstring(content).find(f"{SVG}title").text


@pytest.mark.parametrize("kind", ["svg", "png"])
def test_qr_is_inline_unless_downloaded(client, public_banjar, kind):
    inline = client.get(qr_url(kind, "id", public_banjar))
    download = client.get(qr_url(kind, "id", public_banjar) + "?download=1")
    assert inline["Content-Disposition"] == f'inline; filename="qr-sentra-banjar.{kind}"'
    assert download["Content-Disposition"] == f'attachment; filename="qr-sentra-banjar.{kind}"'


def test_qr_is_cacheable_and_answers_not_modified(client, public_banjar):
    response = client.get(qr_url("png", "id", public_banjar))
    assert "public" in response["Cache-Control"]
    assert "max-age=86400" in response["Cache-Control"]
    again = client.get(qr_url("png", "id", public_banjar), HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    assert again.content == b""


def test_qr_etag_changes_with_the_language(client, public_banjar):
    one = client.get(qr_url("png", "id", public_banjar))["ETag"]
    other = client.get(qr_url("png", "en", public_banjar))["ETag"]
    assert one != other


@pytest.mark.parametrize("kind", ["svg", "png"])
def test_qr_unknown_language_is_404(client, public_banjar, kind):
    response = client.get(f"/catalogue/fr/{public_banjar.pk}/qr.{kind}")
    assert response.status_code == 404


@pytest.mark.parametrize("kind", ["svg", "png"])
def test_qr_unknown_centre_is_404(client, public_banjar, kind):
    response = client.get(reverse(f"catalogue:qr_{kind}", kwargs={"lang": "id", "pk": 999999}))
    assert response.status_code == 404


def _draft(world):
    return world["centre_banjar"]  # its proposal is a draft


def _pending(world):
    proposal = world["proposal_banjar"]
    proposal.state = "rated"
    proposal.save(update_fields=["state"])
    Decision.objects.create(
        proposal=proposal, stars=3, computed_stars=3, status="pending", decided_by=world["admin"]
    )
    return world["centre_banjar"]


def _not_rated(world):
    publish(world["centre_banjar"], world=world)
    proposal = world["proposal_banjar"]
    proposal.state = "not_rated"
    proposal.save(update_fields=["state"])
    proposal.decision.stars = None
    proposal.decision.save(update_fields=["stars"])
    return world["centre_banjar"]


def _withdrawn(world):
    publish(world["centre_banjar"], world=world)
    proposal = world["proposal_banjar"]
    proposal.state = "withdrawn"
    proposal.save(update_fields=["state"])
    return world["centre_banjar"]


def _no_proposal(world):
    return world["centre_tapin"]


@pytest.mark.parametrize("make", [_draft, _pending, _not_rated, _withdrawn, _no_proposal])
@pytest.mark.parametrize("kind", ["svg", "png"])
def test_qr_of_a_centre_not_in_the_catalogue_is_404(client, world, make, kind):
    centre = make(world)
    client.force_login(world["admin"])  # even the ministry gets no code for it
    response = client.get(qr_url(kind, "id", centre))
    assert response.status_code == 404


def test_qr_another_rated_proposal_keeps_the_centre_public(client, world):
    """A centre rated in one cycle keeps its code when a later proposal is a draft."""
    publish(world["centre_banjar"], world=world)
    later = make_round(cycle=make_cycle(year=2027, name="OVOP 2027"))
    make_proposal(round_=later, centre=world["centre_banjar"])
    assert client.get(qr_url("png", "id", world["centre_banjar"])).status_code == 200


@pytest.mark.parametrize("kind", ["svg", "png"])
def test_qr_refuses_post(client, public_banjar, kind):
    response = client.post(qr_url(kind, "id", public_banjar))
    assert response.status_code == 405


def test_public_url_is_absolute_for_the_request_host(rf, public_banjar):
    request = rf.get("/", HTTP_HOST="ovop.example")
    url = public_url(request, public_banjar, "en")
    assert url == f"http://ovop.example{detail_path('en', public_banjar)}"
