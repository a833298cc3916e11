"""Every cell of the transition table: each action × each state × each role."""

import datetime

import pytest
from django.utils import timezone

from ovop.common.refusals import Refused
from ovop.proposals.enums import Action, ProposalState
from ovop.proposals.models import Proposal
from ovop.proposals.services.proposals import MOVES, offered, transition
from tests.factories import CentreFactory, make_proposal, make_round

# Who may make each move on a proposal of Kabupaten Banjar (63.03, province 63).
ALLOWED_ACTOR = {
    Action.SUBMIT: "operator",
    Action.WITHDRAW: "operator",
    Action.RETURN: "verifier",
    Action.VERIFY: "verifier",
    Action.FORWARD: "verifier",
    Action.SCREEN_ELIGIBLE: "admin",
    Action.SCREEN_INELIGIBLE: "admin",
    Action.PUBLISH_RATED: "admin",
    Action.PUBLISH_NOT_RATED: "admin",
    Action.REVISE_RATED: "admin",
    Action.REVISE_NOT_RATED: "admin",
}
ACTORS = [
    "admin",
    "operator",
    "operator_neighbour",
    "verifier",
    "verifier_other",
    "assessor",
    "viewer",
]


def test_the_table_names_every_action():
    assert set(MOVES) == set(Action.values) == set(ALLOWED_ACTOR)


@pytest.fixture(scope="module")
def table_round(module_db):
    """One round (with its cycle, rubric and checklist) for every cell of the table."""
    return make_round()


@pytest.mark.parametrize("actor_name", ACTORS)
@pytest.mark.parametrize("state", ProposalState.values)
@pytest.mark.parametrize("action", Action.values)
def test_transition_cell(module_personas, table_round, db, action, state, actor_name):
    personas = module_personas
    proposal = make_proposal(round_=table_round, state=state, checked=True)
    move = MOVES[action]
    allowed_actor = actor_name == ALLOWED_ACTOR[action]
    # A move that belongs to a service (forwarding, decisions) is made here as that service.
    if allowed_actor and state in move.sources:
        moved = transition(
            proposal=proposal,
            action=action,
            actor=personas[actor_name],
            reason="Alasan yang jelas",
            by=move.owner,
        )
        assert moved.state == move.target
        entry = moved.timeline.get()
        assert (entry.from_state, entry.to_state, entry.actor) == (
            state,
            move.target,
            personas[actor_name],
        )
        return
    with pytest.raises(Refused) as refused:
        transition(
            proposal=proposal,
            action=action,
            actor=personas[actor_name],
            reason="Alasan yang jelas",
            by=move.owner,
        )
    assert refused.value.status == (409 if allowed_actor else 403)
    assert refused.value.message
    proposal.refresh_from_db()
    assert proposal.state == state
    assert not proposal.timeline.exists()


OWNED = sorted(action for action, move in MOVES.items() if not offered(move))


def test_forwarding_and_decisions_are_the_only_owned_moves():
    assert (
        sorted(
            [
                Action.FORWARD,
                Action.PUBLISH_RATED,
                Action.PUBLISH_NOT_RATED,
                Action.REVISE_RATED,
                Action.REVISE_NOT_RATED,
            ]
        )
        == OWNED
    )


@pytest.mark.parametrize("action", OWNED)
def test_an_owned_move_is_refused_to_everyone_but_its_service(
    module_personas, table_round, db, action
):
    """The side doors of issue 15: "publish rated" on one proposal left its decision pending
    and stuck the cycle; "forward" on one proposal sent it without a cover letter."""
    move = MOVES[action]
    source = sorted(move.sources)[0]
    proposal = make_proposal(round_=table_round, state=source, checked=True)
    actor = module_personas[ALLOWED_ACTOR[action]]
    for by in ("", "someone-else"):
        with pytest.raises(Refused) as refused:
            transition(proposal=proposal, action=action, actor=actor, reason="Alasan", by=by)
        assert refused.value.status == 409
        assert ("surat pengantar" if action == Action.FORWARD else "penetapan") in (
            refused.value.message
        )
    proposal.refresh_from_db()
    assert proposal.state == source
    assert not proposal.timeline.exists()


def test_submit_after_the_deadline_is_refused_with_the_date(operator, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    late = make_round(deadline=timezone.now() - datetime.timedelta(hours=1))
    proposal = make_proposal(round_=late)
    with pytest.raises(Refused) as refused:
        transition(proposal=proposal, action=Action.SUBMIT, actor=operator)
    assert "batas waktu" in refused.value.message.lower() or "deadline" in refused.value.message
    assert refused.value.status == 409


def test_submit_with_a_missing_checklist_document_names_it(operator, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    proposal = make_proposal()
    proposal.documents.filter(item__code="decree").delete()
    with pytest.raises(Refused) as refused:
        transition(proposal=proposal, action=Action.SUBMIT, actor=operator)
    assert "SK penetapan sentra" in refused.value.message
    proposal.refresh_from_db()
    assert proposal.state == "draft"


def test_food_only_documents_are_not_asked_of_a_craft_centre(operator, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    proposal = make_proposal()  # the factory centre is batik, not food
    proposal.documents.filter(item__code__in=["halal", "permit"]).delete()
    assert transition(proposal=proposal, action=Action.SUBMIT, actor=operator).state == (
        "submitted"
    )


def test_return_needs_a_reason(verifier, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    proposal = make_proposal(state="submitted")
    with pytest.raises(Refused) as refused:
        transition(proposal=proposal, action=Action.RETURN, actor=verifier, reason="  ")
    assert refused.value.status == 400


def test_verify_needs_every_document_checked_ok(verifier, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    proposal = make_proposal(state="submitted", checked=False)
    with pytest.raises(Refused) as refused:
        transition(proposal=proposal, action=Action.VERIFY, actor=verifier)
    assert refused.value.status == 409


def test_two_people_at_once_exactly_one_move_happens(verifier, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    proposal = make_proposal(state="submitted", checked=True)
    first_view = Proposal.objects.get(pk=proposal.pk)
    second_view = Proposal.objects.get(pk=proposal.pk)
    transition(proposal=first_view, action=Action.VERIFY, actor=verifier)
    with pytest.raises(Refused) as refused:
        transition(proposal=second_view, action=Action.RETURN, actor=verifier, reason="Kurang")
    assert refused.value.status == 409
    assert Proposal.objects.get(pk=proposal.pk).state == "verified"
    assert proposal.timeline.count() == 1


def test_maximum_per_regency(operator, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    round_ = make_round(max_per_regency=1)
    make_proposal(round_=round_, state="submitted")
    second = make_proposal(round_=round_, centre=CentreFactory())
    with pytest.raises(Refused):
        transition(proposal=second, action=Action.SUBMIT, actor=operator)
