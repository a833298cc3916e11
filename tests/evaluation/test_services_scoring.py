"""Scoring rules and the reads behind the assessor's screens."""

import datetime

import pytest
from django.http import QueryDict
from django.utils import timezone, translation

from ovop.common.refusals import Refused
from ovop.evaluation.forms.scoring import ScoreEntry, rubric_groups
from ovop.evaluation.models import Assessment, Rubric
from ovop.evaluation.selectors.scoring import (
    ScoringStatus,
    assignment_rows,
    dossier_for,
    own_assignments,
    prefilled_levels,
    running_total,
    status_of,
    weights_by_cycle,
)
from ovop.evaluation.services.rubric import ensure_rubric, subcriteria_of
from ovop.evaluation.services.scoring import save_assessment, suggestions_for
from tests.evaluation.helpers import (
    CODES,
    assign_directly,
    assigned_world,
    levels,
    make_eligible,
    submit_directly,
)
from tests.factories import CentreFactory, CertificateFactory, EnterpriseFactory, make_proposal

OVERRIDE_COMMENTS = {"K2.2": "Sertifikat lain sedang diurus", "K4.2": "Pelatihan rutin"}


@pytest.fixture
def setup(world):
    return assigned_world(world)


def subcriteria(world):
    return subcriteria_of(ensure_rubric(world["cycle"]))


def four_states(world, setup):
    """The Banjar assignment not started, plus a draft, a submitted and a recused one."""
    assessor = setup["assessor"]
    made = {"not_started": setup["assignment"]}
    for status in ("draft", "submitted", "recused"):
        centre = CentreFactory(name=f"Sentra {status}", region_id="63.05.01")
        proposal = make_eligible(make_proposal(round_=world["round"], centre=centre))
        made[status] = assign_directly(proposal, assessor, by=world["admin"])
    save_assessment(assignment=made["draft"], actor=assessor, levels={"K1.1": 3})
    submit_directly(made["submitted"])
    made["recused"].recused_at = timezone.now()
    made["recused"].save()
    return made


# --- Suggestions and the service -------------------------------------------------------------


def test_suggestions_come_from_the_registry_with_reasons(world, setup):
    with translation.override("en"):
        found = suggestions_for(centre=world["centre_banjar"], subcriteria=subcriteria(world))
    assert {code: s.level for code, s in found.items()} == {"K2.2": 2, "K3.1": 4, "K4.2": 3}
    assert "National" in found["K3.1"].reason
    assert "Halal" in found["K2.2"].reason
    assert "35" in found["K4.2"].reason


def test_expired_certificates_do_not_count_towards_the_suggestion(world, setup):
    enterprise = EnterpriseFactory(centre=world["centre_banjar"])
    CertificateFactory(enterprise=enterprise, kind="bpom_md", expires_on=datetime.date(2025, 1, 1))
    CertificateFactory(enterprise=enterprise, kind="sni")
    found = suggestions_for(centre=world["centre_banjar"], subcriteria=subcriteria(world))
    assert found["K2.2"].level == 3  # halal and SNI; the expired BPOM MD is left out


def test_submitted_assessment_cannot_be_changed(world, setup):
    assignment, assessor = setup["assignment"], setup["assessor"]
    save_assessment(
        assignment=assignment,
        actor=assessor,
        levels=levels(4),
        comments=OVERRIDE_COMMENTS,
        submit=True,
    )
    with pytest.raises(Refused) as refused:
        save_assessment(assignment=assignment, actor=assessor, levels=levels(5))
    assert refused.value.status == 409
    assert Assessment.objects.get().levels == levels(4)


def test_first_submission_locks_the_rubric(world, setup):
    rubric = Rubric.objects.get(cycle=world["cycle"])
    save_assessment(assignment=setup["assignment"], actor=setup["assessor"], levels=levels(4))
    rubric.refresh_from_db()
    assert rubric.locked_at is None  # a draft does not lock it
    save_assessment(
        assignment=setup["assignment"],
        actor=setup["assessor"],
        levels=levels(4),
        comments=OVERRIDE_COMMENTS,
        submit=True,
    )
    rubric.refresh_from_db()
    assert rubric.locked_at is not None


def test_override_without_comment_is_refused_and_nothing_saved(world, setup):
    with pytest.raises(Refused) as refused:
        save_assessment(
            assignment=setup["assignment"],
            actor=setup["assessor"],
            levels=levels(4),
            comments={"K2.2": "Ada"},
            submit=True,
        )
    assert refused.value.status == 400
    assert set(refused.value.errors) == {"K4.2"}
    assert not Assessment.objects.exists()


def test_a_draft_may_override_without_a_comment(world, setup):
    saved = save_assessment(
        assignment=setup["assignment"], actor=setup["assessor"], levels=levels(4)
    )
    assert saved.levels == levels(4)
    assert saved.submitted_at is None


def test_only_the_assigned_assessor_scores(world, setup):
    with pytest.raises(Refused) as refused:
        save_assessment(assignment=setup["assignment"], actor=world["admin"], levels=levels(4))
    assert refused.value.status == 403
    assert not Assessment.objects.exists()


# --- Status, totals and prefill --------------------------------------------------------------


def test_status_of_each_assignment_and_the_status_filter_agree(world, setup):
    made = four_states(world, setup)
    for status, assignment in made.items():
        fetched = own_assignments(setup["assessor"]).get(pk=assignment.pk)
        assert status_of(fetched) == status
        filtered = own_assignments(setup["assessor"], status=status)
        assert [a.pk for a in filtered] == [assignment.pk]


def test_own_assignments_hold_nobody_elses(world, setup):
    four_states(world, setup)
    assert not own_assignments(world["admin"]).exists()  # the admin sees all, owns none
    assert not own_assignments(world["assessor"]).exists()
    assert own_assignments(setup["assessor"]).count() == 4


def test_running_total_follows_the_rubric_formula(world, setup):
    weights = weights_by_cycle([world["cycle"].pk])[world["cycle"].pk]
    assert sum(weights.values()) == 100
    assert set(weights) == set(CODES)
    assert running_total(levels(5), weights) == pytest.approx(100)
    assert running_total(levels(1), weights) == pytest.approx(20)
    assert running_total({"K3.1": 4, "unknown": 5}, weights) == pytest.approx(12)


def test_assignment_rows_read_weights_once(world, setup, django_assert_num_queries):
    four_states(world, setup)
    assignments = list(own_assignments(setup["assessor"]))
    with django_assert_num_queries(1):
        rows = assignment_rows(assignments)
    by_status = {row.status: row for row in rows}
    assert by_status[ScoringStatus.NOT_STARTED].total is None
    assert by_status[ScoringStatus.DRAFT].total == pytest.approx(6)
    assert by_status[ScoringStatus.SUBMITTED].total == pytest.approx(80)


def test_prefill_is_the_draft_over_the_suggestions(world, setup):
    found = suggestions_for(centre=world["centre_banjar"], subcriteria=subcriteria(world))
    assert prefilled_levels(None, found) == {"K2.2": 2, "K3.1": 4, "K4.2": 3}
    draft = Assessment(levels={"K3.1": 5, "K1.1": 1})
    assert prefilled_levels(draft, found) == {"K2.2": 2, "K3.1": 5, "K4.2": 3, "K1.1": 1}


def test_dossier_reads_a_fixed_number_of_queries(world, setup, django_assert_max_num_queries):
    proposal = setup["proposal"]
    with django_assert_max_num_queries(6):
        small = dossier_for(proposal)
    assert len(small.enterprises) == 1
    assert len(small.photos) == 1
    for number in range(5):
        enterprise = EnterpriseFactory(centre=world["centre_banjar"], name=f"UD {number}")
        CertificateFactory(enterprise=enterprise)
    with django_assert_max_num_queries(6):
        large = dossier_for(proposal)
        certificates = [c for e in large.enterprises for c in e.certificates.all()]
    assert len(large.enterprises) == 6
    assert len(certificates) == 6


# --- Reading the scoring form ----------------------------------------------------------------


def test_score_entry_reads_levels_comments_and_the_action(world, setup):
    data = QueryDict(mutable=True)
    data.update(
        {
            "level-K1.1": "4",
            "level-K9.9": "5",
            "comment-K1.1": "  Lokal ",
            "general_comment": " Baik ",
            "action": "submit",
            "confirmed": "1",
        }
    )
    entry = ScoreEntry.from_post(data, subcriteria(world))
    assert entry.levels == {"K1.1": "4"}  # unknown codes are not read
    assert entry.comments == {"K1.1": "Lokal"}
    assert entry.general_comment == "Baik"
    assert entry.submit
    assert entry.confirmed
    assert not ScoreEntry.from_post(QueryDict("action=draft"), subcriteria(world)).submit


def test_rubric_groups_mark_the_choice_and_the_suggestion(world, setup):
    subs = subcriteria(world)
    found = suggestions_for(centre=world["centre_banjar"], subcriteria=subs)
    entry = ScoreEntry(levels={"K3.1": "5", "K1.1": "x"})
    groups = rubric_groups(subs, entry=entry, suggestions=found, errors={"K1.1": "Salah"})
    assert [(g.code, g.weight) for g in groups] == [("K1", 25), ("K2", 30), ("K3", 25), ("K4", 20)]
    rows = {row.sub.code: row for group in groups for row in group.rows}
    market = rows["K3.1"]
    assert [c.value for c in market.choices if c.checked] == [5]
    assert [c.value for c in market.choices if c.suggested] == [4]
    assert market.overrides_suggestion
    assert rows["K1.1"].error == "Salah"
    assert not any(c.checked for c in rows["K1.1"].choices)
    assert all(choice.descriptor for row in rows.values() for choice in row.choices)
