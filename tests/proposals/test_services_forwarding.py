"""The province's batch forward: service, API action and screens."""

import datetime
import sys

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from ovop.common.refusals import Refused
from ovop.notifications.models import Notification
from ovop.proposals.models import Proposal, Transition
from ovop.proposals.models.letters import (
    CoverLetter,
    Letterhead,
    format_letter_number,
    validate_number_pattern,
)
from ovop.proposals.outputs.pdf import PdfUnavailable
from ovop.proposals.services.forwarding import forward_round
from tests.factories import CentreFactory, make_proposal, make_round


@pytest.fixture
def batch(world):
    """Banjar and Tapin verified, Barito Kuala submitted, the Banjar draft of `world` verified."""
    round_ = world["round"]
    banjar = world["proposal_banjar"]
    Proposal.objects.filter(pk=banjar.pk).update(
        state="verified", lead_enterprise=world["enterprise_banjar"], featured_products="Kain"
    )
    tapin = make_proposal(
        round_=round_, centre=world["centre_tapin"], state="verified", checked=True
    )
    submitted = make_proposal(
        round_=round_, centre=CentreFactory(region_id="63.04.01"), state="submitted"
    )
    return {**world, "verified": [banjar, tapin], "submitted": submitted}


def states(*proposals) -> list[str]:
    return [Proposal.objects.get(pk=proposal.pk).state for proposal in proposals]


def test_forward_round_moves_every_verified_proposal_and_only_those(batch):
    letter = forward_round(round_=batch["round"], actor=batch["verifier"])

    assert states(*batch["verified"]) == ["forwarded", "forwarded"]
    assert states(batch["submitted"]) == ["submitted"]
    assert set(letter.proposals.all()) == set(batch["verified"])
    entries = Transition.objects.filter(action="forward")
    assert entries.count() == 2
    for entry in entries:
        assert (entry.from_state, entry.to_state) == ("verified", "forwarded")
        assert entry.actor == batch["verifier"]
        assert letter.number in entry.reason
    assert letter.pdf.read().startswith(b"%PDF")


def test_forward_round_numbers_letters_in_sequence_per_province_and_year(batch):
    year = timezone.localdate().year
    first = forward_round(round_=batch["round"], actor=batch["verifier"])
    Proposal.objects.filter(pk=batch["submitted"].pk).update(state="verified")
    second = forward_round(round_=batch["round"], actor=batch["verifier"])

    assert (first.sequence, second.sequence) == (1, 2)
    assert first.number == f"500.11/1/DISPERIN/{year}"
    assert second.number == f"500.11/2/DISPERIN/{year}"
    assert list(second.proposals.all()) == [batch["submitted"]]


def test_forward_round_uses_the_provinces_letterhead(batch):
    Letterhead.objects.create(
        province_id="63",
        office_name="DINAS PERINDUSTRIAN PROVINSI KALIMANTAN SELATAN",
        city="Banjarbaru",
        signer_name="Ir. H. Contoh",
        signer_title="Kepala Dinas",
        signer_nip="196801011990031001",
        number_pattern="530/{seq}/IKM/{roman_month}/{year}",
    )
    letter = forward_round(round_=batch["round"], actor=batch["verifier"])

    today = timezone.localdate()
    assert letter.number.startswith("530/1/IKM/")
    assert letter.number.endswith(f"/{today.year}")
    assert (letter.signer_name, letter.signer_nip) == ("Ir. H. Contoh", "196801011990031001")


def test_forward_round_with_nothing_verified_is_refused_409(world):
    with pytest.raises(Refused) as refused:
        forward_round(round_=world["round"], actor=world["verifier"])

    assert refused.value.status == 409
    assert not CoverLetter.objects.exists()


@pytest.mark.parametrize("persona", ["operator", "admin", "verifier_other", "viewer"])
def test_forward_round_refused_403_for_anyone_but_the_provinces_verifier(batch, persona):
    with pytest.raises(Refused) as refused:
        forward_round(round_=batch["round"], actor=batch[persona])

    assert refused.value.status == 403
    assert states(*batch["verified"]) == ["verified", "verified"]
    assert not CoverLetter.objects.exists()


def test_forward_round_changes_nothing_when_the_pdf_cannot_be_made(batch, monkeypatch):
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # as on a machine without Pango

    with pytest.raises(PdfUnavailable):
        forward_round(round_=batch["round"], actor=batch["verifier"])

    assert states(*batch["verified"]) == ["verified", "verified"]
    assert not CoverLetter.objects.exists()
    assert not Transition.objects.filter(action="forward").exists()


def test_format_letter_number_fills_every_placeholder():
    day = datetime.date(2026, 5, 21)
    pattern = "500.11/{seq}/DISPERIN/{month}/{roman_month}/{year}"

    assert format_letter_number(pattern, sequence=7, date=day) == "500.11/7/DISPERIN/05/V/2026"


@pytest.mark.parametrize("pattern", ["500.11/DISPERIN/{year}", "{seq}/{seq.__class__}", "{seq}/{"])
def test_number_pattern_needs_seq_and_only_known_placeholders(pattern):
    with pytest.raises(ValidationError):
        validate_number_pattern(pattern)


# API ---------------------------------------------------------------------------------------


def forward_url(round_) -> str:
    return reverse("round-forward", kwargs={"pk": round_.pk})


def test_api_forward_answers_with_the_cover_letter_url_which_downloads_a_pdf(
    api_client, client, batch
):
    api_client.force_authenticate(batch["verifier"])

    response = api_client.post(forward_url(batch["round"]))

    assert response.status_code == 200, response.content
    letter = CoverLetter.objects.get()
    path = reverse("letters:cover_letter_pdf", kwargs={"pk": letter.pk})
    assert response.json() == {
        "forwarded": 2,
        "cover_letter": f"http://testserver{path}",
        "number": letter.number,
    }
    client.force_login(batch["operator"])  # anyone who sees the round reads its letters
    download = client.get(path)
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_api_forward_with_nothing_verified_is_409(api_client, world):
    api_client.force_authenticate(world["verifier"])

    assert api_client.post(forward_url(world["round"])).status_code == 409


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("admin", 403),
        ("operator", 403),
        ("viewer", 403),
        ("verifier_other", 404),
        ("assessor", 404),
    ],
)
def test_api_forward_refused_for_other_roles(api_client, batch, persona, status):
    api_client.force_authenticate(batch[persona])

    assert api_client.post(forward_url(batch["round"])).status_code == status
    assert states(*batch["verified"]) == ["verified", "verified"]


def test_api_forward_needs_credentials(api_client, batch):
    assert api_client.post(forward_url(batch["round"])).status_code == 401


# Screens -----------------------------------------------------------------------------------


def screen_url(round_) -> str:
    return reverse("letters:round_forward", kwargs={"pk": round_.pk})


def test_round_forward_page_lists_the_verified_proposals_and_the_next_number(client, batch):
    client.force_login(batch["verifier"])

    response = client.get(screen_url(batch["round"]))

    assert response.status_code == 200
    body = response.content.decode()
    assert "Sentra Banjar" in body
    assert "Sentra Tapin" in body
    assert batch["submitted"].centre.name not in body
    assert f"500.11/1/DISPERIN/{timezone.localdate().year}" in body


def test_round_forward_post_forwards_and_lists_the_letter(client, batch):
    client.force_login(batch["verifier"])

    ticked = [proposal.pk for proposal in batch["verified"]]
    response = client.post(screen_url(batch["round"]), {"proposal": ticked})

    letter = CoverLetter.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("proposals:compliance", kwargs={"pk": letter.round_id})
    assert states(*batch["verified"]) == ["forwarded", "forwarded"]


def test_round_forward_post_with_nothing_verified_says_why(client, world):
    client.force_login(world["verifier"])

    response = client.post(screen_url(world["round"]), follow=True)

    assert response.redirect_chain[-1][0] == screen_url(world["round"])
    assert [message.level_tag for message in response.context["messages"]] == ["error"]
    assert not CoverLetter.objects.exists()


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("admin", 403),
        ("operator", 403),
        ("viewer", 403),
        ("verifier_other", 404),
        ("assessor", 404),
    ],
)
def test_round_forward_screen_only_for_the_provinces_verifier(client, batch, persona, status):
    client.force_login(batch[persona])

    assert client.get(screen_url(batch["round"])).status_code == status
    assert client.post(screen_url(batch["round"])).status_code == status
    assert not CoverLetter.objects.exists()


def test_round_forward_page_queries_do_not_grow(client, batch, django_assert_max_num_queries):
    client.force_login(batch["verifier"])
    with django_assert_max_num_queries(12):
        client.get(screen_url(batch["round"]))
    for index in range(8):
        centre = CentreFactory(region_id="63.71.01", name=f"Sentra Kota {index}")
        make_proposal(round_=batch["round"], centre=centre, state="verified")
    with django_assert_max_num_queries(12):
        response = client.get(screen_url(batch["round"]))
    assert "Sentra Kota 7" in response.content.decode()


def test_cover_letter_pdf_is_404_for_who_cannot_see_the_round(client, batch):
    letter = forward_round(round_=batch["round"], actor=batch["verifier"])
    url = reverse("letters:cover_letter_pdf", kwargs={"pk": letter.pk})

    client.force_login(batch["verifier_other"])
    assert client.get(url).status_code == 404
    client.force_login(batch["assessor"])
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_cover_letter_pdf_of_another_provinces_round_is_404(client, world):
    other_round = make_round(cycle=world["cycle"], province="64")
    proposal = make_proposal(
        round_=other_round,
        centre=CentreFactory(region_id="64.01.01"),
        state="verified",
        checked=True,
    )
    letter = forward_round(round_=other_round, actor=world["verifier_other"])
    assert list(letter.proposals.all()) == [proposal]

    client.force_login(world["verifier"])
    response = client.get(reverse("letters:cover_letter_pdf", kwargs={"pk": letter.pk}))

    assert response.status_code == 404


# Letterhead --------------------------------------------------------------------------------


def letterhead_url(province: str = "") -> str:
    url = reverse("letters:letterhead_edit")
    return f"{url}?province={province}" if province else url


def letterhead_data(**overrides) -> dict:
    return {
        "office_name": "DINAS PERINDUSTRIAN PROVINSI KALIMANTAN SELATAN",
        "address": "Jl. Jenderal Sudirman No. 1\nBanjarbaru 70711",
        "phone": "(0511) 000000",
        "email": "disperin@kalselprov.go.id",
        "website": "",
        "city": "Banjarbaru",
        "signer_name": "Ir. H. Contoh",
        "signer_title": "Kepala Dinas",
        "signer_nip": "196801011990031001",
        "number_pattern": "500.11/{seq}/DISPERIN/{year}",
        **overrides,
    }


def test_verifier_edits_their_provinces_letterhead(client, verifier):
    client.force_login(verifier)

    page = client.get(letterhead_url())
    assert page.status_code == 200
    assert "DINAS PERINDUSTRIAN PROVINSI KALIMANTAN SELATAN" in page.content.decode()
    response = client.post(letterhead_url(), letterhead_data())

    assert response.status_code == 302
    letterhead = Letterhead.objects.get()
    assert (letterhead.province_id, letterhead.city) == ("63", "Banjarbaru")
    assert letterhead.address_lines == ["Jl. Jenderal Sudirman No. 1", "Banjarbaru 70711"]


def test_letterhead_refuses_a_pattern_without_seq(client, verifier):
    client.force_login(verifier)

    response = client.post(letterhead_url(), letterhead_data(number_pattern="500.11/{year}"))

    assert response.status_code == 200
    assert not Letterhead.objects.exists()


def test_verifier_may_not_edit_another_provinces_letterhead(client, verifier):
    client.force_login(verifier)

    assert client.get(letterhead_url("64")).status_code == 403
    assert client.post(letterhead_url("64"), letterhead_data()).status_code == 403
    assert not Letterhead.objects.exists()


def test_admin_chooses_a_province_then_edits_it(client, admin_user):
    client.force_login(admin_user)

    choose = client.get(letterhead_url())
    assert choose.status_code == 200
    assert "?province=64" in choose.content.decode()
    response = client.post(letterhead_url("64"), letterhead_data(office_name="DISPERIN KALTIM"))
    assert response.status_code == 302
    assert Letterhead.objects.get().province_id == "64"
    assert client.get(letterhead_url("99.99")).status_code == 404


@pytest.mark.parametrize("persona", ["operator", "assessor", "viewer"])
def test_letterhead_is_403_for_other_roles(client, personas, persona):
    client.force_login(personas[persona])

    assert client.get(letterhead_url()).status_code == 403
    assert client.post(letterhead_url(), letterhead_data()).status_code == 403


def test_batch_forward_tells_the_ministry_once(
    personas, settings, tmp_path, mailoutbox, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    round_ = make_round()
    for _ in range(3):
        make_proposal(round_=round_, centre=CentreFactory(), state="verified", checked=True)
    with django_capture_on_commit_callbacks(execute=True):
        forward_round(round_=round_, actor=personas["verifier"])
    assert Notification.objects.filter(recipient=personas["admin"]).count() == 1
    assert Notification.objects.filter(recipient=personas["operator"]).count() == 3
