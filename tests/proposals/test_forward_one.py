"""One proposal reaches the ministry only through its round's forwarding, with a letter.

Issue 15: the verifier's single-proposal "Teruskan ke kementerian" button and
``POST /api/v1/proposals/{id}/forward/`` used to forward with no letter, number or notice.
"""

import pytest
from django.urls import reverse

from ovop.common.refusals import Refused
from ovop.proposals.models import Proposal
from ovop.proposals.models.letters import CoverLetter
from ovop.proposals.services.forwarding import forward_proposal, forward_round
from tests.factories import make_proposal


@pytest.fixture
def two_verified(world):
    round_ = world["round"]
    banjar = world["proposal_banjar"]
    Proposal.objects.filter(pk=banjar.pk).update(state="verified")
    tapin = make_proposal(
        round_=round_, centre=world["centre_tapin"], state="verified", checked=True
    )
    return {**world, "banjar": Proposal.objects.get(pk=banjar.pk), "tapin": tapin}


def state_of(proposal) -> str:
    return Proposal.objects.get(pk=proposal.pk).state


def test_the_old_move_button_is_gone_and_its_url_is_404(client, two_verified):
    proposal = two_verified["banjar"]
    client.force_login(two_verified["verifier"])
    page = client.get(reverse("proposals:detail", args=[proposal.pk])).content.decode()
    assert reverse("proposals:move", args=[proposal.pk, "forward"]) not in page
    link = reverse("letters:round_forward", args=[proposal.round_id]) + f"?proposal={proposal.pk}"
    assert link in page
    response = client.post(reverse("proposals:move", args=[proposal.pk, "forward"]))
    assert response.status_code == 404
    assert state_of(proposal) == "verified"
    assert not CoverLetter.objects.exists()


def test_the_link_from_a_proposal_ticks_only_that_proposal(client, two_verified):
    round_, banjar, tapin = two_verified["round"], two_verified["banjar"], two_verified["tapin"]
    client.force_login(two_verified["verifier"])
    url = reverse("letters:round_forward", args=[round_.pk])
    page = client.get(url, {"proposal": banjar.pk}).content.decode()
    assert f'value="{banjar.pk}" id="forward-{banjar.pk}"' in page
    ticked = [p for p in (banjar, tapin) if f'id="forward-{p.pk}" aria-label' in page]
    assert len(ticked) == 2  # both are listed ...
    assert page.count(" checked>") == 1  # ... only the one from the proposal's page is ticked

    response = client.post(url, {"proposal": [banjar.pk]})
    assert response.status_code == 302
    assert (state_of(banjar), state_of(tapin)) == ("forwarded", "verified")
    letter = CoverLetter.objects.get()
    assert list(letter.proposals.all()) == [banjar]
    assert letter.number in banjar.timeline.get(action="forward").reason


def test_forwarding_with_nothing_ticked_is_refused_and_changes_nothing(client, two_verified):
    client.force_login(two_verified["verifier"])
    url = reverse("letters:round_forward", args=[two_verified["round"].pk])
    response = client.post(url, {}, follow=True)
    assert "Pilih setidaknya satu usulan" in response.content.decode()
    assert state_of(two_verified["banjar"]) == "verified"
    assert not CoverLetter.objects.exists()


def test_a_tampered_choice_outside_the_round_is_refused(two_verified):
    other = make_proposal(state="verified", checked=True)  # another round
    with pytest.raises(Refused):
        forward_round(
            round_=two_verified["round"],
            actor=two_verified["verifier"],
            proposal_ids=[two_verified["banjar"].pk, other.pk],
        )
    assert state_of(two_verified["banjar"]) == "verified"
    assert state_of(other) == "verified"


def test_forward_proposal_writes_a_letter_for_it_alone(two_verified):
    letter = forward_proposal(proposal=two_verified["banjar"], actor=two_verified["verifier"])
    assert list(letter.proposals.all()) == [two_verified["banjar"]]
    assert state_of(two_verified["tapin"]) == "verified"
    assert letter.pdf.read().startswith(b"%PDF")


def test_forward_proposal_of_a_submitted_one_is_refused(world):
    proposal = make_proposal(round_=world["round"], state="submitted", checked=True)
    with pytest.raises(Refused) as refused:
        forward_proposal(proposal=proposal, actor=world["verifier"])
    assert refused.value.status == 409
    assert "terverifikasi" in refused.value.message


def test_api_forward_of_one_proposal_answers_it_with_its_letter(api_client, client, two_verified):
    proposal = two_verified["banjar"]
    api_client.force_authenticate(two_verified["verifier"])
    response = api_client.post(f"/api/v1/proposals/{proposal.pk}/forward/")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["id"], body["state"]) == (proposal.pk, "forwarded")
    letter = CoverLetter.objects.get()
    assert body["cover_letter_number"] == letter.number
    assert body["cover_letter"].endswith(reverse("letters:cover_letter_pdf", args=[letter.pk]))
    assert list(letter.proposals.all()) == [proposal]
    assert state_of(two_verified["tapin"]) == "verified"


@pytest.mark.parametrize("persona", ["admin", "operator"])
def test_api_forward_of_one_is_403_for_others_who_see_it(api_client, two_verified, persona):
    api_client.force_authenticate(two_verified[persona])
    response = api_client.post(f"/api/v1/proposals/{two_verified['banjar'].pk}/forward/")
    assert response.status_code == 403
    assert state_of(two_verified["banjar"]) == "verified"
    assert not CoverLetter.objects.exists()


@pytest.mark.parametrize(
    ("language", "wording"),
    [("id", "Diteruskan dengan surat pengantar nomor"), ("en", "Forwarded with cover letter")],
)
def test_the_timeline_entry_reads_in_the_readers_language(client, two_verified, language, wording):
    letter = forward_proposal(proposal=two_verified["banjar"], actor=two_verified["verifier"])
    client.cookies["ovop_language"] = language
    client.force_login(two_verified["operator"])
    page = client.get(reverse("proposals:detail", args=[two_verified["banjar"].pk]))
    assert f"{wording} {letter.number}" in page.content.decode()
