from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ovop.common.backups import BackupError, create_backup


class Command(BaseCommand):
    help = (
        "Write one .tar.gz with the whole database (portable JSON, restores on SQLite or "
        "PostgreSQL), every uploaded file under MEDIA_ROOT and a manifest with row counts and "
        "SHA-256 checksums. Default: var/backups/ovop-YYYYMMDD-HHMMSS.tar.gz."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            metavar="PATH",
            help="the .tar.gz to write, or a folder to write the default name in",
        )

    def handle(self, *args, output: str | None, **options):
        try:
            result = create_backup(output=Path(output) if output else None)
        except BackupError as error:
            raise CommandError(error.message) from error
        self.stdout.write(str(result.path))
        self.stdout.write(self.style.SUCCESS(f"Backed up {result.summary}."))
