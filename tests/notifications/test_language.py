"""One stored notification, read in the reader's language; e-mails stay in Indonesian."""

import datetime

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from ovop.coaching.services.expiry import send_certificate_expiry
from ovop.notifications.enums import NotificationKind
from ovop.notifications.models import Notification
from ovop.notifications.services import (
    notify_decisions_published,
    notify_round_forwarded,
    notify_transition,
    send_deadline_reminders,
)
from ovop.proposals.enums import Action
from tests.factories import (
    CentreFactory,
    CertificateFactory,
    EnterpriseFactory,
    make_proposal,
    make_round,
)

# 15 December 2026, 23.59 in Asia/Makassar; "now" is two days before.
DEADLINE = datetime.datetime(2026, 12, 15, 15, 59, tzinfo=datetime.UTC)
NOW = datetime.datetime(2026, 12, 13, 2, 0, tzinfo=datetime.UTC)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def verified(personas, media):
    """The operator of Banjar is told that the province verified Sentra Purun's proposal."""
    centre = CentreFactory(name="Sentra Purun", region_id="63.03.01")
    proposal = make_proposal(round_=make_round(deadline=DEADLINE), centre=centre)
    notify_transition(proposal=proposal, action=Action.VERIFY, actor=personas["verifier"])
    return Notification.objects.get(recipient=personas["operator"])


def list_page(client, user, language: str) -> str:
    """The list as the reader sees it with the language switcher's cookie set."""
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse("notifications:list"))
    assert response.status_code == 200
    return response.text


def test_the_notification_stores_a_key_and_plain_parameters(verified):
    assert verified.message_key == "proposal.verified"
    assert verified.params["centre"] == "Sentra Purun"
    assert verified.params["deadline_at"] == DEADLINE.isoformat()
    # The fallback is stored as e-mailed, in Indonesian.
    assert verified.title == "Usulan terverifikasi: Sentra Purun"


def test_an_english_reader_sees_english(client, verified, personas):
    text = list_page(client, personas["operator"], "en")
    assert "Proposal verified: Sentra Purun" in text
    assert "The province verified the proposal of Sentra Purun" in text
    assert "terverifikasi" not in text


def test_an_indonesian_reader_sees_indonesian(client, verified, personas):
    text = list_page(client, personas["operator"], "id")
    assert "Usulan terverifikasi: Sentra Purun" in text
    assert "Proposal verified" not in text


def test_the_same_row_reads_in_both_languages_one_after_the_other(client, verified, personas):
    english = list_page(client, personas["operator"], "en")
    indonesian = list_page(client, personas["operator"], "id")
    assert "Proposal verified: Sentra Purun" in english
    assert "Usulan terverifikasi: Sentra Purun" in indonesian
    assert Notification.objects.count() == 1


def test_the_deadline_is_written_in_the_readers_language(client, personas, media):
    round_ = make_round(deadline=DEADLINE, min_per_regency=1)
    make_proposal(round_=round_, centre=CentreFactory(region_id="63.03.01"), state="submitted")
    send_deadline_reminders(days=7, now=NOW)
    reader = personas["operator_neighbour"]
    english = list_page(client, reader, "en")
    assert "Deadline reminder:" in english
    assert "December 15, 2026" in english or "15 December 2026" in english
    assert "Desember" not in english
    indonesian = list_page(client, reader, "id")
    assert "Pengingat batas waktu:" in indonesian
    assert "15 Desember 2026 pukul 23.59 WITA" in indonesian


def test_the_email_is_written_in_indonesian(verified, personas):
    [email] = mail.outbox
    assert email.to == [personas["operator"].email]
    assert email.subject == "Usulan terverifikasi: Sentra Purun"
    assert "Proposal verified" not in email.body


def test_a_row_from_before_keys_shows_its_stored_text(client, personas):
    Notification.objects.create(
        recipient=personas["operator"],
        kind=NotificationKind.VERIFIED,
        title="Usulan terverifikasi: Sentra Lama",
        body="Isi lama",
    )
    for language in ("en", "id"):
        text = list_page(client, personas["operator"], language)
        assert "Usulan terverifikasi: Sentra Lama" in text
        assert "Isi lama" in text


def test_an_unknown_key_or_broken_parameters_show_the_stored_text(client, personas):
    for key, params in [("gone.away", {}), ("proposal.verified", {"nothing": "here"})]:
        Notification.objects.create(
            recipient=personas["operator"],
            kind=NotificationKind.VERIFIED,
            title=f"Tersimpan {key}",
            message_key=key,
            params=params,
        )
    text = list_page(client, personas["operator"], "en")
    assert "Tersimpan gone.away" in text
    assert "Tersimpan proposal.verified" in text


def test_the_round_notice_and_the_results_read_in_english(client, personas, media):
    round_ = make_round(deadline=DEADLINE)
    proposals = [
        make_proposal(round_=round_, centre=CentreFactory(name=name, region_id="63.03.01"))
        for name in ("Sentra Purun", "Sentra Sasirangan")
    ]
    notify_round_forwarded(round_=round_, proposals=proposals, actor=personas["verifier"])
    notify_decisions_published(cycle=round_.cycle, proposal_ids=[p.pk for p in proposals])
    admin = list_page(client, personas["admin"], "en")
    assert "Kalimantan Selatan forwarded 2 proposals to the ministry" in admin
    assert "Sentra Sasirangan" in admin
    operator = list_page(client, personas["operator"], "en")
    assert f"OVOP results published: {round_.cycle.name}" in operator
    assert "not rated" in operator
    indonesian = list_page(client, personas["operator"], "id")
    assert f"Hasil OVOP diterbitkan: {round_.cycle.name}" in indonesian


@pytest.mark.parametrize("count", [1, 60])
def test_keyed_rows_cost_no_query_per_row(client, personas, django_assert_max_num_queries, count):
    Notification.objects.bulk_create(
        Notification(
            recipient=personas["operator"],
            kind=NotificationKind.VERIFIED,
            title="Tersimpan",
            message_key="proposal.verified",
            params={"centre": f"Sentra {n}", "round": "2026 — Kalimantan Selatan"},
        )
        for n in range(count)
    )
    client.force_login(personas["operator"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with django_assert_max_num_queries(7):
        response = client.get(reverse("notifications:list"))
    assert response.text.count("Proposal verified: Sentra ") == min(count, 50)


def test_the_certificate_expiry_message_reads_in_english(client, personas):
    enterprise = EnterpriseFactory(centre=CentreFactory(name="Sentra Purun", region_id="63.03.01"))
    CertificateFactory(
        enterprise=enterprise, kind="halal", number="HALAL-7", expires_on=NOW.date().replace(day=23)
    )
    send_certificate_expiry(days=90, now=NOW)
    [email] = [email for email in mail.outbox if email.to == [personas["operator"].email]]
    assert "23 Desember 2026" in email.body
    english = list_page(client, personas["operator"], "en")
    assert "1 certificate in Kabupaten Banjar expires within 90 days" in english
    assert "HALAL-7" in english
    assert "Desember" not in english
    indonesian = list_page(client, personas["operator"], "id")
    assert "23 Desember 2026" in indonesian
