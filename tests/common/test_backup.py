"""Backup and restore: a round trip through an emptied database and media folder gives back
every row and every file; a damaged archive or an occupied database is refused untouched."""

import hashlib
import io
import json
import shutil
import tarfile
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import translation

from ovop.accounts.models import User
from ovop.centres.models import Centre, CentreDocument
from ovop.coaching.models import Activity
from ovop.common.backups import count_rows
from ovop.evaluation.models import Decision
from ovop.regions.models import Region
from tests.conftest import TINY_PDF, ensure_regions
from tests.factories import CentreFactory


def media_checksums(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def run(command: str, *args) -> str:
    """Run a command in English, so the tests can name the messages they expect."""
    out = io.StringIO()
    with translation.override("en"):
        call_command(command, *args, stdout=out)
    return out.getvalue()


def snapshot() -> dict:
    """A few field values from every app, beyond the counts."""
    centre = Centre.objects.order_by("pk").first()
    return {
        "decisions": sorted(Decision.objects.values_list("proposal_id", "stars", "reason")),
        "centre_history": list(
            Centre.history.filter(id=centre.pk)
            .order_by("history_id")
            .values_list("history_id", "name", "history_type", "history_user_id")
        ),
        # Through rows keep their own ids too (test_backup_exact.py compares every table).
        "activity_centres": sorted(
            Activity.centres.through.objects.values_list("id", "activity_id", "centre_id")
        ),
        "users": sorted(User.objects.values_list("username", "password", "role", "region_id")),
    }


@pytest.fixture
def demo(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    ensure_regions()  # transactional tests flush the regions
    call_command("seed_demo", stdout=io.StringIO())
    return settings.MEDIA_ROOT


@pytest.mark.django_db(transaction=True)
def test_backup_restore_round_trip_gives_back_every_row_and_file(demo, tmp_path):
    counts, media, values = count_rows(), media_checksums(demo), snapshot()
    assert media
    assert values["decisions"]
    assert values["activity_centres"]
    every_app = (
        "centres.historicalcentre",
        "proposals.transition",
        "evaluation.assessment",
        "coaching.activity_centres",
        "catalogue.catalogueentry",
    )
    assert all(counts[label] for label in every_app), counts

    output = run("backup", "--output", str(tmp_path / "backups"))
    archive = Path(output.splitlines()[0])
    assert archive.name.startswith("ovop-")
    assert archive.name.endswith(".tar.gz")
    assert "Backed up" in output
    assert f"{len(media)} media files" in output
    with tarfile.open(archive) as opened:
        manifest = json.load(opened.extractfile("manifest.json"))
    assert manifest["counts"] == counts
    assert manifest["media"] == media
    assert manifest["vendor"] in {"sqlite", "postgresql"}

    call_command("flush", "--noinput")
    shutil.rmtree(demo)
    # flush leaves only what migrate makes again: content types and permissions.
    assert {label for label, count in count_rows().items() if count} <= {
        "contenttypes.contenttype",
        "auth.permission",
    }

    output = run("restore", str(archive))

    assert "verified" in output
    assert count_rows() == counts
    assert media_checksums(demo) == media
    assert snapshot() == values
    # The restored database keeps working: new rows get fresh ids, not clashing ones.
    assert Region.objects.filter(code="63.03.01").exists()
    CentreFactory(region_id="63.03.01")


@pytest.fixture
def backed_up(world, tmp_path):
    """A backup of the small `world`, and the database and media it was made from."""
    archive = Path(run("backup", "--output", str(tmp_path / "w.tar.gz")).splitlines()[0])
    return archive, count_rows(), media_checksums(tmp_path / "media")


def rewrite(archive: Path, target: Path, change) -> Path:
    """Copy ``archive`` to ``target``, passing each member's bytes through ``change``."""
    with tarfile.open(archive) as source, tarfile.open(target, "w:gz") as copy:
        for member in source:
            data = change(member.name, source.extractfile(member).read())
            if data is None:
                continue
            member.size = len(data)
            copy.addfile(member, io.BytesIO(data))
    return target


def assert_refused(archive: Path, expected: str, before: tuple, media_root: Path, *args):
    with pytest.raises(CommandError, match=expected):
        run("restore", str(archive), *args)
    assert (count_rows(), media_checksums(media_root)) == before


@pytest.mark.django_db
def test_restore_occupied_database_without_yes_refused(backed_up, settings):
    archive, counts, media = backed_up
    assert_refused(archive, "--yes", (counts, media), settings.MEDIA_ROOT)


@pytest.mark.django_db
def test_restore_occupied_database_with_yes_replaces_it(backed_up, settings, world):
    archive, counts, media = backed_up
    Centre.objects.filter(pk=world["centre_banjar"].pk).update(name="Changed after the backup")
    world["enterprise_tapin"].delete()
    (settings.MEDIA_ROOT / "stray.txt").write_text("not in the backup")

    assert "verified" in run("restore", str(archive), "--yes")

    assert count_rows() == counts
    assert media_checksums(settings.MEDIA_ROOT) == media
    assert Centre.objects.get(pk=world["centre_banjar"].pk).name == "Sentra Banjar"
    assert not list(settings.MEDIA_ROOT.parent.glob(".media-before-restore-*"))
    assert not list(settings.MEDIA_ROOT.parent.glob(".ovop-restore-*"))


@pytest.mark.django_db
def test_restore_corrupted_archive_refused(backed_up, settings, tmp_path):
    archive, counts, media = backed_up
    broken = tmp_path / "broken.tar.gz"
    broken.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    assert_refused(broken, "not a readable", (counts, media), settings.MEDIA_ROOT, "--yes")
    garbage = tmp_path / "garbage.tar.gz"
    garbage.write_bytes(b"not a tar file at all")
    assert_refused(garbage, "not a readable", (counts, media), settings.MEDIA_ROOT, "--yes")


@pytest.mark.django_db
def test_restore_checksum_mismatch_refused(backed_up, settings, tmp_path):
    archive, counts, media = backed_up

    def tamper_media(name, data):
        return TINY_PDF + b"%tampered" if name.endswith(".pdf") else data

    def tamper_data(name, data):
        return data.replace(b"Sentra Banjar", b"Sentra Palsu") if name == "data.jsonl" else data

    for change in (tamper_media, tamper_data):
        tampered = rewrite(archive, tmp_path / f"{change.__name__}.tar.gz", change)
        assert_refused(tampered, "does not match", (counts, media), settings.MEDIA_ROOT, "--yes")


@pytest.mark.django_db
def test_restore_archive_without_manifest_or_with_foreign_entries_refused(
    backed_up, settings, tmp_path
):
    archive, counts, media = backed_up
    before = (counts, media)
    no_manifest = rewrite(
        archive, tmp_path / "m.tar.gz", lambda name, data: None if name == "manifest.json" else data
    )
    assert_refused(no_manifest, "manifest", before, settings.MEDIA_ROOT, "--yes")

    escaping = tmp_path / "escape.tar.gz"
    with tarfile.open(archive) as source, tarfile.open(escaping, "w:gz") as copy:
        for member in source:
            copy.addfile(member, source.extractfile(member))
        evil = tarfile.TarInfo("media/../../evil.txt")
        evil.size = 4
        copy.addfile(evil, io.BytesIO(b"evil"))
    assert_refused(escaping, "unexpected entry", before, settings.MEDIA_ROOT, "--yes")
    assert not (tmp_path / "evil.txt").exists()


@pytest.mark.django_db
def test_backup_default_path_under_var_backups(world, settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    document = CentreDocument(centre=world["centre_tapin"], kind="decree", title="SK 2", size=10)
    document.file.save("nested/sk2.pdf", ContentFile(TINY_PDF))

    output = run("backup")

    archive = Path(output.splitlines()[0])
    assert archive.parent == tmp_path / "var" / "backups"
    assert archive.is_file()
    assert not list(archive.parent.glob("*.partial"))
    with tarfile.open(archive) as opened:
        names = opened.getnames()
    assert names[-1] == "manifest.json"
    assert "data.jsonl" in names
    assert f"media/{document.file.name}" in names


@pytest.mark.django_db
def test_restore_refreshes_postgresql_planner_statistics(backed_up):
    if connection.vendor != "postgresql":
        pytest.skip("planner statistics are a PostgreSQL matter; SQLite needs none")
    archive, counts, media = backed_up
    run("restore", str(archive), "--yes")

    with connection.cursor() as cursor:  # ANALYZE records the row count it saw
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'centres_centre'")
        assert cursor.fetchone()[0] == Centre.objects.count() > 0
