"""Evaluation joins the proposal workflow through its events and panels (receivers)."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from ovop.evaluation.models import (
    Assessment,
    Assignment,
    Decision,
    ProposalResult,
    Rubric,
    StarBand,
)
from ovop.evaluation.receivers import proposal_section
from ovop.evaluation.services.rubric import bands_of, ensure_rubric, save_bands
from ovop.proposals.forms.setup import CycleForm
from ovop.proposals.models import Cycle
from ovop.proposals.panels import panels_for
from ovop.proposals.signals import cycle_saved
from tests.evaluation.helpers import assigned_world, levels
from tests.factories import make_cycle

pytestmark = pytest.mark.usefixtures("english")


def cycle_form_data(cycle, **changes) -> dict:
    data = {"year": cycle.year, "name": cycle.name, "star_scale": cycle.star_scale}
    data.update(changes)
    return data


def decide(proposal, actor, *, status="pending") -> Decision:
    return Decision.objects.create(
        proposal=proposal,
        score=Decimal("81.50"),
        stars=4,
        status=status,
        decided_by=actor,
        published_at=timezone.now() if status == "published" else None,
    )


def test_a_new_cycle_gets_the_previous_cycles_rubric_without_asking(world):
    old = ensure_rubric(world["cycle"])
    old.aggregation = "median"
    old.save()
    new = make_cycle(year=2027, name="OVOP 2027")
    rubric = Rubric.objects.get(cycle=new)  # made by the create service, not on first use
    assert rubric.pk != old.pk
    assert rubric.aggregation == "median"
    assert StarBand.objects.filter(cycle=new).count() == new.star_scale


def test_a_cycle_and_its_rubric_are_made_all_or_nothing(db):
    def fail(**_kwargs):
        raise RuntimeError("the rubric cannot be made")

    cycle_saved.connect(fail, dispatch_uid="test.fail_after_rubric")
    try:
        with pytest.raises(RuntimeError):
            make_cycle(year=2030, name="OVOP 2030")
    finally:
        cycle_saved.disconnect(dispatch_uid="test.fail_after_rubric")
    assert not Cycle.objects.filter(year=2030).exists()
    assert not Rubric.objects.filter(cycle__year=2030).exists()


def test_a_new_star_scale_gets_that_scales_bands(world):
    cycle = world["cycle"]
    save_bands(cycle=cycle, cutoffs={2: 30, 3: 50, 4: 60, 5: 95})
    cycle.star_scale = 3
    cycle.save()
    cycle_saved.send(sender=Cycle, cycle=cycle, previous_scale=5)
    assert bands_of(cycle) == [(3, 75.0), (2, 55.0), (1, 0.0)]


def test_cycle_form_refuses_a_new_scale_once_decisions_exist(world):
    cycle = world["cycle"]
    ensure_rubric(cycle)
    decide(world["proposal_banjar"], world["admin"])
    form = CycleForm(cycle_form_data(cycle, star_scale=3), instance=cycle)
    assert not form.is_valid()
    assert form.errors["star_scale"] == [
        "Decisions already exist in this cycle; its star scale can no longer change."
    ]


def test_cycle_form_takes_a_new_scale_before_any_decision(world):
    cycle = world["cycle"]
    ensure_rubric(cycle)
    form = CycleForm(cycle_form_data(cycle, star_scale=3), instance=cycle)
    assert form.is_valid(), form.errors


def test_cycle_form_keeps_the_scale_with_decisions(world):
    cycle = world["cycle"]
    ensure_rubric(cycle)
    decide(world["proposal_banjar"], world["admin"])
    form = CycleForm(cycle_form_data(cycle, name="OVOP 2026 (revisi)"), instance=cycle)
    assert form.is_valid(), form.errors


def test_proposal_page_shows_the_evaluation_panel(world):
    [panel] = panels_for(world["proposal_banjar"], world["admin"])
    assert panel.template == "evaluation/_proposal_section.html"
    assert panel.context["can_view_evaluation"] is True


def test_evaluation_section_is_absent_for_whom_it_has_nothing(world):
    assert proposal_section(world["proposal_banjar"], world["operator"]) is None


def test_evaluation_section_hides_a_pending_decision_from_the_regency(world):
    proposal = world["proposal_banjar"]
    decide(proposal, world["admin"])
    assert proposal_section(proposal, world["operator"]) is None
    assert proposal_section(proposal, world["admin"])["decision"].stars == 4


def test_proposal_page_shows_a_published_decision_to_its_regency(client, world):
    proposal = world["proposal_banjar"]
    decide(proposal, world["admin"], status="published")
    client.force_login(world["operator"])
    client.cookies["ovop_language"] = "en"
    page = client.get(f"/proposals/{proposal.pk}/")
    assert page.status_code == 200
    assert b'id="evaluation-title"' in page.content
    assert b"81.50" in page.content
    assert b"Evaluation panel" not in page.content


def test_proposal_page_gives_its_assessor_the_way_to_score(client, world):
    setup = assigned_world(world)
    assignment = Assignment.objects.get(pk=setup["assignment"].pk)
    client.force_login(setup["assessor"])
    client.cookies["ovop_language"] = "en"
    page = client.get(f"/proposals/{setup['proposal'].pk}/")
    assert page.status_code == 200
    score_url = reverse("evaluation:score", args=[assignment.pk])
    assert f'<a href="{score_url}" role="button">Score this proposal</a>'.encode() in page.content


def test_a_restored_assessment_leaves_the_stored_results_to_the_restore(world):
    """loaddata saves rows raw, before their assignments exist: no result is computed."""
    setup = assigned_world(world)
    now = timezone.now()
    loaded = Assessment(
        assignment_id=setup["assignment"].pk,
        levels=levels(4),
        submitted_at=now,
        created_at=now,
        updated_at=now,
    )
    Assessment.save_base(loaded, raw=True)

    assert not ProposalResult.objects.exists()
