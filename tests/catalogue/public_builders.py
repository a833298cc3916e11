"""Builders for the public catalogue tests: centres made public by a published decision."""

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from ovop.catalogue.models import CatalogueEntry
from ovop.centres.models import CentrePhoto, CommodityGroup
from ovop.evaluation.enums import DecisionStatus
from ovop.evaluation.models import Decision
from ovop.proposals.models import Cycle, Round
from tests.conftest import make_persona, tiny_png
from tests.factories import (
    CentreFactory,
    CertificateFactory,
    EnterpriseFactory,
    make_cycle,
    make_proposal,
    make_round,
)


def round_of(year: int, province: str = "63", *, star_scale: int = 5) -> Round:
    """The province's round in the cycle of ``year`` (made once)."""
    cycle = Cycle.objects.filter(year=year).first() or make_cycle(
        year=year, name=f"OVOP {year}", star_scale=star_scale
    )
    return Round.objects.filter(cycle=cycle, province_id=province).first() or make_round(
        cycle=cycle, province=province
    )


def publish(proposal, *, stars: int | None = 4, when: datetime.datetime | None = None):
    """The end state of a published decision (the services are tested in evaluation)."""
    proposal.state = "rated" if stars else "not_rated"
    proposal.save(update_fields=["state"])
    return Decision.objects.create(
        proposal=proposal,
        stars=stars,
        computed_stars=stars,
        status=DecisionStatus.PUBLISHED,
        decided_by=make_persona("admin"),
        published_at=when or timezone.now(),
    )


def add_photo(centre, caption: str = "Produk") -> CentrePhoto:
    photo = CentrePhoto(centre=centre, caption=caption)
    photo.image.save("p.png", ContentFile(tiny_png()), save=False)
    photo.thumbnail.save("t.png", ContentFile(tiny_png()), save=False)
    photo.save()
    return photo


def public_centre(
    *,
    name: str,
    district: str = "63.03.01",
    stars: int = 4,
    year: int = 2025,
    commodity: str = "kain-batik",
    product: str = "Kain sasirangan",
    entry: dict | None = None,
    **centre_fields,
):
    """A centre rated ``stars`` by a published decision of the ``year`` cycle."""
    centre = CentreFactory(
        name=name,
        region_id=district,
        main_product=product,
        commodity=CommodityGroup.objects.get(code=commodity),
        **centre_fields,
    )
    publish(
        make_proposal(round_=round_of(year, district[:2]), centre=centre, documents=False),
        stars=stars,
    )
    if entry is not None:
        CatalogueEntry.objects.create(centre=centre, **entry)
    return centre


def publish_banjar(world) -> dict:
    """The world's Banjar centre, rated 4 stars (its photo becomes public)."""
    # Read the state from the database: a module's shared world outlives each test's rows.
    world["proposal_banjar"].refresh_from_db(fields=["state"])
    if world["proposal_banjar"].state != "rated":
        publish(world["proposal_banjar"], stars=4)
    return world


def showcase() -> dict:
    """A small catalogue as a visitor sees it (browser tests): stories, photos, contacts."""
    sasirangan = public_centre(
        name="Sentra Sasirangan Martapura",
        stars=5,
        product="Kain sasirangan",
        entry={
            "story": "Kain sasirangan dicelup dengan pewarna alam dari kulit kayu.\n\n"
            "Setiap motif punya makna bagi orang Banjar.",
            "story_en": "Sasirangan cloth dyed with natural colours from tree bark.",
            "order_links": [
                "https://www.tokopedia.com/sasirangan-martapura",
                "https://shopee.co.id/sasirangan",
            ],
            "whatsapp": "0812 5000 1234",
            "email": "pesan@sasirangan.example.id",
            "contact_public": True,
        },
    )
    amplang = public_centre(
        name="Sentra Amplang Kotabaru",
        district="63.02.01",
        stars=4,
        commodity="makanan-minuman",
        product="Amplang ikan tenggiri",
        entry={"story": "Kerupuk ikan tenggiri yang renyah dari pesisir Kotabaru."},
        latitude=None,
        longitude=None,
    )
    purun = public_centre(
        name="Sentra Anyaman Purun",
        stars=3,
        commodity="anyaman",
        product="Tikar dan tas purun",
        year=2024,
    )
    for centre in (sasirangan, amplang):
        add_photo(centre)
        unit = EnterpriseFactory(centre=centre)
        CertificateFactory(enterprise=unit, kind="halal")
        CertificateFactory(enterprise=unit, kind="spp_irt")
    return {"sasirangan": sasirangan, "amplang": amplang, "purun": purun}
