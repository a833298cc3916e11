"""Time the main pages and API lists in-process on the national dataset, warm (nothing
changed since the last request) and cold (right after a score, a decision and a centre
edit: bench/changes.py), as medians and ratios to two trivial views, then compare every
figure with PERFORMANCE.md, judging the cold one.

Usage: python -m bench [--rounds N] [--output bench/results/latest.json]

The national dataset (bench/national.py) lives in var/bench-national.sqlite3, or in the
database DATABASE_URL names; it is generated on the first run and reused afterwards:

    make bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ovop_bench make bench

Prints a table, the targets with MET / NOT MET, and writes JSON.
"""

import argparse
import json
import sys
from pathlib import Path

from django.db import connection
from django.test import Client

# The bench database (settings_env) is set before any model or setting is read.
import bench.settings_env  # noqa: F401
from bench import evaluation as bench_evaluation
from bench import national, targets, workbook
from bench.changes import Changes
from bench.timing import measure
from ovop.accounts.models import User
from ovop.catalogue.selectors import public
from ovop.catalogue.selectors.gate import public_centres
from ovop.centres.models import Centre, Enterprise

ROOT = Path(__file__).resolve().parent.parent
TRIVIAL = "trivial view (healthz)"
TRIVIAL_SIGNED_IN = "trivial signed-in page"


def cases(dataset) -> list[tuple[str, str | None, str]]:
    """(label, username or None for anonymous, path) on the national dataset."""
    cycle = dataset.newest
    round_63 = cycle.rounds.get(province_id="63")
    detail = Centre.objects.filter(regency_id="63.03").order_by("pk").first()
    rated = public_centres().filter(name__startswith=national.CENTRE_PREFIX).order_by("pk")[0]
    rated_path = f"/catalogue/id/{rated.pk}-{public.centre_slug(rated)}/"
    decided = dataset.cycles[-2]
    return [
        (TRIVIAL, None, "/healthz/"),
        (TRIVIAL_SIGNED_IN, "admin", "/accounts/password/change/done/"),
        ("dashboard, operator", "operator-6303", "/"),
        ("dashboard, verifier", "verifikator-63", "/"),
        ("regions page, villages (50 rows)", "operator-6303", "/regions/?level=village"),
        (
            "regions API, 500 villages",
            "operator-6303",
            "/api/v1/regions/?level=village&page_size=500",
        ),
        ("regions API, search", "operator-6303", "/api/v1/regions/?search=banjar"),
        ("users page, admin", "admin", "/accounts/users/"),
        ("centres page, operator", "operator-6303", "/centres/"),
        ("centres page, admin (national)", "admin", "/centres/"),
        ("centres API, 50 rows", "admin", "/api/v1/centres/"),
        ("centres API, 500 rows", "admin", "/api/v1/centres/?page_size=500"),
        ("centre detail", "operator-6303", f"/centres/{detail.pk}/"),
        ("centre map data", "admin", "/centres/map/data/"),
        ("national compliance page", "admin", f"/proposals/cycles/{cycle.pk}/compliance/"),
        ("province compliance API", "verifikator-63", f"/api/v1/rounds/{round_63.pk}/compliance/"),
        ("proposals page, admin", "admin", "/proposals/"),
        ("proposals API, 50 rows", "admin", "/api/v1/proposals/"),
        *bench_evaluation.cases(cycle),
        ("catalogue list (public)", None, "/catalogue/id/"),
        ("catalogue detail (public)", None, rated_path),
        ("catalogue API (public)", None, "/api/v1/catalogue/"),
        ("dashboard page, province", "verifikator-63", f"/reports/?cycle={decided.pk}&province=63"),
        ("dashboard page, national", "admin", f"/reports/?cycle={decided.pk}"),
    ]


def run_workbook(*, operator, admin) -> list[dict]:
    """10,000 rows imported (timed, then again unchanged), removed again so the pages run on
    the national 20,000; then the 20,000-centre export."""
    imported = Centre.objects.filter(name__startswith=workbook.PREFIX)
    imported.delete()  # what an interrupted run left behind
    results = workbook.import_rows(
        actor=operator, rows=10_000, region="63.03.01", prefix=f"{workbook.PREFIX} A", again=True
    )
    imported.delete()
    results.append(workbook.export_all(actor=admin))
    return results


def print_report(report: dict) -> None:
    print(
        f"database: {report['database']}, {report['centres']} centres, "
        f"{report['enterprises']} IKM units, {report['rounds']} rounds each "
        "(in-process test client)"
    )
    print("cold: right after a score, a decision and a centre edit; warm: nothing changed")
    print(
        f"{'case':<36} {'cold p50':>9} {'cold p95':>9} {'warm p50':>9} {'queries':>8} "
        f"{'× healthz':>10} {'× signed-in':>12}"
    )
    for row in report["results"]:
        warm = row.get("warm_p50_ms", row["p50_ms"])
        print(
            f"{row['case']:<36} {row['p50_ms']:>9} {row['p95_ms']:>9} {warm:>9} "
            f"{row['queries']:>8} {row['ratio_to_trivial']:>10} {row['ratio_to_signed_in']:>12}"
        )
    for row in report["workbook"]:
        print(f"{row['case']:<44} {row['seconds']:>7} s   peak {row['peak_mb']} MB")
    print("\nPERFORMANCE.md targets")
    for row in report["targets"]:
        print(f"{row['verdict']:<8} {row['target']:<62} {row['measured']}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=50)
    parser.add_argument(
        "--output", help="default: bench/results/latest.json (latest-postgresql.json on PostgreSQL)"
    )
    args = parser.parse_args()
    dataset = national.ensure_dataset()

    admin = User.objects.get(username="admin")
    workbook_results = run_workbook(
        operator=User.objects.get(username="operator-6303"), admin=admin
    )
    change = Changes(
        score_cycle=dataset.newest,
        decision_cycle=dataset.cycles[-2],
        centres=public_centres().filter(name__startswith=national.CENTRE_PREFIX),
    )
    results = []
    try:
        for label, username, path in cases(dataset):
            client = Client()
            if username:
                client.force_login(User.objects.get(username=username))
            # The trivial views depend on nothing that changes: their warm figure is all.
            now = None if label in (TRIVIAL, TRIVIAL_SIGNED_IN) else change
            results.append({"case": label, "path": path, **measure(client, path, args.rounds, now)})
    finally:
        change.restore()
    results.extend(bench_evaluation.measure_computations(dataset.newest, args.rounds))
    trivial = {row["case"]: row["p50_ms"] or 0.01 for row in results[:2]}
    for row in results:
        row["ratio_to_trivial"] = round(row["p50_ms"] / trivial[TRIVIAL], 1)
        row["ratio_to_signed_in"] = round(row["p50_ms"] / trivial[TRIVIAL_SIGNED_IN], 1)
    report = {
        "database": connection.vendor,
        "rounds": args.rounds,
        "python": sys.version.split()[0],
        "centres": Centre.objects.count(),
        "enterprises": Enterprise.objects.count(),
        "results": results,
        "workbook": workbook_results,
    }
    report["targets"] = targets.verdicts(report)
    default = "latest.json" if connection.vendor == "sqlite" else f"latest-{connection.vendor}.json"
    output = Path(args.output or ROOT / "bench" / "results" / default)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(report, indent=2))
    print_report(report)
    print(f"JSON: {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
