"""Direct tests of ``ovop.evaluation.selectors.scoring``: an assessor's assignments, their
status and running total, the assessment of an assignment and the per-criterion totals.

Status per filter, the weights query count, prefill and the dossier are in
test_services_scoring.py; these cover what it leaves out.
"""

import pytest
from django.utils import timezone, translation

from ovop.evaluation.models import Assessment, Assignment, SubCriterion
from ovop.evaluation.selectors.scoring import (
    CriterionTotal,
    ScoringStatus,
    assessment_of,
    assignment_rows,
    criterion_totals,
    own_assignments,
    status_of,
)
from ovop.evaluation.services.rubric import ensure_rubric, subcriteria_of
from tests.evaluation.helpers import assign_directly, levels, make_assessor, submit_directly
from tests.factories import CentreFactory, make_cycle, make_proposal, make_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_():
    return make_round()


def eligible(round_, name: str):
    centre = CentreFactory(name=name, region_id="63.03.01")
    return make_proposal(round_=round_, centre=centre, state="eligible", documents=False)


def subs(cycle) -> list[SubCriterion]:
    return subcriteria_of(ensure_rubric(cycle))


# --- assessment_of -------------------------------------------------------------------------------


def test_assessment_of_without_an_assessment_is_none(round_):
    assignment = assign_directly(eligible(round_, "Sentra A"), make_assessor())
    fetched = Assignment.objects.select_related("assessment").get(pk=assignment.pk)
    assert assessment_of(fetched) is None
    assert assessment_of(Assignment.objects.get(pk=assignment.pk)) is None


def test_assessment_of_answers_the_saved_assessment(round_):
    assignment = assign_directly(eligible(round_, "Sentra A"), make_assessor())
    saved = Assessment.objects.create(assignment=assignment, levels={"K1.1": 3})
    found = assessment_of(Assignment.objects.get(pk=assignment.pk))
    assert found == saved
    assert found.levels == {"K1.1": 3}


def test_assessment_of_is_free_when_select_related(round_, django_assert_num_queries):
    assignment = assign_directly(eligible(round_, "Sentra A"), make_assessor())
    submit_directly(assignment)
    fetched = Assignment.objects.select_related("assessment").get(pk=assignment.pk)
    with django_assert_num_queries(0):
        assert assessment_of(fetched).is_submitted


# --- criterion_totals ----------------------------------------------------------------------------


def test_criterion_totals_follow_the_rubric_order_and_weights(round_):
    totals = criterion_totals(subs(round_.cycle), levels(5))
    assert [(t.code, t.weight) for t in totals] == [("K1", 25), ("K2", 30), ("K3", 25), ("K4", 20)]
    assert [t.total for t in totals] == pytest.approx([25, 30, 25, 20])
    assert all(isinstance(total, CriterionTotal) for total in totals)


def test_criterion_totals_are_weight_times_level_over_five(round_):
    chosen = levels(3, K1_1=5, K3_1=1)
    totals = {t.code: t.total for t in criterion_totals(subs(round_.cycle), chosen)}
    assert totals["K1"] == pytest.approx(10 * 5 / 5 + 8 * 3 / 5 + 7 * 3 / 5)
    assert totals["K2"] == pytest.approx(30 * 3 / 5)
    assert totals["K3"] == pytest.approx(15 * 1 / 5 + 10 * 3 / 5)
    assert totals["K4"] == pytest.approx(20 * 3 / 5)
    assert sum(totals.values()) == pytest.approx(10 + 9 + 18 + 9 + 12)


def test_criterion_totals_count_only_the_levels_chosen_so_far(round_):
    totals = criterion_totals(subs(round_.cycle), {"K2.2": 4})
    assert [(t.code, t.total) for t in totals] == [("K1", 0), ("K2", 8), ("K3", 0), ("K4", 0)]
    assert [t.weight for t in totals] == [25, 30, 25, 20]  # out of the full weight


def test_criterion_totals_label_in_the_active_language(round_):
    with translation.override("en"):
        english = [t.label for t in criterion_totals(subs(round_.cycle), {})]
    with translation.override("id"):
        indonesian = [t.label for t in criterion_totals(subs(round_.cycle), {})]
    assert english[0] == "Production"
    assert indonesian[0] == "Produksi"


def test_criterion_totals_of_no_subcriteria_is_empty():
    assert criterion_totals([], {"K1.1": 5}) == []


# --- the assessor's assignments with status and total --------------------------------------------


def test_assignment_rows_give_each_assignment_its_status_and_total(round_):
    assessor = make_assessor()
    waiting = assign_directly(eligible(round_, "Sentra A"), assessor)
    draft = assign_directly(eligible(round_, "Sentra B"), assessor)
    Assessment.objects.create(assignment=draft, levels={"K3.1": 5, "K1.1": 2})
    done = assign_directly(eligible(round_, "Sentra C"), assessor)
    submit_directly(done, levels(4))
    empty_draft = assign_directly(eligible(round_, "Sentra D"), assessor)
    Assessment.objects.create(assignment=empty_draft, levels={})

    rows = {row.assignment.pk: row for row in assignment_rows(own_assignments(assessor))}

    assert (rows[waiting.pk].status, rows[waiting.pk].total) == (ScoringStatus.NOT_STARTED, None)
    assert rows[draft.pk].status == ScoringStatus.DRAFT
    assert rows[draft.pk].total == pytest.approx(15 + 4)
    assert rows[done.pk].status == ScoringStatus.SUBMITTED
    assert rows[done.pk].total == pytest.approx(80)
    assert (rows[empty_draft.pk].status, rows[empty_draft.pk].total) == (ScoringStatus.DRAFT, None)
    assert rows[done.pk].proposal == done.proposal


def test_assignment_rows_use_each_cycles_own_weights(round_):
    assessor = make_assessor()
    this_year = assign_directly(eligible(round_, "Sentra Kini"), assessor)
    later = make_round(cycle=make_cycle(year=2027, name="OVOP 2027"))
    SubCriterion.objects.filter(criterion__rubric__cycle=later.cycle, code="K1.1").update(weight=20)
    next_year = assign_directly(eligible(later, "Sentra Nanti"), assessor)
    for assignment in (this_year, next_year):
        Assessment.objects.create(assignment=assignment, levels={"K1.1": 5})

    totals = {row.assignment.pk: row.total for row in assignment_rows(own_assignments(assessor))}

    assert totals == {this_year.pk: pytest.approx(10), next_year.pk: pytest.approx(20)}


def test_assignment_rows_recused_is_recused_even_with_a_draft(round_):
    assessor = make_assessor()
    assignment = assign_directly(eligible(round_, "Sentra A"), assessor)
    Assessment.objects.create(assignment=assignment, levels={"K1.1": 5})
    assignment.recused_at = timezone.now()
    assignment.save()
    (row,) = assignment_rows(own_assignments(assessor))
    assert row.status == ScoringStatus.RECUSED
    assert status_of(row.assignment) == ScoringStatus.RECUSED
    assert row.total == pytest.approx(10)


def test_assignment_rows_of_nothing_is_empty():
    assert assignment_rows([]) == []


def test_own_assignments_newest_cycle_first_then_by_centre_name(round_):
    assessor = make_assessor()
    older_b = assign_directly(eligible(round_, "Sentra B"), assessor)
    older_a = assign_directly(eligible(round_, "Sentra A"), assessor)
    newer = assign_directly(
        eligible(make_round(cycle=make_cycle(year=2027, name="OVOP 2027")), "Sentra Z"), assessor
    )
    assert list(own_assignments(assessor)) == [newer, older_a, older_b]


def test_own_assignments_search_by_centre_name_ignores_case(round_):
    assessor = make_assessor()
    tenun = assign_directly(eligible(round_, "Sentra Tenun Sasirangan"), assessor)
    assign_directly(eligible(round_, "Sentra Gerabah"), assessor)
    assert list(own_assignments(assessor, search="tenun")) == [tenun]
    assert not own_assignments(assessor, search="anyaman").exists()


def test_own_assignments_unknown_status_filters_nothing(round_):
    assessor = make_assessor()
    assign_directly(eligible(round_, "Sentra A"), assessor)
    assign_directly(eligible(round_, "Sentra B"), assessor)
    assert own_assignments(assessor, status="bogus").count() == 2


# --- an assessor never sees another's ------------------------------------------------------------


def test_an_assessor_never_sees_another_assessors_assignments(round_):
    mine, theirs = make_assessor("penilai-saya"), make_assessor("penilai-lain")
    shared = eligible(round_, "Sentra Bersama")
    own = assign_directly(shared, mine)
    other = assign_directly(shared, theirs)
    submit_directly(other)
    only_theirs = assign_directly(eligible(round_, "Sentra Lain"), theirs)

    assert list(own_assignments(mine)) == [own]
    for status in ScoringStatus.values:
        assert other not in own_assignments(mine, status=status)
    assert not own_assignments(mine, search="Lain").exists()
    assert not own_assignments(mine, status=ScoringStatus.SUBMITTED).exists()
    rows = assignment_rows(own_assignments(mine))
    assert [row.assignment for row in rows] == [own]
    assert set(own_assignments(theirs)) == {other, only_theirs}


def test_an_inactive_assessor_sees_no_assignments(round_):
    assessor = make_assessor()
    assign_directly(eligible(round_, "Sentra A"), assessor)
    assessor.is_active = False
    assessor.save(update_fields=["is_active"])
    assert not own_assignments(assessor).exists()
