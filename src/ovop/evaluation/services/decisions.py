"""Decisions (penetapan): pending per proposal, published for the whole cycle in one step."""

from decimal import Decimal
from functools import partial

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from ovop.accounts.models import User
from ovop.coaching.services.indicators import capture_baselines
from ovop.evaluation.enums import DecisionStatus
from ovop.evaluation.errors import Refused
from ovop.evaluation.models import Decision
from ovop.evaluation.results import cycle_results
from ovop.notifications.services import notify_decisions_published
from ovop.proposals.enums import Action, ProposalState
from ovop.proposals.models import Cycle, Proposal
from ovop.proposals.services import TransitionRefused, transition, transition_many

S = ProposalState
DECIDABLE_STATES = {S.ELIGIBLE, S.RATED, S.NOT_RATED}


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
        raise Refused(_("This decision is published; give a reason for changing it."), status=400)
    if stars != computed and not reason:
        raise Refused(
            _("The computed result is %(computed)s; give a reason for deciding otherwise.")
            % {"computed": _stars_label(computed)},
            status=400,
        )
    decision = decision or Decision(proposal=proposal, decided_by=actor)
    was_rated = decision.stars is not None
    decision.score = None if score is None else Decimal(str(round(score, 2)))
    decision.computed_stars = computed
    decision.stars = stars
    decision.reason = reason
    decision.decided_by = actor
    decision._change_reason = reason
    decision.save()
    if published and was_rated != (stars is not None):
        # The proposal follows the revised decision through the workflow table.
        proposal.decision = decision
        action = Action.REVISE_RATED if stars is not None else Action.REVISE_NOT_RATED
        try:
            transition(proposal=proposal, action=action, actor=actor, reason=reason)
        except TransitionRefused as error:
            raise Refused(error.message, status=error.status) from error
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
    proposal.version += 1  # a revision's workflow move checks the version just claimed


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
    Decision.objects.bulk_create(new)
    return len(new)


@transaction.atomic
def publish_cycle(*, cycle: Cycle, actor: User) -> int:
    """Make every pending decision of the cycle final at once; answers how many."""
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
    moves: list[tuple[Proposal, str, str]] = []
    for decision in pending:
        decision.proposal.decision = decision  # the table's guard reads it without a query
        rated = decision.stars is not None
        action = Action.PUBLISH_RATED if rated else Action.PUBLISH_NOT_RATED
        moves.append((decision.proposal, action, decision.reason))
    try:
        transition_many(moves=moves, actor=actor)
    except TransitionRefused as error:
        raise Refused(error.message, status=error.status) from error
    now = timezone.now()
    for decision in pending:
        decision.status = DecisionStatus.PUBLISHED
        decision.published_at = now
        decision._change_reason = _("Published")
        decision.save(update_fields=["status", "published_at", "updated_at"])
    # Coaching measures each rated centre against where it stood when it was selected.
    capture_baselines(
        centre_ids=[d.proposal.centre_id for d in pending if d.stars is not None],
        year=cycle.year,
        note=_("Baseline from the registry when the decisions of %(cycle)s were published.")
        % {"cycle": cycle.name},
    )

    # After commit and robust: a mail outage must not undo a publication.
    transaction.on_commit(
        partial(
            notify_decisions_published, cycle=cycle, proposal_ids=[d.proposal_id for d in pending]
        ),
        robust=True,
    )
    return len(pending)
