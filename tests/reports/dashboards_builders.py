"""A small programme whose dashboard figures are known by heart (see ``dashboard_world``)."""

import datetime
from decimal import Decimal

from django.utils import timezone

from ovop.centres.models import CommodityGroup
from ovop.evaluation.models import Decision
from tests.factories import CentreFactory, make_cycle, make_proposal, make_round


def decide(proposal, *, by, stars: int | None, score: str, published: bool = True) -> Decision:
    return Decision.objects.create(
        proposal=proposal,
        stars=stars,
        computed_stars=stars,
        score=Decimal(score),
        status="published" if published else "pending",
        decided_by=by,
        published_at=timezone.now() if published else None,
    )


def food():
    return CommodityGroup.objects.get(code="makanan-minuman")


def dashboard_world(
    *, admin, centre_banjar, centre_tapin, cycle=None, round_=None, proposal_banjar=None
) -> dict:
    """Kalimantan Selatan (63) in the 2026 cycle, and in 2025 before it:

    2026, 63.03 Banjar: submitted (Sentra Banjar), rated ★4 score 80 (food), rated ★5 score 90
                        (batik)
          63.05 Tapin:  eligible with a *pending* ★3 score 60 (Sentra Tapin), not rated,
                        published, score 40
          63.04 Barito Kuala: one centre never proposed
          64 (Kalimantan Timur): rated ★3 score 60 (batik)
    2025, 63.03: rated ★3 score 70 (Sentra Banjar); 63.05: ineligible (Sentra Tapin), submitted
    """
    cycle = cycle or make_cycle(year=2026, name="OVOP 2026")
    round_ = round_ or make_round(cycle=cycle)
    if proposal_banjar is None:
        proposal_banjar = make_proposal(round_=round_, centre=centre_banjar, documents=False)
    proposal_banjar.state = "submitted"
    proposal_banjar.save()
    food_centre = CentreFactory(
        region_id="63.03.02",
        name="Sentra Dodol Banjar",
        commodity=food(),
        latitude=Decimal("-3.3900"),
    )
    batik_centre = CentreFactory(region_id="63.03.01", name="Sentra Sasirangan Rated")
    tapin_rejected = CentreFactory(region_id="63.05.01", name="Sentra Tapin Dua")
    never = CentreFactory(
        region_id="63.04.01", name="Sentra Belum Diusulkan", latitude=None, longitude=None
    )
    decide(
        make_proposal(round_=round_, centre=food_centre, state="rated", documents=False),
        by=admin,
        stars=4,
        score="80",
    )
    decide(
        make_proposal(round_=round_, centre=batik_centre, state="rated", documents=False),
        by=admin,
        stars=5,
        score="90",
    )
    decide(
        make_proposal(round_=round_, centre=centre_tapin, state="eligible", documents=False),
        by=admin,
        stars=3,
        score="60",
        published=False,
    )
    decide(
        make_proposal(round_=round_, centre=tapin_rejected, state="not_rated", documents=False),
        by=admin,
        stars=None,
        score="40",
    )
    round_64 = make_round(cycle=cycle, province="64")
    kaltim = CentreFactory(
        region_id="64.01.01",
        name="Sentra Kalimantan Timur",
        latitude=Decimal("-1.2000"),
        longitude=Decimal("116.8000"),
    )
    decide(
        make_proposal(round_=round_64, centre=kaltim, state="rated", documents=False),
        by=admin,
        stars=3,
        score="60",
    )

    earlier = make_cycle(year=2025, name="OVOP 2025")
    round_2025 = make_round(
        cycle=earlier,
        deadline=timezone.now() - datetime.timedelta(days=300),
        opens_at=timezone.now() - datetime.timedelta(days=400),
    )
    decide(
        make_proposal(round_=round_2025, centre=centre_banjar, state="rated", documents=False),
        by=admin,
        stars=3,
        score="70",
    )
    make_proposal(round_=round_2025, centre=centre_tapin, state="ineligible", documents=False)
    make_proposal(round_=round_2025, centre=tapin_rejected, state="submitted", documents=False)
    return {
        "cycle": cycle,
        "earlier": earlier,
        "round": round_,
        "food_centre": food_centre,
        "batik_centre": batik_centre,
        "tapin_rejected": tapin_rejected,
        "never": never,
        "kaltim": kaltim,
    }
