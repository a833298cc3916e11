"""Backups: one .tar.gz holding the whole database as portable JSON Lines, every uploaded file
under MEDIA_ROOT and a manifest with counts and checksums, and the restore that checks all of
it before anything is written.

The dump is Django's serialization (not a database-specific SQL dump) so that a backup made on
SQLite restores on PostgreSQL and back. Content types, permissions, sessions and the admin log
are left out: migrate recreates the first two in every database with different ids, so rows
pointing at them are written with natural keys instead of ids.
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
from datetime import datetime
from importlib import metadata
from pathlib import Path, PurePosixPath
from typing import IO, Any, Protocol, cast

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers import sort_dependencies
from django.core.serializers.jsonl import Serializer as JSONLSerializer
from django.db import connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _

FORMAT_VERSION = 1
MANIFEST_NAME = "manifest.json"
DATA_NAME = "data.jsonl"
MEDIA_PREFIX = "media/"
CHUNK = 1024 * 1024

# Rebuilt by migrate in every database (different ids) or worthless after a restore.
NOT_BACKED_UP = {
    "contenttypes.contenttype",
    "auth.permission",
    "sessions.session",
    "admin.logentry",
}
# Loaded by migrations and `load_regions`: their rows alone do not make a database "in use".
REFERENCE_DATA = {"regions.region", "centres.commoditygroup"}


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


def backed_up_models() -> list[type[models.Model]]:
    """Every concrete model with rows of its own, parents before children."""
    ordered = sort_dependencies(
        [(config, None) for config in apps.get_app_configs()], allow_cycles=True
    )
    return [
        model
        for model in ordered
        if model._meta.managed
        and not model._meta.proxy
        and model._meta.label_lower not in NOT_BACKED_UP
    ]


def _through_models(model: type[models.Model]) -> list[type[models.Model]]:
    """The automatic many-to-many tables a model owns (dumped inside its rows)."""
    throughs = []
    for field in model._meta.local_many_to_many:
        through = field.remote_field.through  # always set once the models are loaded
        if through is not None and through._meta.auto_created:
            throughs.append(through)
    return throughs


def count_rows() -> dict[str, int]:
    counts: dict[str, int] = {}
    for model in backed_up_models():
        for table in (model, *_through_models(model)):
            counts[table._meta.label_lower] = table._base_manager.count()
    return counts


def database_in_use() -> bool:
    """True when any table other than the reference data holds a row."""
    return any(
        model._base_manager.exists()
        for model in backed_up_models()
        if model._meta.label_lower not in REFERENCE_DATA
    )


def _by_natural_key(model: type[models.Model]) -> bool:
    return model._meta.label_lower in NOT_BACKED_UP and hasattr(model, "natural_key")


class _Serializer(JSONLSerializer):
    """Ids for every relation, except to rows that are not backed up (their ids differ per
    database): those by natural key. Dangling ids in history tables stay as they are."""

    def handle_fk_field(self, obj, field):
        if not _by_natural_key(field.related_model):
            return super().handle_fk_field(obj, field)
        related = getattr(obj, field.name)
        self._current[field.name] = related.natural_key() if related else None

    def handle_m2m_field(self, obj, field):
        if not _by_natural_key(field.related_model):
            return super().handle_m2m_field(obj, field)
        if field.remote_field.through._meta.auto_created:
            related = getattr(obj, field.name).iterator()
            self._current[field.name] = [item.natural_key() for item in related]


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
            for through in _through_models(model):
                counts[through._meta.label_lower] = through._base_manager.count()

    # The serializer only calls write() (and flush()), all a _HashingWriter offers.
    _Serializer().serialize(rows(), stream=cast(IO[str], stream))
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
    invalid = BackupError(
        _("%(path)s has no valid ovop manifest.json; nothing was restored.") % {"path": path}
    )
    try:
        manifest = json.loads((staging / MANIFEST_NAME).read_text())
    except (FileNotFoundError, ValueError) as error:
        raise invalid from error
    if not (
        isinstance(manifest, dict)
        and manifest.get("application") == "ovop"
        and manifest.get("format") == FORMAT_VERSION
        and isinstance(manifest.get("counts"), dict)
        and isinstance(manifest.get("media"), dict)
        and isinstance(manifest.get("data"), dict)
        and "sha256" in manifest["data"]
    ):
        raise invalid
    return manifest, digests


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


def _flush() -> None:
    """Empty every backed-up table and the sessions (their user ids would be stale)."""
    tables = set()
    for model in backed_up_models():
        tables.add(model._meta.db_table)
        tables.update(through._meta.db_table for through in _through_models(model))
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


def _load(path: Path) -> None:
    """What loaddata does, row by row from the stream, with the change history left alone:
    setting a restored row's many-to-many values would otherwise add history entries."""
    restored_models: set[type[models.Model]] = set()
    with path.open(encoding="utf-8") as stream, connection.constraint_checks_disabled():
        for restored in serializers.deserialize("jsonl", stream):
            cast(_SkipsHistory, restored.object).skip_history_when_saving = True
            restored.save()
            restored_models.add(type(restored.object))
    connection.check_constraints(table_names=[model._meta.db_table for model in restored_models])
    # New rows must not reuse restored ids (PostgreSQL sequences do not follow inserts).
    statements = connection.ops.sequence_reset_sql(no_style(), list(restored_models))
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def _check_counts(manifest: dict[str, Any]) -> None:
    actual = count_rows()
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
    transaction that is rolled back if loading or the row counts fail; the media folder is
    swapped in with two renames at the end of that transaction.
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
                _flush()
                _load(staging / DATA_NAME)
                _check_counts(manifest)
                previous = _swap_media(staging / "media", media_root)
        except Exception:
            if previous is not None:  # the commit itself failed: put the old files back
                shutil.rmtree(media_root, ignore_errors=True)
                previous.rename(media_root)
            raise
        if previous is not None:
            shutil.rmtree(previous, ignore_errors=True)
        refresh_statistics()
        _check_media(manifest, media_root)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return RestoreResult(manifest=manifest)
