"""Decisions (penetapan): pending per proposal, published for the whole cycle in one step."""

from decimal import Decimal
from functools import partial
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from ovop.accounts.models import User
from ovop.common.refusals import Refused
from ovop.evaluation.enums import DecisionStatus
from ovop.evaluation.models import Decision, Publication
from ovop.evaluation.selectors.publication import Gap, publication_gaps
from ovop.evaluation.selectors.results import cycle_results
from ovop.evaluation.signals import decisions_published
from ovop.notifications.services import notify_decisions_published
from ovop.proposals.enums import Action, ProposalState
from ovop.proposals.models import Cycle, Proposal
from ovop.proposals.services.proposals import DECISIONS, transition, transition_many

S = ProposalState
DECIDABLE_STATES = {S.ELIGIBLE, S.RATED, S.NOT_RATED}

# The decision each workflow move follows: (the decision's status, rated?). These moves
# belong to this module alone; screens and the API never offer them.
DECISION_MOVES: dict[str, tuple[DecisionStatus, bool]] = {
    Action.PUBLISH_RATED: (DecisionStatus.PENDING, True),
    Action.PUBLISH_NOT_RATED: (DecisionStatus.PENDING, False),
    Action.REVISE_RATED: (DecisionStatus.PUBLISHED, True),
    Action.REVISE_NOT_RATED: (DecisionStatus.PUBLISHED, False),
}


# A decision's own states: set (and changed) while pending, published once for the whole
# cycle, revised after publication only with a reason. ``None`` is "no decision yet".
DECISION_STEPS: dict[str, tuple[frozenset[DecisionStatus | None], DecisionStatus]] = {
    "decide": (frozenset({None, DecisionStatus.PENDING}), DecisionStatus.PENDING),
    "publish": (frozenset({DecisionStatus.PENDING}), DecisionStatus.PUBLISHED),
    "revise": (frozenset({DecisionStatus.PUBLISHED}), DecisionStatus.PUBLISHED),
}


def _step(decision: Decision | None, name: str) -> DecisionStatus:
    """The status ``decision`` takes by step ``name``, or ``Refused`` if it may not take it."""
    sources, target = DECISION_STEPS[name]
    current = None if decision is None or decision.pk is None else decision.status
    if current not in sources:
        raise Refused(_("This decision cannot be changed that way from where it stands."))
    return target


def _follow(decision: Decision, *, publishing: bool) -> str:
    """The workflow move that makes the proposal follow ``decision``, checked against the
    table: a proposal never moves to rated or not rated unlike its decision."""
    rated = decision.stars is not None
    if publishing:
        action = Action.PUBLISH_RATED if rated else Action.PUBLISH_NOT_RATED
    else:
        action = Action.REVISE_RATED if rated else Action.REVISE_NOT_RATED
    status, needs_rated = DECISION_MOVES[action]
    if decision.status != status or rated != needs_rated:
        raise Refused(_("This move follows the ministry's decision; record the decision first."))
    return action


def _computed(proposal: Proposal) -> tuple[float | None, int | None]:
    results = cycle_results(
        cycle=proposal.round.cycle, proposal_ids=[proposal.pk], with_sensitivity=False
    )
    if not results.rows:
        return None, None
    row = results.rows[0]
    return row.score, row.stars


def _check_stars(stars: int | None, scale: int) -> None:
    if stars is not None and (isinstance(stars, bool) or stars not in range(1, scale + 1)):
        raise Refused(
            _("Stars must be a whole number from 1 to %(scale)s, or empty for not rated.")
            % {"scale": scale},
            status=400,
            field="stars",
        )


@transaction.atomic
def set_decision(
    *, proposal: Proposal, actor: User, stars: int | None, reason: str = ""
) -> Decision:
    """Set (or revise) the decision on one proposal.

    Before publication it is pending and may change freely, with a reason when it departs
    from the computed stars. A published decision changes only with a reason, the proposal
    moves between rated and not rated accordingly, and the history records both.
    """
    if not actor.has_perm("evaluation.manage"):
        raise Refused(_("Only the ministry admin decides."), status=403)
    if proposal.state not in DECIDABLE_STATES:
        raise Refused(
            _("Only proposals screened eligible can be decided; this one is “%(state)s”.")
            % {"state": ProposalState(proposal.state).label}
        )
    cycle = proposal.round.cycle
    _check_stars(stars, cycle.star_scale)
    reason = (reason or "").strip()
    score, computed = _computed(proposal)
    if stars is not None and computed is None:
        raise Refused(
            _(
                "No submitted assessment yet, so there are no computed stars to rate "
                "by; wait for the assessors or decide not rated with a reason."
            )
        )
    _claim(proposal)
    decision = Decision.objects.filter(proposal=proposal).first()
    published = decision is not None and decision.status == DecisionStatus.PUBLISHED
    if published and not reason:
        raise Refused(
            _("This decision is published; give a reason for changing it."),
            status=400,
            field="reason",
        )
    if stars != computed and not reason:
        raise Refused(
            _("The computed result is %(computed)s; give a reason for deciding otherwise.")
            % {"computed": _stars_label(computed)},
            status=400,
            field="reason",
        )
    decision = decision or Decision(proposal=proposal, decided_by=actor)
    decision.status = _step(decision, "revise" if published else "decide")
    was_rated = decision.stars is not None
    decision.score = None if score is None else Decimal(str(round(score, 2)))
    decision.computed_stars = computed
    decision.stars = stars
    decision.reason = reason
    decision.decided_by = actor
    decision._change_reason = reason
    decision._history_user = actor  # also outside a request (commands, the API's tokens)
    decision.save()
    proposal.version += 1  # in step with the claim; a revision's move checks this version
    if published and was_rated != (stars is not None):
        # The proposal follows the revised decision through the workflow table.
        action = _follow(decision, publishing=False)
        transition(proposal=proposal, action=action, actor=actor, reason=reason, by=DECISIONS)
    return decision


def _claim(proposal: Proposal) -> None:
    """Take the proposal for this decision, or refuse if it changed since the caller loaded it.

    Two admins deciding at once both loaded the proposal without a decision: the version
    update makes the second wait on the first's row lock, then match nothing, so exactly one
    decides and the other is told to look again instead of overwriting unseen.
    """
    claimed = Proposal.objects.filter(pk=proposal.pk, version=proposal.version).update(
        version=F("version") + 1
    )
    if not claimed:
        raise Refused(
            _("Someone else changed this proposal a moment ago; reload it and try again.")
        )


def _stars_label(stars: int | None) -> str:
    return "★" * stars if stars else _("not rated")


@transaction.atomic
def fill_pending(*, cycle: Cycle, actor: User) -> int:
    """A pending decision with the computed stars for every scored, undecided proposal."""
    if not actor.has_perm("evaluation.manage"):
        raise Refused(_("Only the ministry admin decides."), status=403)
    results = cycle_results(cycle=cycle, with_sensitivity=False)
    decided = set(
        Decision.objects.filter(proposal__round__cycle=cycle).values_list("proposal_id", flat=True)
    )
    new = [
        Decision(
            proposal_id=row.proposal_id,
            score=Decimal(str(round(row.score, 2))),
            computed_stars=row.stars,
            stars=row.stars,
            decided_by=actor,
        )
        for row in results.rows
        if row.proposal_id not in decided
    ]
    # A system reason, shown in the reader's language (common.history.SYSTEM_REASONS).
    bulk_create_with_history(
        new, Decision, default_user=actor, default_change_reason="Filled with the computed stars"
    )
    return len(new)


class GapsOpen(Refused):  # noqa: N818  a Refused like the others, carrying the gaps
    """Publishing refused because of unfinished work; ``gaps`` lists it, proposal by proposal."""

    def __init__(self, gaps: list[Gap]):
        super().__init__(
            _(
                "%(count)s thing(s) are unfinished; resolve each, or publish anyway with a "
                "reason that is recorded."
            )
            % {"count": len(gaps)}
        )
        self.gaps = gaps

    def payload(self) -> dict[str, Any]:
        return {"gaps": [{**gap.as_record(), "text": gap.text} for gap in self.gaps]}


@transaction.atomic
def publish_cycle(*, cycle: Cycle, actor: User, override_reason: str = "") -> int:
    """Make every pending decision of the cycle final at once; answers how many.

    Refused with ``GapsOpen`` while assessments are missing, disagreements lack a note or
    decisions depart from the computed stars without a reason, unless ``override_reason``
    says why it is published anyway; the publication records the reason and the gaps.
    """
    if not actor.has_perm("evaluation.manage"):
        raise Refused(_("Only the ministry admin publishes decisions."), status=403)
    pending = list(
        Decision.objects.select_for_update()
        .filter(proposal__round__cycle=cycle, status=DecisionStatus.PENDING)
        .select_related("proposal")
    )
    if not pending:
        raise Refused(_("There are no pending decisions to publish in this cycle."))
    stale = [d for d in pending if d.proposal.state != S.ELIGIBLE]
    if stale:
        raise Refused(
            _(
                "%(count)s pending decision(s) concern proposals that are no longer "
                "eligible; review them first."
            )
            % {"count": len(stale)}
        )
    override_reason = (override_reason or "").strip()
    gaps = publication_gaps(cycle)
    if gaps and not override_reason:
        raise GapsOpen(gaps)
    moves: list[tuple[Proposal, str, str]] = []
    for decision in pending:
        moves.append((decision.proposal, _follow(decision, publishing=True), decision.reason))
    transition_many(moves=moves, actor=actor, by=DECISIONS)
    now = timezone.now()
    for decision in pending:
        _step(decision, "publish")
        decision.status = DecisionStatus.PUBLISHED
        decision.published_at = now
        decision._change_reason = "Published"  # a system reason, shown in the reader's language
        decision._history_user = actor
        decision.save(update_fields=["status", "published_at", "updated_at"])
    Publication.objects.create(
        cycle=cycle,
        published_by=actor,
        published_at=now,
        decisions=len(pending),
        override_reason=override_reason if gaps else "",
        gaps=[{**gap.as_record(), "text": gap.text} for gap in gaps],
    )
    # Coaching takes each rated centre's baseline here; sent in this transaction and not
    # robustly, so a failing receiver undoes the publication.
    decisions_published.send(sender=Publication, cycle=cycle, decisions=pending, actor=actor)

    # After commit and robust: a mail outage must not undo a publication.
    transaction.on_commit(
        partial(
            notify_decisions_published, cycle=cycle, proposal_ids=[d.proposal_id for d in pending]
        ),
        robust=True,
    )
    return len(pending)
