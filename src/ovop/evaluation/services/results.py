"""Each proposal's stored result (ProposalResult), kept current as assessments are submitted.

A submitted assessment rewrites one row: its proposal's aggregated levels, official score and
assessor totals (a handful of small queries). The ranking then reads those rows
(selectors.results) instead of recomputing the cycle. The rubric is locked from the first
submission on, so a stored result never goes stale behind it; ``refresh_cycle_results``
rewrites a whole cycle after a bulk load that sent no signals (the bench generator).
"""

from collections.abc import Sequence
from typing import Any

import numpy as np
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from ovop.evaluation.models import ProposalResult, Rubric
from ovop.evaluation.ranking import official_scores
from ovop.evaluation.selectors.results import (
    RubricShape,
    aggregate,
    counted_assessments,
    level_matrix,
    rubric_shape,
)
from ovop.proposals.models import Cycle, Proposal


def computed_result(
    assessments: Sequence[tuple[str, dict[str, int]]], shape: RubricShape, how: str
) -> dict[str, Any]:
    """The stored fields for one proposal from its counted ``(username, levels)``, in
    username order: aggregated levels, official score, assessor totals and their spread."""
    matrix = level_matrix([chosen for _name, chosen in assessments], shape.codes)
    levels = aggregate(matrix, how)
    totals = matrix @ np.array(shape.weights, dtype=float) / 5
    (score,) = official_scores(levels[None, :], shape.weights, shape.benefit)
    return {
        "levels": dict(zip(shape.codes, levels.tolist(), strict=True)),
        "score": score,
        "totals": dict(zip([name for name, _l in assessments], totals.tolist(), strict=True)),
        "spread": float(totals.max() - totals.min()),
        "assessments": len(assessments),
    }


def _counted(proposals: QuerySet[Proposal]) -> list[tuple[int, str, dict[str, int]]]:
    return list(
        counted_assessments(proposals)
        .order_by("assignment__proposal_id", "assignment__assessor__username")
        .values_list("assignment__proposal_id", "assignment__assessor__username", "levels")
    )


@transaction.atomic
def refresh_result(*, proposal_id: int) -> ProposalResult | None:
    """Rewrite one proposal's result from its counted assessments (none left: no result).

    Runs inside the transaction that saved the assessment (a receiver), so the two land
    together. The proposal is locked first: two assessors submitting at the same moment
    write one after the other, the second seeing the first's levels. The one write is an
    UPDATE, or an INSERT for the first submission."""
    cycle_id = (
        Proposal.objects.select_for_update(no_key=True, of=("self",))
        .filter(pk=proposal_id)
        .values_list("round__cycle_id", flat=True)
        .first()
    )
    rubric = Rubric.objects.filter(cycle_id=cycle_id).first() if cycle_id else None
    shape = rubric_shape(rubric) if rubric else None
    counted = _counted(Proposal.objects.filter(pk=proposal_id)) if shape and shape.codes else []
    if cycle_id is None or rubric is None or shape is None or not counted:
        ProposalResult.objects.filter(proposal_id=proposal_id).delete()  # nothing counts
        return None
    fields = computed_result(
        [(name, chosen or {}) for _pk, name, chosen in counted], shape, rubric.aggregation
    )
    result = ProposalResult(proposal_id=proposal_id, cycle_id=cycle_id, **fields)
    if not ProposalResult.objects.filter(proposal_id=proposal_id).update(
        cycle_id=cycle_id, **fields, updated_at=timezone.now()
    ):
        result.save(force_insert=True)
    return result


@transaction.atomic
def refresh_cycle_results(*, cycle: Cycle) -> int:
    """Rewrite every result of ``cycle`` in a few queries; returns how many it holds."""
    ProposalResult.objects.filter(cycle=cycle).delete()
    rubric = Rubric.objects.filter(cycle=cycle).first()
    shape = rubric_shape(rubric) if rubric else None
    if rubric is None or shape is None or not shape.codes:
        return 0
    by_proposal: dict[int, list[tuple[str, dict[str, int]]]] = {}
    for proposal_id, name, chosen in _counted(Proposal.objects.filter(round__cycle=cycle)):
        by_proposal.setdefault(proposal_id, []).append((name, chosen or {}))
    ProposalResult.objects.bulk_create(
        [
            ProposalResult(
                proposal_id=proposal_id,
                cycle=cycle,
                **computed_result(counted, shape, rubric.aggregation),
            )
            for proposal_id, counted in by_proposal.items()
        ],
        batch_size=1000,
    )
    return len(by_proposal)
