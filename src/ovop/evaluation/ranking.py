"""Ranking maths as pure functions over plain lists (API.md). No database here.

``saw`` and ``topsis`` take ``matrix`` (alternatives × criteria), ``weights`` that sum to 1
and optional ``benefit`` flags (True: higher is better; False: a cost criterion), and return
one float per alternative. ``official_scores`` scores each alternative alone against the
scale's ideal. ``sensitivity`` re-scores a cycle under random weight changes.
"""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

WEIGHT_SUM_TOLERANCE = 1e-6
# The seed is fixed so the same cycle always shows the same stability figures.
SENSITIVITY_SEED = 20260521
SENSITIVITY_RUNS = 1000
PERTURBATION = 0.10
TOP_LEVEL = 5.0  # the scale's best level (levels run 1–5)

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
# Alternatives × criteria, as nested lists of numbers or a 2-D array.
Matrix = Sequence[Sequence[float]] | FloatArray
# One number per criterion.
Vector = Sequence[float] | FloatArray


def _width(matrix: Matrix) -> int:
    """The number of criteria, the same for every alternative."""
    if not isinstance(matrix, (Sequence, np.ndarray)) or len(matrix) == 0:
        raise ValueError("matrix is empty: give at least one alternative")
    widths = {len(row) for row in matrix}
    if len(widths) != 1:
        raise ValueError("matrix is ragged: every alternative needs the same criteria")
    width = widths.pop()
    if width == 0:
        raise ValueError("matrix has no criteria")
    return width


def _benefit_flags(benefit: Sequence[bool] | None, width: int) -> BoolArray:
    """One flag per criterion; every criterion is a benefit when none are given."""
    if benefit is None:
        return np.ones(width, dtype=bool)
    if len(benefit) != width or not all(isinstance(flag, (bool, np.bool_)) for flag in benefit):
        raise ValueError(f"benefit: expected {width} booleans")
    return np.array(benefit, dtype=bool)


def _validated(
    matrix: Matrix, weights: Vector, benefit: Sequence[bool] | None
) -> tuple[FloatArray, FloatArray, BoolArray]:
    width = _width(matrix)
    try:
        values = np.array(matrix, dtype=float)
        weight_values = np.array(weights, dtype=float)
    except (TypeError, ValueError) as error:
        raise ValueError(f"matrix and weights must be numbers: {error}") from error
    if weight_values.shape != (width,):
        raise ValueError(f"weights: expected {width} numbers, got {weight_values.size}")
    if not np.all(np.isfinite(values)):
        raise ValueError("matrix contains a non-finite value (NaN or infinity)")
    if not np.all(np.isfinite(weight_values)):
        raise ValueError("weights contain a non-finite value (NaN or infinity)")
    if np.any(weight_values < 0):
        raise ValueError("weights must not be negative")
    if abs(weight_values.sum() - 1.0) > WEIGHT_SUM_TOLERANCE:
        raise ValueError(f"weights must sum to 1, not {weight_values.sum():g}")
    return values, weight_values, _benefit_flags(benefit, width)


def saw(matrix: Matrix, weights: Vector, benefit: Sequence[bool] | None = None) -> list[float]:
    """Simple additive weighting: x / column max (benefit) or column min / x (cost)."""
    values, weight_values, flags = _validated(matrix, weights, benefit)
    if np.any(values < 0):
        raise ValueError("SAW needs values of 0 or more")
    normalised = np.zeros_like(values)
    column_max = values.max(axis=0)
    column_min = values.min(axis=0)
    for column in range(values.shape[1]):
        x = values[:, column]
        if flags[column]:
            if column_max[column] > 0:
                normalised[:, column] = x / column_max[column]
        else:
            # The smallest value scores 1; when it is 0 every other value scores 0.
            with np.errstate(divide="ignore", invalid="ignore"):
                ratio = np.where(x > 0, column_min[column] / np.where(x > 0, x, 1), 1.0)
            normalised[:, column] = ratio
    return [float(value) for value in normalised @ weight_values]


def topsis(matrix: Matrix, weights: Vector, benefit: Sequence[bool] | None = None) -> list[float]:
    """TOPSIS: vector-normalise, weight, and measure closeness to the ideal (0..1).

    When an alternative is as far from the ideal as from the anti-ideal because both are
    the same point (every alternative identical), its closeness is 0.5.
    """
    values, weight_values, flags = _validated(matrix, weights, benefit)
    norms = np.sqrt((values**2).sum(axis=0))
    safe = np.where(norms > 0, norms, 1.0)
    weighted = values / safe * weight_values
    best = np.where(flags, weighted.max(axis=0), weighted.min(axis=0))
    worst = np.where(flags, weighted.min(axis=0), weighted.max(axis=0))
    to_best = np.sqrt(((weighted - best) ** 2).sum(axis=1))
    to_worst = np.sqrt(((weighted - worst) ** 2).sum(axis=1))
    total = to_best + to_worst
    closeness = np.divide(to_worst, total, out=np.full_like(total, 0.5), where=total > 0)
    return [float(value) for value in closeness]


def official_scores(
    levels: Matrix, weights: Vector, benefit: Sequence[bool] | None = None
) -> list[float]:
    """The official score, 0–100, of each alternative on its own levels (1–5).

    ``weights`` are the rubric weights (summing to 100). Each level is measured against the
    scale's ideal: level / 5 for a benefit criterion, 1 / level for a cost criterion (the
    ideal being level 1). For benefit criteria this equals SAW of the cycle with an ideal
    alternative of all 5s added; unlike SAW, it depends on no other alternative, so it can
    be stored when an assessment is submitted.
    """
    values = np.asarray(levels, dtype=float)
    weight_values = np.asarray(weights, dtype=float)
    if values.ndim != 2 or values.shape[1] != weight_values.size:
        raise ValueError("levels must be alternatives × criteria matching the weights")
    flags = _benefit_flags(benefit, weight_values.size)
    with np.errstate(divide="ignore"):
        cost = np.where(values > 0, 1 / np.where(values > 0, values, 1), 1.0)
    normalised = np.where(flags, values / TOP_LEVEL, cost)
    return [float(value) for value in normalised @ weight_values]


def stars_for(score: float, bands: Sequence[tuple[int, float]]) -> int:
    """The stars of the highest band whose lower edge the score reaches (edges included)."""
    for stars, min_score in sorted(bands, key=lambda band: -band[1]):
        if score >= float(min_score) - 1e-9:
            return stars
    return min(stars for stars, _min in bands)


@dataclass(frozen=True)
class Stability:
    keeps_band: list[float]  # share of perturbations in which the star band is unchanged
    keeps_top: list[float]  # share in which top-N membership is unchanged


def sensitivity(
    levels: Matrix,
    weights: Vector,
    bands: Sequence[tuple[int, float]],
    *,
    top_n: int,
    runs: int = SENSITIVITY_RUNS,
    seed: int = SENSITIVITY_SEED,
) -> Stability:
    """How stable each alternative's star band and top-N membership are.

    ``levels`` is alternatives × sub-criteria (aggregated levels 1–5) and ``weights`` the
    rubric weights (summing to 100). Each run multiplies every weight by U(0.9, 1.1) and
    renormalises; the official score is then recomputed for all runs at once.
    """
    values = np.asarray(levels, dtype=float)
    base_weights = np.asarray(weights, dtype=float)
    if values.ndim != 2 or values.shape[0] == 0 or values.shape[1] != base_weights.size:
        raise ValueError("levels must be alternatives × criteria matching the weights")
    count = values.shape[0]
    generator = np.random.default_rng(seed)
    factors = generator.uniform(1 - PERTURBATION, 1 + PERTURBATION, (runs, base_weights.size))
    perturbed = base_weights * factors
    perturbed *= base_weights.sum() / perturbed.sum(axis=1, keepdims=True)
    base = values @ base_weights / 5
    scores = perturbed @ (values.T / 5)  # runs × alternatives
    # The band is kept while a run's score stays within the base band's edges.
    edges = np.array(sorted(float(edge) for _stars, edge in bands)[1:])
    band = np.searchsorted(edges, base, side="right")
    low, high = np.r_[-np.inf, edges][band], np.r_[edges, np.inf][band]
    keeps_band = ((scores >= low) & (scores < high)).mean(axis=0)
    top = min(top_n, count)
    base_top = np.zeros(count, dtype=bool)
    base_top[np.argsort(-base, kind="stable")[:top]] = True
    keeps_top = (_in_top(scores, top) == base_top).mean(axis=0)
    return Stability([float(v) for v in keeps_band], [float(v) for v in keeps_top])


def _in_top(scores: FloatArray, top: int) -> BoolArray:
    """Runs × alternatives: whether the alternative is among a run's ``top`` best (an
    alternative tied with the last place counts as in).

    Only the alternatives whose scores over all runs straddle the possible cut-offs are
    compared run by run; the rest are in or out in every run.
    """
    runs, count = scores.shape
    if top >= count:
        return np.ones(scores.shape, dtype=bool)
    lowest, highest = scores.min(axis=0), scores.max(axis=0)
    # Every run's cut-off (its top-th best score) lies between these two.
    floor = np.partition(lowest, count - top)[count - top]
    ceiling = np.partition(highest, count - top)[count - top]
    always = lowest > ceiling
    maybe = ~always & (highest >= floor)
    place = top - int(always.sum())  # the cut-off's place among the undecided (≥ 1)
    undecided = scores[:, maybe]
    cutoff = -np.partition(-undecided, place - 1, axis=1)[:, place - 1]
    in_top = np.zeros(scores.shape, dtype=bool)
    in_top[:, always] = True
    in_top[:, maybe] = undecided >= cutoff[:, None]
    return in_top
