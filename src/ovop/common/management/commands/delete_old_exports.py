from django.core.management.base import BaseCommand

from ovop.common.services import delete_old_exports


class Command(BaseCommand):
    help = (
        "Delete background export jobs, and their files, older than OVOP_EXPORT_KEEP_DAYS "
        "(default 7). Each export also cleans up when it finishes; this is for a quiet site."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="keep jobs of the last DAYS")

    def handle(self, *args, **options):
        deleted = delete_old_exports(days=options["days"])
        self.stdout.write(f"Deleted {deleted} export job(s).")
