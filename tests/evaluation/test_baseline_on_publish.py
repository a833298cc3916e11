import pytest

from ovop.coaching.models import Indicator
from ovop.evaluation.services.decisions import fill_pending, publish_cycle
from tests.evaluation.helpers import assigned_world, levels, submit_directly


@pytest.mark.django_db
def test_publishing_a_rated_decision_takes_the_centres_baseline_from_the_registry(world):
    setup = assigned_world(world)
    submit_directly(setup["assignment"], levels(5))
    fill_pending(cycle=world["cycle"], actor=world["admin"])
    publish_cycle(cycle=world["cycle"], actor=world["admin"])
    centre = world["centre_banjar"]
    baseline = Indicator.objects.get(centre=centre, kind="baseline")
    assert baseline.year == world["cycle"].year
    assert baseline.production_value == centre.production_value
    assert baseline.worker_count == centre.worker_count
    assert baseline.market_reach == centre.market_reach
    assert baseline.certificates_held == 1  # the world's halal certificate, still valid
