"""The official PDFs: the cover letter's content and the proposal dossier."""

import datetime
import io
import sys

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from ovop.proposals.models import Proposal
from ovop.proposals.models.letters import Letterhead
from ovop.proposals.outputs.pdf import PdfUnavailable, html_to_pdf, indonesian_date, render_dossier
from ovop.proposals.services.forwarding import forward_round
from ovop.proposals.services.proposals import transition
from tests.factories import make_proposal


def pdf_text(content: bytes) -> str:
    """The PDF's text with whitespace collapsed (table cells wrap words onto new lines)."""
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


@pytest.fixture
def forwarded(world):
    """Banjar and Tapin verified and forwarded by Kalimantan Selatan's verifier."""
    Letterhead.objects.create(
        province_id="63",
        office_name="DINAS PERINDUSTRIAN PROVINSI KALIMANTAN SELATAN",
        address="Jl. Jenderal Sudirman No. 1, Banjarbaru",
        city="Banjarbaru",
        signer_name="Ir. H. Contoh Pejabat",
        signer_title="Kepala Dinas Perindustrian",
        signer_nip="196801011990031001",
    )
    Proposal.objects.filter(pk=world["proposal_banjar"].pk).update(
        state="verified",
        lead_enterprise=world["enterprise_banjar"],
        featured_products="Kain sasirangan motif gigi haruan",
    )
    make_proposal(
        round_=world["round"], centre=world["centre_tapin"], state="verified", checked=True
    )
    letter = forward_round(round_=world["round"], actor=world["verifier"])
    return {**world, "letter": letter}


def test_indonesian_date_names_the_month_in_indonesian():
    assert indonesian_date(datetime.date(2026, 5, 21)) == "21 Mei 2026"
    assert indonesian_date(datetime.date(2026, 8, 17)) == "17 Agustus 2026"


def test_cover_letter_lists_the_centres_by_regency_with_letterhead_and_indonesian_date(
    forwarded,
):
    letter = forwarded["letter"]

    text = pdf_text(letter.pdf.read())

    assert "DINAS PERINDUSTRIAN PROVINSI KALIMANTAN SELATAN" in text
    assert f"Nomor : {letter.number}" in text
    assert "Perihal : Usulan Sentra IKM OVOP Tahun 2026" in text
    assert "Direktur Jenderal Industri Kecil, Menengah, dan Aneka" in text
    assert f"Banjarbaru, {indonesian_date(timezone.localdate())}" in text
    assert "Kabupaten Banjar" in text
    assert "Kabupaten Tapin" in text
    assert "Sentra Banjar" in text
    assert "Sentra Tapin" in text
    assert "Kain sasirangan motif gigi haruan" in text
    assert forwarded["enterprise_banjar"].name in text
    assert "Ir. H. Contoh Pejabat" in text
    assert "NIP. 196801011990031001" in text
    # Banjar (63.03) is listed before Tapin (63.05), each numbered in one sequence.
    assert text.index("Kabupaten Banjar") < text.index("Kabupaten Tapin")


def test_cover_letter_without_letterhead_uses_the_default(world):
    Proposal.objects.filter(pk=world["proposal_banjar"].pk).update(state="verified")

    letter = forward_round(round_=world["round"], actor=world["verifier"])

    text = pdf_text(letter.pdf.read())
    assert "PEMERINTAH PROVINSI KALIMANTAN SELATAN" in text
    assert "DINAS PERINDUSTRIAN PROVINSI KALIMANTAN SELATAN" in text
    assert "Sentra Banjar" in text


def test_dossier_summarises_centre_lead_narrative_checks_and_timeline(world):
    proposal = make_proposal(
        round_=world["round"], centre=world["centre_tapin"], state="submitted", checked=True
    )
    Proposal.objects.filter(pk=proposal.pk).update(
        lead_enterprise=world["enterprise_tapin"],
        local_yet_global="Motif lokal untuk pasar ekspor",
        market_access="Pameran dan lokapasar",
    )
    proposal.refresh_from_db()
    transition(proposal=proposal, action="verify", actor=world["verifier"])

    text = pdf_text(render_dossier(proposal=proposal))

    assert "Sentra Tapin" in text
    assert "Kabupaten Tapin" in text
    assert world["enterprise_tapin"].name in text
    certificate = world["enterprise_tapin"].certificates.get()
    assert certificate.number in text
    assert "Motif lokal untuk pasar ekspor" in text
    assert "Pameran dan lokapasar" in text
    assert "SK penetapan sentra (bupati/wali kota)" in text  # a checklist document
    assert world["verifier"].get_full_name() in text  # the timeline's actor


def test_dossier_of_a_bare_draft_renders(world):
    text = pdf_text(render_dossier(proposal=world["proposal_banjar"]))

    assert "Sentra Banjar" in text


def test_user_text_cannot_pull_in_files_or_markup(world):
    Proposal.objects.filter(pk=world["proposal_banjar"].pk).update(
        local_yet_global='<img src="file:///etc/passwd"> <b>tebal</b>'
    )

    text = pdf_text(render_dossier(proposal=world["proposal_banjar"]))

    assert '<img src="file:///etc/passwd">' in text  # printed as text, never fetched


def test_pdf_unavailable_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # as on a machine without Pango

    with pytest.raises(PdfUnavailable, match="Pango"):
        html_to_pdf("<p>x</p>")


# Screens and API ---------------------------------------------------------------------------


def dossier_url(proposal) -> str:
    return reverse("letters:proposal_dossier_pdf", kwargs={"pk": proposal.pk})


def test_dossier_screen_answers_a_pdf_to_who_sees_the_proposal(client, world):
    client.force_login(world["operator"])

    response = client.get(dossier_url(world["proposal_banjar"]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "Sentra Banjar" in pdf_text(response.content)


@pytest.mark.parametrize("persona", ["operator_neighbour", "verifier_other", "assessor"])
def test_dossier_screen_is_404_for_who_cannot_see_the_proposal(client, world, persona):
    client.force_login(world[persona])

    assert client.get(dossier_url(world["proposal_banjar"])).status_code == 404


def test_dossier_api_answers_a_pdf(api_client, world):
    api_client.force_authenticate(world["verifier"])
    url = reverse("proposal-dossier", kwargs={"pk": world["proposal_banjar"].pk})

    response = api_client.get(url)
    asked_for_pdf = api_client.get(url, HTTP_ACCEPT="application/pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "Sentra Banjar" in pdf_text(response.content)
    assert asked_for_pdf.status_code == 200


@pytest.mark.parametrize(("persona", "status"), [("operator_neighbour", 404), (None, 401)])
def test_dossier_api_refuses_who_cannot_see_the_proposal(api_client, world, persona, status):
    if persona:
        api_client.force_authenticate(world[persona])
    url = reverse("proposal-dossier", kwargs={"pk": world["proposal_banjar"].pk})

    assert api_client.get(url, HTTP_ACCEPT="application/pdf").status_code == status
    assert api_client.get(url).status_code == status
