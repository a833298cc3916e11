"""The evaluation at national scale: a cycle of 1,500 eligible proposals × 3 submitted
assessments × 11 sub-criteria (PERFORMANCE.md: ranking API ≤ 300 ms and ≤ 10 SQL queries for
both methods; ranking page ≤ 500 ms with all rows, ≤ 100 ms with 100; sensitivity with 1,000
weight perturbations for the whole cycle ≤ 2 s).

The cycle's name starts with ``bench.proposals.PREFIX``, so ``bench.proposals.clear()``
removes it with its rounds; ``clear()`` here first drops its assessments in bulk.
"""

import datetime
import random
import statistics
import time

from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bench.proposals import PREFIX

CYCLE_NAME = f"{PREFIX} OVOP 2098 penilaian"
ASSESSOR_COUNT = 30
SEED = 20981
# The heavier computations are timed fewer times than the page cases.
MAX_COMPUTATION_ROUNDS = 20


def clear() -> None:
    """Drop earlier bench assessments, assignments and decisions with plain deletes.

    Deleting them through the ORM would load every row and write a history record for each;
    the bench made them with ``bulk_create`` (no history), so nothing is lost.
    """
    from ovop.evaluation.models import Assessment, Assignment, Decision

    for model, path in (
        (Assessment, "assignment__proposal__round__cycle__name__startswith"),
        (Assignment, "proposal__round__cycle__name__startswith"),
        (Decision, "proposal__round__cycle__name__startswith"),
    ):
        queryset = model.objects.filter(**{path: PREFIX})
        queryset._raw_delete(queryset.db)


def _assessors() -> list:
    from ovop.accounts.models import User

    found = []
    for number in range(1, ASSESSOR_COUNT + 1):
        user, _created = User.objects.get_or_create(
            username=f"bench-penilai-{number:02d}",
            defaults={"role": "assessor", "region_id": "64", "organisation": "Asosiasi Uji"},
        )
        found.append(user)
    return found


def _levels(generator: random.Random, quality: float, codes: list[str]) -> dict[str, int]:
    """One assessor's levels around the proposal's quality (some assessors disagree)."""
    return {code: min(5, max(1, round(quality + generator.gauss(0, 0.7)))) for code in codes}


def prepare_cycle(*, proposals: int = 1_500, per_proposal: int = 3):
    """The bench evaluation cycle: eligible proposals, each with submitted assessments."""
    from ovop.accounts.models import User
    from ovop.centres.models import Centre
    from ovop.evaluation.models import Assessment, Assignment
    from ovop.evaluation.services.rubric import ensure_rubric, subcriteria_of
    from ovop.proposals.models import Proposal, Round
    from ovop.proposals.services import create_cycle

    cycle = create_cycle(year=2098, name=CYCLE_NAME)
    codes = [sub.code for sub in subcriteria_of(ensure_rubric(cycle))]
    now = timezone.now()
    round_ = Round.objects.create(
        cycle=cycle, province_id="63", opens_at=now, deadline=now + datetime.timedelta(days=30)
    )
    centres = list(Centre.objects.order_by("pk").values_list("pk", "regency_id")[:proposals])
    assert len(centres) == proposals, f"need {proposals} centres, found {len(centres)}"
    Proposal.objects.bulk_create(
        Proposal(round=round_, centre_id=pk, regency_id=regency, state="eligible",
                 submitted_at=now - datetime.timedelta(minutes=index))
        for index, (pk, regency) in enumerate(centres)
    )  # fmt: skip
    proposal_ids = list(round_.proposals.order_by("pk").values_list("pk", flat=True))
    assessors = _assessors()
    admin = User.objects.get(username="admin")
    Assignment.objects.bulk_create(
        (
            Assignment(proposal_id=proposal_id, assessor=assessors[(index * per_proposal + k)
                       % len(assessors)], method="automatic", explanation="bench",
                       assigned_by=admin)
            for index, proposal_id in enumerate(proposal_ids)
            for k in range(per_proposal)
        ),
        batch_size=2_000,
    )  # fmt: skip
    generator = random.Random(SEED)  # noqa: S311 — made-up bench data, not a secret
    quality = {proposal_id: generator.uniform(1.5, 4.8) for proposal_id in proposal_ids}
    assignments = Assignment.objects.filter(proposal__round=round_).values_list("pk", "proposal_id")
    Assessment.objects.bulk_create(
        (
            Assessment(assignment_id=pk, levels=_levels(generator, quality[proposal_id], codes),
                       submitted_at=now)
            for pk, proposal_id in assignments.order_by("pk")
        ),
        batch_size=2_000,
    )  # fmt: skip
    return cycle


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
    from ovop.evaluation.ranking import sensitivity
    from ovop.evaluation.results import cycle_results

    base = cycle_results(cycle=cycle, with_sensitivity=False)
    assert len(base.rows) >= 1_500, len(base.rows)
    levels = [row.levels for row in base.rows]
    top_n = base.rubric.top_n
    computations = [
        ("ranking compute saw, whole cycle", lambda: cycle_results(cycle=cycle, method="saw")),
        ("ranking compute topsis, whole cycle",
         lambda: cycle_results(cycle=cycle, method="topsis")),
        ("sensitivity 1,000 runs, whole cycle",
         lambda: sensitivity(levels, base.weights, base.bands, top_n=top_n)),
    ]  # fmt: skip
    rounds = min(rounds, MAX_COMPUTATION_ROUNDS)
    return [
        {"case": label, "path": "(function call)", **_time(call, rounds)}
        for label, call in computations
    ]
