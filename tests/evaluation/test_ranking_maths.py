"""The ranking maths of ``ovop.evaluation.ranking`` against independent implementations.

The references below are written from the textbook definitions with plain Python loops and
the ``math`` module (no NumPy), so a shared mistake with the vectorised code is unlikely.
"""

import math
import random
from fractions import Fraction

import numpy as np
import pytest

from ovop.evaluation.ranking import (
    PERTURBATION,
    SENSITIVITY_RUNS,
    SENSITIVITY_SEED,
    official_scores,
    saw,
    sensitivity,
    stars_for,
    topsis,
)
from ovop.evaluation.services.defaults import DEFAULT_BANDS

# --- independent references ---------------------------------------------------------------


def saw_reference(matrix, weights, benefit=None):
    """Σ w_j · r_ij with r_ij = x_ij / max_i x_ij (benefit) or min_i x_ij / x_ij (cost)."""
    columns = len(weights)
    benefit = benefit or [True] * columns
    scores = []
    for row in matrix:
        total = 0.0
        for j in range(columns):
            column = [other[j] for other in matrix]
            normalised = row[j] / max(column) if benefit[j] else min(column) / row[j]
            total += weights[j] * normalised
        scores.append(total)
    return scores


def topsis_reference(matrix, weights, benefit=None):
    """Hwang & Yoon (1981): vector norm, weights, ideal / anti-ideal, relative closeness."""
    rows, columns = len(matrix), len(weights)
    benefit = benefit or [True] * columns
    norms = [math.sqrt(sum(matrix[i][j] ** 2 for i in range(rows))) for j in range(columns)]
    weighted = [[weights[j] * matrix[i][j] / norms[j] for j in range(columns)] for i in range(rows)]
    ideal, anti = [], []
    for j in range(columns):
        column = [weighted[i][j] for i in range(rows)]
        ideal.append(max(column) if benefit[j] else min(column))
        anti.append(min(column) if benefit[j] else max(column))
    closeness = []
    for i in range(rows):
        to_ideal = math.sqrt(sum((weighted[i][j] - ideal[j]) ** 2 for j in range(columns)))
        to_anti = math.sqrt(sum((weighted[i][j] - anti[j]) ** 2 for j in range(columns)))
        closeness.append(to_anti / (to_ideal + to_anti))
    return closeness


def random_problem(seed: int, *, levels: bool = False):
    generator = random.Random(seed)
    rows, columns = generator.randint(2, 14), generator.randint(1, 9)
    if levels:  # the rubric's 1–5 levels: many ties within a column
        matrix = [[generator.randint(1, 5) for _ in range(columns)] for _ in range(rows)]
    else:
        matrix = [[generator.uniform(0.5, 1000) for _ in range(columns)] for _ in range(rows)]
    raw = [generator.uniform(0.01, 1) for _ in range(columns)]
    weights = [value / sum(raw) for value in raw]
    benefit = [generator.random() < 0.6 for _ in range(columns)]
    return matrix, weights, benefit


# --- agreement with the references on random problems ---------------------------------------

SEEDS = [1, 2, 3, 5, 8, 13, 21, 34, 55, 89]


@pytest.mark.parametrize("seed", SEEDS)
def test_saw_matches_reference_on_random_matrices_with_cost_criteria(seed):
    matrix, weights, benefit = random_problem(seed)

    assert saw(matrix, weights, benefit) == pytest.approx(saw_reference(matrix, weights, benefit))


@pytest.mark.parametrize("seed", SEEDS)
def test_topsis_matches_reference_on_random_matrices_with_cost_criteria(seed):
    matrix, weights, benefit = random_problem(seed)

    assert topsis(matrix, weights, benefit) == pytest.approx(
        topsis_reference(matrix, weights, benefit)
    )


@pytest.mark.parametrize("seed", SEEDS)
def test_both_methods_match_reference_on_random_rubric_levels(seed):
    matrix, weights, benefit = random_problem(seed, levels=True)
    # A column of equal levels has no anti-ideal distance; keep the references well defined.
    matrix.append([5 if flag else 1 for flag in benefit])
    matrix.append([1 if flag else 5 for flag in benefit])

    assert saw(matrix, weights, benefit) == pytest.approx(saw_reference(matrix, weights, benefit))
    assert topsis(matrix, weights, benefit) == pytest.approx(
        topsis_reference(matrix, weights, benefit)
    )


@pytest.mark.parametrize("seed", SEEDS[:4])
def test_benefit_defaults_to_all_benefit_criteria(seed):
    matrix, weights, _benefit = random_problem(seed)

    assert saw(matrix, weights) == pytest.approx(saw_reference(matrix, weights))
    assert topsis(matrix, weights) == pytest.approx(topsis_reference(matrix, weights))


# --- published worked examples ---------------------------------------------------------------


def test_topsis_matches_published_example_of_benefit_criteria():
    # R package "decision" (jbytecode), test-multiple-criteria.R: 3 alternatives, 4 benefit
    # criteria, weights 4:2:6:8 → closeness 0.3876870, 0.6503238, 0.0834767.
    matrix = [[9, 7, 6, 7], [8, 7, 9, 6], [7, 8, 6, 6]]
    weights = [value / 20 for value in (4, 2, 6, 8)]

    closeness = topsis(matrix, weights)

    assert closeness == pytest.approx([0.3876870, 0.6503238, 0.0834767], abs=5e-7)
    assert closeness.index(max(closeness)) == 1


def test_topsis_matches_published_example_with_cost_criteria():
    # A. G. C. Pacheco's "decision-making" package (Krohling & Pacheco), TOPSIS test data:
    # criteria 1 and 3 are costs; expected closeness 0.78562925, 0.66099579, 0.21437075.
    matrix = [[15, 6, 25000, 7], [12, 7, 35000, 7], [10, 9, 55000, 8]]
    weights = [0.3, 0.05, 0.6, 0.05]
    benefit = [False, True, False, True]

    assert topsis(matrix, weights, benefit) == pytest.approx(
        [0.78562925, 0.66099579, 0.21437075], abs=5e-8
    )


def test_saw_matches_hand_worked_example_with_a_cost_criterion():
    # Worked by hand with exact fractions: quality and capacity are benefits, price a cost.
    #   A: 4/4·0.6 + 3/6·0.3 + 250/500·0.1 = 0.6 + 0.15 + 0.05 = 0.80
    #   B: 2/4·0.6 + 6/6·0.3 + 250/250·0.1 = 0.3 + 0.30 + 0.10 = 0.70
    matrix = [[4, 3, 500], [2, 6, 250]]
    weights = [Fraction(6, 10), Fraction(3, 10), Fraction(1, 10)]
    expected = [
        Fraction(4, 4) * weights[0] + Fraction(3, 6) * weights[1] + Fraction(250, 500) * weights[2],
        Fraction(2, 4) * weights[0] + Fraction(6, 6) * weights[1] + Fraction(250, 250) * weights[2],
    ]

    scores = saw(matrix, [0.6, 0.3, 0.1], [True, True, False])

    assert scores == pytest.approx([float(value) for value in expected])
    assert scores == pytest.approx([0.80, 0.70])


def test_saw_against_an_ideal_row_equals_the_rubric_formula():
    # results.py relies on this: with a row of 5s the SAW score is Σ weight × level / 5.
    weights = [10, 8, 7, 10, 10, 10, 15, 10, 10, 5, 5]
    levels = [4, 3, 5, 2, 4, 4, 3, 5, 1, 4, 3]

    score = saw([levels, [5] * 11], [w / 100 for w in weights])[0] * 100

    assert score == pytest.approx(
        sum(w * level / 5 for w, level in zip(weights, levels, strict=True))
    )


def test_topsis_gives_one_half_when_every_alternative_is_identical():
    assert topsis([[3, 3], [3, 3]], [0.5, 0.5]) == [0.5, 0.5]


# --- bad input ----------------------------------------------------------------------------------

# Each case: matrix, weights, benefit flags, and a fragment of the message it is refused with.
BAD_INPUT = {
    "empty matrix": ([], [1.0], None, "matrix is empty"),
    "no criteria": ([[], []], [], None, "matrix has no criteria"),
    "ragged matrix": ([[1, 2], [3]], [0.5, 0.5], None, "matrix is ragged"),
    "negative weight": ([[1, 2], [3, 4]], [1.5, -0.5], None, "weights must not be negative"),
    "NaN in matrix": (
        [[1, float("nan")], [3, 4]],
        [0.5, 0.5],
        None,
        "matrix contains a non-finite",
    ),
    "infinity in matrix": (
        [[1, float("inf")], [3, 4]],
        [0.5, 0.5],
        None,
        "matrix contains a non-finite",
    ),
    "infinite weight": (
        [[1, 2], [3, 4]],
        [float("inf"), 0.5],
        None,
        "weights contain a non-finite",
    ),
    "weights too short": ([[1, 2], [3, 4]], [1.0], None, "weights: expected 2 numbers, got 1"),
    "weights too long": ([[1, 2], [3, 4]], [0.2, 0.3, 0.5], None, "expected 2 numbers, got 3"),
    "weights sum to 100": ([[1, 2], [3, 4]], [60, 40], None, "weights must sum to 1, not 100"),
    "weights sum below 1": ([[1, 2], [3, 4]], [0.4, 0.4], None, "weights must sum to 1, not 0.8"),
    "benefit wrong length": ([[1, 2], [3, 4]], [0.5, 0.5], [True], "benefit: expected 2 booleans"),
    "benefit not booleans": (
        [[1, 2], [3, 4]],
        [0.5, 0.5],
        ["yes", "no"],
        "benefit: expected 2 booleans",
    ),
    "text in matrix": ([[1, "x"], [3, 4]], [0.5, 0.5], None, "must be numbers"),
}


@pytest.mark.parametrize("method", [saw, topsis], ids=["saw", "topsis"])
@pytest.mark.parametrize("case", sorted(BAD_INPUT))
def test_methods_reject_bad_input_with_value_error(method, case):
    matrix, weights, benefit, message = BAD_INPUT[case]

    with pytest.raises(ValueError, match=message):
        method(matrix, weights, benefit)


def test_saw_rejects_negative_values():
    with pytest.raises(ValueError, match="0 or more"):
        saw([[1, -2], [3, 4]], [0.5, 0.5])


# --- star bands -----------------------------------------------------------------------------

FIVE = DEFAULT_BANDS[5]
THREE = DEFAULT_BANDS[3]
# Vietnam's OCOP cut-offs (domain brief): 5★ 90, 4★ 70, 3★ 50, 2★ 30.
CUSTOM = [(5, 90.0), (4, 70.0), (3, 50.0), (2, 30.0), (1, 0.0)]


@pytest.mark.parametrize(
    ("bands", "score", "stars"),
    [
        (FIVE, 100, 5),
        (FIVE, 85, 5),
        (FIVE, 84.99, 4),
        (FIVE, 70, 4),
        (FIVE, 69.99, 3),
        (FIVE, 55, 3),
        (FIVE, 54.99, 2),
        (FIVE, 40, 2),
        (FIVE, 39.99, 1),
        (FIVE, 20, 1),
        (FIVE, 0, 1),
        (THREE, 100, 3),
        (THREE, 75, 3),
        (THREE, 74.99, 2),
        (THREE, 55, 2),
        (THREE, 54.99, 1),
        (THREE, 20, 1),
        (CUSTOM, 90, 5),
        (CUSTOM, 89.99, 4),
        (CUSTOM, 70, 4),
        (CUSTOM, 69.99, 3),
        (CUSTOM, 50, 3),
        (CUSTOM, 49.99, 2),
        (CUSTOM, 30, 2),
        (CUSTOM, 29.99, 1),
    ],
)
def test_stars_for_follows_the_bands_at_every_cut_off_edge(bands, score, stars):
    assert stars_for(score, bands) == stars


def test_stars_for_does_not_depend_on_band_order():
    assert stars_for(85, list(reversed(FIVE))) == 5
    assert stars_for(84.99, list(reversed(FIVE))) == 4


# --- sensitivity ----------------------------------------------------------------------------

WEIGHTS = [10, 8, 7, 10, 10, 10, 15, 10, 10, 5, 5]


def test_sensitivity_is_deterministic_and_shares_lie_between_zero_and_one():
    generator = random.Random(7)
    levels = [[generator.randint(1, 5) for _ in WEIGHTS] for _ in range(40)]

    first = sensitivity(levels, WEIGHTS, FIVE, top_n=10)
    second = sensitivity(levels, WEIGHTS, FIVE, top_n=10)

    assert first == second
    assert all(0 <= share <= 1 for share in first.keeps_band + first.keeps_top)
    assert len(first.keeps_band) == len(first.keeps_top) == 40


def test_sensitivity_gives_a_clearly_dominant_proposal_full_stability():
    generator = random.Random(11)
    levels = [[5] * len(WEIGHTS)] + [[generator.randint(1, 3) for _ in WEIGHTS] for _ in range(20)]

    stability = sensitivity(levels, WEIGHTS, FIVE, top_n=1)

    assert stability.keeps_band[0] == 1.0
    assert stability.keeps_top[0] == 1.0


def test_sensitivity_shows_a_score_on_a_band_edge_as_fragile():
    # Exactly 70 (★4's edge): any weight change that favours its weaker sub-criteria
    # drops it to ★3, so it keeps its band in only part of the runs.
    on_edge = [4, 4, 4, 3, 3, 3, 4, 3, 3, 4, 4]
    assert sum(w * level / 5 for w, level in zip(WEIGHTS, on_edge, strict=True)) == pytest.approx(
        70
    )

    stability = sensitivity([on_edge, [5] * 11], WEIGHTS, FIVE, top_n=1)

    assert 0 < stability.keeps_band[0] < 0.8
    assert stability.keeps_band[1] == 1.0


def test_sensitivity_rejects_levels_that_do_not_match_the_weights():
    with pytest.raises(ValueError, match="levels must be alternatives"):
        sensitivity([[1, 2, 3]], WEIGHTS, FIVE, top_n=1)
    with pytest.raises(ValueError, match="levels must be alternatives"):
        sensitivity([], WEIGHTS, FIVE, top_n=1)


def sensitivity_reference(levels, weights, bands, *, top_n, runs=SENSITIVITY_RUNS):
    """Run by run with plain loops, drawing the same perturbations as ``sensitivity``: the
    band of each score, and the top-N as every score at least the N-th best of the run."""
    generator = np.random.default_rng(SENSITIVITY_SEED)
    factors = generator.uniform(1 - PERTURBATION, 1 + PERTURBATION, (runs, len(weights)))
    edges = sorted(float(edge) for _stars, edge in bands)[1:]

    def band(score):
        return sum(1 for edge in edges if score >= edge)

    def tops(scores):
        cut = sorted(scores, reverse=True)[min(top_n, len(scores)) - 1]
        return [score >= cut for score in scores]

    def scores_with(run_weights):
        return [sum(w * x for w, x in zip(run_weights, row, strict=True)) / 5 for row in levels]

    base = scores_with(weights)
    base_bands = [band(score) for score in base]
    order = sorted(range(len(base)), key=lambda i: -base[i])
    base_top = [False] * len(base)
    for i in order[:top_n]:
        base_top[i] = True
    kept_band, kept_top = [0] * len(base), [0] * len(base)
    for run in range(runs):
        raw = [w * f for w, f in zip(weights, factors[run], strict=True)]
        run_weights = [w * sum(weights) / sum(raw) for w in raw]
        scores = scores_with(run_weights)
        for i, (score, in_top) in enumerate(zip(scores, tops(scores), strict=True)):
            kept_band[i] += band(score) == base_bands[i]
            kept_top[i] += in_top == base_top[i]
    return [k / runs for k in kept_band], [k / runs for k in kept_top]


@pytest.mark.parametrize(("seed", "count", "top_n"), [(1, 30, 5), (2, 60, 20), (3, 12, 12)])
def test_sensitivity_matches_a_run_by_run_reference(seed, count, top_n):
    generator = random.Random(seed)
    # Means of three assessors, as the stored results hold them.
    levels = [
        [sum(generator.randint(1, 5) for _ in range(3)) / 3 for _ in WEIGHTS] for _ in range(count)
    ]

    stability = sensitivity(levels, WEIGHTS, FIVE, top_n=top_n, runs=200)
    keeps_band, keeps_top = sensitivity_reference(levels, WEIGHTS, FIVE, top_n=top_n, runs=200)

    assert stability.keeps_band == pytest.approx(keeps_band)
    assert stability.keeps_top == pytest.approx(keeps_top)


# --- the official score of one proposal -------------------------------------------------------


@pytest.mark.parametrize("seed", range(5))
def test_official_scores_equal_saw_against_an_ideal_row_for_benefit_criteria(seed):
    generator = random.Random(seed)
    levels = [[generator.randint(1, 5) for _ in WEIGHTS] for _ in range(8)]
    fractions = [weight / 100 for weight in WEIGHTS]

    official = official_scores(levels, WEIGHTS)
    with_ideal = saw([*levels, [5] * len(WEIGHTS)], fractions)[:-1]

    assert official == pytest.approx([100 * score for score in with_ideal])


def test_official_score_of_a_cost_criterion_is_one_over_the_level():
    weights = [60, 40]

    scores = official_scores([[5, 1], [5, 2], [5, 4]], weights, [True, False])

    assert scores == pytest.approx([100, 60 + 40 / 2, 60 + 40 / 4])


def test_official_score_depends_on_no_other_proposal():
    alone = official_scores([[3, 2, 4]], [50, 30, 20], [True, False, True])
    among = official_scores([[3, 2, 4], [1, 1, 1], [5, 5, 5]], [50, 30, 20], [True, False, True])

    assert among[0] == pytest.approx(alone[0])


def test_official_scores_reject_levels_that_do_not_match_the_weights():
    with pytest.raises(ValueError, match="levels must be alternatives"):
        official_scores([[1, 2]], [50, 30, 20])
