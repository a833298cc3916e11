"""A cycle's status moves only through this table, one step forward at a time.

Like a proposal's workflow: every step names where it may start, what must be true first
(refused with what to do about it), who may take it, and the history records who did.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ovop.accounts.models import User
from ovop.common.refusals import Refused
from ovop.proposals.enums import CycleStatus, ProposalState
from ovop.proposals.models import Cycle, Proposal

C = CycleStatus


def _needs_checklist(cycle: Cycle) -> str:
    if not cycle.checklist.filter(required=True).exists():
        return _("The cycle asks for no required document yet; add them to its checklist.")
    if not cycle.commodities.exists():
        return _("Choose the commodity groups the cycle is open to first.")
    return ""


def _needs_forwarded(cycle: Cycle) -> str:
    if not Proposal.objects.filter(round__cycle=cycle, state=ProposalState.FORWARDED).exists():
        return _("No province has forwarded a proposal yet; there is nothing to screen.")
    return ""


def _needs_eligible(cycle: Cycle) -> str:
    if not Proposal.objects.filter(round__cycle=cycle, state=ProposalState.ELIGIBLE).exists():
        return _("No proposal has been screened eligible yet; there is nothing to assess.")
    return ""


def _needs_assessment(cycle: Cycle) -> str:
    scored = Proposal.objects.filter(
        round__cycle=cycle, assignments__assessment__submitted_at__isnull=False
    )
    if not scored.exists():
        return _("No assessor has submitted an assessment yet; there is nothing to decide.")
    return ""


def _needs_publication(cycle: Cycle) -> str:
    decisions = Proposal.objects.filter(round__cycle=cycle, decision__isnull=False)
    if decisions.filter(decision__status="pending").exists():
        return _("Some decisions are still pending; publish them on the ranking page first.")
    if not decisions.filter(decision__status="published").exists():
        return _("No decision has been published yet; publish the decisions first.")
    return ""


@dataclass(frozen=True)
class Step:
    source: str
    target: str
    label: str  # the button, as a msgid: translated where shown, stored as the history reason
    guard: Callable[[Cycle], str]  # "" when the step may be taken, else what to do first


STEPS: dict[str, Step] = {
    C.PROPOSAL: Step(C.SETUP, C.PROPOSAL, gettext_noop("Open for proposals"), _needs_checklist),
    C.SCREENING: Step(C.PROPOSAL, C.SCREENING, gettext_noop("Start screening"), _needs_forwarded),
    C.ASSESSMENT: Step(
        C.SCREENING, C.ASSESSMENT, gettext_noop("Start the assessment"), _needs_eligible
    ),
    C.DECISION: Step(
        C.ASSESSMENT, C.DECISION, gettext_noop("Move to decisions"), _needs_assessment
    ),
    C.CLOSED: Step(C.DECISION, C.CLOSED, gettext_noop("Close the cycle"), _needs_publication),
}


def next_step(cycle: Cycle) -> Step | None:
    """The one step the cycle can take from where it is (None once it is closed)."""
    return next((step for step in STEPS.values() if step.source == cycle.status), None)


def step_refusal(cycle: Cycle, step: Step) -> str:
    """Why ``step`` cannot be taken now ("" when it can): not the next one, or its guard."""
    if cycle.status != step.source:
        return _("A cycle that is “%(current)s” cannot move to “%(target)s”.") % {
            "current": CycleStatus(cycle.status).label,
            "target": CycleStatus(step.target).label,
        }
    return step.guard(cycle)


def step_blocker(cycle: Cycle) -> str:
    """Why the next step cannot be taken yet ("" when it can, or when there is none)."""
    step = next_step(cycle)
    return step.guard(cycle) if step else ""


@transaction.atomic
def advance_cycle(*, cycle: Cycle, target: str, actor: User, reason: str = "") -> Cycle:
    """Move the cycle to ``target``, its next status, or raise ``Refused``."""
    if not actor.has_perm("proposals.manage_cycles"):
        raise Refused(_("Only the ministry admin moves a cycle on."), status=403)
    step = STEPS.get(target)
    if step is None:
        raise Refused(
            _("Unknown status %(status)s.") % {"status": target}, status=400, field="reason"
        )
    blocker = step_refusal(cycle, step)
    if blocker:
        raise Refused(blocker)
    # Only the status the caller saw moves on: two admins at once, one succeeds.
    locked = Cycle.objects.select_for_update(no_key=True).only("status").get(pk=cycle.pk)
    if locked.status != step.source:
        raise Refused(_("Someone else moved this cycle a moment ago; reload it."))
    cycle.status = step.target
    cycle._change_reason = reason or step.label
    cycle.save(update_fields=["status", "updated_at"])
    return cycle


# What each status means for the people in the cycle, shown before the step is taken.
MEANING: dict[str, str] = {
    C.PROPOSAL: gettext_noop(
        "Provinces can open their rounds and kab/kota submit proposals within the rounds' dates."
    ),
    C.SCREENING: gettext_noop(
        "The ministry screens the forwarded proposals; provinces may still forward theirs."
    ),
    C.ASSESSMENT: gettext_noop("Assessors score the eligible proposals assigned to them."),
    C.DECISION: gettext_noop(
        "The ministry decides the stars on the ranking page and publishes the decisions."
    ),
    C.CLOSED: gettext_noop(
        "The cycle is finished: its published ratings stand; a change needs a reason."
    ),
}


def status_context(cycle: Cycle, user: User) -> dict[str, Any]:
    """What a cycle page shows about the status: the next step, and what blocks it."""
    step = next_step(cycle)
    may = user.has_perm("proposals.manage_cycles")
    return {
        "cycle_step": step if may else None,
        "cycle_blocker": step_blocker(cycle) if step and may else "",
    }
