"""Irreversible moves confirm first (issue 15 part 6): a summary, one reason box per move."""

import pytest
from django.urls import reverse

from ovop.proposals.models import Proposal
from tests.factories import make_proposal


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def state_of(proposal) -> str:
    return Proposal.objects.get(pk=proposal.pk).state


def url(proposal, action) -> str:
    return reverse("proposals:move", kwargs={"pk": proposal.pk, "action": action})


def test_the_detail_page_links_each_move_to_its_own_confirmation(client, verifier, media):
    proposal = make_proposal(state="submitted", checked=True)
    client.force_login(verifier)
    page = client.get(reverse("proposals:detail", args=[proposal.pk])).content.decode()
    assert f'href="{url(proposal, "verify")}"' in page
    assert f'href="{url(proposal, "return")}"' in page
    assert "<textarea" not in page.split('class="workflow-actions"')[1].split("</section>")[0]


def test_return_confirms_with_a_summary_and_its_own_reason_box(client, verifier, media):
    proposal = make_proposal(state="submitted", checked=True)
    client.force_login(verifier)
    page = client.get(url(proposal, "return")).content.decode()
    assert 'id="move-summary"' in page
    assert "alasan Anda" in page
    assert page.count("<textarea") == 1
    assert state_of(proposal) == "submitted"  # looking changes nothing

    refused = client.post(url(proposal, "return"), {"reason": ""})
    assert refused.status_code == 200
    assert "Tuliskan alasannya" in refused.content.decode()
    assert state_of(proposal) == "submitted"

    done = client.post(url(proposal, "return"), {"reason": "Foto produk kurang jelas"})
    assert done.status_code == 302
    assert state_of(proposal) == "returned"


def test_verify_confirms_without_a_reason_box_and_says_done_in_past_tense(client, verifier, media):
    proposal = make_proposal(state="submitted", checked=True)
    client.force_login(verifier)
    page = client.get(url(proposal, "verify")).content.decode()
    assert "<textarea" not in page
    response = client.post(url(proposal, "verify"), follow=True)
    assert state_of(proposal) == "verified"
    text = response.content.decode()
    assert "kini berstatus “Terverifikasi”" in text
    assert "Berhasil: " not in text


def test_a_move_that_cannot_happen_now_says_why_before_anything_is_typed(client, operator, media):
    proposal = make_proposal()
    proposal.documents.filter(item__code="decree").delete()
    client.force_login(operator)
    page = client.get(url(proposal, "submit")).content.decode()
    assert 'id="move-blocker"' in page
    assert "SK penetapan sentra" in page
    assert '<form method="post" novalidate class="move-confirm"' not in page


def test_confirmation_of_a_move_the_role_may_not_make_is_403(client, operator, media):
    proposal = make_proposal(state="submitted", checked=True)
    client.force_login(operator)
    assert client.get(url(proposal, "verify")).status_code == 403
    assert client.post(url(proposal, "verify")).status_code == 403
    assert state_of(proposal) == "submitted"


def test_confirmation_of_an_owned_or_unknown_move_is_404(client, verifier, media):
    proposal = make_proposal(state="verified", checked=True)
    client.force_login(verifier)
    assert client.get(url(proposal, "forward")).status_code == 404
    assert client.get(url(proposal, "publish_rated")).status_code == 404
    assert client.get(url(proposal, "fly")).status_code == 404
