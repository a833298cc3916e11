import pytest
from django.core.management import call_command

from ovop.accounts.models import User
from ovop.catalogue.selectors.gate import public_centres
from ovop.centres.models import Centre, Enterprise
from ovop.coaching.models import Activity, BimtekEvent, Indicator, Programme
from ovop.coaching.services.indicators import changes_for
from ovop.evaluation.models import Assessment, Assignment, Decision
from ovop.evaluation.selectors.publication import publication_gaps
from ovop.evaluation.selectors.results import cycle_results
from ovop.evaluation.services.assignment import conflicts_for
from ovop.proposals.models import Cycle, Proposal, Round
from ovop.proposals.models.letters import CoverLetter
from ovop.proposals.selectors import round_compliance


@pytest.mark.django_db
def test_seed_demo_tells_the_story_and_is_idempotent(capsys, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo")
    first = capsys.readouterr().out
    counts = (User.objects.count(), Centre.objects.count(), Enterprise.objects.count())
    histories = Centre.history.count()
    call_command("seed_demo")
    assert (User.objects.count(), Centre.objects.count(), Enterprise.objects.count()) == counts
    assert Centre.history.count() == histories
    assert counts[1] == 26
    assert set(Centre.objects.values_list("regency_id", flat=True)) == {
        r
        for r in (
            "63.01",
            "63.02",
            "63.03",
            "63.04",
            "63.05",
            "63.06",
            "63.07",
            "63.08",
            "63.09",
            "63.10",
            "63.11",
            "63.71",
            "63.72",
        )
    }
    assert "operator-6303" in first
    assert "ovop-demo-2026" in first


@pytest.mark.django_db
def test_demo_round_mixes_compliant_and_non_compliant_regencies(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo")
    round_ = Round.objects.get(province_id="63", cycle__year=2026)
    rows = {row.regency: row for row in round_compliance(round_=round_)}
    assert len(rows) == 13
    assert rows["63.01"].compliant
    assert rows["63.08"].compliant
    assert not rows["63.03"].compliant
    assert not rows["63.11"].compliant
    states = set(Proposal.objects.values_list("state", flat=True))
    assert {
        "draft",
        "submitted",
        "returned",
        "verified",
        "forwarded",
        "eligible",
        "ineligible",
        "withdrawn",
        "rated",
        "not_rated",
    } <= states
    returned = Proposal.objects.get(state="returned")
    assert returned.timeline.last().reason.startswith("SK penetapan")


@pytest.mark.django_db
def test_demo_evaluation_has_published_stars_and_an_assessment_under_way(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo")
    published = Decision.objects.filter(status="published", proposal__round__cycle__year=2025)
    assert published.count() == 10
    assert set(published.exclude(stars=None).values_list("stars", flat=True)) >= {3, 4, 5}
    deviation = published.get(stars=None)
    assert deviation.reason
    assert deviation.computed_stars is not None
    ranked = cycle_results(cycle=Cycle.objects.get(year=2025)).rows
    assert [row.rank for row in ranked] == list(range(1, 11))
    current = Assignment.objects.filter(proposal__round__cycle__year=2026)
    assert current.count() == 9
    assert all(not conflicts_for(assessor=a.assessor, proposal=a.proposal) for a in current)
    drafts = Assessment.objects.filter(assignment__in=current, submitted_at=None)
    submitted = Assessment.objects.filter(assignment__in=current).exclude(submitted_at=None)
    assert drafts.exists()
    assert submitted.exists()
    # Each 2026 decision is pending on 1 of 3 assessments: the guard names every gap, and
    # 2025 and 2026 went to the ministry under the province's cover letters.
    gaps = publication_gaps(Cycle.objects.get(year=2026))
    assert len([gap for gap in gaps if gap.kind == "assessment"]) == 3
    assert CoverLetter.objects.filter(year=2025).count() == 1
    assert CoverLetter.objects.filter(year=2026).count() == 1
    statuses = dict(Cycle.objects.values_list("year", "status"))
    assert statuses == {2025: "closed", 2026: "assessment"}


@pytest.mark.django_db
def test_demo_coaching_follows_the_rated_centres(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo")
    assert set(Programme.objects.values_list("owner_level", flat=True)) == {"ministry", "province"}
    activity = Activity.objects.get(kind="design_clinic")
    assert activity.centres.count() >= 2
    assert activity.evidence.filter(kind="attendance").exists()
    baselines = Indicator.objects.filter(kind="baseline")
    assert baselines.count() == 9  # the nine centres rated in 2025
    centre = baselines.first().centre
    production = next(
        c for c in changes_for(list(centre.indicators.all())) if c.field == "production_value"
    )
    assert production.delta
    assert production.delta > 0
    event = BimtekEvent.objects.get()
    assert event.attendees.count() == 9


@pytest.mark.django_db
def test_demo_catalogue_shows_the_rated_centres_with_their_stories(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo")
    public = list(public_centres())
    assert len(public) == 9
    assert all(centre.catalogue_entry.story for centre in public)
    page = client.get("/catalogue/id/")
    assert page.status_code == 200
    assert public[0].name in page.content.decode()
