from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from ovop.accounts.enums import Role
from ovop.accounts.models import User
from ovop.centres.workbooks.imports import ImportResult, import_centres
from ovop.common.workbooks.reader import Issue


def format_issue(issue: Issue) -> str:
    """sheet/row/column: message — the line format API.md promises to scripts."""
    return f"{issue.sheet or '-'}/{issue.row or '-'}/{issue.column or '-'}: {issue.message}"


class Command(BaseCommand):
    help = (
        "Import the centres workbook (same format as the template and the export). Every row "
        "is checked first: on any invalid row every problem is printed as "
        "'sheet/row/column: message', nothing is written and the exit status is 1. Without "
        "--user the import acts as a national administrator: any regency, and the change "
        "history records no user."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the .xlsx workbook")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="check and report what would change; write nothing",
        )
        parser.add_argument(
            "--user",
            metavar="USERNAME",
            help="import as this account: its role and regency apply (an operator only imports "
            "into their own regency)",
        )

    def handle(self, *args, file: str, dry_run: bool, user: str | None, **options):
        actor = self._actor(user)
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        with path.open("rb") as handle:
            try:
                result = import_centres(actor=actor, file=handle, dry_run=dry_run)
            except PermissionDenied as error:
                raise CommandError(f"{user} may not import sentra.") from error
        for notice in result.notices:
            self.stderr.write(notice)
        if not result.ok:
            for issue in result.errors:
                self.stderr.write(format_issue(issue))
            raise CommandError(
                f"{len(result.errors)} problem(s) found; nothing was written.", returncode=1
            )
        self.stdout.write(self.style.SUCCESS(self._summary(result)))

    def _actor(self, username: str | None) -> User:
        if username is None:
            # Unsaved on purpose: a national administrator that exists only for this run.
            return User(username="import_centres", role=Role.ADMIN, is_superuser=True)
        actor = User.objects.filter(username=username, is_active=True).first()
        if actor is None:
            raise CommandError(f"No active user named {username}.")
        return actor

    @staticmethod
    def _summary(result: ImportResult) -> str:
        counts = (
            f"created: {result.created}, updated: {result.updated}, unchanged: {result.unchanged}"
        )
        if result.dry_run:
            return f"Dry run, nothing written. Would be {counts}."
        return f"Imported. {counts[0].upper()}{counts[1:]}."
