"""Cycle results for the ranking screens and API, kept while nothing behind them changes.

Reading a 1,500-proposal cycle from the stored results takes a few tens of milliseconds; the
cache saves even that while nobody scores, recuses, decides, edits the bands, moves a
proposal or renames a centre. One query reads a fingerprint of all of those, and the results
are reused until it changes: an optimisation, not what makes the ranking fast.
"""

from typing import cast

from django.db.models import Aggregate, Count, Max, Model, QuerySet
from django.utils.translation import get_language

from ovop.common.freshness import Fingerprint, cached
from ovop.evaluation.models import Decision, ProposalResult, Rubric, StarBand
from ovop.evaluation.selectors.results import CycleResults, cycle_results
from ovop.proposals.models import Cycle, Proposal, Round


def _sources(cycle_id: int) -> list[QuerySet[Model] | tuple[QuerySet[Model], str | Aggregate]]:
    """Whole tables read through their ``updated_at`` index where that is cheaper than
    joining down to the cycle (a change in another cycle only costs one recomputation)."""
    bands = StarBand.objects.filter(cycle=cycle_id)
    proposals = Proposal.objects.filter(round__in=Round.objects.filter(cycle=cycle_id).values("pk"))
    return [
        Cycle.objects.filter(pk=cycle_id),
        (Cycle.objects.filter(pk=cycle_id), Max("star_scale")),
        # Submitted and recused assessments rewrite their proposal's stored result; drafts
        # change all day and never reach it.
        ProposalResult.objects.filter(cycle=cycle_id),
        Decision.objects.all(),
        proposals,  # this cycle's: draft saves of a new cycle's proposals leave it alone
        # The names on the rows: this cycle's centres only, or every registry edit anywhere
        # would recompute the ranking (centres behind proposals are never deleted).
        (proposals, "centre__updated_at"),
        (Rubric.objects.filter(cycle=cycle_id), "updated_at"),
        (bands, Max("pk")),
        (bands, Count("pk")),
    ]


_stamp = Fingerprint(_sources)


def fingerprint(cycle: Cycle) -> str:
    """Everything the results depend on, read in one query."""
    return _stamp(cycle.pk)


def ranked_results(*, cycle: Cycle, method: str, province: str | None = None) -> CycleResults:
    """``cycle_results`` with stability, reused while the cycle's fingerprint is unchanged
    (read-only: callers filter into new lists)."""
    key = "ranking:" + ":".join([str(cycle.pk), method, province or "", get_language() or ""])
    return cast(
        CycleResults,
        cached(
            key,
            fingerprint(cycle),
            lambda: cycle_results(cycle=cycle, method=method, province=province),
            # Reading the stored results again is quicker than unpickling a shared copy.
            shared=False,
        ),
    )
