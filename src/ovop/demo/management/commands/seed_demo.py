from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ovop.demo.accounts import PROVINCE, seed_accounts
from ovop.demo.catalogue import seed_catalogue
from ovop.demo.centres import CENTRES, seed_centres
from ovop.demo.coaching import seed_coaching
from ovop.demo.evaluation import seed_evaluation
from ovop.demo.proposals import seed_proposals
from ovop.regions.models import Region


class Command(BaseCommand):
    help = "Create idempotent demo data for Kalimantan Selatan (province 63)."

    def handle(self, *args, **options):
        if not Region.objects.filter(code=PROVINCE).exists():
            raise CommandError("Regions are not loaded: run `python -m ovop load_regions` first.")
        accounts, created = seed_accounts()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo accounts: {created} created, {len(accounts) - created} already there."
            )
        )
        created_centres = seed_centres()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo sentra IKM: {created_centres} created, "
                f"{len(CENTRES) - created_centres} already there."
            )
        )
        created_proposals = seed_proposals()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo round 2026 for Kalimantan Selatan: {created_proposals} proposals created."
                if created_proposals
                else "Demo round 2026 for Kalimantan Selatan already there."
            )
        )
        self.stdout.write(
            self.style.SUCCESS(
                "Demo evaluation: 2025 cycle rated and published, 2026 assessment under way."
                if seed_evaluation()
                else "Demo evaluation already there."
            )
        )
        self.stdout.write(
            self.style.SUCCESS(
                "Demo coaching: programmes, activities, Bimtek, indicators, expiring certificates."
                if seed_coaching()
                else "Demo coaching already there."
            )
        )
        entries = seed_catalogue()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo catalogue: {entries} entries with stories and order links."
                if entries
                else "Demo catalogue already there."
            )
        )
        self.stdout.write("")
        self.stdout.write("Demo sign-ins (DEMO ONLY — never use these passwords in production):")
        for account in accounts:
            scope = account.region or "national"
            self.stdout.write(f"  {account.username:<16} {account.role:<9} {scope}")
        self.stdout.write(f"  password for all: {settings.OVOP_DEMO_PASSWORD}")
