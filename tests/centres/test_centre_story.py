"""The centre page tells its OVOP story: proposals across cycles, stars (published decisions
only, the current rating first), the coaching it received and its public catalogue page."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from ovop.coaching.models import Activity, Programme
from ovop.evaluation.enums import DecisionStatus
from ovop.evaluation.models import Decision
from ovop.reports.panels import centre_story
from tests.catalogue.public_builders import publish, round_of
from tests.conftest import make_persona
from tests.factories import CentreFactory, make_proposal

pytestmark = pytest.mark.django_db


def detail(client, centre, *, lang: str = "id"):
    client.cookies["ovop_language"] = lang
    return client.get(reverse("centres:detail", kwargs={"pk": centre.pk}))


def story_of(response):
    return response.context["story"]


def published_on(year: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, 10, 14, 10, 0))


@pytest.fixture
def centre():
    """A Banjar centre proposed in 2024 (3 stars), 2025 (4 stars) and 2026 (pending 5)."""
    centre = CentreFactory(region_id="63.03.01", name="Sentra Kue Martapura")
    # Made out of order, so the order on the page is the story's, not the database's.
    for year, stars in ((2025, 4), (2024, 3)):
        proposal = make_proposal(round_=round_of(year), centre=centre, documents=False)
        publish(proposal, stars=stars, when=published_on(year))
    pending = make_proposal(round_=round_of(2026), centre=centre, state="eligible", documents=False)
    Decision.objects.create(
        proposal=pending,
        stars=5,
        computed_stars=5,
        status=DecisionStatus.PENDING,
        decided_by=make_persona("admin"),
    )
    return centre


def coach(centre, *, title: str = "Klinik desain kemasan") -> Activity:
    admin = make_persona("admin")
    programme = Programme.objects.create(
        name="Klinik Desain Sentra OVOP",
        owner_level="ministry",
        year_start=2026,
        year_end=2026,
        created_by=admin,
    )
    programme.centres.add(centre)
    activity = Activity.objects.create(
        programme=programme,
        kind="design_clinic",
        title=title,
        starts_on=datetime.date(2026, 3, 12),
        ends_on=datetime.date(2026, 3, 13),
        created_by=admin,
    )
    activity.centres.add(centre)
    return activity


def test_story_operator_of_the_regency_sees_proposals_across_cycles(client, operator, centre):
    client.force_login(operator)
    response = detail(client, centre)
    assert response.status_code == 200
    rows = story_of(response).proposals
    assert [row.year for row in rows] == [2026, 2025, 2024]
    assert [row.state for row in rows] == ["eligible", "rated", "rated"]
    proposal_2025 = centre.proposals.get(round__cycle__year=2025)
    assert rows[1].url == reverse("proposals:detail", kwargs={"pk": proposal_2025.pk})
    assert f'href="{rows[1].url}"' in response.text
    assert "OVOP 2024" in response.text


def test_story_current_rating_first(client, operator, centre):
    client.force_login(operator)
    story = story_of(detail(client, centre))
    assert [(rating.year, rating.stars) for rating in story.ratings] == [(2025, 4), (2024, 3)]
    assert story.current_rating.stars == 4
    assert [rating.year for rating in story.earlier_ratings] == [2024]


def test_story_pending_decision_is_not_a_rating(client, operator, centre):
    client.force_login(operator)
    response = detail(client, centre)
    story = story_of(response)
    row_2026 = story.proposals[0]
    assert row_2026.year == 2026
    assert row_2026.rating is None
    assert 5 not in [rating.stars for rating in story.ratings]
    assert "★★★★★" not in response.text  # the pending five stars are nowhere on the page


def test_story_verifier_of_another_province_gets_404(client, verifier_other, centre):
    client.force_login(verifier_other)
    assert detail(client, centre).status_code == 404


def test_story_links_only_the_proposals_the_reader_may_open(client, centre):
    # An assessor sees the centre through the one proposal assigned to them, not the others.
    assessor = make_persona("assessor")
    assigned = centre.proposals.get(round__cycle__year=2026)
    assigned.assignments.create(
        assessor=assessor, method="manual", assigned_by=make_persona("admin")
    )
    client.force_login(assessor)
    rows = story_of(detail(client, centre)).proposals
    assert [bool(row.url) for row in rows] == [True, False, False]


def test_story_catalogue_link_when_published(client, operator, centre):
    client.force_login(operator)
    response = detail(client, centre)
    path = reverse(
        "catalogue:detail", kwargs={"lang": "id", "pk": centre.pk, "slug": "sentra-kue-martapura"}
    )
    assert story_of(response).catalogue_url == path
    assert f'href="{path}"' in response.text
    # The link follows the reader's language.
    assert story_of(detail(client, centre, lang="en")).catalogue_url.startswith("/catalogue/en/")


def test_story_no_catalogue_link_before_a_published_rating(client, operator):
    centre = CentreFactory(region_id="63.03.01", name="Sentra Baru")
    proposal = make_proposal(round_=round_of(2026), centre=centre, state="eligible")
    Decision.objects.create(
        proposal=proposal, stars=4, status=DecisionStatus.PENDING, decided_by=operator
    )
    client.force_login(operator)
    response = detail(client, centre)
    story = story_of(response)
    assert story.catalogue_url == ""
    assert story.ratings == []
    assert 'id="story-catalogue-link"' not in response.text
    assert "belum diberi bintang" in response.text


def test_story_published_not_rated_is_no_catalogue_link(client, operator):
    centre = CentreFactory(region_id="63.03.01", name="Sentra Tanpa Bintang")
    publish(make_proposal(round_=round_of(2025), centre=centre), stars=None)
    client.force_login(operator)
    story = story_of(detail(client, centre))
    assert story.catalogue_url == ""
    assert story.proposals[0].state == "not_rated"


def test_story_shows_the_coaching_received(client, operator, centre):
    activity = coach(centre)
    client.force_login(operator)
    response = detail(client, centre)
    assert 'id="story-coaching"' in response.text
    assert reverse("coaching:activity_detail", kwargs={"pk": activity.pk}) in response.text
    assert "1 program menyasar sentra ini." in response.text


def test_story_in_indonesian(client, operator, centre):
    client.force_login(operator)
    text = detail(client, centre).text
    assert "Kisah OVOP" in text
    assert "4 dari 5 bintang" in text
    assert "Halamannya di katalog publik" in text


def test_story_in_english(client, operator, centre):
    coach(centre)
    client.force_login(operator)
    text = detail(client, centre, lang="en").text
    assert "OVOP story" in text
    assert "4 of 5 stars" in text
    assert "current rating (OVOP 2025)" in text
    assert "Earlier ratings:" in text
    assert "Its page in the public catalogue" in text
    assert "1 programme targets this sentra." in text


def test_story_queries_bounded_over_many_cycles(
    client, operator, centre, django_assert_max_num_queries
):
    coach(centre)
    client.force_login(operator)
    detail(client, centre)  # warm the session and the per-process caches
    with django_assert_max_num_queries(30) as few:
        detail(client, centre)
    for year in range(2018, 2024):
        publish(make_proposal(round_=round_of(year), centre=centre, documents=False), stars=2)
        coach(centre, title=f"Kegiatan {year}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = detail(client, centre)
    assert len(story_of(response).proposals) == 9


def test_story_is_three_queries_whatever_the_cycles(operator, centre, django_assert_num_queries):
    for year in range(2019, 2024):
        publish(make_proposal(round_=round_of(year), centre=centre, documents=False), stars=3)
    with django_assert_num_queries(3):
        story = centre_story(user=operator, centre=centre)
    assert [rating.year for rating in story.ratings][:3] == [2025, 2024, 2023]
