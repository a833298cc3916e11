"""National quota compliance with a cycle of 1,500 proposals (PERFORMANCE.md: ≤ 200 ms,
constant queries)."""

import datetime

from django.utils import timezone

PREFIX = "Bench"


def clear() -> None:
    """Remove what an earlier run made (proposals first: they protect centres and rounds)."""
    from ovop.proposals.models import Cycle, Proposal, Round

    Proposal.objects.filter(round__cycle__name__startswith=PREFIX).delete()
    Round.objects.filter(cycle__name__startswith=PREFIX).delete()
    Cycle.objects.filter(name__startswith=PREFIX).delete()


def prepare_cycle(*, proposals: int = 1_500):
    """A bench cycle with one round per province and ``proposals`` proposals (bulk insert)."""
    from ovop.centres.models import Centre
    from ovop.proposals.models import Proposal, Round
    from ovop.proposals.services import create_cycle

    cycle = create_cycle(year=2099, name=f"{PREFIX} OVOP 2099")
    now = timezone.now()
    rounds = {}
    for province in ("63", "64", "11", "31", "33", "35", "51", "73"):
        rounds[province], _created = Round.objects.get_or_create(
            cycle=cycle, province_id=province,
            defaults={"opens_at": now, "deadline": now + datetime.timedelta(days=30)},
        )  # fmt: skip
    centres = Centre.objects.order_by("pk").values_list("pk", "regency_id")[:proposals]
    states = ["submitted", "verified", "forwarded", "draft", "eligible"]
    Proposal.objects.bulk_create(
        Proposal(round=rounds["63"], centre_id=pk, regency_id=regency,
                 state=states[index % len(states)])
        for index, (pk, regency) in enumerate(centres)
    )  # fmt: skip
    return cycle
