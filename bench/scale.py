"""The scale series: how each heavy operation grows with the data.

Usage: python -m bench.scale [--proposals 500 1500 5000] [--centres 20000 50000 100000]
                             [--rounds N]

Its own database (var/bench-scale.sqlite3, or the one DATABASE_URL names, e.g.
postgres://postgres@127.0.0.1:5432/ovop_scale). Step by step it grows to each size: the
registry to that many centres (two IKM units each), then a cycle of that many proposals with
3 submitted assessments each, kept from step to step, so a later run reuses what exists.
At each size it times every heavy operation cold (right after a score and a centre edit)
and warm, then prints the time per step against the size per step: growth faster than the
data shows as a time factor above the size factor. PERFORMANCE.md: at 5,000 proposals the
cold ranking page with all rows stays ≤ 500 ms.

Writes bench/results/scale[-<database>].json and the plot
docs/performance-scale[-<database>].png (time against size, log-log).
"""

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if __name__ == "__main__":  # run as a script: its own database, then django.setup()
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench-scale.sqlite3'}")
    import bench.settings_env  # noqa: F401

from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402

from bench import national, targets  # noqa: E402
from bench.changes import Changes  # noqa: E402
from bench.timing import measure  # noqa: E402
from ovop.accounts.models import User  # noqa: E402
from ovop.centres.models import Centre  # noqa: E402
from ovop.proposals.models import Cycle  # noqa: E402

CENTRE_PREFIX = "Sentra Skala"
CYCLE_PREFIX = "Skala OVOP"
FIRST_YEAR = 2041  # one year per size, clear of the demo's and the national dataset's
UNITS_PER_CENTRE = 2
DEFAULT_PROPOSALS = [500, 1_500, 5_000]
DEFAULT_CENTRES = [20_000, 50_000, 100_000]
RANKING_CASES = [
    ("ranking page, all rows", "/evaluation/cycles/{cycle}/ranking/?per_page=all"),
    ("ranking page, 100 rows", "/evaluation/cycles/{cycle}/ranking/"),
    ("ranking API saw, 500 rows", "/api/v1/cycles/{cycle}/ranking/?method=saw&page_size=500"),
    ("national compliance page", "/proposals/cycles/{cycle}/compliance/"),
]
CENTRE_CASES = [
    ("centres page, admin (national)", "/centres/"),
    ("centres API, 50 rows", "/api/v1/centres/"),
]


def _scale_centres():
    return Centre.objects.filter(name__startswith=CENTRE_PREFIX)


@transaction.atomic
def grow(*, centres: int, proposals: int, year: int, log=print) -> Cycle:
    """The registry at ``centres`` and a cycle of ``proposals`` (made once, then reused)."""
    name = f"{CYCLE_PREFIX} {proposals}"
    generator = random.Random(national.SEED + proposals)  # noqa: S311 — made-up bench data
    if Centre.objects.count() < centres:
        start = time.perf_counter()
        national._centres(
            generator, log, total=centres, prefix=CENTRE_PREFIX, units=UNITS_PER_CENTRE
        )
        log(f"  registry at {centres} centres ({time.perf_counter() - start:.0f} s)")
    cycle = Cycle.objects.filter(name=name).first()
    if cycle is None:
        start = time.perf_counter()
        spread = list(
            _scale_centres().order_by("pk").values_list("pk", "regency_id", "province_id")
        )
        cycle = national._cycle(
            generator,
            year,
            spread,
            national._assessors(),
            decided=False,
            offset=0,
            proposals=proposals,
            name=name,
        )
        log(f"  cycle of {proposals} proposals ({time.perf_counter() - start:.0f} s)")
    return cycle


def _analyse() -> None:
    """Fresh planner statistics after the bulk inserts (PostgreSQL; see bench.national)."""
    from ovop.common.backups import refresh_statistics  # noqa: PLC0415

    refresh_statistics()


def time_step(
    cycle: Cycle, *, centres: int, proposals: int, rounds: int, username: str = "admin"
) -> list[dict]:
    change = Changes(score_cycle=cycle, centres=_scale_centres())
    client = Client()
    client.force_login(User.objects.get(username=username))
    rows = []
    try:
        for label, path in RANKING_CASES:
            found = measure(client, path.format(cycle=cycle.pk), rounds, change)
            rows.append({"case": label, "size": proposals, "unit": "proposals", **found})
        for label, path in CENTRE_CASES:
            found = measure(client, path, rounds, change)
            rows.append({"case": label, "size": centres, "unit": "centres", **found})
    finally:
        change.restore()
    return rows


def series(rows: list[dict]) -> list[dict]:
    """Per case: the figure at each size, and each step's time factor beside its size factor."""
    cases: dict[str, dict] = {}
    for row in rows:
        case = cases.setdefault(row["case"], {"case": row["case"], "unit": row["unit"]})
        case.setdefault("sizes", {})[str(row["size"])] = {
            "p50_ms": row["p50_ms"],
            "warm_p50_ms": row["warm_p50_ms"],
            "queries": row["queries"],
        }
    for case in cases.values():
        sizes = sorted(case["sizes"], key=int)
        case["steps"] = [
            {
                "from": int(smaller),
                "to": int(larger),
                "size_factor": round(int(larger) / int(smaller), 2),
                "time_factor": round(
                    case["sizes"][larger]["p50_ms"] / max(case["sizes"][smaller]["p50_ms"], 0.01),
                    2,
                ),
            }
            for smaller, larger in zip(sizes, sizes[1:], strict=False)
        ]
        for step in case["steps"]:
            # Linear growth keeps the time factor at or below the size factor.
            step["faster_than_linear"] = step["time_factor"] > step["size_factor"] * 1.1
    return list(cases.values())


def plot(found: list[dict], path: Path, database: str) -> None:
    import matplotlib  # noqa: PLC0415 — the bench extra, only for the plot

    matplotlib.use("Agg")
    from matplotlib import pyplot  # noqa: PLC0415

    figure, axes = pyplot.subplots(1, 2, figsize=(11, 4.5))
    for axis, unit in zip(axes, ("proposals", "centres"), strict=True):
        for case in (case for case in found if case["unit"] == unit):
            sizes = sorted(case["sizes"], key=int)
            axis.plot(
                [int(size) for size in sizes],
                [case["sizes"][size]["p50_ms"] for size in sizes],
                marker="o",
                label=case["case"],
            )
        axis.set_xscale("log")
        axis.set_yscale("log")
        axis.set_xlabel(f"{unit} (log)")
        axis.set_ylabel("cold p50, ms (log)")
        axis.grid(True, which="both", alpha=0.3)
        axis.legend(fontsize=8)
    figure.suptitle(f"ovop: cold time against size ({database}, 2 cores)")
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=110)


def print_series(found: list[dict]) -> None:
    print(f"{'case':<32} {'size':>8} {'cold p50':>9} {'warm p50':>9} {'step':>16}")
    for case in found:
        steps = {step["to"]: step for step in case["steps"]}
        for size in sorted(case["sizes"], key=int):
            figure = case["sizes"][size]
            step = steps.get(int(size))
            note = ""
            if step:
                note = f"×{step['size_factor']} → ×{step['time_factor']}"
                note += " FASTER THAN LINEAR" if step["faster_than_linear"] else ""
            print(
                f"{case['case']:<32} {size:>8} {figure['p50_ms']:>9} "
                f"{figure['warm_p50_ms']:>9} {note:>16}"
            )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--proposals", type=int, nargs="+", default=DEFAULT_PROPOSALS)
    parser.add_argument("--centres", type=int, nargs="+", default=DEFAULT_CENTRES)
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    if len(args.proposals) != len(args.centres):
        parser.error("give as many --centres as --proposals (one of each per step)")
    national.prepare_database()
    rows = []
    for step, (centres, proposals) in enumerate(zip(args.centres, args.proposals, strict=True)):
        print(f"step {step + 1}: {centres} centres, a cycle of {proposals} proposals")
        cycle = grow(centres=centres, proposals=proposals, year=FIRST_YEAR + step)
        _analyse()
        rows += time_step(cycle, centres=centres, proposals=proposals, rounds=args.rounds)
    found = series(rows)
    database = connection.vendor
    report = {"database": database, "rounds": args.rounds, "results": found}
    output = targets.RESULTS / targets.scale_file(database)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(report, indent=2))
    suffix = "" if database == "sqlite" else f"-{database}"
    picture = ROOT / "docs" / f"performance-scale{suffix}.png"
    plot(found, picture, database)
    print_series(found)
    print(f"JSON: {output}\nplot: {picture}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
