"""Builders for the ranking, decision and record tests: scored proposals in the world's cycle."""

import datetime

from django.utils import timezone

from ovop.accounts.models import User
from ovop.proposals.models import Proposal
from tests.evaluation.helpers import assign_directly, levels, make_assessor, submit_directly
from tests.factories import CentreFactory, make_proposal, make_round


def assessors(count: int = 3) -> list:
    """Assessors from province 64 (so not conflicted with the 63 world), made once."""
    found = []
    for number in range(1, count + 1):
        username = f"penilai-{number}"
        found.append(User.objects.filter(username=username).first() or make_assessor(username))
    return found


def scored_proposal(
    world,
    *chosen: dict,
    name: str | None = None,
    round_=None,
    district: str = "63.03.01",
    submitted_at: datetime.datetime | None = None,
    assessed_at: datetime.datetime | None = None,
) -> Proposal:
    """An eligible proposal with one submitted assessment per ``chosen`` levels."""
    centre = CentreFactory(region_id=district, **({"name": name} if name else {}))
    proposal = make_proposal(
        round_=round_ or world["round"], centre=centre, state="eligible", documents=False
    )
    if submitted_at is not None:
        Proposal.objects.filter(pk=proposal.pk).update(submitted_at=submitted_at)
        proposal.submitted_at = submitted_at
    for assessor, levels_of_one in zip(assessors(len(chosen)), chosen, strict=True):
        submit_directly(assign_directly(proposal, assessor), levels_of_one, at=assessed_at)
    return proposal


def many_scored(world, count: int, *, per_proposal: int = 3) -> list[Proposal]:
    """``count`` scored proposals with varied levels (deterministic)."""
    proposals = []
    for number in range(count):
        base = 2 + number % 4
        chosen = [levels(base, K1_1=1 + (number + k) % 5) for k in range(per_proposal)]
        proposals.append(scored_proposal(world, *chosen, name=f"Sentra Uji {number:03d}"))
    return proposals


def other_province_round(world):
    """Kalimantan Timur's round in the same cycle."""
    return make_round(cycle=world["cycle"], province="64")


def hours_ago(hours: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(hours=hours)
