"""The decision record (Berita Acara Penilaian): published decisions only, by province."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from ovop.evaluation.outputs.pdf import record_context
from ovop.evaluation.services.decisions import fill_pending, publish_cycle, set_decision
from ovop.proposals.outputs.pdf import indonesian_date
from tests.evaluation.helpers import levels
from tests.evaluation.ranking_builders import other_province_round, scored_proposal

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    """The PDF's text with whitespace collapsed (table cells wrap words onto new lines)."""
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def record_url(world) -> str:
    return reverse("evaluation:record_pdf", kwargs={"pk": world["cycle"].pk})


@pytest.fixture
def published(world):
    """Kalimantan Selatan: a ★4 and a not-rated proposal; Kalimantan Timur: a ★5; all
    published. One more ★3 proposal stays pending."""
    four = scored_proposal(world, levels(4), name="Sentra Sasirangan Banjar")
    refused = scored_proposal(world, levels(3), name="Sentra Ditolak")
    five = scored_proposal(
        world,
        levels(5),
        name="Sentra Ulap Doyo",
        district="64.01.01",
        round_=other_province_round(world),
    )
    fill_pending(cycle=world["cycle"], actor=world["admin"])
    set_decision(proposal=refused, actor=world["admin"], stars=None, reason="Tidak memenuhi")
    publish_cycle(cycle=world["cycle"], actor=world["admin"])
    pending = scored_proposal(world, levels(3), name="Sentra Menunggu")
    set_decision(proposal=pending, actor=world["admin"], stars=3)
    return {"four": four, "five": five, "refused": refused, "pending": pending}


def test_record_lists_published_rated_proposals_by_province_with_score_and_stars(
    client, world, published
):
    client.force_login(world["admin"])

    response = client.get(record_url(world))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "berita-acara-penilaian-2026" in response["Content-Disposition"]
    text = pdf_text(response.content)
    assert "BERITA ACARA PENILAIAN SENTRA IKM OVOP" in text
    assert "OVOP 2026" in text
    assert indonesian_date(timezone.localdate()) in text
    # The rated proposals with their score and stars, grouped by province.
    assert "Provinsi Kalimantan Selatan" in text
    assert "Provinsi Kalimantan Timur" in text
    assert text.index("Provinsi Kalimantan Selatan") < text.index("Sentra Sasirangan Banjar")
    assert text.index("Sentra Sasirangan Banjar") < text.index("Provinsi Kalimantan Timur")
    assert "Sentra Sasirangan Banjar Kain batik 80,00 ★★★★ (4)" in text
    assert "Sentra Ulap Doyo Kain batik 100,00 ★★★★★ (5)" in text
    # Not rated: counted, not listed; pending: neither.
    assert "Sentra Ditolak" not in text
    assert "Tidak berbintang : 1 sentra" in text
    assert "Sentra Menunggu" not in text
    assert "Jumlah berbintang : 2 sentra" in text
    # The rubric and bands used, and the signature blocks.
    assert "K3.1" in text
    assert "Jangkauan pasar" in text
    assert "nilai ≥ 85,00" in text
    assert "Ketua Tim Penilai" in text


def test_record_context_groups_rated_decisions_by_province(world, published):
    context = record_context(cycle=world["cycle"])

    assert [group.code for group in context["groups"]] == ["63", "64"]
    assert [[d.proposal_id for _n, d, _g in group.rows] for group in context["groups"]] == [
        [published["four"].pk],
        [published["five"].pk],
    ]
    assert context["by_stars"] == [(5, 1), (4, 1)]
    assert context["not_rated_count"] == 1
    assert context["bands"][-1] == (1, 0.0, 40.0, "★")


def test_record_before_any_publication_is_409_with_an_explanation(client, world):
    proposal = scored_proposal(world, levels(4))
    set_decision(proposal=proposal, actor=world["admin"], stars=4)
    client.cookies["ovop_language"] = "en"
    client.force_login(world["viewer"])

    response = client.get(record_url(world))

    assert response.status_code == 409
    assert "none is published yet" in response.content.decode()


def test_record_is_for_results_readers_only(client, world, published):
    client.force_login(world["viewer"])
    assert client.get(record_url(world)).status_code == 200
    for persona in ("operator", "verifier", "assessor"):
        client.force_login(world[persona])
        assert client.get(record_url(world)).status_code == 403, persona
    client.force_login(world["admin"])
    missing = reverse("evaluation:record_pdf", kwargs={"pk": 999_999})
    assert client.get(missing).status_code == 404
