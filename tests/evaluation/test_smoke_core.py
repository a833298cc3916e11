import pytest

from ovop.evaluation.selectors.results import cycle_results
from ovop.evaluation.services.decisions import fill_pending, publish_cycle, set_decision
from ovop.evaluation.services.scoring import save_assessment
from tests.evaluation.helpers import assigned_world, levels


@pytest.mark.django_db
def test_core_cycle_from_assignment_to_publication(world):
    setup = assigned_world(world)
    save_assessment(
        assignment=setup["assignment"],
        actor=setup["assessor"],
        levels=levels(4, K3_1=4),
        comments={"K2.2": "x", "K4.2": "y"},
        submit=True,
    )
    results = cycle_results(cycle=world["cycle"])
    assert len(results.rows) == 1
    assert results.rows[0].score == pytest.approx(80.0)
    assert results.rows[0].stars == 4
    assert fill_pending(cycle=world["cycle"], actor=world["admin"]) == 1
    assert publish_cycle(cycle=world["cycle"], actor=world["admin"]) == 1
    setup["proposal"].refresh_from_db()
    assert setup["proposal"].state == "rated"
    decision = set_decision(
        proposal=setup["proposal"], actor=world["admin"], stars=None, reason="Revisi"
    )
    setup["proposal"].refresh_from_db()
    assert setup["proposal"].state == "not_rated"
    assert decision.stars is None
