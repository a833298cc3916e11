"""Reading a cycle's results: aggregated levels, official scores, stars, ranks, stability.

Each proposal's aggregated levels and official score are stored when an assessment is
submitted (services.results); a whole cycle is then one read of those rows, ranked and
tested for stability in NumPy (PERFORMANCE.md: 1,500 proposals × 11 sub-criteria).
"""

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any, cast, overload

import numpy as np
import orjson
from django.db.models import F, QuerySet, TextField
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _

from ovop.evaluation.enums import Aggregation, RankingMethod
from ovop.evaluation.models import Assessment, Rubric, SubCriterion
from ovop.evaluation.ranking import Stability, sensitivity, stars_for, topsis
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
    levels: list[float]
    score: float  # the official score, 0–100
    stars: int  # from the official score and the cycle's bands
    method_score: float  # the score the chosen method ranks by
    criterion_scores: dict[str, float]
    assessor_totals: dict[str, float]  # by assessor username
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
    rows: Sequence[Row] = field(default_factory=list)  # in rank order (RankedRows)
    unscored: list[Mapping[str, Any]] = field(default_factory=list)  # proposals.values() rows
    # Made per instance, so it is in the language of the request that reads it.
    tie_rule: str = field(default_factory=lambda: str(TIE_RULE))
    order: list[int] = field(default_factory=list, repr=False)  # rank → aggregated-matrix row
    stability: Stability | None = field(default=None, repr=False)  # per rank, when asked

    @property
    def disagreements(self) -> list[Row]:
        if isinstance(self.rows, RankedRows):
            return self.rows.flagged()
        return [row for row in self.rows if row.disagreement]


class RankedRows(Sequence[Row]):
    """The ranked rows, each made when it is first read: a 100-row page of a 1,500-row
    cycle makes 100 of them, and reads the names and decisions of those 100 only, in one
    query; a filter or an export makes them all, also in one query."""

    def __init__(
        self,
        make: Callable[[int, tuple[Any, ...]], Row],
        ids: list[int],
        flags: list[bool],
        facts: Callable[[list[int]], dict[int, tuple[Any, ...]]],
    ):
        self._make = make  # (rank position, the proposal's facts) → its row
        self._ids = ids  # the proposal id at each rank position
        self._flags = flags  # the disagreement flag per rank, known without making rows
        self._facts = facts  # proposal ids → their facts, read in one query
        self._made: list[Row | None] = [None] * len(ids)

    def __len__(self) -> int:
        return len(self._made)

    def _fill(self, positions: Iterable[int]) -> list[Row]:
        wanted = list(positions)
        missing = [position for position in wanted if self._made[position] is None]
        if missing:
            found = self._facts([self._ids[position] for position in missing])
            for position in missing:
                # A proposal gone since the ranking was read keeps its row, without names.
                self._made[position] = self._make(position, found.get(self._ids[position], ()))
        return [cast(Row, self._made[position]) for position in wanted]

    @overload
    def __getitem__(self, index: int) -> Row: ...
    @overload
    def __getitem__(self, index: slice) -> list[Row]: ...
    def __getitem__(self, index: int | slice) -> Row | list[Row]:
        if isinstance(index, slice):
            return self._fill(range(*index.indices(len(self))))
        if not -len(self) <= index < len(self):
            raise IndexError(index)
        return self._fill([index % len(self)])[0]

    def __iter__(self) -> Iterator[Row]:
        return iter(self._fill(range(len(self))))

    def flagged(self) -> list[Row]:
        return self._fill(position for position, flag in enumerate(self._flags) if flag)


def aggregate(levels: np.ndarray, how: str) -> np.ndarray:
    """Assessors × sub-criteria → one level per sub-criterion (mean or median)."""
    return cast(
        np.ndarray, np.median(levels, axis=0) if how == Aggregation.MEDIAN else levels.mean(axis=0)
    )


@dataclass(frozen=True)
class RubricShape:
    """A rubric's sub-criteria in order: code, weight, benefit flag and criterion code."""

    codes: list[str]
    weights: list[int]
    benefit: list[bool]
    criteria: list[str]


def rubric_shape(rubric: Rubric) -> RubricShape:
    subs = list(
        SubCriterion.objects.filter(criterion__rubric=rubric)
        .order_by("criterion__position", "criterion__code", "position", "code")
        .values_list("code", "weight", "benefit", "criterion__code")
    )
    return RubricShape(
        codes=[code for code, *_rest in subs],
        weights=[weight for _c, weight, *_r in subs],
        benefit=[benefit for _c, _w, benefit, _k in subs],
        criteria=[crit for *_r, crit in subs],
    )


def level_matrix(levels: Sequence[Mapping[str, float]], codes: list[str]) -> np.ndarray:
    """Rows × sub-criteria; a level missing from a row counts as 0."""
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


def counted_assessments(proposals: QuerySet[Proposal, Any]) -> QuerySet[Assessment]:
    """The assessments that count: submitted, by an assessor who has not recused."""
    return Assessment.objects.filter(
        assignment__proposal__in=proposals,
        assignment__recused_at__isnull=True,
        submitted_at__isnull=False,
    )


def assessor_levels(proposal_ids: Iterable[int]) -> dict[int, dict[str, dict[str, int]]]:
    """Proposal → assessor username → the levels that assessor submitted (for the
    per-assessor sheet of the ranking workbook), in one query."""
    found: dict[int, dict[str, dict[str, int]]] = {}
    rows = (
        counted_assessments(Proposal.objects.filter(pk__in=list(proposal_ids)))
        .order_by("assignment__proposal_id", "assignment__assessor__username")
        .values_list("assignment__proposal_id", "assignment__assessor__username", "levels")
    )
    for proposal_id, username, chosen in rows:
        found.setdefault(proposal_id, {})[username] = chosen or {}
    return found


# Each ranked proposal with its stored result (none yet: unscored), read for the whole cycle;
# the facts shown beside it are read only for the rows a page shows (RankedRows).
_RESULT_COLUMNS = ("pk", "result__score", "result__spread", "result__assessments")
PK, SCORE, SPREAD, COUNT, LEVELS, TOTALS = range(6)
_NAMES = (
    "pk",
    "centre_id",
    "centre__name",
    "regency_id",
    "regency__name",
    "round__province_id",
    "round__province__name",
    "centre__commodity__name",
)
_ROW_FACTS = (*_NAMES, "decision__stars", "decision__status", "decision__reason")
CENTRE, CENTRE_NAME, REGENCY, REGENCY_NAME, PROVINCE, PROVINCE_NAME, COMMODITY = range(1, 8)
STARS, STATUS, REASON = range(8, 11)


def _row_facts(proposal_ids: list[int]) -> dict[int, tuple[Any, ...]]:
    return {
        row[0]: row for row in Proposal.objects.filter(pk__in=proposal_ids).values_list(*_ROW_FACTS)
    }


# The facts of a ranked proposal without a counted assessment yet (``CycleResults.unscored``).
_FACT_KEYS = (*_NAMES, "submitted_at")


@dataclass
class _Stored:
    """The stored results of the ranked proposals, in the order of their submission to the
    province (then proposal number): a row's position is the tie rule's last two keys."""

    rows: list[tuple[Any, ...]]  # _RESULT_COLUMNS, then the levels and totals
    official: np.ndarray
    matrix: np.ndarray  # proposals × sub-criteria, the aggregated levels
    totals: list[dict[str, float]]


def _stored(codes: list[str], proposals: QuerySet[Proposal]) -> tuple[_Stored, list[int]]:
    """Read the stored results of ``proposals`` in one query, and the ids of those without
    one. The JSON columns are decoded in one ``orjson.loads`` call each (decoding thousands
    of small documents one by one costs more than the query)."""
    found = proposals.order_by(F("submitted_at").asc(nulls_last=True), "pk").values_list(
        *_RESULT_COLUMNS,
        Cast("result__levels", output_field=TextField()),
        Cast("result__totals", output_field=TextField()),
    )
    rows, unscored = [], []
    for row in found:
        if row[SCORE] is None:
            unscored.append(row[PK])
        else:
            rows.append(row)
    levels = orjson.loads("[" + ",".join(row[LEVELS] or "{}" for row in rows) + "]")
    stored = _Stored(
        rows=rows,
        official=np.array([row[SCORE] for row in rows], dtype=float),
        matrix=level_matrix(levels, codes),
        totals=orjson.loads("[" + ",".join(row[TOTALS] or "{}" for row in rows) + "]"),
    )
    return stored, unscored


def cycle_results(
    *,
    cycle: Cycle,
    method: str = RankingMethod.SAW,
    province: str | None = None,
    proposal_ids: Iterable[int] | None = None,
    with_sensitivity: bool = True,
) -> CycleResults:
    """Rank the scored proposals of a cycle (optionally one province's) by ``method``.

    Reads the stored result of each proposal (services.results keeps them current), so the
    cost is one read of a few thousand numbers, whatever happened since the last call.
    """
    if method not in RankingMethod.values:
        raise ValueError(f"unknown ranking method {method!r}")
    # Reading needs no transaction: only a cycle without a rubric yet gets one made.
    rubric = Rubric.objects.filter(cycle=cycle).first() or ensure_rubric(cycle)
    shape = rubric_shape(rubric)
    results = CycleResults(
        cycle=cycle,
        rubric=rubric,
        codes=shape.codes,
        weights=shape.weights,
        bands=bands_of(cycle),
        method=method,
    )
    chosen: dict[str, Any] = {"state__in": RANKED_STATES}
    if province:
        chosen["round__province_id"] = province
    if proposal_ids is not None:
        chosen["pk__in"] = list(proposal_ids)
    proposals = Proposal.objects.filter(round__cycle=cycle, **chosen)
    stored, unscored = _stored(shape.codes, proposals)
    if unscored:  # their names, in proposal order (usually none once scoring is done)
        facts = Proposal.objects.filter(pk__in=unscored).order_by("pk").values(*_FACT_KEYS)
        results.unscored = list(facts)
    if not shape.codes or not stored.rows:
        return results
    _rank(results, stored, shape)
    if with_sensitivity:
        _stability(results, stored.matrix)
    return results


def _method_scores(results: CycleResults, stored: _Stored, shape: RubricShape) -> np.ndarray:
    """The score the chosen method ranks by: the official score (SAW), or TOPSIS closeness
    recomputed from the stored matrix."""
    if results.method == RankingMethod.TOPSIS:
        fractions = (np.array(shape.weights, dtype=float) / 100).tolist()
        return np.array(topsis(stored.matrix, fractions, shape.benefit))
    return stored.official


def _criterion_subtotals(
    weights: np.ndarray, criteria: list[str], matrix: np.ndarray
) -> tuple[list[str], list[list[float]]]:
    """(criterion codes, proposals × criteria subtotals Σ weight × level / 5)."""
    codes = list(dict.fromkeys(criteria))
    per_criterion = np.zeros((len(criteria), len(codes)))
    for index, (weight, criterion) in enumerate(zip(weights, criteria, strict=True)):
        per_criterion[index, codes.index(criterion)] = weight / 5
    return codes, (matrix @ per_criterion).tolist()


def _rank(results: CycleResults, stored: _Stored, shape: RubricShape) -> None:
    """Order the rows by the method's score, then the documented tie rule; each row is made
    from these arrays when it is first read (RankedRows)."""
    method_scores = _method_scores(results, stored, shape)
    rows = stored.rows
    gap = float(results.rubric.disagreement_gap)
    counts = np.array([row[COUNT] for row in rows], dtype=np.int64)
    spread = np.array([row[SPREAD] for row in rows], dtype=float)
    disagreement = ((counts > 1) & (spread > gap)).tolist()
    weights = np.array(shape.weights, dtype=float)
    criterion_codes, subtotals = _criterion_subtotals(weights, shape.criteria, stored.matrix)
    order = results.order = _tie_order(results.method, method_scores, subtotals, criterion_codes)
    official, method_values = stored.official.tolist(), method_scores.tolist()
    levels = stored.matrix.tolist()

    def make(position: int, fact: tuple[Any, ...]) -> Row:
        index = order[position]
        row = rows[index]
        fact = fact or (row[PK], None, "", "", "", "", "", None, None, "", "")
        return Row(
            proposal_id=row[PK],
            centre_id=fact[CENTRE],
            centre_name=fact[CENTRE_NAME],
            regency=fact[REGENCY],
            regency_name=fact[REGENCY_NAME],
            province=fact[PROVINCE],
            province_name=fact[PROVINCE_NAME],
            commodity=fact[COMMODITY],
            levels=levels[index],
            score=official[index],
            stars=stars_for(round(official[index], 2), results.bands),
            method_score=method_values[index],
            criterion_scores=dict(zip(criterion_codes, subtotals[index], strict=True)),
            assessor_totals=stored.totals[index],
            disagreement=disagreement[index],
            rank=position + 1,
            keeps_band=results.stability.keeps_band[position] if results.stability else None,
            keeps_top=results.stability.keeps_top[position] if results.stability else None,
            decision_stars=fact[STARS],
            decision_status=fact[STATUS] or "",
            decision_reason=fact[REASON] or "",
        )

    results.rows = RankedRows(
        make,
        [rows[index][PK] for index in order],
        [disagreement[index] for index in order],
        _row_facts,
    )


def _tie_order(
    method: str,
    method_scores: np.ndarray,
    subtotals: list[list[float]],
    criterion_codes: list[str],
) -> list[int]:
    """Indexes of the rows (in submission order) sorted by the method's score, then the tie
    rule (TIE_RULE)."""
    digits = 4 if method == RankingMethod.TOPSIS else 2
    tie_columns = [
        criterion_codes.index(code) if code in criterion_codes else None
        for code in TIE_BREAK_CRITERIA
    ]
    keys: list[tuple[float, ...]] = []
    for index, value in enumerate(method_scores.tolist()):
        ties = tuple(
            -round(subtotals[index][column], 2) if column is not None else 0.0
            for column in tie_columns
        )
        # The rows come in submission order, then proposal number: the position settles it.
        keys.append((-round(value, digits), *ties, index))
    return sorted(range(len(keys)), key=keys.__getitem__)


def _stability(results: CycleResults, matrix: np.ndarray) -> None:
    # ``matrix`` is in the stored order; put it in rank order to match the rows.
    ranked = matrix[np.array(results.order, dtype=np.int64)]
    results.stability = sensitivity(
        ranked, results.weights, results.bands, top_n=results.rubric.top_n
    )
