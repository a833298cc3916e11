"""Guarded publication (issue 15): unfinished work is listed, and refused unless overridden.

In the demo's 2026 cycle three of four decisions had 1 of 3 assessments submitted and
publishing silently closed the assessors' drafts; now each gap is named first.
"""

import pytest
from django.urls import reverse
from django.utils import translation

from ovop.evaluation.models import Assessment, Decision, Publication
from ovop.evaluation.selectors.publication import publication_gaps
from ovop.evaluation.services.decisions import GapsOpen, fill_pending, publish_cycle
from ovop.proposals.models import Proposal
from tests.evaluation.helpers import assign_directly, levels, make_assessor
from tests.evaluation.ranking_builders import scored_proposal

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def indonesian():
    """The gaps are worded in the active language; these tests read the Indonesian."""
    with translation.override("id"):
        yield


@pytest.fixture
def half_scored(world):
    """One proposal with 1 of 3 assessments submitted: a draft by one, nothing by another."""
    proposal = scored_proposal(world, levels(4), name="Sentra Setengah")
    drafting = make_assessor("penilai-draf")
    waiting = make_assessor("penilai-belum")
    Assessment.objects.create(assignment=assign_directly(proposal, drafting), levels=levels(3))
    assign_directly(proposal, waiting)
    fill_pending(cycle=world["cycle"], actor=world["admin"])
    return proposal


def state_of(proposal) -> str:
    return Proposal.objects.values_list("state", flat=True).get(pk=proposal.pk)


def test_gaps_name_the_missing_assessments_and_the_open_draft(world, half_scored):
    gaps = publication_gaps(world["cycle"])
    assert [(gap.kind, gap.proposal_id) for gap in gaps] == [("assessment", half_scored.pk)]
    assert "1 dari 3 penilaian" in gaps[0].text
    drafting, waiting = (a.assessor for a in half_scored.assignments.order_by("pk")[1:])
    assert drafting.get_full_name() in gaps[0].text
    assert waiting.get_full_name() in gaps[0].text


def test_publishing_with_an_unfinished_assessment_is_refused_and_changes_nothing(
    world, half_scored
):
    with pytest.raises(GapsOpen) as refused:
        publish_cycle(cycle=world["cycle"], actor=world["admin"])
    assert refused.value.status == 409
    assert [gap.centre for gap in refused.value.gaps] == ["Sentra Setengah"]
    assert state_of(half_scored) == "eligible"
    assert Decision.objects.get(proposal=half_scored).status == "pending"
    assert not Publication.objects.exists()


def test_publishing_anyway_records_the_reason_and_the_gaps(world, half_scored):
    reason = "Batas waktu penetapan menteri; penilai ketiga berhalangan."
    assert publish_cycle(cycle=world["cycle"], actor=world["admin"], override_reason=reason) == 1
    assert state_of(half_scored) == "rated"
    publication = Publication.objects.get()
    assert (publication.override_reason, publication.decisions) == (reason, 1)
    assert publication.published_by == world["admin"]
    assert [gap["proposal"] for gap in publication.gaps] == [half_scored.pk]
    assert "draf terbuka oleh" in publication.gaps[0]["text"]
    # The draft is kept, named in the record, not silently deleted.
    assert Assessment.objects.filter(submitted_at__isnull=True).count() == 1


def test_a_clean_cycle_publishes_without_a_reason_and_records_no_override(world):
    scored_proposal(world, levels(4), levels(4), name="Sentra Lengkap")
    fill_pending(cycle=world["cycle"], actor=world["admin"])
    assert publication_gaps(world["cycle"]) == []
    publish_cycle(cycle=world["cycle"], actor=world["admin"])
    assert Publication.objects.get().override_reason == ""


def test_a_departure_from_the_computed_stars_without_a_reason_is_a_gap(world):
    proposal = scored_proposal(world, levels(4), name="Sentra Beda")
    Decision.objects.create(proposal=proposal, stars=1, computed_stars=1, decided_by=world["admin"])
    gaps = publication_gaps(world["cycle"])
    assert [gap.kind for gap in gaps] == ["deviation"]
    assert "★" in gaps[0].text


def test_assessors_who_disagree_without_a_note_is_a_gap(world):
    scored_proposal(world, levels(1), levels(5), name="Sentra Beda Pendapat")
    fill_pending(cycle=world["cycle"], actor=world["admin"])
    assert [gap.kind for gap in publication_gaps(world["cycle"])] == ["disagreement"]


def publish_url(world) -> str:
    return reverse("evaluation:publish", kwargs={"pk": world["cycle"].pk})


def test_the_publish_page_lists_the_gaps_and_asks_for_a_reason(client, world, half_scored):
    client.force_login(world["admin"])
    page = client.get(publish_url(world)).content.decode()
    assert 'id="publication-gaps"' in page
    assert "draf terbuka oleh" in page
    assert "Terbitkan tetap, dengan alasan ini" in page

    refused = client.post(publish_url(world), {"override_reason": ""})
    assert refused.status_code == 200
    assert "belum selesai" in refused.content.decode()
    assert state_of(half_scored) == "eligible"

    done = client.post(publish_url(world), {"override_reason": "Penetapan menteri mendesak."})
    assert done.status_code == 302
    assert state_of(half_scored) == "rated"
    page = client.get(publish_url(world)).content.decode()
    assert "Penetapan menteri mendesak." in page  # the publication's record


def test_api_publish_answers_409_with_the_gaps_then_publishes_with_a_reason(
    api_client, world, half_scored
):
    api_client.force_authenticate(world["admin"])
    url = f"/api/v1/cycles/{world['cycle'].pk}/publish/"
    refused = api_client.post(url, {}, format="json")
    assert refused.status_code == 409
    body = refused.json()
    assert body["gaps"][0]["proposal"] == half_scored.pk
    assert body["gaps"][0]["kind"] == "assessment"
    assert state_of(half_scored) == "eligible"
    done = api_client.post(url, {"override_reason": "Mendesak."}, format="json")
    assert done.status_code == 200
    assert done.json() == {"published": 1}
