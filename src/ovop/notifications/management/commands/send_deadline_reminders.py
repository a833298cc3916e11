from django.core.management.base import BaseCommand, CommandError

from ovop.notifications.services import send_deadline_reminders


class Command(BaseCommand):
    help = (
        "E-mail (and list in the app) a reminder to the operators of every regency/city below "
        "a round's minimum, for rounds closing within --days days. Run it daily from cron; "
        "a second run on the same local day sends nothing new."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days", type=int, default=7, help="remind for deadlines within N days (default 7)"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="count what would be sent; send nothing"
        )

    def handle(self, *args, days: int, dry_run: bool, **options):
        if days < 0:
            raise CommandError("--days must be 0 or more.")
        summary = send_deadline_reminders(days=days, dry_run=dry_run)
        self.stdout.write(summary.line(days=days, dry_run=dry_run))
