"""Direct tests of ``ovop.evaluation.services.setup``: the whole rubric in one step, removing
a declared conflict, removing an assignment.

The weight-sum refusal and the screen's round trips are in test_services_rubric.py; these
call the service with model objects, as the form hands them over.
"""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from ovop.common.refusals import Refused
from ovop.evaluation.models import Assessment, Assignment, ConflictDeclaration, Level, SubCriterion
from ovop.evaluation.services.rubric import ensure_rubric, subcriteria_of
from ovop.evaluation.services.setup import delete_conflict, remove_assignment, save_whole_rubric
from tests.evaluation.helpers import assign_directly, make_assessor, submit_directly
from tests.factories import CentreFactory, make_cycle, make_proposal, make_round

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def rubric():
    return ensure_rubric(make_cycle())


def snapshot(rubric) -> list:
    """Everything the rubric screen edits, as plain values."""
    return [
        (
            sub.criterion.code,
            sub.code,
            sub.name,
            sub.weight,
            [(level.value, level.descriptor, level.descriptor_en) for level in sub.levels.all()],
        )
        for sub in subcriteria_of(rubric)
    ] + [(rubric.aggregation, rubric.assessors_per_proposal, str(rubric.disagreement_gap))]


def by_code(subs, code: str) -> SubCriterion:
    return next(sub for sub in subs if sub.code == code)


def replacement_of_k43(subs) -> tuple[SubCriterion, list[Level]]:
    """A new, unsaved K4.4 in K4.3's place (same weight) with its five levels."""
    k43 = by_code(subs, "K4.3")
    new = SubCriterion(
        criterion=k43.criterion,
        code="K4.4",
        name="Pengelolaan limbah",
        name_en="Waste management",
        weight=k43.weight,
        position=3,
    )
    levels = [
        Level(
            subcriterion=new, value=value, descriptor=f"Tingkat {value}", descriptor_en=f"G{value}"
        )
        for value in range(1, 6)
    ]
    return new, levels


# --- save_whole_rubric ---------------------------------------------------------------------------


def test_save_whole_rubric_adds_removes_and_edits_in_one_step(rubric):
    subs = subcriteria_of(rubric)
    k43 = by_code(subs, "K4.3")
    new, new_levels = replacement_of_k43(subs)
    kept = [sub for sub in subs if sub.code != "K4.3"]
    by_code(kept, "K1.1").weight, by_code(kept, "K1.2").weight = 12, 6
    first = by_code(kept, "K1.1").levels.get(value=1)
    first.descriptor = "Kurang dari 20%"
    criterion = by_code(kept, "K1.1").criterion
    criterion.name_en = "Production and supply"

    saved = save_whole_rubric(
        rubric=rubric,
        criteria=[criterion],
        subcriteria=[*kept, new],
        removed=[k43],
        levels=[first, *new_levels],
        settings={"aggregation": "median", "assessors_per_proposal": 2},
    )

    assert saved == rubric
    codes = [sub.code for sub in subcriteria_of(rubric)]
    assert "K4.3" not in codes
    assert codes[-1] == "K4.4"
    assert not Level.objects.filter(subcriterion_id=k43.pk).exists()
    added = SubCriterion.objects.get(criterion__rubric=rubric, code="K4.4")
    assert list(added.levels.values_list("value", "descriptor_en")) == [
        (value, f"G{value}") for value in range(1, 6)
    ]
    weights = dict(
        SubCriterion.objects.filter(criterion__rubric=rubric).values_list("code", "weight")
    )
    assert (weights["K1.1"], weights["K1.2"], sum(weights.values())) == (12, 6, 100)
    assert Level.objects.get(pk=first.pk).descriptor == "Kurang dari 20%"
    criterion.refresh_from_db()
    assert criterion.name_en == "Production and supply"
    rubric.refresh_from_db()
    assert (rubric.aggregation, rubric.assessors_per_proposal) == ("median", 2)


def test_save_whole_rubric_skips_levels_of_a_removed_subcriterion(rubric):
    subs = subcriteria_of(rubric)
    k43 = by_code(subs, "K4.3")
    new, new_levels = replacement_of_k43(subs)
    orphan = k43.levels.get(value=2)
    orphan.descriptor = "Tidak disimpan"

    save_whole_rubric(
        rubric=rubric,
        criteria=[],
        subcriteria=[*[s for s in subs if s != k43], new],
        removed=[k43],
        levels=[orphan, *new_levels],
        settings={},
    )

    assert not Level.objects.filter(pk=orphan.pk).exists()
    assert not Level.objects.filter(descriptor="Tidak disimpan").exists()


def test_save_whole_rubric_never_deletes_another_rubrics_subcriterion(rubric):
    other = ensure_rubric(make_cycle(year=2027, name="OVOP 2027"))
    foreign = by_code(subcriteria_of(other), "K4.3")
    subs = subcriteria_of(rubric)

    save_whole_rubric(
        rubric=rubric, criteria=[], subcriteria=subs, removed=[foreign], levels=[], settings={}
    )

    assert SubCriterion.objects.filter(pk=foreign.pk).exists()
    assert len(subcriteria_of(other)) == 11


def test_save_whole_rubric_refuses_a_bad_level_and_keeps_everything(rubric):
    before = snapshot(rubric)
    subs = subcriteria_of(rubric)
    k43 = by_code(subs, "K4.3")
    new, new_levels = replacement_of_k43(subs)
    new_levels[4].value = 6  # levels run 1–5
    by_code(subs, "K1.1").weight, by_code(subs, "K1.2").weight = 12, 6

    with pytest.raises(ValidationError):
        save_whole_rubric(
            rubric=rubric,
            criteria=[],
            subcriteria=[*[s for s in subs if s != k43], new],
            removed=[k43],
            levels=new_levels,
            settings={"aggregation": "median"},
        )

    rubric.refresh_from_db()
    assert snapshot(rubric) == before
    assert not SubCriterion.objects.filter(code="K4.4").exists()


def test_save_whole_rubric_refuses_a_blank_descriptor_and_keeps_everything(rubric):
    before = snapshot(rubric)
    subs = subcriteria_of(rubric)
    level = by_code(subs, "K2.1").levels.get(value=3)
    level.descriptor = ""
    by_code(subs, "K2.1").name = "Nama baru"

    with pytest.raises(ValidationError):
        save_whole_rubric(
            rubric=rubric, criteria=[], subcriteria=subs, removed=[], levels=[level], settings={}
        )

    assert snapshot(rubric) == before


def test_save_whole_rubric_refuses_a_locked_rubric_and_keeps_everything(rubric):
    rubric.locked_at = timezone.now()
    rubric.save()
    before = snapshot(rubric)
    subs = subcriteria_of(rubric)
    k43 = by_code(subs, "K4.3")
    by_code(subs, "K2.1").name = "Nama baru"

    with pytest.raises(Refused, match="locked") as refused:
        save_whole_rubric(
            rubric=rubric,
            criteria=[],
            subcriteria=[s for s in subs if s != k43],
            removed=[k43],
            levels=[],
            settings={"aggregation": "median"},
        )

    assert refused.value.status == 409
    rubric.refresh_from_db()
    assert snapshot(rubric) == before


# --- delete_conflict -----------------------------------------------------------------------------


@pytest.fixture
def declaration(db):
    assessor = make_assessor()
    return ConflictDeclaration.objects.create(
        assessor=assessor, centre=CentreFactory(), note="Pembina sentra", declared_by=assessor
    )


def test_delete_conflict_by_the_admin_removes_it_and_the_history_keeps_it(personas, declaration):
    pk = declaration.pk
    delete_conflict(declaration=declaration, actor=personas["admin"])

    assert not ConflictDeclaration.objects.filter(pk=pk).exists()
    last = ConflictDeclaration.history.filter(id=pk).latest("history_date")
    assert last.history_type == "-"
    assert last.note == "Pembina sentra"
    assert "persona-admin" in last.history_change_reason


@pytest.mark.parametrize("name", ["assessor", "operator", "verifier", "viewer"])
def test_delete_conflict_refused_to_others_and_kept(personas, declaration, name):
    with pytest.raises(Refused) as refused:
        delete_conflict(declaration=declaration, actor=personas[name])
    assert refused.value.status == 403
    assert ConflictDeclaration.objects.filter(pk=declaration.pk).exists()


def test_delete_conflict_refused_to_the_assessor_who_declared_it(declaration):
    with pytest.raises(Refused):
        delete_conflict(declaration=declaration, actor=declaration.assessor)
    assert ConflictDeclaration.objects.filter(pk=declaration.pk).exists()


# --- remove_assignment ---------------------------------------------------------------------------


@pytest.fixture
def assignment(personas):
    proposal = make_proposal(round_=make_round(), state="eligible", documents=False)
    return assign_directly(proposal, make_assessor(), by=personas["admin"])


def test_remove_assignment_deletes_one_not_started(personas, assignment):
    remove_assignment(assignment=assignment, actor=personas["admin"])
    assert not Assignment.objects.filter(pk=assignment.pk).exists()


def test_remove_assignment_deletes_one_with_a_draft(personas, assignment):
    Assessment.objects.create(assignment=assignment, levels={"K1.1": 3})
    remove_assignment(assignment=assignment, actor=personas["admin"])
    assert not Assignment.objects.filter(pk=assignment.pk).exists()
    assert not Assessment.objects.exists()


def test_remove_assignment_refuses_a_recusal_and_keeps_it(personas, assignment):
    assignment.recused_at = timezone.now()
    assignment.recusal_reason = "Kenal pemilik"
    assignment.save()

    with pytest.raises(Refused, match="recused") as refused:
        remove_assignment(assignment=assignment, actor=personas["admin"])

    assert refused.value.status == 409
    assert assignment.assessor.username in refused.value.message
    kept = Assignment.objects.get(pk=assignment.pk)
    assert (kept.recused_at, kept.recusal_reason) == (assignment.recused_at, "Kenal pemilik")


def test_remove_assignment_refuses_once_submitted_and_keeps_the_score(personas, assignment):
    submit_directly(assignment)

    with pytest.raises(Refused, match="already submitted"):
        remove_assignment(assignment=assignment, actor=personas["admin"])

    assert Assignment.objects.filter(pk=assignment.pk).exists()
    assert Assessment.objects.get(assignment=assignment).is_submitted
