"""Backups: one .tar.gz holding the whole database as portable JSON Lines, every uploaded file
under MEDIA_ROOT and a manifest with counts and checksums, and the restore that checks all of
it before anything is written.

The dump is Django's serialization (not a database-specific SQL dump) so that a backup made on
SQLite restores on PostgreSQL and back, and it is exact: every table of every installed app
(history, auth, content types and permissions with their ids, the task queue) row for row,
many-to-many tables with their own ids, datetimes to the microsecond, decimals as text, and
where every id sequence stood. The manifest holds a checksum of every table's raw rows
(`table_checksums`); restore recomputes them before it commits, and `backup --verify` compares
a database with a backup at any time.

Left out on purpose: the sessions (a restored session would sign its holder back in; restore
empties the table, so everyone signs in again) and `django_migrations`, the schema, which must
already match (`_check_schema`).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, time
from importlib import metadata
from pathlib import Path, PurePosixPath
from typing import IO, Any, Protocol, cast

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers import sort_dependencies
from django.core.serializers.json import DjangoJSONEncoder
from django.core.serializers.jsonl import Serializer as JSONLSerializer
from django.db import connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _

from ovop.common.backup_checksums import table_checksums as checksums_of

# 2: exact (ids of every table, microseconds, sequences, table checksums). 1 is still read.
FORMAT_VERSION = 2
READABLE_FORMATS = {1, 2}
MANIFEST_NAME = "manifest.json"
DATA_NAME = "data.jsonl"
MEDIA_PREFIX = "media/"
CHUNK = 1024 * 1024

# A restored session would sign its holder back in: restore empties the table instead.
NOT_BACKED_UP = {"sessions.session"}
# Format 1 also left these out (rows pointing at them carried natural keys) and kept the
# database's own, so restoring such a backup leaves them alone.
NOT_BACKED_UP_IN_FORMAT_1 = NOT_BACKED_UP | {
    "contenttypes.contenttype",
    "auth.permission",
    "admin.logentry",
}
# Loaded by migrations and `load_regions`: their rows alone do not make a database "in use".
REFERENCE_DATA = {
    "regions.region",
    "centres.commoditygroup",
    "contenttypes.contenttype",
    "auth.permission",
}


class BackupError(Exception):
    """A backup cannot be made or restored; ``message`` says why in one sentence."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class BackupResult:
    path: Path
    manifest: dict[str, Any]

    @property
    def summary(self) -> str:
        return _summary(self.manifest, Path(self.path).stat().st_size)


@dataclass(frozen=True)
class RestoreResult:
    manifest: dict[str, Any]

    @property
    def summary(self) -> str:
        return _summary(self.manifest)


def _summary(manifest: dict[str, Any], size: int | None = None) -> str:
    rows = sum(manifest["counts"].values())
    tables = sum(1 for count in manifest["counts"].values() if count)
    text = (
        f"{rows} rows in {tables} tables and {len(manifest['media'])} media files "
        f"({manifest['vendor']}, {manifest['created_at']})"
    )
    return text if size is None else f"{text}, {size / 1e6:.1f} MB"


# --- what is backed up ---------------------------------------------------------------------


def backed_up_models(*, format_version: int = FORMAT_VERSION) -> list[type[models.Model]]:
    """Every table with rows of its own, parents before children: each concrete model, then
    the automatic many-to-many tables it owns (dumped as tables, so their rows keep their ids)."""
    left_out = NOT_BACKED_UP if format_version >= 2 else NOT_BACKED_UP_IN_FORMAT_1
    ordered = sort_dependencies(
        [(config, None) for config in apps.get_app_configs()], allow_cycles=True
    )
    tables: list[type[models.Model]] = []
    for model in ordered:
        meta = model._meta
        if meta.managed and not meta.proxy and meta.label_lower not in left_out:
            tables.extend([model, *_through_models(model)])
    return tables


def _through_models(model: type[models.Model]) -> list[type[models.Model]]:
    """The automatic many-to-many tables a model owns."""
    throughs = []
    for field in model._meta.local_many_to_many:
        through = field.remote_field.through  # always set once the models are loaded
        if through is not None and through._meta.auto_created:
            throughs.append(through)
    return throughs


def count_rows(*, format_version: int = FORMAT_VERSION) -> dict[str, int]:
    return {
        table._meta.label_lower: table._base_manager.count()
        for table in backed_up_models(format_version=format_version)
    }


def database_in_use() -> bool:
    """True when any table other than the reference data holds a row."""
    return any(
        model._base_manager.exists()
        for model in backed_up_models()
        if model._meta.label_lower not in REFERENCE_DATA
    )


class _ExactEncoder(DjangoJSONEncoder):
    """Django's encoder cuts datetimes and times to milliseconds (the ECMA-262 format for
    JavaScript); a backup keeps every microsecond. Decimals stay text, never floats."""

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime | time):
            return o.isoformat()
        return super().default(o)


class _Serializer(JSONLSerializer):
    """Relations by id, as stored. Many-to-many values are left out of their owner's rows:
    the through tables are dumped as tables of their own, ids included."""

    def handle_m2m_field(self, obj, field):
        pass


# --- exactness: table checksums and sequences ----------------------------------------------


def _auto_id_tables() -> list[tuple[str, str]]:
    """(table, column) of every backed-up table whose ids come from a sequence."""
    return [
        (model._meta.db_table, str(model._meta.pk.column))
        for model in backed_up_models()
        if isinstance(model._meta.pk, models.AutoField)
    ]


def sequence_positions() -> dict[str, int]:
    """The highest id each table's sequence has handed out, deleted rows' ids included (0 for
    none): after a restore a new row must not take the id of a deleted one, whose history
    rows still carry it."""
    positions = {}
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":  # AUTOINCREMENT tables keep it in sqlite_sequence
            cursor.execute("SELECT name, seq FROM sqlite_sequence")
            stored = dict(cursor.fetchall())
        for table, column in _auto_id_tables():
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT pg_sequence_last_value(pg_get_serial_sequence(%s, %s)::regclass)",
                    [table, column],
                )
                value = cursor.fetchone()[0]
            elif connection.vendor == "sqlite":
                value = stored.get(table)
            else:  # no portable way to read it: the highest id stored
                cursor.execute(f"SELECT MAX({qn(column)}) FROM {qn(table)}")  # noqa: S608 - names from the models  # nosec B608
                value = cursor.fetchone()[0]
            positions[table] = int(value or 0)
    return positions


def _restore_sequences(positions: dict[str, int]) -> None:
    """Put every sequence where the backup found it (never below the highest id loaded)."""
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table, column in _auto_id_tables():
            cursor.execute(f"SELECT MAX({qn(column)}) FROM {qn(table)}")  # noqa: S608 - names from the models  # nosec B608
            highest = max(positions.get(table, 0), cursor.fetchone()[0] or 0)
            if connection.vendor == "postgresql":  # setval(…, 1, false): the next id is 1
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence(%s, %s), %s, %s)",
                    [table, column, max(highest, 1), highest > 0],
                )
            elif connection.vendor == "sqlite":
                cursor.execute("DELETE FROM sqlite_sequence WHERE name = %s", [table])
                if highest:
                    cursor.execute(
                        "INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, highest]
                    )


def table_checksums() -> dict[str, str]:
    """SHA-256 of every backed-up table's rows, by table name (``backup_checksums``)."""
    return checksums_of(backed_up_models())


# --- backup --------------------------------------------------------------------------------


class _HashingWriter:
    """A text stream that hashes and writes UTF-8 bytes to a binary file."""

    def __init__(self, target: IO[bytes]):
        self.target = target
        self.digest = hashlib.sha256()

    def write(self, text: str) -> int:
        data = text.encode()
        self.digest.update(data)
        self.target.write(data)
        return len(text)

    def flush(self) -> None:
        self.target.flush()


class _HashingReader:
    def __init__(self, source: IO[bytes]):
        self.source = source
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.source.read(size)
        self.digest.update(data)
        return data


def default_backup_path() -> Path:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    return Path(settings.VAR_DIR) / "backups" / f"ovop-{stamp}.tar.gz"


def _revision() -> str | None:
    git = shutil.which("git")
    if git is None:
        return None
    try:
        result = subprocess.run(  # noqa: S603 - fixed arguments, no shell
            [git, "describe", "--tags", "--always", "--dirty"],
            cwd=Path(__file__).resolve().parent,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except OSError:
        return None
    return result.stdout.strip() or None if result.returncode == 0 else None


def _migrations() -> dict[str, str]:
    """The last applied migration of every app: a dump only loads into the same schema."""
    latest: dict[str, str] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        latest[app] = max(name, latest.get(app, ""))
    return dict(sorted(latest.items()))


def _dump(stream: _HashingWriter) -> dict[str, int]:
    """Stream every backed-up row to ``stream``; answer the row count of every table."""
    counts: dict[str, int] = {}

    def rows() -> Iterator[models.Model]:
        for model in backed_up_models():
            label = model._meta.label_lower
            counts[label] = 0
            for obj in model._base_manager.order_by("pk").iterator(chunk_size=2000):
                counts[label] += 1
                yield obj

    # The serializer only calls write() (and flush()), all a _HashingWriter offers.
    _Serializer().serialize(rows(), stream=cast(IO[str], stream), cls=_ExactEncoder)
    return counts


@contextmanager
def _consistent_read() -> Iterator[None]:
    """One transaction for the whole dump, so counts and rows belong to one moment.
    (On SQLite this holds the write lock: writers wait until the backup is done.)"""
    snapshot = connection.vendor == "postgresql" and not connection.in_atomic_block
    with transaction.atomic():
        if snapshot:  # only possible as the transaction's first statement
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


def _media_files(media_root: Path) -> list[tuple[str, Path]]:
    if not media_root.is_dir():
        return []
    found = []
    for directory, _subdirs, files in os.walk(media_root):
        for name in files:
            path = Path(directory) / name
            if path.is_file() and not path.is_symlink():
                found.append((path.relative_to(media_root).as_posix(), path))
    return sorted(found)


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(timezone.now().timestamp())
    info.mode = 0o600
    archive.addfile(info, io.BytesIO(data))


def create_backup(*, output: Path | None = None) -> BackupResult:
    """Write the archive to ``output`` (a ``.tar.gz`` path, or a folder for the default name),
    through a ``.partial`` file renamed when complete."""
    path = Path(output) if output else default_backup_path()
    if not path.name.endswith(".tar.gz"):  # a folder: the default name inside it
        path = path / default_backup_path().name
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    media_root = Path(settings.MEDIA_ROOT)
    try:
        with tempfile.TemporaryDirectory(dir=path.parent, prefix=".ovop-backup-") as work:
            data_path = Path(work) / DATA_NAME
            with _consistent_read(), data_path.open("wb") as target:
                writer = _HashingWriter(target)
                counts = _dump(writer)
                tables = table_checksums()
                sequences = sequence_positions()
                migrations = _migrations()
            manifest: dict[str, Any] = {
                "format": FORMAT_VERSION,
                "application": "ovop",
                "version": metadata.version("ovop"),
                "revision": _revision(),
                "created_at": timezone.localtime().isoformat(timespec="seconds"),
                "vendor": connection.vendor,
                "migrations": migrations,
                "counts": counts,
                "tables": tables,
                "sequences": sequences,
                "data": {"name": DATA_NAME, "sha256": writer.digest.hexdigest()},
                "media": {},
            }
            with tarfile.open(partial, "w:gz") as archive:
                archive.add(data_path, arcname=DATA_NAME)
                for name, file_path in _media_files(media_root):
                    info = archive.gettarinfo(file_path, arcname=MEDIA_PREFIX + name)
                    with file_path.open("rb") as source:
                        reader = _HashingReader(source)
                        archive.addfile(info, reader)
                    manifest["media"][name] = reader.digest.hexdigest()
                # Last, so it can name the checksum of everything before it.
                _add_bytes(archive, MANIFEST_NAME, json.dumps(manifest, indent=2).encode())
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    return BackupResult(path=path, manifest=manifest)


# --- restore -------------------------------------------------------------------------------


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _member_target(staging: Path, name: str) -> Path:
    """Where an archive member goes; anything but our own plain names is refused."""
    posix = PurePosixPath(name)
    safe = not posix.is_absolute() and ".." not in posix.parts
    ours = name in {MANIFEST_NAME, DATA_NAME} or (
        name.startswith(MEDIA_PREFIX) and len(posix.parts) > 1
    )
    if not (safe and ours):
        raise BackupError(_("The archive holds an unexpected entry: %(name)s.") % {"name": name})
    return staging.joinpath(*posix.parts)


def _unpack(path: Path, staging: Path) -> tuple[dict[str, Any], dict[str, str]]:
    """Extract to ``staging``; answer the manifest and the SHA-256 of every extracted file."""
    digests: dict[str, str] = {}
    try:
        with tarfile.open(path, "r:gz") as archive:
            for member in archive:
                if not member.isfile():
                    raise BackupError(
                        _("The archive holds an unexpected entry: %(name)s.")
                        % {"name": member.name}
                    )
                target = _member_target(staging, member.name)
                target.parent.mkdir(parents=True, exist_ok=True)
                source = archive.extractfile(member)
                if source is None:  # never for a file member (checked above)
                    raise BackupError(
                        _("The archive holds an unexpected entry: %(name)s.")
                        % {"name": member.name}
                    )
                with target.open("wb") as copy:
                    reader = _HashingReader(source)
                    while chunk := reader.read(CHUNK):
                        copy.write(chunk)
                digests[member.name] = reader.digest.hexdigest()
    except (tarfile.TarError, EOFError, zlib.error, OSError) as error:
        raise BackupError(
            _("%(path)s is not a readable ovop backup (%(error)s).")
            % {"path": path, "error": error}
        ) from error
    try:
        manifest = _parse_manifest((staging / MANIFEST_NAME).read_bytes())
    except FileNotFoundError:
        manifest = None
    if manifest is None:
        raise BackupError(
            _("%(path)s has no valid ovop manifest.json; nothing was restored.") % {"path": path}
        )
    return manifest, digests


def _parse_manifest(text: bytes) -> dict[str, Any] | None:
    """The manifest, or None when it is not one this version can read."""
    try:
        manifest = json.loads(text)
    except ValueError:
        return None
    if not (
        isinstance(manifest, dict)
        and manifest.get("application") == "ovop"
        and manifest.get("format") in READABLE_FORMATS
        and isinstance(manifest.get("counts"), dict)
        and isinstance(manifest.get("media"), dict)
        and isinstance(manifest.get("data"), dict)
        and "sha256" in manifest["data"]
        and (
            manifest["format"] < 2
            or isinstance(manifest.get("tables"), dict)
            and isinstance(manifest.get("sequences"), dict)
        )
    ):
        return None
    return manifest


def _check_checksums(manifest: dict[str, Any], digests: dict[str, str]) -> None:
    expected = {DATA_NAME: manifest["data"]["sha256"]}
    expected.update({MEDIA_PREFIX + name: sha for name, sha in manifest["media"].items()})
    actual = {name: sha for name, sha in digests.items() if name != MANIFEST_NAME}
    wrong = sorted(
        name for name in expected.keys() | actual.keys() if expected.get(name) != actual.get(name)
    )
    if wrong:
        raise BackupError(
            _(
                "The archive does not match its manifest (%(count)s files missing, extra or "
                "with a wrong checksum, e.g. %(name)s); nothing was restored."
            )
            % {"count": len(wrong), "name": wrong[0]}
        )


def _check_schema(manifest: dict[str, Any]) -> None:
    if manifest.get("migrations") != _migrations():
        raise BackupError(
            _(
                "The backup was made with a different database schema (version %(version)s); "
                "restore it with that ovop version, then upgrade. Nothing was restored."
            )
            % {"version": manifest.get("revision") or manifest.get("version")}
        )


def _flush(format_version: int) -> None:
    """Empty every table the backup holds, and the sessions (their user ids would be stale)."""
    tables = {model._meta.db_table for model in backed_up_models(format_version=format_version)}
    if apps.is_installed("django.contrib.sessions"):
        tables.add(apps.get_model("sessions", "Session")._meta.db_table)
    statements = connection.ops.sql_flush(no_style(), sorted(tables), reset_sequences=True)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # TRUNCATE refuses tables with deferred checks pending from earlier in the
            # transaction: run them now, and defer again for the load.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            statements = [*statements, "SET CONSTRAINTS ALL DEFERRED"]
        for statement in statements:
            cursor.execute(statement)


class _SkipsHistory(Protocol):
    """A row django-simple-history leaves alone: it looks for this attribute (``hasattr``)."""

    skip_history_when_saving: bool


def _load(path: Path, manifest: dict[str, Any]) -> None:
    """What loaddata does, row by row from the stream, as raw saves (no model code, no
    signals, no history entries), then every id sequence put where the backup found it."""
    restored_models: set[type[models.Model]] = set()
    with path.open(encoding="utf-8") as stream, connection.constraint_checks_disabled():
        for restored in serializers.deserialize("jsonl", stream):
            # Format 1 sets many-to-many values, which would otherwise add history entries.
            cast(_SkipsHistory, restored.object).skip_history_when_saving = True
            restored.save(force_insert=True)  # into emptied tables: no UPDATE tried first
            restored_models.add(type(restored.object))
    connection.check_constraints(table_names=[model._meta.db_table for model in restored_models])
    if manifest["format"] >= 2:
        _restore_sequences(manifest["sequences"])
        return
    # Format 1 has no positions: new rows must at least not reuse restored ids.
    statements = connection.ops.sequence_reset_sql(no_style(), list(restored_models))
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def _check_counts(manifest: dict[str, Any]) -> None:
    actual = count_rows(format_version=manifest["format"])
    wrong = sorted(
        label
        for label in manifest["counts"].keys() | actual.keys()
        if manifest["counts"].get(label, 0) != actual.get(label, 0)
    )
    if wrong:
        label = wrong[0]
        raise BackupError(
            _(
                "After loading, %(label)s has %(actual)s rows where the backup counted "
                "%(expected)s; the database was left as it was."
            )
            % {
                "label": label,
                "actual": actual.get(label, 0),
                "expected": manifest["counts"].get(label, 0),
            }
        )


def _differences(manifest: dict[str, Any]) -> list[str]:
    """The tables whose rows or sequence differ from the backup's (format 2 and later)."""
    tables, sequences = table_checksums(), sequence_positions()
    expected_tables, expected_sequences = manifest["tables"], manifest["sequences"]
    return sorted(
        {
            name
            for name in tables.keys() | expected_tables.keys()
            if tables.get(name) != expected_tables.get(name)
        }
        | {
            name
            for name in sequences.keys() | expected_sequences.keys()
            if sequences.get(name, 0) != expected_sequences.get(name, 0)
        }
    )


def _check_tables(manifest: dict[str, Any]) -> None:
    if manifest["format"] < 2:  # no table checksums: the counts are all there is
        return
    if wrong := _differences(manifest):
        raise BackupError(
            _(
                "After loading, %(count)s tables differ from the backup's checksums (e.g. "
                "%(table)s); the database was left as it was."
            )
            % {"count": len(wrong), "table": wrong[0]}
        )


def _swap_media(new: Path, media_root: Path) -> Path | None:
    """Put ``new`` in place of MEDIA_ROOT; answer where the old folder went."""
    new.mkdir(parents=True, exist_ok=True)
    previous = None
    if media_root.exists():
        stamp = datetime.now().strftime("%Y%m%d%H%M%S%f")  # noqa: DTZ005 - a unique name only
        previous = media_root.with_name(f".{media_root.name}-before-restore-{stamp}")
        media_root.rename(previous)
    media_root.parent.mkdir(parents=True, exist_ok=True)
    new.rename(media_root)
    return previous


def _check_media(manifest: dict[str, Any], media_root: Path) -> None:
    actual = {name: _sha256(path) for name, path in _media_files(media_root)}
    if actual != manifest["media"]:
        raise BackupError(
            _("The restored media files at %(path)s do not match the manifest.")
            % {"path": media_root}
        )


def refresh_statistics() -> None:
    """Let the planner see the rows just loaded. Until autovacuum gets to a freshly filled
    PostgreSQL table, its plans assume it is nearly empty: list pages that take 20 ms then
    take seconds (nested loops over 20,000 rows). SQLite needs nothing."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def restore_backup(path: Path, *, replace: bool = False) -> RestoreResult:
    """Check the archive, then replace the database and the media files with its contents.

    Nothing is written unless every checksum matches; the database is replaced in one
    transaction that is rolled back if loading fails or the row counts, table checksums or
    sequences differ from the manifest's; the media folder is swapped in with two renames at
    the end of that transaction.
    """
    path = Path(path)
    if not path.is_file():
        raise BackupError(_("%(path)s does not exist.") % {"path": path})
    media_root = Path(settings.MEDIA_ROOT).resolve()
    media_root.parent.mkdir(parents=True, exist_ok=True)
    # Next to MEDIA_ROOT, so that moving the files into place is a rename, not a copy.
    staging = Path(tempfile.mkdtemp(prefix=".ovop-restore-", dir=media_root.parent))
    try:
        manifest, digests = _unpack(path, staging)
        _check_checksums(manifest, digests)
        _check_schema(manifest)
        if not replace and database_in_use():
            raise BackupError(
                _(
                    "The database already holds data; restoring replaces all of it. "
                    "Run again with --yes to confirm."
                )
            )
        previous = None
        try:
            with transaction.atomic():
                _flush(manifest["format"])
                _load(staging / DATA_NAME, manifest)
                _check_counts(manifest)
                _check_tables(manifest)
                previous = _swap_media(staging / "media", media_root)
        except Exception:
            if previous is not None:  # the commit itself failed: put the old files back
                shutil.rmtree(media_root, ignore_errors=True)
                previous.rename(media_root)
            raise
        finally:  # the ids of the content types may have changed (or changed back)
            ContentType.objects.clear_cache()
        if previous is not None:
            shutil.rmtree(previous, ignore_errors=True)
        refresh_statistics()
        _check_media(manifest, media_root)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return RestoreResult(manifest=manifest)


# --- verify --------------------------------------------------------------------------------


@dataclass(frozen=True)
class VerifyResult:
    manifest: dict[str, Any]
    # Tables whose rows or sequence differ, then media files ("media/NAME") that do.
    differences: list[str]

    @property
    def summary(self) -> str:
        return _summary(self.manifest)


def _read_manifest(path: Path) -> dict[str, Any]:
    """The manifest alone, without extracting the rest of the archive."""
    try:
        with tarfile.open(path, "r:gz") as archive:
            try:
                source = archive.extractfile(MANIFEST_NAME)
            except KeyError:
                source = None
            manifest = _parse_manifest(source.read()) if source is not None else None
    except (tarfile.TarError, EOFError, zlib.error, OSError) as error:
        raise BackupError(
            _("%(path)s is not a readable ovop backup (%(error)s).")
            % {"path": path, "error": error}
        ) from error
    if manifest is None:
        raise BackupError(_("%(path)s has no valid ovop manifest.json.") % {"path": path})
    return manifest


def verify_backup(path: Path) -> VerifyResult:
    """Compare the database and MEDIA_ROOT with a backup (e.g. right after restoring it, on
    another server or database): every table's checksum, every sequence, every media file.
    Only the archive's manifest is read; nothing is written."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(_("%(path)s does not exist.") % {"path": path})
    manifest = _read_manifest(path)
    if manifest["format"] < 2:
        raise BackupError(
            _("%(path)s was made by an older ovop without table checksums; it cannot be verified.")
            % {"path": path}
        )
    with _consistent_read():
        differences = _differences(manifest)
    expected = manifest["media"]
    actual = {name: _sha256(file) for name, file in _media_files(Path(settings.MEDIA_ROOT))}
    differences += sorted(
        MEDIA_PREFIX + name
        for name in expected.keys() | actual.keys()
        if expected.get(name) != actual.get(name)
    )
    return VerifyResult(manifest=manifest, differences=differences)
