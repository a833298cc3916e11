"""A cycle's results: aggregation, stars, the disagreement flag, the tie rule, filters."""

import pytest
from django.utils import translation

from ovop.evaluation.models import Assessment, Rubric
from ovop.evaluation.selectors.results import TIE_RULE, cycle_results
from tests.evaluation.helpers import CODES, assign_directly, levels, make_eligible
from tests.evaluation.ranking_builders import (
    assessors,
    hours_ago,
    many_scored,
    other_province_round,
    scored_proposal,
)
from tests.factories import CentreFactory, make_proposal

pytestmark = pytest.mark.django_db


def codes_index(code: str) -> int:
    return CODES.index(code)


def ranked_ids(cycle, **kwargs) -> list[int]:
    return [row.proposal_id for row in cycle_results(cycle=cycle, **kwargs).rows]


def test_official_score_is_the_weighted_sum_of_the_mean_levels(world):
    proposal = scored_proposal(world, levels(3), levels(3), levels(5))

    row = cycle_results(cycle=world["cycle"]).rows[0]

    assert row.proposal_id == proposal.pk
    assert row.score == pytest.approx(100 * (3 + 3 + 5) / 3 / 5)  # 73.33
    assert row.stars == 4
    assert row.levels == pytest.approx([11 / 3] * 11)


def test_median_aggregation_uses_the_middle_assessor(world):
    # Set before scoring: the rubric locks at the first submitted assessment.
    Rubric.objects.filter(cycle=world["cycle"]).update(aggregation="median")
    scored_proposal(world, levels(3), levels(3), levels(5))

    row = cycle_results(cycle=world["cycle"]).rows[0]

    assert row.score == pytest.approx(60.0)
    assert row.stars == 3


def test_disagreement_flag_is_strictly_above_the_gap(world):
    # Totals 60 and 75 differ by exactly the default gap of 15: not flagged.
    on_edge = scored_proposal(world, levels(3), levels(4, K1_1=3, K3_1=3))
    # Totals 60 and 77 differ by 17: flagged.
    beyond = scored_proposal(world, levels(3), levels(4, K1_1=3, K4_2=3))

    flags = {row.proposal_id: row for row in cycle_results(cycle=world["cycle"]).rows}

    assert sorted(flags[on_edge.pk].assessor_totals.values()) == pytest.approx([60, 75])
    assert flags[on_edge.pk].disagreement is False
    assert flags[beyond.pk].disagreement is True
    assert [row.proposal_id for row in cycle_results(cycle=world["cycle"]).disagreements] == [
        beyond.pk
    ]


def test_disagreement_gap_is_configurable_per_cycle(world):
    on_edge = scored_proposal(world, levels(3), levels(4, K1_1=3, K3_1=3))
    Rubric.objects.filter(cycle=world["cycle"]).update(disagreement_gap="14.99")

    row = cycle_results(cycle=world["cycle"]).rows[0]

    assert row.proposal_id == on_edge.pk
    assert row.disagreement is True


def test_equal_scores_are_ordered_by_the_documented_tie_rule(world):
    # Every proposal scores exactly 80; only the tie rule separates them.
    same_time = hours_ago(5)
    by_id_first = scored_proposal(world, levels(4), submitted_at=same_time)
    by_id_second = scored_proposal(world, levels(4), submitted_at=same_time)
    later = scored_proposal(world, levels(4), submitted_at=hours_ago(10))
    earlier = scored_proposal(world, levels(4), submitted_at=hours_ago(20))
    better_k3 = scored_proposal(world, levels(4, K3_2=5, K1_1=3), submitted_at=hours_ago(1))
    better_k2 = scored_proposal(world, levels(4, K2_1=5, K1_1=3), submitted_at=hours_ago(1))

    rows = cycle_results(cycle=world["cycle"]).rows

    assert {round(row.score, 2) for row in rows} == {80.0}
    assert [row.proposal_id for row in rows] == [
        better_k2.pk,  # K2 subtotal 26 beats 24
        better_k3.pk,  # same K2, K3 subtotal 22 beats 20
        earlier.pk,  # same K2 and K3: the earlier submission to the province
        later.pk,
        by_id_first.pk,  # same submission time: the lower proposal number
        by_id_second.pk,
    ]
    assert [row.rank for row in rows] == [1, 2, 3, 4, 5, 6]


def test_tie_rule_names_its_criteria_in_order():
    with translation.override("en"):
        text = str(TIE_RULE)

    assert text.index("K2") < text.index("K3") < text.index("earlier submission")


def test_tie_rule_of_results_is_in_the_language_of_the_reader(world):
    with translation.override("en"):
        results = cycle_results(cycle=world["cycle"])

    assert results.tie_rule.startswith("Equal scores")


def test_a_level_missing_from_an_assessment_counts_as_zero(world):
    chosen = levels(5)
    del chosen["K3.1"]  # weight 15
    scored_proposal(world, chosen)

    row = cycle_results(cycle=world["cycle"]).rows[0]

    assert row.score == pytest.approx(85.0)
    assert row.levels[codes_index("K3.1")] == 0


def test_higher_score_ranks_first_and_stars_follow_the_score(world):
    low = scored_proposal(world, levels(2))
    high = scored_proposal(world, levels(5))
    middle = scored_proposal(world, levels(4, K1_1=5))

    rows = cycle_results(cycle=world["cycle"]).rows

    assert [row.proposal_id for row in rows] == [high.pk, middle.pk, low.pk]
    assert [row.stars for row in rows] == [5, 4, 2]


def test_topsis_ranks_by_closeness_and_keeps_stars_from_the_official_score(world):
    scored_proposal(world, levels(2))
    best = scored_proposal(world, levels(5))
    scored_proposal(world, levels(3, K3_1=5))

    results = cycle_results(cycle=world["cycle"], method="topsis")

    assert results.rows[0].proposal_id == best.pk
    assert results.rows[0].method_score == pytest.approx(1.0)
    assert results.rows[-1].method_score == pytest.approx(0.0)
    assert all(0 <= row.method_score <= 1 for row in results.rows)
    assert [row.stars for row in results.rows] == [5, 3, 2]


def test_unknown_method_is_refused(world):
    with pytest.raises(ValueError, match="unknown ranking method 'electre'"):
        cycle_results(cycle=world["cycle"], method="electre")


def test_unscored_lists_eligible_proposals_without_a_submitted_assessment(world):
    scored = scored_proposal(world, levels(4))
    waiting = make_eligible(world["proposal_banjar"])
    draft = Assessment.objects.create(
        assignment=assign_directly(waiting, assessors(1)[0]), levels=levels(5)
    )

    results = cycle_results(cycle=world["cycle"])

    assert [row.proposal_id for row in results.rows] == [scored.pk]
    assert [fact["pk"] for fact in results.unscored] == [waiting.pk]
    assert draft.submitted_at is None


def test_recused_assessors_do_not_count(world):
    proposal = scored_proposal(world, levels(2), levels(5))
    recused = proposal.assignments.get(assessor__username="penilai-1")
    recused.recused_at = hours_ago(1)
    recused.save()

    row = cycle_results(cycle=world["cycle"]).rows[0]

    assert list(row.assessor_totals) == ["penilai-2"]
    assert row.score == pytest.approx(100.0)


def test_province_filter_ranks_within_the_province(world):
    here = scored_proposal(world, levels(3))
    there = scored_proposal(
        world, levels(5), round_=other_province_round(world), district="64.01.01"
    )

    assert ranked_ids(world["cycle"]) == [there.pk, here.pk]
    assert ranked_ids(world["cycle"], province="63") == [here.pk]
    assert cycle_results(cycle=world["cycle"], province="63").rows[0].rank == 1
    assert ranked_ids(world["cycle"], province="64") == [there.pk]


def test_sensitivity_is_filled_in_for_every_row_and_lies_between_zero_and_one(world):
    for base in (2, 3, 4, 5):
        scored_proposal(world, levels(base), levels(base, K1_1=5))

    rows = cycle_results(cycle=world["cycle"]).rows
    without = cycle_results(cycle=world["cycle"], with_sensitivity=False).rows

    assert all(0 <= row.keeps_band <= 1 and 0 <= row.keeps_top <= 1 for row in rows)
    assert rows[0].keeps_band == 1.0  # a clear ★5 far from any band edge
    assert all(row.keeps_band is None for row in without)


def test_results_read_a_cycle_in_a_fixed_number_of_queries(world, django_assert_num_queries):
    # The rubric, its sub-criteria, the bands, then every proposal with its stored result.
    scored_proposal(world, levels(4))
    with django_assert_num_queries(4):
        cycle_results(cycle=world["cycle"])
    for base in (2, 3, 4, 5) * 5:
        scored_proposal(world, levels(base), levels(base, K2_2=1), levels(base, K4_1=5))
    with django_assert_num_queries(4):
        assert len(cycle_results(cycle=world["cycle"]).rows) == 21
    # Proposals not scored yet cost one query more: their names.
    make_eligible(make_proposal(round_=world["round"], centre=CentreFactory(), documents=False))
    with django_assert_num_queries(5):
        assert len(cycle_results(cycle=world["cycle"]).unscored) == 1


def test_rows_are_made_when_first_read_in_rank_order(world):
    many_scored(world, 6)
    results = cycle_results(cycle=world["cycle"])
    assert len(results.rows) == 6
    assert results.rows._made == [None] * 6  # nothing made until a page reads it

    page = results.rows[1:3]

    assert [row.rank for row in page] == [2, 3]
    assert sum(row is not None for row in results.rows._made) == 2
    assert results.rows[1] is page[0]  # made once
    assert [row.rank for row in results.rows] == [1, 2, 3, 4, 5, 6]
    assert all(0 <= row.keeps_top <= 1 for row in results.rows)
    with pytest.raises(IndexError):
        results.rows[6]
    assert results.rows[-1].rank == 6


def test_disagreements_are_found_without_making_every_row(world):
    many_scored(world, 3)
    beyond = scored_proposal(world, levels(3), levels(4, K1_1=3, K4_2=3))

    results = cycle_results(cycle=world["cycle"])

    assert [row.proposal_id for row in results.disagreements] == [beyond.pk]
    assert sum(row is not None for row in results.rows._made) == 1


def test_a_page_of_rows_reads_its_names_and_decisions_in_one_query(
    world, django_assert_num_queries
):
    proposals = many_scored(world, 5)
    results = cycle_results(cycle=world["cycle"])

    with django_assert_num_queries(1):
        page = results.rows[0:2]
    with django_assert_num_queries(1):
        everything = list(results.rows)  # the three not made yet, together
    with django_assert_num_queries(0):
        again = list(results.rows)

    assert [row.centre_name for row in page] == [row.centre_name for row in everything[:2]]
    assert again == everything
    assert {row.proposal_id for row in everything} == {proposal.pk for proposal in proposals}
    assert all(row.centre_name.startswith("Sentra Uji") for row in everything)
