"""The stored result of each proposal: written when an assessment is submitted or its
assessor recuses, rewritten for a whole cycle after a bulk load, read by the ranking."""

import importlib

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ovop.evaluation.models import Assessment, ProposalResult, Rubric, SubCriterion
from ovop.evaluation.selectors.results import cycle_results, rubric_shape
from ovop.evaluation.services.results import (
    computed_result,
    refresh_cycle_results,
    refresh_result,
)
from ovop.evaluation.services.scoring import save_assessment
from tests.evaluation.helpers import (
    CODES,
    assign_directly,
    assigned_world,
    levels,
    make_assessor,
    submit_directly,
)
from tests.evaluation.ranking_builders import hours_ago, many_scored, scored_proposal
from tests.evaluation.test_services_scoring import OVERRIDE_COMMENTS
from tests.factories import make_cycle, make_round

pytestmark = pytest.mark.django_db


def stored(proposal) -> ProposalResult:
    return ProposalResult.objects.get(proposal=proposal)


def test_a_submitted_assessment_stores_its_proposals_result(world):
    proposal = scored_proposal(world, levels(3), levels(3), levels(5))

    result = stored(proposal)

    assert result.cycle_id == world["cycle"].pk
    assert result.assessments == 3
    assert result.levels == pytest.approx(dict.fromkeys(CODES, 11 / 3))
    assert result.score == pytest.approx(100 * 11 / 3 / 5)
    assert list(result.totals) == ["penilai-1", "penilai-2", "penilai-3"]
    assert result.totals == pytest.approx({"penilai-1": 60, "penilai-2": 60, "penilai-3": 100})
    assert result.spread == pytest.approx(40)


def test_a_draft_stores_nothing_and_its_submission_does(world):
    setup = assigned_world(world)
    save_assessment(assignment=setup["assignment"], actor=setup["assessor"], levels=levels(4))
    assert not ProposalResult.objects.exists()

    save_assessment(
        assignment=setup["assignment"],
        actor=setup["assessor"],
        levels=levels(4),
        comments=OVERRIDE_COMMENTS,
        submit=True,
    )

    assert stored(setup["proposal"]).score == pytest.approx(80)


def test_a_second_submission_rewrites_the_one_row_in_a_few_queries(world):
    setup = assigned_world(world)
    submit_directly(setup["assignment"], levels(4))
    second = assign_directly(setup["proposal"], make_assessor("penilai-dua"), by=world["admin"])
    assessment = Assessment.objects.create(assignment=second, levels=levels(2))
    assessment.submitted_at = hours_ago(0)

    with CaptureQueriesContext(connection) as queries:
        assessment.save()

    # The assessment and its history; for the result the locked proposal, the rubric, its
    # sub-criteria, the counted levels and one UPDATE (and a savepoint), whatever the size.
    statements = [query["sql"] for query in queries if "SAVEPOINT" not in query["sql"]]
    assert len(statements) == 7, statements
    assert ProposalResult.objects.count() == 1
    assert stored(setup["proposal"]).score == pytest.approx(60)
    assert stored(setup["proposal"]).assessments == 2


def test_a_recusal_takes_the_assessors_levels_out(world):
    proposal = scored_proposal(world, levels(2), levels(5))
    recused = proposal.assignments.get(assessor__username="penilai-1")
    recused.recused_at = hours_ago(1)
    recused.save()

    result = stored(proposal)
    assert result.assessments == 1
    assert result.score == pytest.approx(100)
    assert list(result.totals) == ["penilai-2"]


def test_no_counted_assessment_left_means_no_result(world):
    proposal = scored_proposal(world, levels(4))
    proposal.assignments.update(recused_at=hours_ago(1))

    assert refresh_result(proposal_id=proposal.pk) is None
    assert not ProposalResult.objects.filter(proposal=proposal).exists()
    assert [fact["pk"] for fact in cycle_results(cycle=world["cycle"]).unscored] == [proposal.pk]


def test_median_aggregation_is_stored_as_the_middle_level(world):
    Rubric.objects.filter(cycle=world["cycle"]).update(aggregation="median")
    proposal = scored_proposal(world, levels(3), levels(3), levels(5))

    assert stored(proposal).levels == dict.fromkeys(CODES, 3.0)
    assert stored(proposal).score == pytest.approx(60)


def test_a_cost_criterion_scores_its_level_against_the_ideal_of_one(world):
    rubric = Rubric.objects.get(cycle=world["cycle"])
    SubCriterion.objects.filter(criterion__rubric=rubric, code="K1.1").update(benefit=False)
    weight = SubCriterion.objects.get(criterion__rubric=rubric, code="K1.1").weight
    proposal = scored_proposal(world, levels(4, K1_1=2))

    # Every benefit criterion at 4/5 of its weight, the cost criterion at 1/2 of its weight.
    expected = (100 - weight) * 4 / 5 + weight * 1 / 2
    assert stored(proposal).score == pytest.approx(expected)
    assert cycle_results(cycle=world["cycle"]).rows[0].score == pytest.approx(expected)


def test_refresh_cycle_results_rewrites_what_a_bulk_load_left_without_results(world):
    proposals = many_scored(world, 6)
    before = {result.pk: result.score for result in ProposalResult.objects.all()}
    ProposalResult.objects.all().delete()

    assert refresh_cycle_results(cycle=world["cycle"]) == 6

    after = {result.pk: result.score for result in ProposalResult.objects.all()}
    assert after == pytest.approx(before)
    assert set(after) == {proposal.pk for proposal in proposals}


def test_refresh_cycle_results_leaves_other_cycles_alone(world):
    scored_proposal(world, levels(4))
    other_cycle_round = make_round(cycle=make_cycle(year=2031, name="OVOP 2031"))
    other = scored_proposal(world, levels(2), round_=other_cycle_round)

    refresh_cycle_results(cycle=world["cycle"])

    assert stored(other).score == pytest.approx(40)
    assert ProposalResult.objects.count() == 2


def test_computed_result_matches_what_the_ranking_reads(world):
    proposal = scored_proposal(world, levels(2, K2_1=5), levels(4, K3_2=1))
    rubric = Rubric.objects.get(cycle=world["cycle"])
    shape = rubric_shape(rubric)
    counted = [
        (assessment.assignment.assessor.username, assessment.levels)
        for assessment in Assessment.objects.filter(assignment__proposal=proposal).order_by(
            "assignment__assessor__username"
        )
    ]

    fields = computed_result(counted, shape, rubric.aggregation)
    row = cycle_results(cycle=world["cycle"]).rows[0]

    assert fields["score"] == pytest.approx(row.score)
    assert list(fields["levels"].values()) == pytest.approx(row.levels)
    assert fields["totals"] == pytest.approx(row.assessor_totals)


def test_the_migration_stores_the_same_results_as_the_service(world):
    """0007 fills the table for databases scored before it existed, by its own sums."""
    migration = importlib.import_module("ovop.evaluation.migrations.0007_proposal_results")
    Rubric.objects.filter(cycle=world["cycle"]).update(aggregation="median")
    many_scored(world, 4)
    recused = scored_proposal(world, levels(2), levels(5))
    recused.assignments.filter(assessor__username="penilai-1").update(recused_at=hours_ago(1))
    refresh_result(proposal_id=recused.pk)
    by_service = {
        result.pk: (result.score, result.levels, result.totals, result.spread, result.assessments)
        for result in ProposalResult.objects.all()
    }
    ProposalResult.objects.all().delete()

    migration.store_results(apps, None)

    by_migration = {
        result.pk: (result.score, result.levels, result.totals, result.spread, result.assessments)
        for result in ProposalResult.objects.all()
    }
    assert by_migration.keys() == by_service.keys()
    for pk, (score, levels_, totals, spread, count) in by_service.items():
        got = by_migration[pk]
        assert got[0] == pytest.approx(score)
        assert got[1] == pytest.approx(levels_)
        assert got[2] == pytest.approx(totals)
        assert got[3] == pytest.approx(spread)
        assert got[4] == count
