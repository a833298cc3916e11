"""bench/national.py at a small scale: the shape PERFORMANCE.md asks for, made once."""

import pytest

from bench import national
from ovop.catalogue.selectors.gate import public_centres
from ovop.centres.models import Centre, Enterprise
from ovop.evaluation.models import Assessment, Decision
from ovop.proposals.models import Proposal

pytestmark = pytest.mark.django_db


@pytest.fixture
def small(monkeypatch):
    for name, value in {
        "CENTRES": 600,
        "ENTERPRISES_PER_CENTRE": 2,
        "ENTERPRISES": 1_200,
        "PROPOSALS_PER_CYCLE": 40,
        "ASSESSOR_POOL": 6,
        "BATCH": 250,
    }.items():
        monkeypatch.setattr(national, name, value)


def test_the_dataset_has_every_part_and_is_reused(small):
    dataset = national.ensure_dataset(log=lambda message: None)
    assert Centre.objects.count() == 600
    assert Enterprise.objects.count() == 1_200
    assert Centre.objects.values("regency_id").distinct().count() == 514
    for cycle in dataset.cycles:
        proposals = Proposal.objects.filter(round__cycle=cycle)
        assert proposals.count() == 40
        submitted = Assessment.objects.filter(
            assignment__proposal__round__cycle=cycle, submitted_at__isnull=False
        )
        assert submitted.count() == 40 * national.ASSESSORS_PER_PROPOSAL
    decided, newest = dataset.cycles[:-1], dataset.newest
    assert all(
        Decision.objects.filter(proposal__round__cycle=c, status="published").exists()
        for c in decided
    )
    assert not Decision.objects.filter(proposal__round__cycle=newest).exists()
    assert public_centres().filter(name__startswith=national.CENTRE_PREFIX).exists()
    counts = (Centre.objects.count(), Proposal.objects.count(), Assessment.objects.count())
    national.ensure_dataset(log=lambda message: None)
    assert (Centre.objects.count(), Proposal.objects.count(), Assessment.objects.count()) == counts
