"""Notifications listen to the proposal workflow's events (ovop.proposals.signals).

Each is sent inside the move's transaction; the notification waits for the commit, so
nobody hears of a move that was rolled back, and is robust, so a failed notification
cannot turn a saved move into an error page.
"""

from functools import partial

from django.db import transaction
from django.dispatch import receiver

from ovop.notifications.services import notify_round_forwarded, notify_transition
from ovop.proposals.signals import proposal_transitioned, round_forwarded


@receiver(proposal_transitioned, dispatch_uid="notifications.notify_transition")
def on_proposal_transitioned(*, proposal, action, actor, reason, **_kwargs) -> None:
    transaction.on_commit(
        partial(notify_transition, proposal=proposal, action=action, actor=actor, reason=reason),
        robust=True,
    )


@receiver(round_forwarded, dispatch_uid="notifications.notify_round_forwarded")
def on_round_forwarded(*, round_, proposals, actor, **_kwargs) -> None:
    transaction.on_commit(
        partial(notify_round_forwarded, round_=round_, proposals=proposals, actor=actor),
        robust=True,
    )
