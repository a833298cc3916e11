"""Load test: gunicorn (2 workers) on 127.0.0.1 against the bench database, locust headless
with 50 users for 60 s, then p50/p95 per request type and the error count.

Usage: python -m bench.loadtest [--users 50] [--spawn-rate 10] [--run-time 60s]
                                [--servers N] [--workers W]

``--servers 2`` starts two gunicorn instances (W workers each) behind the shipped nginx site
(bench/loadtest/front.py, HTTPS on loopback), sharing the database and the cache that
OVOP_CACHE names (e.g. OVOP_CACHE=redis://127.0.0.1:6379/0): several app servers, on one
machine. Its summary goes to loadtest[-<database>]-<N>-servers.json.

Uses the national dataset (bench/national.py; var/bench-national.sqlite3 or DATABASE_URL).
Sessions are made here the way Django's test client does (no login form, so no throttling).
Writes bench/results/loadtest.json (loadtest-postgresql.json on PostgreSQL) and the locust
CSVs beside it.
"""

import argparse
import csv
import json
import os
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import Client

import bench.settings_env  # noqa: F401 — the bench database, then django.setup()
from bench import national
from bench.loadtest.front import Front
from bench.targets import load_test_file
from ovop.accounts.models import User
from ovop.catalogue.selectors import public
from ovop.catalogue.selectors.gate import public_centres
from ovop.centres.models import Centre
from ovop.evaluation.models import Assignment
from ovop.proposals.models import Proposal

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "bench" / "results"
BIN = Path(sys.executable).parent
SESSIONS_PER_ROLE = 5


def _sessions(username: str) -> list[str]:
    user = User.objects.get(username=username)
    sessions = []
    for _ in range(SESSIONS_PER_ROLE):
        client = Client()
        client.force_login(user)
        sessions.append(client.cookies["sessionid"].value)
    return sessions


def plan(dataset) -> dict:
    """Who signs in as whom, and the objects each role works on."""
    operator_regency = "63.03"
    drafts = list(
        Proposal.objects.filter(regency_id=operator_regency, state="draft").values_list(
            "pk", flat=True
        )
    )
    assignments = list(
        Assignment.objects.filter(
            assessor__username="penilai-3", recused_at=None, proposal__state="eligible"
        )
        .exclude(assessment__submitted_at__isnull=False)
        .values_list("pk", flat=True)
    )
    demo_round = Proposal.objects.filter(pk__in=drafts).values_list("round_id", flat=True)[0]
    rated = public_centres().order_by("pk")[:200]
    return {
        "operator": {
            "sessions": _sessions("operator-6303"),
            "drafts": drafts,
            "centres": list(
                Centre.objects.filter(regency_id=operator_regency)
                .order_by("pk")
                .values_list("pk", flat=True)[:50]
            ),
        },
        "verifier": {
            "sessions": _sessions("verifikator-63"),
            "proposals": list(
                Proposal.objects.filter(round__province_id="63")
                .order_by("-pk")
                .values_list("pk", flat=True)[:50]
            ),
            "compliance": f"/proposals/rounds/{demo_round}/compliance/",
        },
        "assessor": {"sessions": _sessions("penilai-3"), "assignments": assignments},
        "admin": {
            "sessions": _sessions("admin"),
            "ranking": f"/evaluation/cycles/{dataset.newest.pk}/ranking/",
            "compliance": f"/proposals/cycles/{dataset.newest.pk}/compliance/",
        },
        "visitor": {"details": [f"/catalogue/id/{c.pk}-{public.centre_slug(c)}/" for c in rated]},
    }


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(url: str, seconds: float = 30, *, insecure: bool = False) -> None:
    context = ssl._create_unverified_context() if insecure else None  # noqa: S323 — loopback
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            # Our own 127.0.0.1 (and our own self-signed certificate).
            with urllib.request.urlopen(url, timeout=2, context=context):  # noqa: S310
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"gunicorn did not answer on {url}")


def summarise(prefix: Path) -> dict:
    """Per request type p50/p95 and failures from locust's stats CSV."""
    rows = []
    with open(f"{prefix}_stats.csv", newline="") as handle:  # noqa: PTH123
        for row in csv.DictReader(handle):
            rows.append(
                {
                    "type": row["Type"],
                    "name": row["Name"],
                    "requests": int(row["Request Count"]),
                    "failures": int(row["Failure Count"]),
                    "p50_ms": float(row["50%"] or 0),
                    "p95_ms": float(row["95%"] or 0),
                }
            )
    total = next(row for row in rows if row["name"] == "Aggregated")
    return {"requests": [row for row in rows if row["name"] != "Aggregated"], "total": total}


def _gunicorn(port: int, args, environment: dict) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603 — fixed arguments
        [
            str(BIN / "gunicorn"),
            "ovop.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--threads",
            str(args.threads),
            "--access-logfile",
            "-",
            "--error-logfile",
            str(RESULTS / "loadtest-gunicorn.log"),
        ],
        env=environment,
        stdout=subprocess.DEVNULL,
        cwd=ROOT,
    )


def results_file(database: str, servers: int) -> str:
    name = load_test_file(database)
    return name if servers == 1 else name.replace(".json", f"-{servers}-servers.json")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--spawn-rate", type=int, default=10)
    parser.add_argument("--run-time", default="60s")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=1, help="gunicorn threads per worker")
    parser.add_argument(
        "--servers", type=int, default=1, help="gunicorn instances; more than one: behind nginx"
    )
    args = parser.parse_args()

    dataset = national.ensure_dataset()
    call_command("createcachetable", verbosity=0)  # for OVOP_CACHE=database (else nothing)
    RESULTS.mkdir(parents=True, exist_ok=True)
    ports = [_free_port() for _ in range(args.servers)]
    https_port, http_port = _free_port(), _free_port()
    front = args.servers > 1
    host = f"https://127.0.0.1:{https_port}" if front else f"http://127.0.0.1:{ports[0]}"

    # Production settings (DEBUG off, the hashed static files bench.settings_env collected) on
    # plain HTTP, as behind nginx terminating TLS; the same secret key as here, so the sessions
    # made here are valid in gunicorn.
    environment = {
        **os.environ,
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "PYTHONPATH": str(ROOT),
        "SECRET_KEY": settings.SECRET_KEY,
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        # Behind nginx the browser's origin carries the HTTPS port.
        "CSRF_TRUSTED_ORIGINS": host,
        "OVOP_LOADTEST_INSECURE": "1" if front else "",  # the self-signed certificate
    }
    with tempfile.TemporaryDirectory() as folder:
        plan_path = Path(folder) / "plan.json"
        plan_path.write_text(json.dumps(plan(dataset)))
        environment["OVOP_LOADTEST_PLAN"] = str(plan_path)
        servers = [_gunicorn(port, args, environment) for port in ports]
        nginx = None
        try:
            for port in ports:
                _wait_for(f"http://127.0.0.1:{port}/healthz/")
            if front:
                nginx = Front(
                    app_ports=ports,
                    http_port=http_port,
                    https_port=https_port,
                    work=Path(folder),
                    static=Path(settings.STATIC_ROOT),
                )
                _wait_for(f"{host}/healthz/", insecure=True)
            name = results_file(connection.vendor, args.servers)
            prefix = RESULTS / name.removesuffix(".json")
            subprocess.run(  # noqa: S603 — fixed arguments
                [
                    str(BIN / "locust"),
                    "-f",
                    str(Path(__file__).with_name("locustfile.py")),
                    "--headless",
                    "--host",
                    host,
                    "--users",
                    str(args.users),
                    "--spawn-rate",
                    str(args.spawn_rate),
                    "--run-time",
                    args.run_time,
                    "--csv",
                    str(prefix),
                    "--only-summary",
                    "--loglevel",
                    "WARNING",
                ],
                env=environment,
                cwd=ROOT,
                check=False,
            )
        finally:
            if nginx is not None:
                nginx.stop()
            for server in servers:
                server.terminate()
                server.wait(timeout=30)
    report = {
        "users": args.users,
        "run_time": args.run_time,
        "workers": args.workers,
        "threads": args.threads,
        "servers": args.servers,
        "cache": settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1],
        "load_average": os.getloadavg(),
        "database": connection.vendor,
        **summarise(prefix),
    }
    (RESULTS / name).write_text(json.dumps(report, indent=2))
    print(f"\n{'request':<52} {'count':>6} {'fail':>5} {'p50 ms':>8} {'p95 ms':>8}")
    for row in [*report["requests"], report["total"]]:
        print(
            f"{row['type'] + ' ' + row['name']:<52} {row['requests']:>6} {row['failures']:>5} "
            f"{row['p50_ms']:>8} {row['p95_ms']:>8}"
        )
    total = report["total"]
    verdict = "MET" if total["p95_ms"] <= 300 and total["failures"] == 0 else "NOT MET"
    print(
        f"\n{verdict}: p95 {total['p95_ms']} ms (target ≤ 300), {total['failures']} errors "
        f"(target 0); {args.servers} server(s) × {args.workers} workers, cache "
        f"{report['cache']}, load average at the end {report['load_average']}"
    )
    return 0 if verdict == "MET" else 1


if __name__ == "__main__":
    sys.exit(main())
