"""Time the main pages and API lists in-process, as medians and ratios to a trivial view.

Usage: python -m bench [--rounds N] [--output bench/results/latest.json]

Uses its own database (var/bench.sqlite3 unless DATABASE_URL is set), prepared with the
official regions and the demo data. Prints a table and writes JSON.
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ovop.settings")
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench.sqlite3'}")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench import workbook  # noqa: E402

# (label, username or None for anonymous, path)
CASES = [
    ("trivial view (healthz)", None, "/healthz/"),
    ("dashboard, operator", "operator-6303", "/"),
    ("dashboard, verifier", "verifikator-63", "/"),
    ("regions page, villages (50 rows)", "operator-6303", "/regions/?level=village"),
    ("regions API, 500 villages", "operator-6303", "/api/v1/regions/?level=village&page_size=500"),
    ("regions API, search", "operator-6303", "/api/v1/regions/?search=banjar"),
    ("users page, admin", "admin", "/accounts/users/"),
    ("centres page, operator", "operator-6303", "/centres/"),
    ("centres page, admin (national)", "admin", "/centres/"),
    ("centres API, 50 rows", "admin", "/api/v1/centres/"),
    ("centre detail", "operator-6303", None),
    ("centre map data", "admin", "/centres/map/data/"),
]


def prepare() -> None:
    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_regions", verbosity=0)
    call_command("seed_demo", verbosity=0)
    # Start every run from the same register: drop centres a previous run imported.
    from bench import evaluation as bench_evaluation
    from bench import proposals as bench_proposals
    from ovop.centres.models import Centre

    bench_evaluation.clear()
    bench_proposals.clear()
    Centre.objects.filter(name__startswith=workbook.PREFIX).delete()


def measure(client: Client, path: str, rounds: int) -> dict:
    client.get(path)  # warm caches and the connection
    timings = []
    reset_queries()  # each request resets the log; start the capture from an empty one
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    query_count = len(queries)  # read now: captured_queries is a view on the live log
    for _ in range(rounds):
        start = time.perf_counter()
        response = client.get(path)
        timings.append((time.perf_counter() - start) * 1000)
        reset_queries()
    assert response.status_code == 200, (path, response.status_code)
    timings.sort()
    return {
        "p50_ms": round(statistics.median(timings), 2),
        "p95_ms": round(timings[int(len(timings) * 0.95) - 1], 2),
        "queries": query_count,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=50)
    parser.add_argument("--output", default=str(ROOT / "bench" / "results" / "latest.json"))
    args = parser.parse_args()
    prepare()
    from ovop.accounts.models import User
    from ovop.centres.models import Centre

    # The register at national scale first: 10,000 rows timed as the import target, then
    # 10,000 more in another regency, so the pages below run against 20,000 centres.
    operator = User.objects.get(username="operator-6303")
    admin = User.objects.get(username="admin")
    workbook_results = workbook.import_rows(
        actor=operator, rows=10_000, region="63.03.01", prefix=f"{workbook.PREFIX} A", again=True
    )
    workbook.import_rows(
        actor=admin, rows=10_000, region="63.05.01", prefix=f"{workbook.PREFIX} B", again=False
    )

    detail = Centre.objects.filter(regency_id="63.03").order_by("pk").first()
    from bench import proposals as bench_proposals

    cycle = bench_proposals.prepare_cycle()
    round_63 = cycle.rounds.get(province_id="63")
    CASES.extend([
        ("national compliance page", "admin", f"/proposals/cycles/{cycle.pk}/compliance/"),
        ("province compliance API", "verifikator-63", f"/api/v1/rounds/{round_63.pk}/compliance/"),
        ("proposals page, admin", "admin", "/proposals/"),
        ("proposals API, 50 rows", "admin", "/api/v1/proposals/"),
    ])  # fmt: skip
    from bench import evaluation as bench_evaluation

    evaluation_cycle = bench_evaluation.prepare_cycle()
    CASES.extend(bench_evaluation.cases(evaluation_cycle))
    results = []
    for label, username, path in CASES:
        path = path or f"/centres/{detail.pk}/"
        client = Client()
        if username:
            client.force_login(User.objects.get(username=username))
        results.append({"case": label, "path": path, **measure(client, path, args.rounds)})
    results.extend(bench_evaluation.measure_computations(evaluation_cycle, args.rounds))
    trivial = results[0]["p50_ms"] or 0.01
    for row in results:
        row["ratio_to_trivial"] = round(row["p50_ms"] / trivial, 1)
    workbook_results.append(workbook.export_all(actor=admin))
    report = {
        "database": connection.vendor,
        "rounds": args.rounds,
        "python": sys.version.split()[0],
        "results": results,
        "workbook": workbook_results,
    }
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(report, indent=2))
    centres = Centre.objects.count()
    print(
        f"database: {connection.vendor}, {centres} centres, {args.rounds} rounds each "
        "(in-process test client)"
    )
    print(f"{'case':<36} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8} {'× trivial':>10}")
    for row in results:
        print(
            f"{row['case']:<36} {row['p50_ms']:>8} {row['p95_ms']:>8} "
            f"{row['queries']:>8} {row['ratio_to_trivial']:>10}"
        )
    for row in workbook_results:
        extra = f"peak {row['peak_mb']} MB"
        print(f"{row['case']:<44} {row['seconds']:>7} s   {extra}")
    print(f"JSON: {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
