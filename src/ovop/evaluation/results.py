"""Reading a cycle's results: aggregated levels, official scores, stars, ranks, stability.

A whole cycle is read in a fixed handful of queries and computed with NumPy, whatever its
size (PERFORMANCE.md: 1,500 proposals × 3 assessors × 11 sub-criteria).
"""

from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
from django.utils.translation import gettext_lazy as _

from ovop.evaluation.enums import Aggregation, RankingMethod
from ovop.evaluation.models import Assessment, Decision, Rubric, SubCriterion
from ovop.evaluation.ranking import saw, sensitivity, stars_for, topsis
from ovop.evaluation.services.rubric import bands_of, ensure_rubric
from ovop.proposals.enums import ProposalState
from ovop.proposals.models import Proposal

# Proposals screened eligible, before and after the decision.
RANKED_STATES = {ProposalState.ELIGIBLE, ProposalState.RATED, ProposalState.NOT_RATED}
TIE_BREAK_CRITERIA = ("K2", "K3")
TIE_RULE = _(
    "Equal scores (to two decimals) are ordered by the K2 product type & quality subtotal, "
    "then the K3 market reach subtotal, then the earlier submission to the province, then the "
    "lower proposal number."
)


@dataclass
class Row:
    proposal_id: int
    centre_id: int
    centre_name: str
    regency: str
    regency_name: str
    province: str
    province_name: str
    commodity: str
    submitted_at: object
    levels: list[float]
    score: float  # the official score, 0–100
    stars: int  # from the official score and the cycle's bands
    method_score: float  # the score the chosen method ranks by
    criterion_scores: dict[str, float]
    assessor_totals: dict[str, float]
    assessor_levels: dict[str, dict[str, int]]
    disagreement: bool
    rank: int = 0
    keeps_band: float | None = None
    keeps_top: float | None = None
    decision_stars: int | None = None
    decision_status: str = ""
    decision_reason: str = ""


@dataclass
class CycleResults:
    cycle: object
    rubric: Rubric
    codes: list[str]
    weights: list[int]
    bands: list[tuple[int, float]]
    method: str
    rows: list[Row] = field(default_factory=list)
    unscored: list[dict] = field(default_factory=list)
    tie_rule: str = str(TIE_RULE)

    @property
    def disagreements(self) -> list[Row]:
        return [row for row in self.rows if row.disagreement]


def aggregate(levels: np.ndarray, how: str) -> np.ndarray:
    """Assessors × sub-criteria → one level per sub-criterion (mean or median)."""
    return np.median(levels, axis=0) if how == Aggregation.MEDIAN else levels.mean(axis=0)


def _rubric_shape(rubric: Rubric):
    subs = list(
        SubCriterion.objects.filter(criterion__rubric=rubric)
        .order_by("criterion__position", "criterion__code", "position", "code")
        .values_list("code", "weight", "benefit", "criterion__code")
    )
    return (
        [code for code, *_rest in subs],
        [weight for _c, weight, *_r in subs],
        [benefit for _c, _w, benefit, _k in subs],
        [crit for *_r, crit in subs],
    )


def _submitted(cycle, proposal_ids=None) -> dict[int, list[tuple[str, dict]]]:
    queryset = Assessment.objects.filter(
        assignment__proposal__round__cycle=cycle,
        assignment__recused_at__isnull=True,
        submitted_at__isnull=False,
    )
    if proposal_ids is not None:
        queryset = queryset.filter(assignment__proposal_id__in=proposal_ids)
    found: dict[int, list[tuple[str, dict]]] = defaultdict(list)
    rows = queryset.order_by("assignment__assessor__username").values_list(
        "assignment__proposal_id", "assignment__assessor__username", "levels"
    )
    for proposal_id, username, levels in rows:
        found[proposal_id].append((username, levels))
    return found


def cycle_results(
    *,
    cycle,
    method: str = RankingMethod.SAW,
    province: str | None = None,
    proposal_ids=None,
    with_sensitivity: bool = True,
) -> CycleResults:
    """Rank the scored proposals of a cycle (optionally one province's) by ``method``."""
    if method not in RankingMethod.values:
        raise ValueError(f"unknown ranking method {method!r}")
    rubric = ensure_rubric(cycle)
    codes, weights, benefit, criteria = _rubric_shape(rubric)
    results = CycleResults(
        cycle=cycle,
        rubric=rubric,
        codes=codes,
        weights=weights,
        bands=bands_of(cycle),
        method=method,
    )
    proposals = Proposal.objects.filter(round__cycle=cycle, state__in=RANKED_STATES)
    if province:
        proposals = proposals.filter(round__province_id=province)
    if proposal_ids is not None:
        proposals = proposals.filter(pk__in=proposal_ids)
    facts = list(
        proposals.order_by("pk").values(
            "pk",
            "centre_id",
            "centre__name",
            "regency_id",
            "regency__name",
            "round__province_id",
            "round__province__name",
            "centre__commodity__name",
            "submitted_at",
        )
    )
    submitted = _submitted(cycle, [f["pk"] for f in facts] if proposal_ids is not None else None)
    decisions = {
        d["proposal_id"]: d
        for d in Decision.objects.filter(proposal__round__cycle=cycle).values(
            "proposal_id", "stars", "status", "reason"
        )
    }
    scored = [f for f in facts if submitted.get(f["pk"])]
    results.unscored = [f for f in facts if not submitted.get(f["pk"])]
    if not scored or not codes:
        return results
    weight_array = np.array(weights, dtype=float)
    matrix = np.array(
        [
            aggregate(
                np.array(
                    [
                        [levels.get(code, 0) for code in codes]
                        for _user, levels in submitted[f["pk"]]
                    ],
                    dtype=float,
                ),
                rubric.aggregation,
            )
            for f in scored
        ]
    )
    # SAW against the scale's top level (an ideal row of 5s) equals Σ weight × level / 5.
    ideal = np.full((1, len(codes)), 5.0)
    official = (
        np.array(
            saw(np.vstack([matrix, ideal]).tolist(), (weight_array / 100).tolist(), benefit)[:-1]
        )
        * 100
    )
    if method == RankingMethod.TOPSIS:
        method_scores = np.array(topsis(matrix.tolist(), (weight_array / 100).tolist(), benefit))
    else:
        method_scores = official
    gap = float(rubric.disagreement_gap)
    for index, fact in enumerate(scored):
        by_assessor = submitted[fact["pk"]]
        totals = {
            user: sum(w * levels.get(c, 0) / 5 for c, w in zip(codes, weights, strict=True))
            for user, levels in by_assessor
        }
        subtotal: dict[str, float] = defaultdict(float)
        for weight, criterion, level in zip(weights, criteria, matrix[index], strict=True):
            subtotal[criterion] += weight * level / 5
        decision = decisions.get(fact["pk"], {})
        score = float(official[index])
        results.rows.append(
            Row(
                proposal_id=fact["pk"],
                centre_id=fact["centre_id"],
                centre_name=fact["centre__name"],
                regency=fact["regency_id"],
                regency_name=fact["regency__name"],
                province=fact["round__province_id"],
                province_name=fact["round__province__name"],
                commodity=fact["centre__commodity__name"],
                submitted_at=fact["submitted_at"],
                levels=[float(v) for v in matrix[index]],
                score=score,
                stars=stars_for(round(score, 2), results.bands),
                method_score=float(method_scores[index]),
                criterion_scores=dict(subtotal),
                assessor_totals=totals,
                assessor_levels=dict(by_assessor),
                disagreement=len(totals) > 1 and max(totals.values()) - min(totals.values()) > gap,
                decision_stars=decision.get("stars"),
                decision_status=decision.get("status", ""),
                decision_reason=decision.get("reason", ""),
            )
        )
    _order(results)
    if with_sensitivity:
        _stability(results, matrix)
    return results


def _order(results: CycleResults) -> None:
    """Sort by the method's score, then the documented tie rule; number the ranks."""
    digits = 4 if results.method == RankingMethod.TOPSIS else 2

    def key(row: Row):
        far_future = "9999"
        return (
            -round(row.method_score, digits),
            *(-round(row.criterion_scores.get(code, 0.0), 2) for code in TIE_BREAK_CRITERIA),
            row.submitted_at.isoformat() if row.submitted_at else far_future,
            row.proposal_id,
        )

    results.rows.sort(key=key)
    for rank, row in enumerate(results.rows, start=1):
        row.rank = rank


def _stability(results: CycleResults, matrix: np.ndarray) -> None:
    order = {row.proposal_id: index for index, row in enumerate(results.rows)}
    # ``matrix`` is in proposal-id order; put it in rank order to match the rows.
    ids = sorted(order, key=lambda pk: pk)
    ranked = np.empty_like(matrix)
    for position, pk in enumerate(ids):
        ranked[order[pk]] = matrix[position]
    stability = sensitivity(ranked, results.weights, results.bands, top_n=results.rubric.top_n)
    for row, band, top in zip(results.rows, stability.keeps_band, stability.keeps_top, strict=True):
        row.keeps_band = band
        row.keeps_top = top
