"""Shared builders for the evaluation tests (and the permission matrix rows)."""

from django.utils import timezone

from ovop.accounts.enums import Role
from ovop.evaluation.enums import AssignmentMethod
from ovop.evaluation.models import Assessment, Assignment
from ovop.evaluation.services.assignment import save_profile
from ovop.evaluation.services.defaults import DEFAULT_RUBRIC
from ovop.evaluation.services.rubric import ensure_rubric
from tests.factories import UserFactory

CODES = [sub[0] for _c, _n, _e, subs in DEFAULT_RUBRIC for sub in subs]


def levels(level: int = 4, **overrides: int) -> dict[str, int]:
    """Every default sub-criterion at ``level``; override with K1_1=5 for "K1.1"."""
    chosen = dict.fromkeys(CODES, level)
    chosen.update({key.replace("_", "."): value for key, value in overrides.items()})
    return chosen


def make_assessor(username: str = "penilai-luar", *, home: str | None = "64", expertise=()):
    """An assessor whose home province is not 63, so not conflicted with the 63 world."""
    user = UserFactory(username=username, role=Role.ASSESSOR, region_id=home)
    save_profile(user=user, organisation="Asosiasi Pengrajin", expertise=expertise)
    return user


def make_eligible(proposal):
    """Move a proposal straight to "eligible" (the screening result) and ensure its rubric."""
    proposal.state = "eligible"
    proposal.save(update_fields=["state"])
    ensure_rubric(proposal.round.cycle)
    return proposal


def assign_directly(proposal, assessor, *, by=None) -> Assignment:
    return Assignment.objects.create(
        proposal=proposal,
        assessor=assessor,
        method=AssignmentMethod.MANUAL,
        explanation="test",
        assigned_by=by or assessor,
    )


def submit_directly(assignment, chosen: dict[str, int] | None = None, *, at=None) -> Assessment:
    """A submitted assessment without the service's checks (for ranking fixtures)."""
    return Assessment.objects.create(
        assignment=assignment, levels=chosen or levels(), submitted_at=at or timezone.now()
    )


def assigned_world(world) -> dict:
    """The Banjar proposal made eligible and assigned to an assessor from province 64.

    Also assigns the persona "assessor" (home 63) nowhere: it stays unassigned (404s).
    """
    proposal = make_eligible(world["proposal_banjar"])
    outsider = make_assessor()
    assignment = assign_directly(proposal, outsider, by=world["admin"])
    return {"proposal": proposal, "assessor": outsider, "assignment": assignment}
