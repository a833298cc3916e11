"""The evaluation cases on the national dataset's newest cycle (1,500 eligible proposals ×
3 submitted assessments × 11 sub-criteria; PERFORMANCE.md: ranking API ≤ 300 ms and ≤ 10 SQL
queries for both methods; ranking page ≤ 500 ms with all rows, ≤ 100 ms with 100; sensitivity
with 1,000 weight perturbations for the whole cycle ≤ 2 s)."""

import statistics
import time

from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext

import bench.settings_env  # noqa: F401 — the bench database, then django.setup()
from ovop.evaluation.ranking import sensitivity
from ovop.evaluation.selectors.results import cycle_results

# The heavier computations are timed fewer times than the page cases.
MAX_COMPUTATION_ROUNDS = 20


def cases(cycle) -> list[tuple[str, str, str]]:
    """(label, username, path) for the in-process HTTP timing of ``bench.__main__``."""
    api = f"/api/v1/cycles/{cycle.pk}/ranking/"
    page = f"/evaluation/cycles/{cycle.pk}/ranking/"
    return [
        ("ranking API saw, 500 rows", "admin", f"{api}?method=saw&page_size=500"),
        ("ranking API topsis, 500 rows", "admin", f"{api}?method=topsis&page_size=500"),
        ("ranking page, 100 rows", "admin", page),
        ("ranking page, all 1,500 rows", "admin", f"{page}?per_page=all"),
        ("ranking page topsis, all rows", "admin", f"{page}?per_page=all&method=topsis"),
    ]


def _time(call, rounds: int) -> dict:
    call()  # warm caches
    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        call()
    query_count = len(queries)
    timings = []
    for _ in range(rounds):
        start = time.perf_counter()
        call()
        timings.append((time.perf_counter() - start) * 1000)
        reset_queries()
    timings.sort()
    return {
        "p50_ms": round(statistics.median(timings), 2),
        "p95_ms": round(timings[max(int(len(timings) * 0.95) - 1, 0)], 2),
        "queries": query_count,
    }


def measure_computations(cycle, rounds: int) -> list[dict]:
    """The whole-cycle computations without HTTP: ranking with sensitivity, and
    sensitivity alone (1,000 perturbations)."""
    base = cycle_results(cycle=cycle, with_sensitivity=False)
    assert len(base.rows) >= 1_500, len(base.rows)
    levels = [row.levels for row in base.rows]
    top_n = base.rubric.top_n
    computations = [
        ("ranking compute saw, whole cycle", lambda: cycle_results(cycle=cycle, method="saw")),
        (
            "ranking compute topsis, whole cycle",
            lambda: cycle_results(cycle=cycle, method="topsis"),
        ),
        (
            "sensitivity 1,000 runs, whole cycle",
            lambda: sensitivity(levels, base.weights, base.bands, top_n=top_n),
        ),
    ]
    rounds = min(rounds, MAX_COMPUTATION_ROUNDS)
    return [
        {"case": label, "path": "(function call)", **_time(call, rounds)}
        for label, call in computations
    ]
