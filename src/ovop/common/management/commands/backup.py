from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from ovop.common.backups import BackupError, create_backup, verify_backup

# A failed check names this many tables or files, then says how many more.
NAMES_SHOWN = 10


class Command(BaseCommand):
    help = (
        "Write one .tar.gz with the whole database (portable JSON, restores on SQLite or "
        "PostgreSQL), every uploaded file under MEDIA_ROOT and a manifest with row counts and "
        "SHA-256 checksums. Default: var/backups/ovop-YYYYMMDD-HHMMSS.tar.gz. With --verify, "
        "write nothing: compare the database and media files with a backup instead."
    )

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group()
        group.add_argument(
            "--output",
            metavar="PATH",
            help="the .tar.gz to write, or a folder to write the default name in",
        )
        group.add_argument(
            "--verify",
            metavar="FILE",
            help="check that every table, id sequence and media file equals the backup FILE "
            "(e.g. after a restore); exit non-zero and name the differences if not",
        )

    def handle(self, *args, output: str | None, verify: str | None, **options):
        try:
            if verify:
                self._verify(Path(verify))
                return
            result = create_backup(output=Path(output) if output else None)
        except BackupError as error:
            raise CommandError(error.message) from error
        self.stdout.write(str(result.path))
        self.stdout.write(self.style.SUCCESS(f"Backed up {result.summary}."))

    def _verify(self, path: Path) -> None:
        result = verify_backup(path)
        if result.differences:
            names = ", ".join(result.differences[:NAMES_SHOWN])
            if len(result.differences) > NAMES_SHOWN:
                names += ", …"
            raise CommandError(
                _("%(count)s tables or media files differ from %(path)s: %(names)s.")
                % {"count": len(result.differences), "path": path, "names": names}
            )
        self.stdout.write(
            self.style.SUCCESS(f"The database and media files match {path}: {result.summary}.")
        )
