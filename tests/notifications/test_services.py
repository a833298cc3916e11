"""Who hears of each workflow move, and what the e-mail says."""

import datetime

import pytest
from django.core import mail
from django.utils import translation

from ovop.common.refusals import Refused
from ovop.notifications.enums import NotificationKind
from ovop.notifications.models import Notification
from ovop.notifications.services import notify_round_forwarded, notify_transition
from ovop.proposals.enums import Action
from ovop.proposals.services.forwarding import forward_proposal
from ovop.proposals.services.proposals import transition
from tests.factories import CentreFactory, UserFactory, make_proposal, make_round

# 15 December 2026, 23.59 in Asia/Makassar (UTC+8).
DEADLINE = datetime.datetime(2026, 12, 15, 15, 59, tzinfo=datetime.UTC)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def recipients_of(kind: str) -> set[str]:
    return set(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


def move(proposal, action, actor, django_capture_on_commit_callbacks, reason=""):
    with django_capture_on_commit_callbacks(execute=True):
        return transition(proposal=proposal, action=action, actor=actor, reason=reason)


def test_submit_notifies_the_provinces_verifiers_only(
    personas, media, django_capture_on_commit_callbacks
):
    proposal = make_proposal()
    move(proposal, Action.SUBMIT, personas["operator"], django_capture_on_commit_callbacks)
    assert recipients_of(NotificationKind.SUBMITTED) == {"persona-verifier"}
    assert [message.to for message in mail.outbox] == [[personas["verifier"].email]]
    entry = Notification.objects.get()
    assert (entry.proposal, entry.round) == (proposal, proposal.round)
    assert entry.url == f"/proposals/{proposal.pk}/"


def test_return_notifies_the_regencys_operators_with_the_reason(
    personas, media, django_capture_on_commit_callbacks
):
    proposal = make_proposal(round_=make_round(deadline=DEADLINE), state="submitted")
    move(
        proposal,
        Action.RETURN,
        personas["verifier"],
        django_capture_on_commit_callbacks,
        reason="Foto produk buram",
    )
    assert recipients_of(NotificationKind.RETURNED) == {"persona-operator"}
    entry = Notification.objects.get()
    assert "Foto produk buram" in entry.body
    [email] = mail.outbox
    assert email.to == [personas["operator"].email]
    assert "Foto produk buram" in email.body
    assert f"/proposals/{proposal.pk}/" in email.body
    assert proposal.centre.name in email.subject


def test_emails_are_written_in_indonesian(personas, media, django_capture_on_commit_callbacks):
    proposal = make_proposal(round_=make_round(deadline=DEADLINE), state="submitted")
    with translation.override("en"):  # the verifier works in English
        move(
            proposal,
            Action.RETURN,
            personas["verifier"],
            django_capture_on_commit_callbacks,
            reason="Lengkapi NIB",
        )
    [email] = mail.outbox
    # Indonesian month and time formats and the local time zone, whatever the actor's language.
    assert "15 Desember 2026" in email.body
    assert "23.59 WITA" in email.body


def test_verify_notifies_the_regencys_operators(
    personas, media, django_capture_on_commit_callbacks
):
    proposal = make_proposal(state="submitted", checked=True)
    move(proposal, Action.VERIFY, personas["verifier"], django_capture_on_commit_callbacks)
    assert recipients_of(NotificationKind.VERIFIED) == {"persona-operator"}


def test_forward_notifies_operators_but_leaves_admins_to_the_round_notice(
    personas, media, django_capture_on_commit_callbacks
):
    proposal = make_proposal(state="verified", checked=True)
    with django_capture_on_commit_callbacks(execute=True):
        forward_proposal(proposal=proposal, actor=personas["verifier"])
    assert recipients_of(NotificationKind.FORWARDED) == {"persona-operator", "persona-admin"}
    # The admin hears once, of the round's batch, not of the proposal itself.
    to_admin = Notification.objects.get(recipient=personas["admin"])
    assert to_admin.proposal_id is None


def test_a_forwarded_batch_tells_each_admin_once_per_round(personas, media):
    round_ = make_round()
    second_admin = UserFactory(role="admin")
    proposals = [
        make_proposal(round_=round_, centre=CentreFactory(region_id=district), state="forwarded")
        for district in ("63.03.01", "63.04.01", "63.05.01")
    ]
    notify_round_forwarded(round_=round_, proposals=proposals, actor=personas["verifier"])
    entries = Notification.objects.filter(kind=NotificationKind.FORWARDED)
    assert sorted(entries.values_list("recipient__username", flat=True)) == sorted(
        ["persona-admin", second_admin.username]
    )
    assert all(entry.round == round_ and entry.proposal is None for entry in entries)
    assert all(proposal.centre.name in entries[0].body for proposal in proposals)
    assert len(mail.outbox) == 2


def test_a_forwarded_batch_tells_nobody_when_empty(personas):
    assert (
        notify_round_forwarded(round_=make_round(), proposals=[], actor=personas["verifier"]) == []
    )
    assert not Notification.objects.exists()


@pytest.mark.parametrize("action", [Action.SCREEN_ELIGIBLE, Action.SCREEN_INELIGIBLE])
def test_screening_notifies_operators_and_the_provinces_verifiers(
    personas, media, django_capture_on_commit_callbacks, action
):
    proposal = make_proposal(state="forwarded", checked=True)
    move(
        proposal,
        action,
        personas["admin"],
        django_capture_on_commit_callbacks,
        reason="Bukan sentra IKM",
    )
    assert recipients_of(NotificationKind.SCREENED) == {"persona-operator", "persona-verifier"}
    bodies = set(Notification.objects.values_list("body", flat=True))
    assert len(bodies) == 1
    assert ("Bukan sentra IKM" in bodies.pop()) == (action == Action.SCREEN_INELIGIBLE)


def test_the_actor_and_inactive_users_are_never_told(personas, media):
    proposal = make_proposal(state="verified")
    colleague = UserFactory(role="operator", region_id="63.03")
    UserFactory(role="operator", region_id="63.03", is_active=False)
    notify_transition(proposal=proposal, action=Action.VERIFY, actor=personas["operator"])
    assert recipients_of(NotificationKind.VERIFIED) == {colleague.username}


def test_a_recipient_without_an_address_gets_the_list_entry_only(personas, media):
    proposal = make_proposal(state="verified")
    personas["operator"].email = ""
    personas["operator"].save()
    notify_transition(proposal=proposal, action=Action.VERIFY, actor=personas["verifier"])
    assert recipients_of(NotificationKind.VERIFIED) == {"persona-operator"}
    assert mail.outbox == []


def test_withdrawing_tells_nobody(personas, media):
    proposal = make_proposal(state="withdrawn")
    assert (
        notify_transition(proposal=proposal, action=Action.WITHDRAW, actor=personas["operator"])
        == []
    )


def test_a_refused_move_tells_nobody(personas, media, django_capture_on_commit_callbacks):
    proposal = make_proposal(state="submitted", checked=False)
    with pytest.raises(Refused):
        move(proposal, Action.VERIFY, personas["verifier"], django_capture_on_commit_callbacks)
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_a_mail_outage_keeps_the_move_and_the_list_entry(
    personas, media, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.notifications.test_services.BrokenBackend"
    proposal = make_proposal(state="submitted", checked=True)
    moved = move(proposal, Action.VERIFY, personas["verifier"], django_capture_on_commit_callbacks)
    assert moved.state == "verified"
    assert recipients_of(NotificationKind.VERIFIED) == {"persona-operator"}


class BrokenBackend:
    """An SMTP server that is down (what leaves the process is the one thing we fake)."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("smtp down")
