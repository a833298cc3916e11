"""Direct tests of ``ovop.evaluation.services.decisions``: deciding, publishing, revising.

The screens around them are in test_decisions.py; these call the services and check the
database after each refusal as well as after each success.
"""

from decimal import Decimal

import pytest

from ovop.common.refusals import Refused
from ovop.evaluation.enums import DecisionStatus
from ovop.evaluation.models import Decision, Publication
from ovop.evaluation.services.decisions import (
    DECIDABLE_STATES,
    DECISION_MOVES,
    DECISION_STEPS,
    GapsOpen,
    fill_pending,
    publish_cycle,
    set_decision,
)
from ovop.proposals.enums import Action, ProposalState
from ovop.proposals.models import Proposal, Transition
from tests.evaluation.helpers import assign_directly, levels, make_assessor
from tests.evaluation.ranking_builders import scored_proposal
from tests.factories import make_cycle, make_proposal, make_round

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

NOT_ADMIN = ["operator", "verifier", "assessor", "viewer"]


@pytest.fixture
def round_():
    return make_round()


@pytest.fixture
def admin(personas):
    return personas["admin"]


def scored(round_, *chosen, name=None):
    """An eligible proposal of ``round_`` with one submitted assessment per levels given."""
    return scored_proposal(None, *(chosen or (levels(4),)), name=name, round_=round_)


def fresh(proposal) -> Proposal:
    return Proposal.objects.get(pk=proposal.pk)


def database_of(*proposals) -> list:
    """What a refusal must leave as it was: proposals (state, version), decisions, log."""
    ids = [p.pk for p in proposals]
    return [
        list(Proposal.objects.filter(pk__in=ids).order_by("pk").values_list("state", "version")),
        list(
            Decision.objects.filter(proposal_id__in=ids)
            .order_by("proposal_id")
            .values_list("proposal_id", "stars", "status", "reason", "published_at")
        ),
        Transition.objects.filter(proposal_id__in=ids).count(),
        Publication.objects.count(),
        Decision.history.filter(proposal_id__in=ids).count(),
    ]


def refused(call, **kwargs) -> Refused:
    with pytest.raises(Refused) as caught:
        call(**kwargs)
    return caught.value


# --- the tables ----------------------------------------------------------------------------------


def test_decision_steps_table_names_each_step_its_sources_and_target():
    assert {
        "decide": (frozenset({None, DecisionStatus.PENDING}), DecisionStatus.PENDING),
        "publish": (frozenset({DecisionStatus.PENDING}), DecisionStatus.PUBLISHED),
        "revise": (frozenset({DecisionStatus.PUBLISHED}), DecisionStatus.PUBLISHED),
    } == DECISION_STEPS


def test_decision_steps_never_bring_a_published_decision_back_to_pending():
    for name, (sources, target) in DECISION_STEPS.items():
        if DecisionStatus.PUBLISHED in sources:
            assert target == DecisionStatus.PUBLISHED, name
    assert all(
        DecisionStatus.PUBLISHED not in sources
        for name, (sources, _target) in DECISION_STEPS.items()
        if name != "revise"
    )


def test_decision_moves_follow_the_decision_and_its_rating():
    assert DECISION_MOVES == {
        Action.PUBLISH_RATED: (DecisionStatus.PENDING, True),
        Action.PUBLISH_NOT_RATED: (DecisionStatus.PENDING, False),
        Action.REVISE_RATED: (DecisionStatus.PUBLISHED, True),
        Action.REVISE_NOT_RATED: (DecisionStatus.PUBLISHED, False),
    }
    assert {
        ProposalState.ELIGIBLE,
        ProposalState.RATED,
        ProposalState.NOT_RATED,
    } == DECIDABLE_STATES


# --- set_decision: pending -----------------------------------------------------------------------


def test_set_decision_with_the_computed_stars_needs_no_reason(round_, admin):
    proposal = scored(round_, levels(4))
    version = fresh(proposal).version

    decision = set_decision(proposal=proposal, actor=admin, stars=4)

    stored = Decision.objects.get(proposal=proposal)
    assert stored == decision
    assert (stored.status, stored.stars, stored.computed_stars) == ("pending", 4, 4)
    assert stored.score == Decimal("80.00")
    assert (stored.reason, stored.decided_by, stored.published_at) == ("", admin, None)
    assert fresh(proposal).version == version + 1
    assert fresh(proposal).state == "eligible"
    assert not Transition.objects.filter(proposal=proposal, action__startswith="publish").exists()


def test_set_decision_changes_freely_while_pending(round_, admin):
    proposal = scored(round_, levels(4))
    first = set_decision(proposal=proposal, actor=admin, stars=4)
    second = set_decision(proposal=proposal, actor=admin, stars=5, reason="  Inovasi kemasan  ")
    third = set_decision(proposal=proposal, actor=admin, stars=None, reason="Sampel rusak")

    assert first.pk == second.pk == third.pk
    stored = Decision.objects.get(proposal=proposal)
    assert (stored.status, stored.stars, stored.computed_stars) == ("pending", None, 4)
    assert stored.reason == "Sampel rusak"
    assert Decision.objects.get(pk=second.pk).departs_from_computed
    assert fresh(proposal).state == "eligible"


def test_set_decision_records_history_with_each_reason(round_, admin):
    proposal = scored(round_, levels(4))
    set_decision(proposal=proposal, actor=admin, stars=4)
    set_decision(proposal=proposal, actor=admin, stars=5, reason="Inovasi kemasan")

    entries = list(Decision.history.filter(proposal_id=proposal.pk).order_by("history_id"))

    assert [(e.history_type, e.stars, e.history_change_reason) for e in entries] == [
        ("+", 4, ""),
        ("~", 5, "Inovasi kemasan"),
    ]
    assert all(entry.decided_by_id == admin.pk for entry in entries)


def test_set_decision_records_the_actor_in_the_history_outside_a_request(round_, admin):
    proposal = scored(round_, levels(4))
    set_decision(proposal=proposal, actor=admin, stars=4)
    set_decision(proposal=proposal, actor=admin, stars=5, reason="Inovasi kemasan")
    publish_cycle(cycle=round_.cycle, actor=admin)

    entries = Decision.history.filter(proposal_id=proposal.pk)
    assert entries.count() == 3
    assert set(entries.values_list("history_user_id", flat=True)) == {admin.pk}


def test_set_decision_after_a_refusal_succeeds_with_the_same_object(round_, admin):
    proposal = scored(round_, levels(4))
    refusal = refused(set_decision, proposal=proposal, actor=admin, stars=5)
    assert refusal.field == "reason"

    decision = set_decision(proposal=proposal, actor=admin, stars=5, reason="Inovasi kemasan")

    assert decision.stars == 5
    assert proposal.version == fresh(proposal).version


@pytest.mark.parametrize("name", NOT_ADMIN)
def test_set_decision_refused_to_anyone_but_the_admin(round_, personas, name):
    proposal = scored(round_, levels(4))
    before = database_of(proposal)

    refusal = refused(set_decision, proposal=proposal, actor=personas[name], stars=4)

    assert refusal.status == 403
    assert database_of(proposal) == before
    assert not Decision.objects.exists()


@pytest.mark.parametrize("state", ["draft", "submitted", "forwarded", "ineligible", "withdrawn"])
def test_set_decision_refuses_a_proposal_not_screened_eligible(round_, admin, state):
    proposal = make_proposal(round_=round_, state=state, documents=False)
    before = database_of(proposal)

    refusal = refused(set_decision, proposal=proposal, actor=admin, stars=None, reason="Uji")

    assert refusal.status == 409
    assert "Only proposals screened eligible" in refusal.message
    assert database_of(proposal) == before


@pytest.mark.parametrize("stars", [0, 6, -1, True, False])
def test_set_decision_refuses_stars_off_the_scale(round_, admin, stars):
    proposal = scored(round_, levels(4))
    before = database_of(proposal)

    refusal = refused(set_decision, proposal=proposal, actor=admin, stars=stars, reason="Uji")

    assert (refusal.status, refusal.field) == (400, "stars")
    assert "from 1 to 5" in refusal.message
    assert database_of(proposal) == before


def test_set_decision_on_a_three_star_cycle_refuses_four_stars(admin):
    round_ = make_round(cycle=make_cycle(year=2027, name="OVOP 2027", star_scale=3))
    proposal = scored(round_, levels(4))

    refusal = refused(set_decision, proposal=proposal, actor=admin, stars=4, reason="Uji")

    assert "from 1 to 3" in refusal.message
    assert set_decision(proposal=fresh(proposal), actor=admin, stars=3).stars == 3


def test_set_decision_refuses_a_deviation_without_a_reason(round_, admin):
    proposal = scored(round_, levels(4))
    before = database_of(proposal)

    for stars in (5, None):
        refusal = refused(
            set_decision, proposal=fresh(proposal), actor=admin, stars=stars, reason="   "
        )
        assert (refusal.status, refusal.field) == (400, "reason")
        assert "computed result is" in refusal.message
    assert database_of(proposal) == before


def test_set_decision_without_a_submitted_assessment_decides_only_not_rated(round_, admin):
    proposal = make_proposal(round_=round_, state="eligible", documents=False)
    assign_directly(proposal, make_assessor())  # assigned, not scored
    before = database_of(proposal)

    refusal = refused(set_decision, proposal=proposal, actor=admin, stars=3, reason="Uji")

    assert "No submitted assessment yet" in refusal.message
    assert database_of(proposal) == before
    decision = set_decision(proposal=fresh(proposal), actor=admin, stars=None, reason="Belum")
    assert (decision.stars, decision.computed_stars, decision.score) == (None, None, None)


def test_set_decision_on_a_stale_proposal_is_refused(round_, admin):
    proposal = scored(round_, levels(4))
    stale = fresh(proposal)
    set_decision(proposal=proposal, actor=admin, stars=4)
    before = database_of(proposal)

    refusal = refused(set_decision, proposal=stale, actor=admin, stars=5, reason="Lebih baik")

    assert "Someone else changed this proposal" in refusal.message
    assert database_of(proposal) == before


# --- fill_pending --------------------------------------------------------------------------------


def test_fill_pending_decides_every_scored_undecided_proposal_by_its_computed_stars(round_, admin):
    four = scored(round_, levels(4), name="Sentra Empat")
    decided = scored(round_, levels(5), name="Sentra Lima")
    set_decision(proposal=decided, actor=admin, stars=None, reason="Ditunda")
    unscored = make_proposal(round_=round_, state="eligible", documents=False)

    assert fill_pending(cycle=round_.cycle, actor=admin) == 1

    filled = Decision.objects.get(proposal=four)
    assert (filled.status, filled.stars, filled.computed_stars) == ("pending", 4, 4)
    assert filled.score == Decimal("80.00")
    assert Decision.objects.get(proposal=decided).stars is None
    assert not Decision.objects.filter(proposal=unscored).exists()
    assert fill_pending(cycle=round_.cycle, actor=admin) == 0


def test_fill_pending_records_who_filled_each_decision_and_why(round_, admin):
    proposal = scored(round_, levels(4))
    fill_pending(cycle=round_.cycle, actor=admin)

    entry = Decision.history.get(proposal_id=proposal.pk)
    assert (entry.history_type, entry.history_user_id) == ("+", admin.pk)
    assert entry.history_change_reason == "Filled with the computed stars"


def test_fill_pending_refused_to_others(round_, personas):
    scored(round_, levels(4))
    refusal = refused(fill_pending, cycle=round_.cycle, actor=personas["viewer"])
    assert refusal.status == 403
    assert not Decision.objects.exists()


# --- publish_cycle -------------------------------------------------------------------------------


def test_publish_cycle_without_gaps_publishes_every_pending_decision(round_, admin):
    rated = scored(round_, levels(4), name="Sentra Empat")
    not_rated = scored(round_, levels(2), name="Sentra Dua")
    set_decision(proposal=rated, actor=admin, stars=4)
    set_decision(proposal=not_rated, actor=admin, stars=None, reason="Tidak memenuhi")

    count = publish_cycle(cycle=round_.cycle, actor=admin, override_reason="Tidak perlu")

    assert count == 2
    decisions = Decision.objects.filter(proposal__in=[rated, not_rated])
    assert {d.status for d in decisions} == {"published"}
    assert len({d.published_at for d in decisions}) == 1
    assert (fresh(rated).state, fresh(not_rated).state) == ("rated", "not_rated")
    moves = Transition.objects.filter(proposal__in=[rated, not_rated]).order_by("proposal_id")
    assert [(m.action, m.actor_id, m.reason) for m in moves] == [
        ("publish_rated", admin.pk, ""),
        ("publish_not_rated", admin.pk, "Tidak memenuhi"),
    ]
    publication = Publication.objects.get()
    assert (publication.cycle, publication.published_by, publication.decisions) == (
        round_.cycle,
        admin,
        2,
    )
    assert publication.published_at == decisions[0].published_at
    assert (publication.override_reason, publication.gaps) == ("", [])  # nothing overridden


def test_publish_cycle_records_the_publication_in_the_history(round_, admin):
    proposal = scored(round_, levels(4))
    set_decision(proposal=proposal, actor=admin, stars=4)

    publish_cycle(cycle=round_.cycle, actor=admin)

    last = Decision.history.filter(proposal_id=proposal.pk).latest("history_id")
    assert (last.status, last.history_change_reason) == ("published", "Published")


def test_publish_cycle_with_gaps_is_refused_naming_them_and_changes_nothing(round_, admin):
    proposal = scored(round_, levels(4), name="Sentra Empat")
    slow = make_assessor("penilai-lambat")
    assign_directly(proposal, slow)  # not started
    set_decision(proposal=proposal, actor=admin, stars=4)
    before = database_of(proposal)

    with pytest.raises(GapsOpen) as caught:
        publish_cycle(cycle=round_.cycle, actor=admin, override_reason="   ")

    gaps = caught.value.gaps
    assert [(gap.kind, gap.proposal_id, gap.centre) for gap in gaps] == [
        ("assessment", proposal.pk, "Sentra Empat")
    ]
    assert "1 of 2 assessments submitted" in gaps[0].text
    assert f"not started by {slow.get_full_name()}" in gaps[0].text
    assert caught.value.payload() == {
        "gaps": [
            {
                "kind": "assessment",
                "proposal": proposal.pk,
                "centre": "Sentra Empat",
                "text": gaps[0].text,
            }
        ]
    }
    assert "1 thing(s) are unfinished" in caught.value.message
    assert database_of(proposal) == before
    assert Decision.objects.get(proposal=proposal).status == "pending"


def test_publish_cycle_names_a_deviation_without_reason_as_a_gap(round_, admin):
    proposal = scored(round_, levels(4), name="Sentra Empat")
    Decision.objects.create(proposal=proposal, stars=5, computed_stars=4, decided_by=admin)

    with pytest.raises(GapsOpen) as caught:
        publish_cycle(cycle=round_.cycle, actor=admin)

    assert [gap.kind for gap in caught.value.gaps] == ["deviation"]
    assert fresh(proposal).state == "eligible"


def test_publish_cycle_with_gaps_and_a_reason_publishes_and_records_both(round_, admin):
    proposal = scored(round_, levels(4), name="Sentra Empat")
    assign_directly(proposal, make_assessor("penilai-lambat"))
    set_decision(proposal=proposal, actor=admin, stars=4)

    count = publish_cycle(
        cycle=round_.cycle, actor=admin, override_reason="  Tenggat menteri hari ini  "
    )

    assert count == 1
    assert fresh(proposal).state == "rated"
    publication = Publication.objects.get()
    assert publication.override_reason == "Tenggat menteri hari ini"
    assert [(g["kind"], g["proposal"], g["centre"]) for g in publication.gaps] == [
        ("assessment", proposal.pk, "Sentra Empat")
    ]
    assert "1 of 2 assessments submitted" in publication.gaps[0]["text"]


@pytest.mark.parametrize("name", NOT_ADMIN)
def test_publish_cycle_refused_to_anyone_but_the_admin(round_, admin, personas, name):
    proposal = scored(round_, levels(4))
    set_decision(proposal=proposal, actor=admin, stars=4)
    before = database_of(proposal)

    refusal = refused(publish_cycle, cycle=round_.cycle, actor=personas[name])

    assert refusal.status == 403
    assert database_of(proposal) == before


def test_publish_cycle_with_nothing_pending_is_refused(round_, admin):
    proposal = scored(round_, levels(4))
    refusal = refused(publish_cycle, cycle=round_.cycle, actor=admin)
    assert "no pending decisions" in refusal.message
    assert not Publication.objects.exists()
    set_decision(proposal=proposal, actor=admin, stars=4)
    publish_cycle(cycle=round_.cycle, actor=admin)
    again = refused(publish_cycle, cycle=round_.cycle, actor=admin)  # all published now
    assert "no pending decisions" in again.message
    assert Publication.objects.count() == 1


def test_publish_cycle_refuses_pending_decisions_of_proposals_no_longer_eligible(round_, admin):
    proposal = scored(round_, levels(4))
    set_decision(proposal=proposal, actor=admin, stars=4)
    Proposal.objects.filter(pk=proposal.pk).update(state="not_rated")
    before = database_of(proposal)

    refusal = refused(publish_cycle, cycle=round_.cycle, actor=admin)

    assert "no longer eligible" in refusal.message
    assert database_of(proposal) == before


def test_publish_cycle_leaves_other_cycles_alone(round_, admin):
    mine = scored(round_, levels(4))
    set_decision(proposal=mine, actor=admin, stars=4)
    other_round = make_round(cycle=make_cycle(year=2027, name="OVOP 2027"))
    theirs = scored(other_round, levels(4))
    set_decision(proposal=theirs, actor=admin, stars=4)

    assert publish_cycle(cycle=round_.cycle, actor=admin) == 1

    assert Decision.objects.get(proposal=theirs).status == "pending"
    assert fresh(theirs).state == "eligible"
    assert Publication.objects.get().cycle == round_.cycle


# --- revisions after publication -----------------------------------------------------------------


@pytest.fixture
def published(round_, admin):
    proposal = scored(round_, levels(4))
    set_decision(proposal=proposal, actor=admin, stars=4)
    publish_cycle(cycle=round_.cycle, actor=admin)
    return fresh(proposal)


def test_revision_without_a_reason_is_refused_and_changes_nothing(published, admin):
    before = database_of(published)

    for stars in (4, 5, None):
        refusal = refused(set_decision, proposal=fresh(published), actor=admin, stars=stars)
        assert (refusal.status, refusal.field) == (400, "reason")
        assert "is published; give a reason" in refusal.message

    assert database_of(published) == before
    assert fresh(published).state == "rated"


def test_revision_to_other_stars_stays_rated_without_a_workflow_move(published, admin):
    moves = Transition.objects.filter(proposal=published).count()

    decision = set_decision(proposal=published, actor=admin, stars=5, reason="Banding diterima")

    assert (decision.status, decision.stars, decision.reason) == (
        "published",
        5,
        "Banding diterima",
    )
    assert fresh(published).state == "rated"
    assert Transition.objects.filter(proposal=published).count() == moves


def test_revision_to_not_rated_and_back_moves_the_proposal_with_the_reason(published, admin):
    set_decision(proposal=published, actor=admin, stars=None, reason="Izin edar dicabut")

    assert fresh(published).state == "not_rated"
    moved = Transition.objects.filter(proposal=published).latest("pk")
    assert (moved.action, moved.from_state, moved.to_state) == (
        "revise_not_rated",
        "rated",
        "not_rated",
    )
    assert (moved.actor_id, moved.reason) == (admin.pk, "Izin edar dicabut")

    set_decision(proposal=fresh(published), actor=admin, stars=3, reason="Izin terbit lagi")

    assert fresh(published).state == "rated"
    back = Transition.objects.filter(proposal=published).latest("pk")
    assert (back.action, back.to_state, back.reason) == (
        "revise_rated",
        "rated",
        "Izin terbit lagi",
    )
    assert Decision.objects.get(proposal=published).status == "published"


def test_revision_history_keeps_every_step_with_its_reason(published, admin):
    set_decision(proposal=published, actor=admin, stars=None, reason="Izin edar dicabut")

    entries = list(Decision.history.filter(proposal_id=published.pk).order_by("history_id"))

    assert [(e.status, e.stars, e.history_change_reason) for e in entries] == [
        ("pending", 4, ""),
        ("published", 4, "Published"),
        ("published", None, "Izin edar dicabut"),
    ]
    assert entries[-1].decided_by_id == admin.pk
