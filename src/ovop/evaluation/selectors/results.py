"""Reading a cycle's results: aggregated levels, official scores, stars, ranks, stability.

A whole cycle is read in a fixed handful of queries and computed with NumPy, whatever its
size (PERFORMANCE.md: 1,500 proposals × 3 assessors × 11 sub-criteria).
"""

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any, cast

import numpy as np
from django.db.models import QuerySet, TextField
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _

from ovop.evaluation.enums import Aggregation, RankingMethod
from ovop.evaluation.models import Assessment, Decision, Rubric, SubCriterion
from ovop.evaluation.ranking import saw, sensitivity, stars_for, topsis
from ovop.evaluation.services.rubric import bands_of, ensure_rubric
from ovop.proposals.enums import ProposalState
from ovop.proposals.models import Cycle, Proposal

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
    cycle: Cycle
    rubric: Rubric
    codes: list[str]
    weights: list[int]
    bands: list[tuple[int, float]]
    method: str
    rows: list[Row] = field(default_factory=list)
    unscored: list[Mapping[str, Any]] = field(default_factory=list)  # proposals.values() rows
    # Made per instance, so it is in the language of the request that reads it.
    tie_rule: str = field(default_factory=lambda: str(TIE_RULE))
    order: list[int] = field(default_factory=list, repr=False)  # rank → aggregated-matrix row

    @property
    def disagreements(self) -> list[Row]:
        return [row for row in self.rows if row.disagreement]


def aggregate(levels: np.ndarray, how: str) -> np.ndarray:
    """Assessors × sub-criteria → one level per sub-criterion (mean or median)."""
    return cast(
        np.ndarray, np.median(levels, axis=0) if how == Aggregation.MEDIAN else levels.mean(axis=0)
    )


def _rubric_shape(rubric: Rubric) -> tuple[list[str], list[int], list[bool], list[str]]:
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


@dataclass
class _Assessments:
    """Every counted assessment of the ranked proposals, grouped by proposal (ascending id)
    and by assessor username within a proposal, as parallel lists and arrays."""

    proposal_ids: np.ndarray  # one per assessment
    usernames: list[str]
    levels: list[dict[str, int]]
    matrix: np.ndarray  # assessments × sub-criteria

    def groups(self) -> tuple[np.ndarray, np.ndarray]:
        """(start index, count) of each proposal's block of assessments."""
        ids = self.proposal_ids
        starts = np.flatnonzero(np.r_[True, ids[1:] != ids[:-1]]) if ids.size else ids
        return starts, np.diff(np.r_[starts, ids.size])


def _submitted(codes: list[str], proposals: QuerySet[Proposal, Mapping[str, Any]]) -> _Assessments:
    """Submitted, non-recused assessments of ``proposals`` in one query.

    The levels are read as JSON text and decoded in a single ``json.loads`` call: decoding
    thousands of small documents one by one costs more than the query itself.
    """
    rows = list(
        Assessment.objects.filter(
            assignment__proposal__in=proposals,
            assignment__recused_at__isnull=True,
            submitted_at__isnull=False,
        )
        .order_by("assignment__proposal_id", "assignment__assessor__username")
        .values_list(
            "assignment__proposal_id",
            "assignment__assessor__username",
            Cast("levels", output_field=TextField()),
        )
    )
    levels = json.loads("[" + ",".join(text or "{}" for *_rest, text in rows) + "]")
    return _Assessments(
        proposal_ids=np.array([row[0] for row in rows], dtype=np.int64),
        usernames=[row[1] for row in rows],
        levels=levels,
        matrix=_level_matrix(levels, codes),
    )


def _level_matrix(levels: list[dict[str, int]], codes: list[str]) -> np.ndarray:
    """Assessments × sub-criteria; a level missing from an assessment counts as 0."""
    if len(codes) > 1:
        # A submitted assessment has every code; itemgetter reads them all at C speed.
        pick = itemgetter(*codes)
        try:
            return np.array([pick(chosen) for chosen in levels], dtype=float).reshape(
                len(levels), len(codes)
            )
        except KeyError:
            pass
    return np.array(
        [[chosen.get(code, 0) for code in codes] for chosen in levels], dtype=float
    ).reshape(len(levels), len(codes))


def _aggregated(
    assessments: _Assessments, starts: np.ndarray, counts: np.ndarray, how: str
) -> np.ndarray:
    """Proposals × sub-criteria: the mean (or median) of each proposal's assessments."""
    if how == Aggregation.MEDIAN:
        return np.array(
            [
                aggregate(assessments.matrix[start : start + count], how)
                for start, count in zip(starts, counts, strict=True)
            ]
        )
    return cast(np.ndarray, np.add.reduceat(assessments.matrix, starts, axis=0) / counts[:, None])


def cycle_results(
    *,
    cycle: Cycle,
    method: str = RankingMethod.SAW,
    province: str | None = None,
    proposal_ids: Iterable[int] | None = None,
    with_sensitivity: bool = True,
) -> CycleResults:
    """Rank the scored proposals of a cycle (optionally one province's) by ``method``."""
    if method not in RankingMethod.values:
        raise ValueError(f"unknown ranking method {method!r}")
    # Reading needs no transaction: only a cycle without a rubric yet gets one made.
    rubric = Rubric.objects.filter(cycle=cycle).first() or ensure_rubric(cycle)
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
    assessments = _submitted(codes, proposals.values("pk"))
    decisions = {
        d["proposal_id"]: d
        for d in Decision.objects.filter(proposal__in=proposals.values("pk")).values(
            "proposal_id", "stars", "status", "reason"
        )
    }
    starts, counts = assessments.groups()
    scored_ids = set(assessments.proposal_ids[starts].tolist())
    scored = [f for f in facts if f["pk"] in scored_ids]
    results.unscored = [f for f in facts if f["pk"] not in scored_ids]
    if not scored or not codes:
        return results
    # Facts and assessment blocks are both in ascending proposal id: index i matches.
    matrix = _aggregated(assessments, starts, counts, rubric.aggregation)
    _rank(results, scored, matrix, assessments, (starts, counts), benefit, criteria, decisions)
    if with_sensitivity:
        _stability(results, matrix)
    return results


def _method_scores(
    results: CycleResults, matrix: np.ndarray, benefit: list[bool]
) -> tuple[np.ndarray, np.ndarray]:
    weight_fractions = (np.array(results.weights, dtype=float) / 100).tolist()
    # SAW against the scale's top level (an ideal row of 5s) equals Σ weight × level / 5.
    ideal = np.full((1, len(results.codes)), 5.0)
    official = np.array(saw(np.vstack([matrix, ideal]).tolist(), weight_fractions, benefit)[:-1])
    official *= 100
    if results.method == RankingMethod.TOPSIS:
        return official, np.array(topsis(matrix.tolist(), weight_fractions, benefit))
    return official, official


def _criterion_subtotals(
    weights: np.ndarray, criteria: list[str], matrix: np.ndarray
) -> tuple[list[str], list[list[float]]]:
    """(criterion codes, proposals × criteria subtotals Σ weight × level / 5)."""
    codes = list(dict.fromkeys(criteria))
    per_criterion = np.zeros((len(criteria), len(codes)))
    for index, (weight, criterion) in enumerate(zip(weights, criteria, strict=True)):
        per_criterion[index, codes.index(criterion)] = weight / 5
    return codes, (matrix @ per_criterion).tolist()


def _rank(
    results: CycleResults,
    scored: Sequence[Mapping[str, Any]],
    matrix: np.ndarray,
    assessments: _Assessments,
    groups: tuple[np.ndarray, np.ndarray],
    benefit: list[bool],
    criteria: list[str],
    decisions: Mapping[int, Mapping[str, Any]],
) -> None:
    """Build the rows in rank order: the method's score, then the documented tie rule."""
    starts, counts = groups
    weights = np.array(results.weights, dtype=float)
    official, method_scores = _method_scores(results, matrix, benefit)
    # Per assessment: Σ weight × level / 5; per proposal: the spread of its assessors.
    totals = assessments.matrix @ weights / 5
    spread = np.maximum.reduceat(totals, starts) - np.minimum.reduceat(totals, starts)
    disagreement = ((counts > 1) & (spread > float(results.rubric.disagreement_gap))).tolist()
    criterion_codes, subtotals = _criterion_subtotals(weights, criteria, matrix)
    results.order = _tie_order(results.method, scored, method_scores, subtotals, criterion_codes)
    official, method_scores, totals = official.tolist(), method_scores.tolist(), totals.tolist()
    bounds = (starts + counts).tolist()
    for rank, index in enumerate(results.order, start=1):
        fact, start, end = scored[index], int(starts[index]), bounds[index]
        usernames = assessments.usernames[start:end]
        decision = decisions.get(fact["pk"], {})
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
                levels=matrix[index].tolist(),
                score=official[index],
                stars=stars_for(round(official[index], 2), results.bands),
                method_score=method_scores[index],
                criterion_scores=dict(zip(criterion_codes, subtotals[index], strict=True)),
                assessor_totals=dict(zip(usernames, totals[start:end], strict=True)),
                assessor_levels=dict(zip(usernames, assessments.levels[start:end], strict=True)),
                disagreement=disagreement[index],
                rank=rank,
                decision_stars=decision.get("stars"),
                decision_status=decision.get("status", ""),
                decision_reason=decision.get("reason", ""),
            )
        )


def _tie_order(
    method: str,
    scored: Sequence[Mapping[str, Any]],
    method_scores: np.ndarray,
    subtotals: list[list[float]],
    criterion_codes: list[str],
) -> list[int]:
    """Indexes of ``scored`` sorted by the method's score, then the tie rule (TIE_RULE)."""
    digits = 4 if method == RankingMethod.TOPSIS else 2
    tie_columns = [
        criterion_codes.index(code) if code in criterion_codes else None
        for code in TIE_BREAK_CRITERIA
    ]
    keys: list[tuple[float, ...]] = []
    for index, (fact, value) in enumerate(zip(scored, method_scores.tolist(), strict=True)):
        ties = tuple(
            -round(subtotals[index][column], 2) if column is not None else 0.0
            for column in tie_columns
        )
        submitted = fact["submitted_at"]
        keys.append(
            (
                -round(value, digits),
                *ties,
                submitted.timestamp() if submitted else math.inf,
                fact["pk"],
            )
        )
    return sorted(range(len(keys)), key=keys.__getitem__)


def _stability(results: CycleResults, matrix: np.ndarray) -> None:
    # ``matrix`` is in proposal-id order; put it in rank order to match the rows.
    ranked = matrix[np.array(results.order, dtype=np.int64)]
    stability = sensitivity(ranked, results.weights, results.bands, top_n=results.rubric.top_n)
    for row, band, top in zip(results.rows, stability.keeps_band, stability.keeps_top, strict=True):
        row.keeps_band = band
        row.keeps_top = top
