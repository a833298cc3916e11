"""Writing notifications: who hears of each workflow move, in their list and by e-mail."""

import datetime
import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation

from ovop.accounts.models import User
from ovop.notifications import selectors
from ovop.notifications.enums import NotificationKind
from ovop.notifications.models import Notification
from ovop.notifications.outputs import messages
from ovop.notifications.tasks import send_notification_emails
from ovop.proposals.enums import Action
from ovop.proposals.models import Cycle, Proposal, Round
from ovop.proposals.selectors import ComplianceRow, round_compliance

logger = logging.getLogger(__name__)

# Accounts carry no language preference yet, so every e-mail is written in Indonesian, the
# programme's working language; the stored title and body (the fallback) are as e-mailed.
# The in-app list writes each notification from its key in the reader's language.
RECIPIENT_LANGUAGE = "id"

K = NotificationKind


@dataclass(frozen=True)
class Audience:
    kind: str
    key: str  # in notifications.messages: the title and body
    regency_operators: bool = False
    province_verifiers: bool = False


# Who hears of each move. The actor is never told of their own move. Administrators hear of
# forwarded proposals once per round, from ``notify_round_forwarded``. Withdrawing a draft
# concerns nobody else, so it is not in the table.
AUDIENCES: dict[str, Audience] = {
    Action.SUBMIT: Audience(K.SUBMITTED, "proposal.submitted", province_verifiers=True),
    Action.RETURN: Audience(K.RETURNED, "proposal.returned", regency_operators=True),
    Action.VERIFY: Audience(K.VERIFIED, "proposal.verified", regency_operators=True),
    Action.FORWARD: Audience(K.FORWARDED, "proposal.forwarded", regency_operators=True),
    Action.SCREEN_ELIGIBLE: Audience(
        K.SCREENED, "proposal.screened_eligible", regency_operators=True, province_verifiers=True
    ),
    Action.SCREEN_INELIGIBLE: Audience(
        K.SCREENED, "proposal.screened_ineligible", regency_operators=True, province_verifiers=True
    ),
}


@dataclass(frozen=True)
class Message:
    """What one delivery says; the same for each of its recipients.

    ``key`` and ``params`` (plain JSON) say it in any language (``notifications.outputs.messages``);
    ``title`` and ``body`` are it in the recipient's language, e-mailed and stored as the
    fallback. A message without a key is shown as stored.
    """

    kind: str
    title: str
    body: str
    url: str
    proposal: Proposal | None = None
    round: Round | None = None
    key: str = ""
    params: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_key(
        cls,
        *,
        kind: str,
        key: str,
        params: dict[str, Any],
        url: str,
        proposal: Proposal | None = None,
        round: Round | None = None,
    ) -> "Message":
        """The message of ``key``, its stored text written in the recipient's language."""
        with translation.override(RECIPIENT_LANGUAGE):
            title = messages.render_title(key, params)
            body = messages.render_body(key, params)
        return cls(
            kind=kind,
            title=title,
            body=body,
            url=url,
            proposal=proposal,
            round=round,
            key=key,
            params=params,
        )


def proposal_url(proposal_id: int) -> str:
    try:
        return reverse("proposals:detail", kwargs={"pk": proposal_id})
    except NoReverseMatch:  # before the proposal screens are routed
        return f"/proposals/{proposal_id}/"


def round_url(round_id: int) -> str:
    try:
        return reverse("proposals:list") + f"?round={round_id}"
    except NoReverseMatch:
        return f"/proposals/?round={round_id}"


def absolute_url(path: str) -> str:
    """E-mails need the whole address; OVOP_BASE_URL is where people reach this site."""
    return getattr(settings, "OVOP_BASE_URL", "").rstrip("/") + path


format_deadline = messages.format_deadline


def display_name(user: User) -> str:
    return user.get_full_name() or user.username


def deliver(
    *, message: Message, recipients: Iterable[User], now: datetime.datetime | None = None
) -> list[Notification]:
    """One in-app entry per recipient, and one e-mail to each who has an address."""
    recipients = list(recipients)
    if not recipients:
        return []
    now = now or timezone.now()
    notifications = Notification.objects.bulk_create(
        Notification(
            recipient=recipient,
            kind=message.kind,
            title=message.title[:200],
            body=message.body,
            message_key=message.key,
            params=message.params,
            url=message.url,
            proposal=message.proposal,
            round=message.round,
            created_at=now,
        )
        for recipient in recipients
    )
    _send_emails(message=message, recipients=recipients)
    return notifications


def _send_emails(*, message: Message, recipients: list[User]) -> None:
    """Write each recipient's e-mail now; sending is a task (see notifications.tasks)."""
    link = absolute_url(message.url)
    subject = " ".join(message.title.split())  # a header is one line
    emails = []
    with translation.override(RECIPIENT_LANGUAGE):
        for recipient in recipients:
            if not recipient.email:
                continue
            body = render_to_string(
                "notifications/email/message.txt",
                {"name": display_name(recipient), "body": message.body, "link": link},
            )
            emails.append({"subject": subject, "body": body, "to": recipient.email})
    if emails:
        send_notification_emails.enqueue(emails=emails)


def _without(users: QuerySet[User], actor: User | None) -> QuerySet[User]:
    return users.exclude(pk=actor.pk) if actor is not None else users


def notify_transition(
    *, proposal: Proposal, action: str, actor: User, reason: str = ""
) -> list[Notification]:
    """Tell the right people about one workflow move (runs after the move is committed)."""
    audience = AUDIENCES.get(action)
    if audience is None:
        return []
    proposal = Proposal.objects.select_related(
        "centre", "regency", "round__cycle", "round__province"
    ).get(pk=proposal.pk)
    recipients: dict[int, User] = {}
    if audience.regency_operators:
        for user in selectors.operators_of(regency_ids=[proposal.regency_id]):
            recipients[user.pk] = user
    if audience.province_verifiers:
        for user in selectors.verifiers_of(province_id=proposal.round.province_id):
            recipients[user.pk] = user
    recipients.pop(actor.pk, None)
    if not recipients:
        return []
    params = {
        "centre": proposal.centre.name,
        "regency": proposal.regency.name,
        "round": str(proposal.round),
        "actor": display_name(actor),
        "reason": reason,
        "eligible": action == Action.SCREEN_ELIGIBLE,
        "deadline_at": messages.deadline_param(proposal.round.deadline),
    }
    message = Message.from_key(
        kind=audience.kind,
        key=audience.key,
        params=params,
        url=proposal_url(proposal.pk),
        proposal=proposal,
        round=proposal.round,
    )
    return deliver(message=message, recipients=recipients.values())


def notify_round_forwarded(
    *, round_: Round, proposals: Sequence[Proposal], actor: User
) -> list[Notification]:
    """Tell the ministry's administrators once that a province forwarded proposals of a round.

    The kab/kota operators hear of each proposal from ``notify_transition``.
    """
    if not proposals:
        return []
    recipients = list(_without(selectors.administrators(), actor))
    if not recipients:
        return []
    proposals = list(
        Proposal.objects.filter(pk__in=[proposal.pk for proposal in proposals])
        .select_related("centre", "regency")
        .order_by("regency_id", "pk")
    )
    round_ = Round.objects.select_related("cycle", "province").get(pk=round_.pk)
    params = {
        "province": round_.province.name,
        "round": str(round_),
        "count": len(proposals),
        "proposals": [
            {"centre": proposal.centre.name, "regency": proposal.regency.name}
            for proposal in proposals
        ],
        "actor": display_name(actor),
    }
    message = Message.from_key(
        kind=K.FORWARDED,
        key="round.forwarded",
        params=params,
        url=round_url(round_.pk),
        round=round_,
    )
    return deliver(message=message, recipients=recipients)


def notify_decisions_published(*, cycle: Cycle, proposal_ids: Sequence[int]) -> list[Notification]:
    """Tell each kab/kota's operators and each province's verifiers their results, once.

    One message per kab/kota (its own proposals) and one per province (all of them), so a
    cycle of 1,500 proposals sends a few hundred messages, not thousands.
    """
    proposals = list(
        Proposal.objects.filter(pk__in=proposal_ids)
        .select_related("centre", "regency", "round__province", "decision")
        .order_by("round__province_id", "regency_id", "pk")
    )
    by_regency: dict[str, list[Proposal]] = defaultdict(list)
    by_province: dict[str, list[Proposal]] = defaultdict(list)
    for proposal in proposals:
        by_regency[proposal.regency_id].append(proposal)
        by_province[proposal.round.province_id].append(proposal)
    operators: dict[str | None, list[User]] = defaultdict(list)  # by region_id
    for user in selectors.operators_of(regency_ids=by_regency.keys()):
        operators[user.region_id].append(user)
    sent: list[Notification] = []
    url = reverse("proposals:list") + "?state=rated"
    groups = [(items, operators.get(code, [])) for code, items in by_regency.items()]
    groups += [
        (items, list(selectors.verifiers_of(province_id=code)))
        for code, items in by_province.items()
    ]
    for items, recipients in groups:
        if not recipients:
            continue
        params = {"cycle": cycle.name, "proposals": [_result(proposal) for proposal in items]}
        message = Message.from_key(
            kind=K.DECIDED, key="cycle.decided", params=params, url=url, round=items[0].round
        )
        sent += deliver(message=message, recipients=recipients)
    return sent


def _result(proposal: Proposal) -> dict[str, Any]:
    decision = getattr(proposal, "decision", None)
    return {
        "centre": proposal.centre.name,
        "regency": proposal.regency.name,
        "stars": decision.stars if decision is not None else None,
    }


@dataclass
class ReminderSummary:
    rounds: int = 0  # rounds whose deadline falls within the window
    regencies: int = 0  # kab/kota below the minimum in those rounds
    sent: int = 0  # reminders sent (or, in a dry run, that would be sent)
    skipped: int = 0  # operators already reminded today

    def line(self, *, days: int, dry_run: bool) -> str:
        verb = "would be sent" if dry_run else "sent"
        return (
            f"Deadline reminders{' (dry run)' if dry_run else ''}: {self.rounds} round(s) "
            f"closing within {days} day(s), {self.regencies} regency/city(ies) below the "
            f"minimum, {self.sent} reminder(s) {verb}, {self.skipped} already reminded today."
        )


def send_deadline_reminders(
    *, days: int = 7, now: datetime.datetime | None = None, dry_run: bool = False
) -> ReminderSummary:
    """Remind the operators of every kab/kota below a round's minimum, once a local day.

    Covers rounds whose deadline has not passed and falls within ``days`` days.
    """
    now = now or timezone.now()
    summary = ReminderSummary()
    rounds = (
        Round.objects.filter(deadline__gt=now, deadline__lte=now + datetime.timedelta(days=days))
        .select_related("cycle", "province")
        .order_by("deadline", "pk")
    )
    for round_ in rounds:
        summary.rounds += 1
        _remind_round(round_=round_, now=now, dry_run=dry_run, summary=summary)
    return summary


def _remind_round(
    *, round_: Round, now: datetime.datetime, dry_run: bool, summary: ReminderSummary
) -> None:
    behind = [row for row in round_compliance(round_=round_, now=now) if not row.compliant]
    if not behind:
        return
    operators: dict[str | None, list[User]] = defaultdict(list)  # by region_id
    for user in selectors.operators_of(regency_ids={row.regency for row in behind}):
        operators[user.region_id].append(user)
    today = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    already = set(
        Notification.objects.filter(
            kind=K.DEADLINE,
            round=round_,
            created_at__gte=today,
            created_at__lt=today + datetime.timedelta(days=1),
        ).values_list("recipient_id", flat=True)
    )
    for row in behind:
        summary.regencies += 1
        recipients = [user for user in operators[row.regency] if user.pk not in already]
        summary.skipped += len(operators[row.regency]) - len(recipients)
        summary.sent += len(recipients)
        if dry_run or not recipients:
            continue
        deliver(message=_deadline_message(round_=round_, row=row), recipients=recipients, now=now)


def _deadline_message(*, round_: Round, row: ComplianceRow) -> Message:
    params = {
        "regency": row.name,
        "round": str(round_),
        "submitted": row.submitted,
        "required": row.required,
        "deadline_at": messages.deadline_param(round_.deadline),
    }
    return Message.from_key(
        kind=K.DEADLINE,
        key="round.deadline",
        params=params,
        url=round_url(round_.pk),
        round=round_,
    )


def mark_read(*, notification: Notification, now: datetime.datetime | None = None) -> None:
    if notification.read_at is not None:
        return
    notification.read_at = now or timezone.now()
    Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
        read_at=notification.read_at
    )


def mark_all_read(*, user: User, now: datetime.datetime | None = None) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=now or timezone.now()
    )
