from django.urls import reverse

from ovop.evaluation.models import Assessment
from ovop.evaluation.selectors.results_cache import fingerprint
from tests.evaluation.helpers import (
    assign_directly,
    assigned_world,
    levels,
    make_assessor,
    submit_directly,
)


def test_second_ranking_request_reuses_the_results_until_a_score_changes(
    client, world, django_assert_max_num_queries
):
    setup = assigned_world(world)
    submit_directly(setup["assignment"], levels(4))
    client.force_login(world["admin"])
    url = reverse("evaluation:ranking", kwargs={"pk": world["cycle"].pk})
    client.cookies["ovop_language"] = "en"
    first = client.get(url)
    assert first.context["rows"][0]["score"] == "80.00"
    with django_assert_max_num_queries(7):  # session, user, cycle, fingerprint, menu, …
        client.get(url)
    before = fingerprint(world["cycle"])
    second = assign_directly(setup["proposal"], make_assessor("penilai-dua"), by=world["admin"])
    submit_directly(second, levels(2))
    assert fingerprint(world["cycle"]) != before
    again = client.get(url)
    assert again.context["rows"][0]["score"] == "60.00"  # mean of 4 and 2 → level 3
    assert Assessment.objects.count() == 2


def test_an_assignment_or_a_draft_score_does_not_recompute_the_results(world):
    setup = assigned_world(world)
    submit_directly(setup["assignment"], levels(4))
    before = fingerprint(world["cycle"])
    draft = assign_directly(setup["proposal"], make_assessor("penilai-draf"), by=world["admin"])
    assert fingerprint(world["cycle"]) == before  # nothing counted changed
    assessment = Assessment.objects.create(assignment=draft, levels=levels(1))
    assert fingerprint(world["cycle"]) == before
    assessment.submitted_at = assessment.created_at
    assessment.save()
    assert fingerprint(world["cycle"]) != before
