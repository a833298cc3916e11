"""Cycle results for the ranking screens and API, kept while nothing behind them changes.

Computing a 1,500-proposal cycle takes ~100 ms; it changes only when someone scores,
recuses, decides, edits the rubric or bands, moves a proposal or renames a centre. One query
reads a fingerprint of all of those, and the results are reused until it changes.
"""

from django.core.cache import cache
from django.db.models import Count, Max, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import get_language

from ovop.centres.models import Centre
from ovop.evaluation.models import Assessment, Assignment, Decision, Rubric, StarBand
from ovop.evaluation.results import CycleResults, cycle_results
from ovop.proposals.models import Cycle, Proposal

TIMEOUT = 3600


def _latest(queryset, cycle_path: str, field: str = "updated_at"):
    grouped = queryset.filter(**{cycle_path: OuterRef("pk")}).values(cycle_path)
    return Subquery(grouped.annotate(value=Max(field)).values("value")[:1])


def _count(queryset, cycle_path: str):
    grouped = queryset.filter(**{cycle_path: OuterRef("pk")}).values(cycle_path)
    return Coalesce(Subquery(grouped.annotate(value=Count("pk")).values("value")[:1]), 0)


def fingerprint(cycle) -> str:
    """Everything the results depend on, read in one query."""
    parts = (
        Cycle.objects.filter(pk=cycle.pk)
        .annotate(
            assessments=_latest(Assessment.objects, "assignment__proposal__round__cycle"),
            assessment_count=_count(Assessment.objects, "assignment__proposal__round__cycle"),
            assignments=_latest(Assignment.objects, "proposal__round__cycle"),
            assignment_count=_count(Assignment.objects, "proposal__round__cycle"),
            decisions=_latest(Decision.objects, "proposal__round__cycle"),
            decision_count=_count(Decision.objects, "proposal__round__cycle"),
            proposals=_latest(Proposal.objects, "round__cycle"),
            proposal_count=_count(Proposal.objects, "round__cycle"),
            centres=_latest(Centre.objects, "proposals__round__cycle"),
            rubric_saved=_latest(Rubric.objects, "cycle"),
            bands=_latest(StarBand.objects, "cycle", "pk"),
            band_count=_count(StarBand.objects, "cycle"),
        )
        .values_list(
            "updated_at",
            "star_scale",
            "assessments",
            "assessment_count",
            "assignments",
            "assignment_count",
            "decisions",
            "decision_count",
            "proposals",
            "proposal_count",
            "centres",
            "rubric_saved",
            "bands",
            "band_count",
        )
    )
    return "|".join(str(part) for part in parts.get())


def ranked_results(*, cycle, method: str, province: str | None = None) -> CycleResults:
    """``cycle_results`` with stability, reused while the cycle's fingerprint is unchanged."""
    key = "ranking:" + ":".join(
        [str(cycle.pk), method, province or "", get_language() or "", fingerprint(cycle)]
    )
    results = cache.get(key)
    if results is None:
        results = cycle_results(cycle=cycle, method=method, province=province)
        cache.set(key, results, TIMEOUT)
    return results
