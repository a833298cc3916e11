"""Direct tests of ``ovop.evaluation.selectors.setup``: progress per cycle, proposals and
assessors of the set-up screens, conflicts and assignments."""

import pytest
from django.utils import timezone

from ovop.centres.models import CommodityGroup
from ovop.evaluation.enums import DecisionStatus
from ovop.evaluation.models import Assessment, Assignment, ConflictDeclaration, Decision, Rubric
from ovop.evaluation.selectors.setup import (
    DEFAULT_PER_PROPOSAL,
    SEARCH_LIMIT,
    Progress,
    assessor_choices,
    assessors_with_load,
    assignments_of_assessor,
    assignments_of_proposal,
    bands_locked,
    conflict_candidates,
    cycle_progress,
    cycle_proposals,
    declarations_of,
    latest_cycle,
    with_submitted_flag,
)
from ovop.proposals.models import Cycle
from tests.evaluation.helpers import assign_directly, make_assessor, submit_directly
from tests.factories import (
    CentreFactory,
    EnterpriseFactory,
    UserFactory,
    make_cycle,
    make_proposal,
    make_round,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_():
    return make_round()


@pytest.fixture
def admin(personas):
    return personas["admin"]


def proposal_in(round_, name: str, *, state: str = "eligible", district: str = "63.03.01"):
    centre = CentreFactory(name=name, region_id=district)
    return make_proposal(round_=round_, centre=centre, state=state, documents=False)


def recuse(assignment, reason: str = "Kenal pemilik"):
    assignment.recused_at = timezone.now()
    assignment.recusal_reason = reason
    assignment.save()
    return assignment


def decide(proposal, admin, status):
    return Decision.objects.create(
        proposal=proposal, stars=4, computed_stars=4, status=status, decided_by=admin
    )


# --- cycle_progress ------------------------------------------------------------------------------


def test_cycle_progress_counts_seats_assessments_and_decisions(round_, admin):
    full = proposal_in(round_, "Sentra Penuh")
    short = proposal_in(round_, "Sentra Kurang")
    proposal_in(round_, "Sentra Draf", state="draft")  # not eligible: not counted
    people = [make_assessor(f"penilai-{n}") for n in range(5)]
    submitted, drafted, _waiting = (assign_directly(full, person) for person in people[:3])
    submit_directly(submitted)
    Assessment.objects.create(assignment=drafted, levels={"K1.1": 2})
    stepped_back = recuse(assign_directly(full, people[3]))
    Assessment.objects.create(assignment=stepped_back, levels={"K1.1": 2})  # not counted
    assign_directly(short, people[4])
    decide(full, admin, DecisionStatus.PENDING)
    decide(short, admin, DecisionStatus.PUBLISHED)

    progress = cycle_progress([round_.cycle])[round_.cycle.pk]

    assert progress == Progress(
        per_proposal=3,
        eligible=2,
        seats_needed=6,
        seats_filled=4,
        short=1,
        submitted=1,
        drafts=1,
        pending=1,
        published=1,
    )


def test_cycle_progress_caps_filled_seats_at_the_rubrics_number(round_):
    Rubric.objects.filter(cycle=round_.cycle).update(assessors_per_proposal=1)
    proposal = proposal_in(round_, "Sentra A", state="rated")
    for number in range(3):
        assign_directly(proposal, make_assessor(f"penilai-{number}"))

    progress = cycle_progress([round_.cycle])[round_.cycle.pk]

    assert (progress.per_proposal, progress.eligible) == (1, 1)
    assert (progress.seats_needed, progress.seats_filled, progress.short) == (1, 1, 0)


def test_cycle_progress_keeps_each_cycle_apart(round_):
    proposal_in(round_, "Sentra A")
    other = make_round(cycle=make_cycle(year=2027, name="OVOP 2027"))
    proposal_in(other, "Sentra B")
    proposal_in(other, "Sentra C")

    found = cycle_progress([round_.cycle, other.cycle])

    assert set(found) == {round_.cycle.pk, other.cycle.pk}
    assert found[round_.cycle.pk].eligible == 1
    assert found[other.cycle.pk].eligible == 2
    assert found[other.cycle.pk].short == 2


def test_cycle_progress_of_a_cycle_without_rubric_or_proposals_is_empty():
    bare = Cycle.objects.create(year=2039, name="OVOP 2039")
    Rubric.objects.filter(cycle=bare).delete()
    assert cycle_progress([bare]) == {bare.pk: Progress(per_proposal=DEFAULT_PER_PROPOSAL)}
    assert cycle_progress([]) == {}


def test_cycle_progress_reads_four_queries_for_any_number_of_cycles(
    round_, django_assert_num_queries
):
    cycles = [round_.cycle] + [make_cycle(year=2027 + n, name=f"OVOP {2027 + n}") for n in range(3)]
    with django_assert_num_queries(4):
        cycle_progress(cycles)


# --- bands_locked --------------------------------------------------------------------------------


def test_bands_locked_only_once_a_decision_of_the_cycle_is_published(round_, admin):
    proposal = proposal_in(round_, "Sentra A")
    assert not bands_locked(round_.cycle)
    decision = decide(proposal, admin, DecisionStatus.PENDING)
    assert not bands_locked(round_.cycle)
    decision.status = DecisionStatus.PUBLISHED
    decision.save()
    assert bands_locked(round_.cycle)


def test_bands_locked_ignores_another_cycles_publication(round_, admin):
    other = make_round(cycle=make_cycle(year=2027, name="OVOP 2027"))
    decide(proposal_in(other, "Sentra B"), admin, DecisionStatus.PUBLISHED)
    assert bands_locked(other.cycle)
    assert not bands_locked(round_.cycle)


# --- cycle_proposals -----------------------------------------------------------------------------


def test_cycle_proposals_are_the_ranked_states_with_their_counts(round_):
    scored = proposal_in(round_, "Sentra Anyaman")
    rated = proposal_in(round_, "Sentra Batik", state="rated")
    proposal_in(round_, "Sentra Draf", state="draft")
    proposal_in(make_round(cycle=make_cycle(year=2027, name="OVOP 2027")), "Sentra Lain")
    people = [make_assessor(f"penilai-{n}") for n in range(3)]
    submit_directly(assign_directly(scored, people[2]))
    assign_directly(scored, people[0])
    recuse(assign_directly(scored, people[1]))

    found = {p.pk: p for p in cycle_proposals(cycle=round_.cycle)}

    assert set(found) == {scored.pk, rated.pk}
    assert (found[scored.pk].active, found[scored.pk].submitted, found[scored.pk].recused) == (
        2,
        1,
        1,
    )
    assert (found[rated.pk].active, found[rated.pk].submitted, found[rated.pk].recused) == (0, 0, 0)
    assert [a.assessor.username for a in found[scored.pk].assignments.all()] == [
        "penilai-0",
        "penilai-1",
        "penilai-2",
    ]


def test_cycle_proposals_search_every_word_in_centre_regency_province_or_commodity(round_):
    banjar = proposal_in(round_, "Sentra Sasirangan")
    tapin = proposal_in(round_, "Sentra Purun", district="63.05.01")
    cycle = round_.cycle
    assert list(cycle_proposals(cycle=cycle, text="sasirangan")) == [banjar]
    assert list(cycle_proposals(cycle=cycle, text="Tapin")) == [tapin]
    assert set(cycle_proposals(cycle=cycle, text="Kalimantan Selatan")) == {banjar, tapin}
    assert set(cycle_proposals(cycle=cycle, text=banjar.centre.commodity.name)) == {banjar, tapin}
    assert list(cycle_proposals(cycle=cycle, text="purun tapin")) == [tapin]
    assert not cycle_proposals(cycle=cycle, text="purun banjar").exists()


def test_cycle_proposals_short_of_keeps_those_with_fewer_active_assessors(round_):
    two = proposal_in(round_, "Sentra Dua")
    one = proposal_in(round_, "Sentra Satu")
    none = proposal_in(round_, "Sentra Nol")
    people = [make_assessor(f"penilai-{n}") for n in range(3)]
    assign_directly(two, people[0])
    assign_directly(two, people[1])
    assign_directly(one, people[0])
    recuse(assign_directly(none, people[2]))  # a recusal fills no seat
    cycle = round_.cycle
    assert set(cycle_proposals(cycle=cycle, short_of=2)) == {one, none}
    assert list(cycle_proposals(cycle=cycle, short_of=1)) == [none]
    assert set(cycle_proposals(cycle=cycle, short_of=3)) == {two, one, none}


def test_cycle_proposals_ordered_by_regency_then_centre_name(round_):
    tapin = proposal_in(round_, "Sentra A Tapin", district="63.05.01")
    banjar_b = proposal_in(round_, "Sentra B")
    banjar_a = proposal_in(round_, "Sentra A")
    assert list(cycle_proposals(cycle=round_.cycle)) == [banjar_a, banjar_b, tapin]


# --- latest_cycle --------------------------------------------------------------------------------


def test_latest_cycle_is_none_without_cycles():
    assert not Cycle.objects.exists()
    assert latest_cycle() is None


def test_latest_cycle_is_the_newest_year_then_the_newest_made():
    make_cycle(year=2028, name="OVOP 2028")
    make_cycle(year=2026, name="OVOP 2026")
    second_2028 = make_cycle(year=2028, name="OVOP 2028 susulan")
    assert latest_cycle() == second_2028


# --- assessors_with_load -------------------------------------------------------------------------


def test_assessors_with_load_counts_active_assignments_of_the_cycle_only(round_):
    busy, idle = make_assessor("penilai-a"), make_assessor("penilai-b")
    assign_directly(proposal_in(round_, "Sentra A"), busy)
    assign_directly(proposal_in(round_, "Sentra B"), busy)
    recuse(assign_directly(proposal_in(round_, "Sentra C"), busy))
    other = make_round(cycle=make_cycle(year=2027, name="OVOP 2027"))
    assign_directly(proposal_in(other, "Sentra D"), busy)
    assign_directly(proposal_in(other, "Sentra E"), idle)

    this_cycle = {u.username: u.load for u in assessors_with_load(cycle=round_.cycle)}
    that_cycle = {u.username: u.load for u in assessors_with_load(cycle=other.cycle)}
    no_cycle = {u.username: u.load for u in assessors_with_load()}

    assert this_cycle == {"penilai-a": 2, "penilai-b": 0}
    assert that_cycle == {"penilai-a": 1, "penilai-b": 1}
    assert no_cycle == {"penilai-a": 0, "penilai-b": 0}


def test_assessors_with_load_counts_declared_conflicts_and_lists_assessors_only(personas):
    linked = make_assessor("penilai-a")
    make_assessor("penilai-b")
    centre = CentreFactory()
    for note in ("Pembina", "Konsultan"):
        ConflictDeclaration.objects.create(
            assessor=linked, centre=centre, note=note, declared_by=linked
        )

    found = list(assessors_with_load())

    # The persona "assessor" is an assessor too; the other personas are not.
    assert [u.username for u in found] == ["penilai-a", "penilai-b", "persona-assessor"]
    assert [u.conflict_count for u in found] == [2, 0, 0]
    assert found[0].assessor_profile.organisation == "Asosiasi Pengrajin"


def test_assessors_with_load_searches_every_word_and_filters_by_expertise(db):
    batik = CommodityGroup.objects.get(code="kain-batik")
    expert = make_assessor("penilai-ahli", expertise=[batik])
    other = make_assessor("penilai-umum")
    other.organisation = "Universitas Lambung Mangkurat"
    other.save()

    assert list(assessors_with_load(text="ahli")) == [expert]
    assert list(assessors_with_load(text="lambung UNIVERSITAS")) == [other]
    assert set(assessors_with_load(text="Penilai")) == {expert, other}
    assert not assessors_with_load(text="ahli lambung").exists()
    assert list(assessors_with_load(expertise=batik.pk)) == [expert]
    assert set(assessors_with_load(expertise=None)) == {expert, other}


# --- conflict_candidates -------------------------------------------------------------------------


def test_conflict_candidates_need_three_letters(db):
    CentreFactory(name="Sentra Ab")
    assert conflict_candidates("Ab") == ([], [])
    assert conflict_candidates("  ab  ") == ([], [])
    assert conflict_candidates("") == ([], [])
    assert conflict_candidates(None) == ([], [])


def test_conflict_candidates_find_centres_and_units_by_name(db):
    centre = CentreFactory(name="Sentra Purun Tapin")
    CentreFactory(name="Sentra Gerabah")
    unit = EnterpriseFactory(centre=centre, name="UD Purun Jaya")
    EnterpriseFactory(centre=centre, name="CV Lain")

    centres, enterprises = conflict_candidates("  PURUN ")

    assert centres == [centre]
    assert enterprises == [unit]


def test_conflict_candidates_answer_at_most_the_limit_of_each_in_name_order(db):
    for number in range(SEARCH_LIMIT + 2):
        CentreFactory(name=f"Sentra Rotan {number:02d}")
    centres, enterprises = conflict_candidates("rotan")
    assert len(centres) == SEARCH_LIMIT
    assert [c.name for c in centres] == [f"Sentra Rotan {n:02d}" for n in range(SEARCH_LIMIT)]
    assert enterprises == []


# --- declarations_of -----------------------------------------------------------------------------


def test_declarations_of_are_the_assessors_own_newest_first(db):
    assessor, other = make_assessor("penilai-a"), make_assessor("penilai-b")
    centre = CentreFactory()
    older = ConflictDeclaration.objects.create(
        assessor=assessor, centre=centre, note="Lama", declared_by=assessor
    )
    newer = ConflictDeclaration.objects.create(
        assessor=assessor,
        enterprise=EnterpriseFactory(centre=centre),
        note="Baru",
        declared_by=assessor,
    )
    ConflictDeclaration.objects.create(
        assessor=other, centre=centre, note="Milik orang lain", declared_by=other
    )
    assert list(declarations_of(assessor)) == [newer, older]
    assert list(declarations_of(other))[0].note == "Milik orang lain"


# --- assignments of a proposal / of an assessor --------------------------------------------------


def test_assignments_of_proposal_are_all_of_its_assignments_with_assessment(
    round_, django_assert_num_queries
):
    proposal = proposal_in(round_, "Sentra A")
    zed, amir, recused = (make_assessor(n) for n in ("penilai-z", "penilai-a", "penilai-r"))
    submit_directly(assign_directly(proposal, zed))
    assign_directly(proposal, amir)
    recuse(assign_directly(proposal, recused))
    assign_directly(proposal_in(round_, "Sentra B"), amir)

    with django_assert_num_queries(1):
        found = assignments_of_proposal(proposal)
        flags = [(a.assessor.username, a.assessment_done) for a in found]

    assert set(flags) == {("penilai-a", False), ("penilai-z", True), ("penilai-r", False)}
    active = [name for name, _done in flags if name != "penilai-r"]
    assert active == ["penilai-a", "penilai-z"]  # active ones by username


def test_assignments_of_assessor_are_their_own_newest_cycle_first(round_):
    assessor, other = make_assessor("penilai-a"), make_assessor("penilai-b")
    first = assign_directly(proposal_in(round_, "Sentra A"), assessor)
    second = assign_directly(proposal_in(round_, "Sentra B"), assessor)
    later = make_round(cycle=make_cycle(year=2027, name="OVOP 2027"))
    newest = assign_directly(proposal_in(later, "Sentra C"), assessor)
    recused = recuse(assign_directly(proposal_in(round_, "Sentra D"), assessor))
    assign_directly(first.proposal, other)

    assert list(assignments_of_assessor(assessor)) == [newest, first, second, recused]
    assert list(assignments_of_assessor(other)) == [
        Assignment.objects.get(assessor=other, proposal=first.proposal)
    ]


def test_with_submitted_flag_marks_only_submitted_assessments(round_):
    assessor = make_assessor()
    done = assign_directly(proposal_in(round_, "Sentra A"), assessor)
    submit_directly(done)
    draft = assign_directly(proposal_in(round_, "Sentra B"), assessor)
    Assessment.objects.create(assignment=draft, levels={"K1.1": 3})
    waiting = assign_directly(proposal_in(round_, "Sentra C"), assessor)

    flags = {a.pk: a.submitted for a in with_submitted_flag(assignments_of_assessor(assessor))}

    assert flags == {done.pk: True, draft.pk: False, waiting.pk: False}


# --- assessor_choices ----------------------------------------------------------------------------


def test_assessor_choices_leave_out_the_taken_the_conflicted_and_the_inactive(round_):
    proposal = proposal_in(round_, "Sentra A")
    free = make_assessor("penilai-bebas")
    homeless = make_assessor("penilai-pusat", home=None)
    assign_directly(proposal, make_assessor("penilai-ditugasi"))
    recuse(assign_directly(proposal, make_assessor("penilai-mundur")))
    make_assessor("penilai-kalsel", home="63")  # the proposal's own province
    linked_centre = make_assessor("penilai-sentra")
    ConflictDeclaration.objects.create(
        assessor=linked_centre, centre=proposal.centre, note="Pembina", declared_by=linked_centre
    )
    linked_unit = make_assessor("penilai-ikm")
    ConflictDeclaration.objects.create(
        assessor=linked_unit,
        enterprise=EnterpriseFactory(centre=proposal.centre),
        note="Saudara pemilik",
        declared_by=linked_unit,
    )
    inactive = make_assessor("penilai-nonaktif")
    inactive.is_active = False
    inactive.save(update_fields=["is_active"])
    UserFactory(username="bukan-penilai", role="viewer", region_id="64")

    assert assessor_choices(proposal) == [free, homeless]


def test_assessor_choices_keep_an_assessor_linked_to_another_centre(
    round_, django_assert_num_queries
):
    proposal = proposal_in(round_, "Sentra A")
    assessor = make_assessor("penilai-a")
    ConflictDeclaration.objects.create(
        assessor=assessor, centre=CentreFactory(), note="Sentra lain", declared_by=assessor
    )
    with django_assert_num_queries(3):
        assert assessor_choices(proposal) == [assessor]
