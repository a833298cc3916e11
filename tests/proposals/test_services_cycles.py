"""A cycle's status moves only through its table: forward, one step at a time, with guards."""

import pytest
from django.urls import reverse

from ovop.common.refusals import Refused
from ovop.evaluation.enums import DecisionStatus
from ovop.evaluation.models import Decision
from ovop.proposals.enums import CycleStatus
from ovop.proposals.forms.setup import CycleForm
from ovop.proposals.models import Cycle, Proposal
from ovop.proposals.services.cycles import STEPS, advance_cycle, next_step
from tests.factories import make_proposal, make_round

C = CycleStatus
ORDER = [C.SETUP, C.PROPOSAL, C.SCREENING, C.ASSESSMENT, C.DECISION, C.CLOSED]


def test_the_table_walks_every_status_once_in_order():
    assert [(step.source, step.target) for step in STEPS.values()] == list(
        zip(ORDER, ORDER[1:], strict=False)
    )


def status(cycle) -> str:
    return Cycle.objects.get(pk=cycle.pk).status


@pytest.fixture
def cycle_with_proposal(personas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    round_ = make_round()
    proposal = make_proposal(round_=round_, checked=True)
    cycle = round_.cycle
    cycle.commodities.add(proposal.centre.commodity)
    return cycle, proposal


def move(proposal, state):
    Proposal.objects.filter(pk=proposal.pk).update(state=state)


def test_each_step_waits_for_what_it_needs_and_then_moves(cycle_with_proposal, personas):
    cycle, proposal = cycle_with_proposal
    admin = personas["admin"]
    advance_cycle(cycle=cycle, target=C.PROPOSAL, actor=admin)

    with pytest.raises(Refused, match="meneruskan usulan"):
        advance_cycle(cycle=cycle, target=C.SCREENING, actor=admin)
    move(proposal, "forwarded")
    advance_cycle(cycle=cycle, target=C.SCREENING, actor=admin)

    with pytest.raises(Refused, match="memenuhi syarat"):
        advance_cycle(cycle=cycle, target=C.ASSESSMENT, actor=admin)
    move(proposal, "eligible")
    advance_cycle(cycle=cycle, target=C.ASSESSMENT, actor=admin)

    with pytest.raises(Refused, match="penilaian"):
        advance_cycle(cycle=cycle, target=C.DECISION, actor=admin)
    assert status(cycle) == C.ASSESSMENT


def test_closing_needs_every_decision_published(cycle_with_proposal, personas):
    cycle, proposal = cycle_with_proposal
    Cycle.objects.filter(pk=cycle.pk).update(status=C.DECISION)
    cycle.refresh_from_db()
    admin = personas["admin"]
    with pytest.raises(Refused, match="Belum ada penetapan"):
        advance_cycle(cycle=cycle, target=C.CLOSED, actor=admin)
    decision = Decision.objects.create(proposal=proposal, stars=4, decided_by=admin)
    with pytest.raises(Refused, match="masih tertunda"):
        advance_cycle(cycle=cycle, target=C.CLOSED, actor=admin)
    Decision.objects.filter(pk=decision.pk).update(status=DecisionStatus.PUBLISHED)
    advance_cycle(cycle=cycle, target=C.CLOSED, actor=admin, reason="Siklus selesai")
    assert status(cycle) == C.CLOSED
    assert next_step(Cycle.objects.get(pk=cycle.pk)) is None
    assert cycle.history.first().history_change_reason == "Siklus selesai"


@pytest.mark.parametrize("target", [C.SCREENING, C.CLOSED, C.SETUP, "archived"])
def test_skipping_going_back_or_unknown_is_refused(cycle_with_proposal, personas, target):
    cycle, _proposal = cycle_with_proposal
    with pytest.raises(Refused) as refused:
        advance_cycle(cycle=cycle, target=target, actor=personas["admin"])
    assert refused.value.status in (400, 409)
    assert status(cycle) == C.SETUP


@pytest.mark.parametrize("persona", ["verifier", "operator", "assessor", "viewer"])
def test_only_the_ministry_admin_moves_a_cycle(cycle_with_proposal, personas, persona):
    cycle, _proposal = cycle_with_proposal
    with pytest.raises(Refused) as refused:
        advance_cycle(cycle=cycle, target=C.PROPOSAL, actor=personas[persona])
    assert refused.value.status == 403
    assert status(cycle) == C.SETUP


def test_a_cycle_without_required_documents_does_not_open(cycle_with_proposal, personas):
    cycle, _proposal = cycle_with_proposal
    cycle.checklist.update(required=False)
    with pytest.raises(Refused, match="dokumen wajib"):
        advance_cycle(cycle=cycle, target=C.PROPOSAL, actor=personas["admin"])


def test_the_cycle_form_no_longer_offers_the_status():
    assert "status" not in CycleForm().fields


def test_the_screen_confirms_then_moves_and_records(client, cycle_with_proposal, personas):
    cycle, _proposal = cycle_with_proposal
    client.force_login(personas["admin"])
    hub = client.get(reverse("evaluation:cycle", args=[cycle.pk])).content.decode()
    url = reverse("proposals:cycle_advance", args=[cycle.pk, "proposal"])
    assert url in hub
    page = client.get(url).content.decode()
    assert "Buka usulan" in page
    assert "tidak kembali" in page
    assert status(cycle) == C.SETUP
    response = client.post(url, {"reason": ""})
    assert response.status_code == 302
    assert status(cycle) == C.PROPOSAL
    assert cycle.history.first().history_user == personas["admin"]


def test_the_screen_explains_a_blocked_step_and_changes_nothing(
    client, cycle_with_proposal, personas
):
    cycle, _proposal = cycle_with_proposal
    Cycle.objects.filter(pk=cycle.pk).update(status=C.PROPOSAL)
    client.force_login(personas["admin"])
    url = reverse("proposals:cycle_advance", args=[cycle.pk, "screening"])
    assert "meneruskan usulan" in client.get(url).content.decode()
    response = client.post(url, {"reason": ""}, follow=True)
    assert "meneruskan usulan" in response.content.decode()
    assert status(cycle) == C.PROPOSAL


def test_api_status_is_read_only_and_moves_through_advance(
    api_client, cycle_with_proposal, personas
):
    cycle, _proposal = cycle_with_proposal
    api_client.force_authenticate(personas["admin"])
    patched = api_client.patch(f"/api/v1/cycles/{cycle.pk}/", {"status": "closed"}, format="json")
    assert patched.status_code == 200
    assert status(cycle) == C.SETUP
    moved = api_client.post(
        f"/api/v1/cycles/{cycle.pk}/advance/", {"status": "proposal"}, format="json"
    )
    assert moved.status_code == 200, moved.content
    assert moved.json()["status"] == "proposal"
    refused = api_client.post(
        f"/api/v1/cycles/{cycle.pk}/advance/", {"status": "screening"}, format="json"
    )
    assert refused.status_code == 409
    assert status(cycle) == C.PROPOSAL


def test_api_advance_is_403_for_a_verifier(api_client, cycle_with_proposal, personas):
    cycle, _proposal = cycle_with_proposal
    api_client.force_authenticate(personas["verifier"])
    response = api_client.post(
        f"/api/v1/cycles/{cycle.pk}/advance/", {"status": "proposal"}, format="json"
    )
    assert response.status_code == 403
    assert status(cycle) == C.SETUP
