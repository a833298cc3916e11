"""What stands in the way of publishing a cycle's decisions, proposal by proposal.

Publishing closes scoring for good (a rated or not-rated proposal takes no assessment), so
the ministry sees first what is unfinished: assessments not submitted (with each open
draft named), assessors who disagree beyond the rubric's gap without a moderation note,
and decisions that depart from the computed stars without a reason.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from ovop.evaluation.enums import DecisionStatus
from ovop.evaluation.models import Assignment, Decision
from ovop.evaluation.selectors.results import cycle_results
from ovop.proposals.models import Cycle


@dataclass(frozen=True)
class Gap:
    kind: str  # "assessment", "disagreement" or "deviation"
    proposal_id: int
    centre: str
    text: str  # in the active language

    def as_record(self) -> dict[str, str | int]:
        return {"kind": self.kind, "proposal": self.proposal_id, "centre": self.centre}


def _stars_text(stars: int | None) -> str:
    return "★" * stars if stars else _("not rated")


def publication_gaps(cycle: Cycle) -> list[Gap]:
    """Every gap of the cycle's pending decisions, in the order of the decisions page."""
    pending = list(
        Decision.objects.filter(proposal__round__cycle=cycle, status=DecisionStatus.PENDING)
        .select_related("proposal__centre")
        .order_by("proposal__regency_id", "proposal__centre__name", "proposal_id")
    )
    if not pending:
        return []
    ids = [decision.proposal_id for decision in pending]
    assignments: dict[int, list[Assignment]] = {}
    for assignment in (
        Assignment.objects.filter(proposal_id__in=ids, recused_at__isnull=True)
        .select_related("assessor", "assessment")
        .order_by("assessor__username")
    ):
        assignments.setdefault(assignment.proposal_id, []).append(assignment)
    rows = {
        row.proposal_id: row
        for row in cycle_results(cycle=cycle, proposal_ids=ids, with_sensitivity=False).rows
    }
    gaps = []
    for decision in pending:
        centre = decision.proposal.centre.name
        mine = assignments.get(decision.proposal_id, [])
        gap = _assessment_gap(decision.proposal_id, centre, mine)
        if gap:
            gaps.append(gap)
        row = rows.get(decision.proposal_id)
        if row is not None and row.disagreement and not decision.reason:
            gaps.append(
                Gap(
                    "disagreement",
                    decision.proposal_id,
                    centre,
                    _(
                        "The assessors' totals differ by more than the rubric allows and the "
                        "decision has no moderation note; record one as its reason."
                    ),
                )
            )
        computed = row.stars if row is not None else None
        if decision.stars != computed and not decision.reason:
            gaps.append(
                Gap(
                    "deviation",
                    decision.proposal_id,
                    centre,
                    _(
                        "Decided %(decided)s while the scores now give %(computed)s, with no "
                        "reason; give the reason or decide again."
                    )
                    % {"decided": _stars_text(decision.stars), "computed": _stars_text(computed)},
                )
            )
    return gaps


def _assessment_gap(proposal_id: int, centre: str, assignments: list[Assignment]) -> Gap | None:
    if not assignments:
        return Gap("assessment", proposal_id, centre, _("No assessor is assigned."))
    done = [a for a in assignments if a.assessment_done]
    if len(done) == len(assignments):
        return None
    drafts = [
        a.assessor.get_full_name() or a.assessor.username for a in assignments if a.assessment_draft
    ]
    waiting = [
        a.assessor.get_full_name() or a.assessor.username
        for a in assignments
        if not a.assessment_done and not a.assessment_draft
    ]
    parts = [
        _("%(done)s of %(total)s assessments submitted")
        % {"done": len(done), "total": len(assignments)}
    ]
    if drafts:
        parts.append(_("open draft by %(names)s") % {"names": ", ".join(drafts)})
    if waiting:
        parts.append(_("not started by %(names)s") % {"names": ", ".join(waiting)})
    return Gap("assessment", proposal_id, centre, "; ".join(parts) + ".")
