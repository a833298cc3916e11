from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ovop.common.backups import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore a backup made by `backup`: the archive is checked first (manifest and every "
        "checksum), then the database is replaced in one transaction and the media files are "
        "moved into place; row counts and checksums are verified. A database that already "
        "holds data is replaced only with --yes."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the .tar.gz written by `backup`")
        parser.add_argument(
            "--yes",
            action="store_true",
            help="replace a database that already holds data (everything in it is lost)",
        )

    def handle(self, *args, path: str, yes: bool, **options):
        try:
            result = restore_backup(Path(path), replace=yes)
        except BackupError as error:
            raise CommandError(error.message) from error
        self.stdout.write(
            self.style.SUCCESS(f"Restored {result.summary}; row counts and checksums verified.")
        )
