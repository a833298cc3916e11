"""Coaching's receivers of evaluation's events (``coaching.receivers``)."""

import pytest

from ovop.coaching.models import Indicator
from ovop.coaching.outputs.notes import BASELINE_AT_PUBLICATION
from ovop.evaluation.enums import DecisionStatus
from ovop.evaluation.models import Decision, Publication
from ovop.evaluation.services.decisions import fill_pending, publish_cycle
from ovop.evaluation.signals import decisions_published
from tests.evaluation.helpers import assigned_world, levels, submit_directly


def _decision(world, *, proposal, stars):
    return Decision(proposal=proposal, stars=stars, decided_by=world["admin"])


@pytest.mark.django_db
def test_decisions_published_takes_the_baseline_of_rated_centres_only(world):
    rated = _decision(world, proposal=world["proposal_banjar"], stars=4)
    decisions_published.send(
        sender=Publication, cycle=world["cycle"], decisions=[rated], actor=world["admin"]
    )
    baseline = Indicator.objects.get(centre=world["centre_banjar"], kind="baseline")
    assert baseline.year == world["cycle"].year
    assert (baseline.note_key, baseline.note_params) == (
        BASELINE_AT_PUBLICATION,
        {"cycle": world["cycle"].name},
    )


@pytest.mark.django_db
def test_decisions_published_takes_no_baseline_for_a_not_rated_centre(world):
    not_rated = _decision(world, proposal=world["proposal_banjar"], stars=None)
    decisions_published.send(
        sender=Publication, cycle=world["cycle"], decisions=[not_rated], actor=world["admin"]
    )
    assert not Indicator.objects.filter(centre=world["centre_banjar"]).exists()


@pytest.mark.django_db
def test_a_failing_receiver_undoes_the_publication(world):
    # publish_cycle's own atomic block is a savepoint inside the test's transaction, so its
    # rollback shows here without flushing the tables (the regions) as a transactional test would.
    setup = assigned_world(world)
    submit_directly(setup["assignment"], levels(5))
    fill_pending(cycle=world["cycle"], actor=world["admin"])

    def fail(**_kwargs):
        raise RuntimeError("coaching is down")

    decisions_published.connect(fail, dispatch_uid="test.fail")
    try:
        with pytest.raises(RuntimeError):
            publish_cycle(cycle=world["cycle"], actor=world["admin"])
    finally:
        decisions_published.disconnect(dispatch_uid="test.fail")
    assert not Publication.objects.exists()
    assert not Indicator.objects.filter(kind="baseline").exists()
    decision = Decision.objects.get(proposal=world["proposal_banjar"])
    assert decision.status == DecisionStatus.PENDING
