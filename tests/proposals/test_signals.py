"""Proposals announces its moves (ovop.proposals.signals); notifications listen after commit."""

import pytest
from django.db import transaction

from ovop.common.refusals import Refused
from ovop.notifications.models import Notification
from ovop.proposals.enums import Action
from ovop.proposals.models import Proposal, Round
from ovop.proposals.services.forwarding import forward_round
from ovop.proposals.services.proposals import transition
from ovop.proposals.signals import proposal_transitioned, round_forwarded
from tests.factories import CentreFactory, make_proposal, make_round


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def heard():
    """What a listener of each signal heard, connected for this test only."""
    events: list[tuple[str, dict]] = []

    def listen(signal, sender, **kwargs):
        events.append((sender.__name__, kwargs))

    proposal_transitioned.connect(listen, dispatch_uid="test.heard.transitioned")
    round_forwarded.connect(listen, dispatch_uid="test.heard.forwarded")
    yield events
    proposal_transitioned.disconnect(dispatch_uid="test.heard.transitioned")
    round_forwarded.disconnect(dispatch_uid="test.heard.forwarded")


def test_notifications_listen_to_the_workflow_events():
    assert proposal_transitioned.has_listeners(Proposal)
    assert round_forwarded.has_listeners(Round)


def test_transition_announces_the_move_with_actor_and_reason(personas, media, heard):
    proposal = make_proposal(state="submitted")
    transition(
        proposal=proposal, action=Action.RETURN, actor=personas["verifier"], reason="Foto buram"
    )
    [(sender, event)] = heard
    assert sender == "Proposal"
    assert event["proposal"].pk == proposal.pk
    assert (event["action"], event["actor"], event["reason"]) == (
        Action.RETURN,
        personas["verifier"],
        "Foto buram",
    )


def test_a_refused_move_announces_nothing(personas, media, heard):
    proposal = make_proposal(state="submitted")
    with pytest.raises(Refused):  # a return needs a reason
        transition(proposal=proposal, action=Action.RETURN, actor=personas["verifier"])
    assert heard == []


def test_notification_waits_for_the_commit(personas, media, django_capture_on_commit_callbacks):
    proposal = make_proposal(state="submitted")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        transition(
            proposal=proposal, action=Action.RETURN, actor=personas["verifier"], reason="Buram"
        )
        assert not Notification.objects.exists()
    assert len(callbacks) == 1
    callbacks[0]()
    assert Notification.objects.filter(recipient=personas["operator"]).count() == 1


def test_a_move_rolled_back_notifies_nobody(personas, media, django_capture_on_commit_callbacks):
    proposal = make_proposal(state="submitted")
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                transition(
                    proposal=proposal,
                    action=Action.RETURN,
                    actor=personas["verifier"],
                    reason="Buram",
                )
                raise RuntimeError("undo")  # noqa: TRY301  a failure after the move
        except RuntimeError:
            pass
    assert not Notification.objects.exists()


def test_forwarding_announces_the_batch_once_after_each_move(personas, media, heard):
    round_ = make_round()
    for _ in range(2):
        make_proposal(round_=round_, centre=CentreFactory(), state="verified", checked=True)
    forward_round(round_=round_, actor=personas["verifier"])
    assert [sender for sender, _event in heard] == ["Proposal", "Proposal", "Round"]
    _sender, batch = heard[-1]
    assert batch["round_"] == round_
    assert len(batch["proposals"]) == 2
    assert batch["actor"] == personas["verifier"]
