from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ovop.coaching.services.expiry import send_certificate_expiry


class Command(BaseCommand):
    help = (
        "E-mail (and list in the app) to the operators of every regency/city the certificates "
        "of its IKM units that expire within --days days, one message per regency/city. Run "
        "it from cron; a second run on the same local day sends nothing new."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="look ahead N days (default OVOP_CERTIFICATE_WATCH_DAYS, 90)",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="count what would be sent; send nothing"
        )

    def handle(self, *args, days: int | None, dry_run: bool, **options):
        days = settings.OVOP_CERTIFICATE_WATCH_DAYS if days is None else days
        if days < 0:
            raise CommandError("--days must be 0 or more.")
        summary = send_certificate_expiry(days=days, dry_run=dry_run)
        self.stdout.write(summary.line(days=days, dry_run=dry_run))
