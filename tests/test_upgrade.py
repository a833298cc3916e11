"""An upgrade from the previous release's database, as docs/deploy.md (section 10) runs it.

The previous release's code (``deploy/previous-release`` names its commit) builds a database
with the demo story in it: migrate, load_regions, seed_demo. Then this checkout migrates it
forward, with nothing but ``migrate`` in between, and must find every row still there (Django's
bookkeeping of migrations, models and permissions may only grow), no
migration left to make, and the signed-in pages of every role answering 200 on the old data.
Runs on SQLite, and on PostgreSQL too when the suite does (a database of its own per worker).
"""

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from django.db import migrations
from django.db.migrations.loader import MigrationLoader

ROOT = Path(__file__).resolve().parent.parent
PREVIOUS = (ROOT / "deploy" / "previous-release").read_text().split()

# Run by the new code on the upgraded database: rows per table, then pages per demo login.
PROBE = """
import json, django
django.setup()
from django.db import connection
from django.test import Client
from ovop.accounts.models import User
tables = sorted(connection.introspection.table_names())
with connection.cursor() as cursor:
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
        counts[table] = cursor.fetchone()[0]
pages = {}
for username, paths in json.loads(__import__("os").environ["UPGRADE_PAGES"]).items():
    client = Client()
    client.force_login(User.objects.get(username=username))
    for path in paths:
        pages[f"{username} {path}"] = client.get(path, follow=True).status_code
print(json.dumps({"counts": counts, "pages": pages}))
"""
COUNT_ONLY = PROBE.split("pages = {}")[0] + 'print(json.dumps({"counts": counts}))\n'
# Django's own records of the schema, which grow by one row per new migration or model.
BOOKKEEPING = {"django_migrations", "django_content_type", "auth_permission"}
PAGES = {
    "admin": [
        "/",
        "/centres/",
        "/proposals/",
        "/evaluation/",
        "/coaching/",
        "/reports/",
    ],
    "verifikator-63": ["/", "/proposals/", "/centres/"],
    "operator-6303": ["/", "/centres/", "/proposals/"],
    "penilai-1": ["/", "/evaluation/"],
    "pimpinan": ["/", "/reports/"],
}


def previous_source(tmp_path: Path) -> Path:
    shallow = subprocess.run(
        ["git", "rev-parse", "--is-shallow-repository"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    if shallow == "true":
        pytest.skip("a shallow clone holds no previous release to upgrade from")
    archive = subprocess.run(
        ["git", "archive", PREVIOUS[1], "src"], cwd=ROOT, capture_output=True, check=True
    ).stdout
    tmp_path.mkdir(parents=True, exist_ok=True)
    subprocess.run(["tar", "-x", "-C", str(tmp_path)], input=archive, check=True)
    return tmp_path / "src"


def run(env: dict, *args: str, source: Path | None = None, stdin: str | None = None) -> str:
    environment = {**env, "PYTHONPATH": str(source)} if source else env
    result = subprocess.run(
        [sys.executable, *args],
        env=environment,
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert result.returncode == 0, (args, result.stdout[-2000:], result.stderr[-3000:])
    return result.stdout


def postgres_database(name: str):
    """A fresh PostgreSQL database beside the suite's own; dropped by the caller."""
    url = urlsplit(os.environ["DATABASE_URL"])
    admin = urlunsplit(url._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(url._replace(path=f"/{name}")), admin


def databases(tmp_path: Path):
    yield "sqlite", f"sqlite:///{tmp_path / 'upgrade.sqlite3'}"
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        name = f"ovop_upgrade_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
        url, admin = postgres_database(name)
        try:
            yield "postgresql", url
        finally:
            with psycopg.connect(admin, autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_previous_release_is_an_ancestor_of_this_checkout():
    result = subprocess.run(
        ["git", "merge-base", "--is-ancestor", PREVIOUS[1], "HEAD"], cwd=ROOT, check=False
    )
    assert result.returncode == 0, f"{PREVIOUS} is not in this checkout's history"


def test_upgrade_from_the_previous_release_keeps_every_row(tmp_path):
    source = previous_source(tmp_path / "previous")
    for vendor, url in databases(tmp_path):
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DJANGO_", "PYTEST_", "OVOP_", "DATABASE_URL"))
        }
        env |= {
            "DJANGO_SETTINGS_MODULE": "ovop.settings",
            "DEBUG": "1",
            "DATABASE_URL": url,
            "OVOP_VAR_DIR": str(tmp_path / vendor),
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "ALLOWED_HOSTS": "testserver",
            "UPGRADE_PAGES": json.dumps(PAGES),
        }
        for command in (["migrate", "--noinput"], ["load_regions"], ["seed_demo"]):
            run(env, "-m", "ovop", *command, "-v", "0", source=source)
        before = json.loads(run(env, "-", source=source, stdin=COUNT_ONLY))["counts"]

        run(env, "-m", "ovop", "migrate", "--noinput", "-v", "0")
        after = json.loads(run(env, "-", stdin=PROBE))

        lost = {
            table: (count, after["counts"].get(table))
            for table, count in before.items()
            if not (
                after["counts"].get(table, -1) >= count
                if table in BOOKKEEPING
                else after["counts"].get(table) == count
            )
        }
        assert lost == {}, f"{vendor}: rows changed by the upgrade: {lost}"
        assert sum(before.values()) > 10_000, before
        refused = {page: status for page, status in after["pages"].items() if status != 200}
        assert refused == {}, f"{vendor}: pages not answering on upgraded data"
        run(env, "-m", "ovop", "makemigrations", "--check", "--dry-run")


def test_migrations_since_the_previous_release_keep_old_workers_running():
    """What section 10 promises: old code keeps serving while ``migrate`` runs."""
    listed = subprocess.run(
        ["git", "ls-tree", "-r", "--name-only", PREVIOUS[1], "src"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    released = {
        (Path(path).parts[-3], Path(path).stem) for path in listed if "/migrations/" in path
    }
    loader = MigrationLoader(None, ignore_no_migrations=True)
    breaking = (
        migrations.RemoveField,
        migrations.DeleteModel,
        migrations.RenameField,
        migrations.RenameModel,
    )
    new = {
        key: migration
        for key, migration in loader.disk_migrations.items()
        if key[0] and (key[0], key[1]) not in released and migration.__module__.startswith("ovop.")
    }
    refused = [
        f"{app}.{name}: {type(operation).__name__}"
        for (app, name), migration in new.items()
        for operation in migration.operations
        if isinstance(operation, breaking)
    ]
    assert refused == [], "drop or rename a release after the code stopped using it"
