"""Catalogue entries for the rated demo centres: a story in both languages and ways to order.

Contacts are public only where the demo pretends the enterprise agreed; the rest show links.
"""

from django.db import transaction

from ovop.accounts.models import User
from ovop.catalogue.models import CatalogueEntry
from ovop.catalogue.selectors.gate import public_centres
from ovop.catalogue.services import save_entry


@transaction.atomic
def seed_catalogue() -> int:
    if CatalogueEntry.objects.exists():
        return 0
    admin = User.objects.get(username="admin")
    created = 0
    for index, centre in enumerate(public_centres().order_by("pk")):
        product = centre.main_product
        place = centre.regency.name
        data = {
            "story": f"{product} dari {place}, dibuat oleh perajin dan pelaku IKM setempat dengan "
            "bahan baku lokal Kalimantan Selatan dan resep atau teknik yang diwariskan turun-"
            "temurun. Sentra ini dibina melalui program OVOP agar produknya mendunia.",
            "story_en": f"{product} from {place}, made by local craftspeople and small "
            "industries with South Kalimantan materials and techniques handed down through "
            "generations, coached by the OVOP programme to reach markets worldwide.",
            "order_links": [f"https://www.tokopedia.com/sentra-ovop-{centre.pk}"],
            "whatsapp": f"+62 811 500 {1000 + index}",
            "contact_public": index % 2 == 0,
        }
        save_entry(actor=admin, centre=centre, data=data, reason="seed_demo")
        created += 1
    return created
