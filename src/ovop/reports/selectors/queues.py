"""Each role's open work, for the home page and ``GET /api/v1/me/tasks/``.

One list per person: what waits for them, how many, where to go, and by when. Every count
goes through the apps' own scope selectors (``proposals_visible_to``, ``rounds_visible_to``,
``assignments_visible_to``, the certificate watch), so a queue never shows more than the
person could open. The module sits in reports because it reads proposals, evaluation and
coaching, all of which lie below it in the layer contract.

A queue costs a fixed number of queries whatever the number of rows: one per kind of work,
plus one compliance read per open round of a verifier's province.
"""

import datetime
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TypedDict

from django.conf import settings
from django.db.models import Count, Min, OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from ovop.accounts.models import User
from ovop.accounts.rules import is_admin, is_assessor, is_operator, is_verifier, is_viewer
from ovop.accounts.scope import region_scope
from ovop.coaching.services.expiry import CertificateWatch, expiring_certificates
from ovop.evaluation.enums import DecisionStatus
from ovop.evaluation.selectors.scoring import ScoringStatus
from ovop.evaluation.selectors.visibility import assignments_visible_to
from ovop.notifications.selectors import unread_count
from ovop.proposals.enums import SUBMITTED_STATES, Action, ProposalState
from ovop.proposals.models import Round, Transition
from ovop.proposals.selectors import proposals_visible_to, round_compliance, rounds_visible_to

# A returned proposal's item lists at most this many of them with their reasons.
DETAIL_LIMIT = 5


@dataclass(frozen=True)
class TaskDetail:
    """One named thing behind a count, e.g. a returned proposal and why it came back."""

    text: str
    note: str
    url: str


@dataclass(frozen=True)
class Task:
    key: str
    label: str  # already in the reader's language
    count: int
    url: str
    deadline: datetime.date | None = None
    details: list[TaskDetail] = field(default_factory=list)


class StateEntry(TypedDict):
    """The visible proposals in one state: how many, the earliest deadline, which rounds."""

    count: int
    deadline: datetime.datetime | None
    rounds: set[int]


def _proposals_url(**filters: str | int) -> str:
    """The proposal list narrowed by its own filters (state, round)."""
    return f"{reverse('proposals:list')}?{urlencode(filters)}"


def _local_date(moment: datetime.datetime | None) -> datetime.date | None:
    return timezone.localdate(moment) if moment is not None else None


def _by_state(user: User, states: list[str]) -> dict[str, StateEntry]:
    """state → {count, deadline (the earliest round deadline), rounds}, in one query."""
    found: dict[str, StateEntry] = defaultdict(
        lambda: {"count": 0, "deadline": None, "rounds": set()}
    )
    rows = (
        proposals_visible_to(user)
        .filter(state__in=states)
        .order_by()
        .values("state", "round_id")
        .annotate(total=Count("pk"), deadline=Min("round__deadline"))
    )
    for row in rows:
        entry = found[row["state"]]
        entry["count"] += row["total"]
        entry["rounds"].add(row["round_id"])
        if entry["deadline"] is None or row["deadline"] < entry["deadline"]:
            entry["deadline"] = row["deadline"]
    return found


def _state_task(
    found: Mapping[str, StateEntry], *, state: str, key: str, label: str, url: str = ""
) -> list[Task]:
    entry = found.get(state)
    if not entry or not entry["count"]:
        return []
    return [
        Task(
            key=key,
            label=label,
            count=entry["count"],
            url=url or _proposals_url(state=state),
            deadline=_local_date(entry["deadline"]),
        )
    ]


def _open_rounds(user: User, now: datetime.datetime) -> QuerySet[Round]:
    return rounds_visible_to(user).filter(opens_at__lte=now, deadline__gte=now)


# Operator ---------------------------------------------------------------------------------


def _returned(user: User, found: Mapping[str, StateEntry]) -> list[Task]:
    """Returned proposals, each with the reason of its latest return, in one query."""
    entry = found.get(ProposalState.RETURNED)
    if not entry or not entry["count"]:
        return []
    reason = (
        Transition.objects.filter(proposal=OuterRef("pk"), action=Action.RETURN)
        .order_by("-at", "-pk")
        .values("reason")[:1]
    )
    proposals = (
        proposals_visible_to(user)
        .filter(state=ProposalState.RETURNED)
        .annotate(return_reason=Subquery(reason))
        .order_by("round__deadline", "centre__name", "pk")
        .values_list("pk", "centre__name", "return_reason")[:DETAIL_LIMIT]
    )
    details = [
        TaskDetail(text=name, note=why or "", url=reverse("proposals:detail", kwargs={"pk": pk}))
        for pk, name, why in proposals
    ]
    return [
        Task(
            key="returned",
            label=_("Proposals returned for revision"),
            count=entry["count"],
            url=_proposals_url(state=ProposalState.RETURNED),
            deadline=_local_date(entry["deadline"]),
            details=details,
        )
    ]


def _quota(user: User, now: datetime.datetime) -> list[Task]:
    """The regency's shortfall against the minimum in each open round, in one query."""
    rounds = (
        _open_rounds(user, now)
        .annotate(
            submitted=Count(
                "proposals",
                filter=Q(
                    proposals__regency_id=region_scope(user).regency_code,
                    proposals__state__in=SUBMITTED_STATES,
                ),
            )
        )
        .order_by("deadline", "pk")
        .values_list("pk", "deadline", "min_per_regency", "submitted")
    )
    tasks = []
    for pk, deadline, required, submitted in rounds:
        if submitted >= required:
            continue
        due = timezone.localdate(deadline)
        label = _("%(submitted)s of %(required)s proposals submitted") % {
            "submitted": submitted,
            "required": required,
        }
        tasks.append(
            Task(
                key="quota",
                label=label,
                count=required - submitted,
                url=_proposals_url(round=pk),
                deadline=due,
            )
        )
    return tasks


def _certificates(watch: CertificateWatch | None, user: User) -> list[Task]:
    if watch is None:
        days = settings.OVOP_CERTIFICATE_WATCH_DAYS
        watch = expiring_certificates(user, days=days, limit=1)
    if not watch.total:
        return []
    # The soonest lapse still ahead; if all have lapsed, the latest lapse (overdue).
    soonest = (watch.expiring or watch.expired)[:1]
    return [
        Task(
            key="certificates",
            label=_("Certificates expired or expiring within %(days)s days") % {"days": watch.days},
            count=watch.total,
            url=f"{reverse('home')}#expiry-title",
            deadline=soonest[0].expires_on if soonest else None,
        )
    ]


def _operator_tasks(
    user: User, now: datetime.datetime, watch: CertificateWatch | None
) -> list[Task]:
    found = _by_state(user, [ProposalState.DRAFT, ProposalState.RETURNED])
    return [
        *_state_task(
            found,
            state=ProposalState.DRAFT,
            key="drafts",
            label=_("Draft proposals to finish and submit"),
        ),
        *_returned(user, found),
        *_quota(user, now),
        *_certificates(watch, user),
    ]


# Verifier ---------------------------------------------------------------------------------


def _below_quota(user: User, now: datetime.datetime) -> list[Task]:
    tasks = []
    for round_ in _open_rounds(user, now).order_by("deadline", "pk"):
        short = [row for row in round_compliance(round_=round_, now=now) if not row.compliant]
        if short:
            tasks.append(
                Task(
                    key="below_quota",
                    label=_("Regencies/cities below the minimum of %(required)s proposals")
                    % {"required": round_.min_per_regency},
                    count=len(short),
                    url=reverse("proposals:compliance", kwargs={"pk": round_.pk}),
                    deadline=timezone.localdate(round_.deadline),
                )
            )
    return tasks


def _verifier_tasks(user: User, now: datetime.datetime) -> list[Task]:
    found = _by_state(user, [ProposalState.SUBMITTED, ProposalState.VERIFIED])
    verified = found.get(ProposalState.VERIFIED)
    letters_url = ""
    if verified and len(verified["rounds"]) == 1:
        # One round: straight to its forwarding, which writes the cover letter.
        (round_id,) = verified["rounds"]
        letters_url = reverse("letters:round_forward", kwargs={"pk": round_id})
    return [
        *_state_task(
            found,
            state=ProposalState.SUBMITTED,
            key="to_verify",
            label=_("Proposals to check"),
        ),
        *_state_task(
            found,
            state=ProposalState.VERIFIED,
            key="to_forward",
            label=_("Verified proposals to forward with a cover letter"),
            url=letters_url,
        ),
        *_below_quota(user, now),
    ]


# Ministry admin ---------------------------------------------------------------------------


def _cycle_url(cycle_ids: set[int], name: str) -> str:
    if len(cycle_ids) == 1:
        return reverse(name, kwargs={"pk": next(iter(cycle_ids))})
    return reverse("evaluation:index")


def _screening(user: User) -> list[Task]:
    row = (
        proposals_visible_to(user)
        .filter(state=ProposalState.FORWARDED)
        .aggregate(total=Count("pk"), deadline=Min("round__cycle__screening_by"))
    )
    if not row["total"]:
        return []
    return [
        Task(
            key="to_screen",
            label=_("Forwarded proposals awaiting screening"),
            count=row["total"],
            url=_proposals_url(state=ProposalState.FORWARDED),
            deadline=row["deadline"],
        )
    ]


def _outstanding_assessments(user: User) -> list[Task]:
    """Active assignments of eligible proposals whose assessment is not submitted."""
    rows = list(
        assignments_visible_to(user)
        .filter(recused_at__isnull=True, proposal__state=ProposalState.ELIGIBLE)
        .exclude(assessment__submitted_at__isnull=False)
        .order_by()
        .values("proposal__round__cycle_id")
        .annotate(total=Count("pk"), deadline=Min("proposal__round__cycle__assessment_by"))
    )
    total = sum(row["total"] for row in rows)
    if not total:
        return []
    deadlines = [row["deadline"] for row in rows if row["deadline"] is not None]
    return [
        Task(
            key="assessments_outstanding",
            label=_("Assessments assigned but not submitted"),
            count=total,
            url=_cycle_url({row["proposal__round__cycle_id"] for row in rows}, "evaluation:cycle"),
            deadline=min(deadlines, default=None),
        )
    ]


def _decisions_to_publish(user: User) -> list[Task]:
    """Cycles with decisions set but not yet published (publishing is per cycle)."""
    rows = list(
        proposals_visible_to(user)
        .filter(decision__status=DecisionStatus.PENDING)
        .order_by()
        .values("round__cycle_id")
        .annotate(total=Count("pk"), deadline=Min("round__cycle__decision_by"))
    )
    if not rows:
        return []
    deadlines = [row["deadline"] for row in rows if row["deadline"] is not None]
    return [
        Task(
            key="decisions_to_publish",
            label=_("Pending decisions to publish"),
            count=sum(row["total"] for row in rows),
            url=_cycle_url({row["round__cycle_id"] for row in rows}, "evaluation:decisions"),
            deadline=min(deadlines, default=None),
        )
    ]


def _admin_tasks(user: User) -> list[Task]:
    return [
        *_screening(user),
        *_outstanding_assessments(user),
        *_decisions_to_publish(user),
    ]


# Assessor ---------------------------------------------------------------------------------


def _assessor_tasks(user: User) -> list[Task]:
    row = (
        assignments_visible_to(user)
        .filter(assessor=user, recused_at__isnull=True, proposal__state=ProposalState.ELIGIBLE)
        .aggregate(
            not_started=Count("pk", filter=Q(assessment__isnull=True)),
            drafts=Count(
                "pk",
                filter=Q(assessment__isnull=False, assessment__submitted_at__isnull=True),
            ),
            deadline=Min(
                "proposal__round__cycle__assessment_by",
                filter=Q(assessment__submitted_at__isnull=True),
            ),
        )
    )
    url = reverse("evaluation:my_assignments")
    tasks = []
    if row["not_started"]:
        tasks.append(
            Task(
                key="to_score",
                label=_("Assigned proposals not scored yet"),
                count=row["not_started"],
                url=f"{url}?{urlencode({'status': ScoringStatus.NOT_STARTED})}",
                deadline=row["deadline"],
            )
        )
    if row["drafts"]:
        tasks.append(
            Task(
                key="drafts_to_submit",
                label=_("Draft assessments to finish and submit"),
                count=row["drafts"],
                url=f"{url}?{urlencode({'status': ScoringStatus.DRAFT})}",
                deadline=row["deadline"],
            )
        )
    return tasks


# Viewer -----------------------------------------------------------------------------------


def _viewer_tasks(user: User) -> list[Task]:
    """Nothing to do, only to follow: where the proposals stand, linked to the reports."""
    row = proposals_visible_to(user).aggregate(
        in_progress=Count(
            "pk",
            filter=Q(state__in=SUBMITTED_STATES - {ProposalState.RATED, ProposalState.NOT_RATED}),
        ),
        rated=Count("pk", filter=Q(state=ProposalState.RATED)),
    )
    dashboard = reverse("reports:dashboard")
    return [
        Task(
            key="proposals_in_progress",
            label=_("Proposals between submission and decision"),
            count=row["in_progress"],
            url=dashboard,
        ),
        Task(
            key="rated",
            label=_("Rated proposals"),
            count=row["rated"],
            url=reverse("reports:annual"),
        ),
    ]


# Everyone ---------------------------------------------------------------------------------


def _notifications(user: User) -> list[Task]:
    unread = unread_count(user)
    if not unread:
        return []
    return [
        Task(
            key="notifications",
            label=_("Unread notifications"),
            count=unread,
            url=reverse("notifications:list"),
        )
    ]


def _soonest_first(tasks: list[Task]) -> list[Task]:
    """The nearest deadline first; work without a deadline after, in its given order."""
    dated = sorted(
        ((t.deadline, index, t) for index, t in enumerate(tasks) if t.deadline is not None),
        key=lambda entry: (entry[0], entry[1]),
    )
    return [*(t for _d, _i, t in dated), *(t for t in tasks if t.deadline is None)]


def tasks_for(
    user: User,
    *,
    now: datetime.datetime | None = None,
    certificate_watch: CertificateWatch | None = None,
) -> list[Task]:
    """The user's open work, soonest deadline first; labels in the active language.

    ``certificate_watch``: the home page's watch, when it has one, so it is not read twice.
    """
    now = now or timezone.now()
    if not user.is_authenticated or not user.is_active:
        return []
    scope = region_scope(user)
    if is_admin(user):
        tasks = _admin_tasks(user)
    elif is_operator(user) and scope.is_regency:
        tasks = _operator_tasks(user, now, certificate_watch)
    elif is_verifier(user) and scope.is_province:
        tasks = _verifier_tasks(user, now)
    elif is_assessor(user):
        tasks = _assessor_tasks(user)
    elif is_viewer(user):
        tasks = _viewer_tasks(user)
    else:
        tasks = []
    return [*_soonest_first(tasks), *_notifications(user)]
