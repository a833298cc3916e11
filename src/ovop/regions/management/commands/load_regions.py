from django.core.management.base import BaseCommand

from ovop.regions.services import DATASET_VERSION, load_regions


class Command(BaseCommand):
    help = "Load or update the official regions of Indonesia (idn-area-data, ODbL)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="write even if up to date")
        parser.add_argument(
            "--province",
            action="append",
            dest="provinces",
            metavar="CODE",
            help="only districts and villages of this province (repeatable)",
        )

    def handle(self, *args, force: bool, provinces: list[str] | None, **options):
        result = load_regions(provinces=provinces, force=force)
        if result.skipped:
            self.stdout.write(f"Regions up to date: {result.total} ({DATASET_VERSION}).")
        else:
            self.stdout.write(
                self.style.SUCCESS(f"Loaded {result.written} regions ({DATASET_VERSION}).")
            )
