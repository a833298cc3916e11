"""GET|POST /api/v1/proposals/{id}/assessors/: the ministry admin assigns assessors."""

import pytest
from django.utils import timezone

from ovop.evaluation.models import Assignment
from tests.evaluation.helpers import (
    assign_directly,
    assigned_world,
    make_assessor,
    make_eligible,
    submit_directly,
)
from tests.evaluation.helpers_setup import CONFLICT_KINDS, make_conflict

ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


def url(proposal) -> str:
    return f"/api/v1/proposals/{proposal.pk}/assessors/"


def as_user(api_client, user):
    api_client.force_authenticate(user)
    return api_client


def test_get_lists_the_assignments_with_their_status(api_client, world):
    setup = assigned_world(world)
    submit_directly(setup["assignment"])
    recused = assign_directly(setup["proposal"], make_assessor("penilai-mundur"))
    recused.recused_at, recused.recusal_reason = timezone.now(), "Kenal pemilik"
    recused.save()
    response = as_user(api_client, world["admin"]).get(url(setup["proposal"]))
    assert response.status_code == 200
    body = response.json()
    assert [row["assessor"] for row in body] == ["penilai-luar", "penilai-mundur"]
    first, second = body
    assert set(first) == {
        "id",
        "assessor",
        "method",
        "explanation",
        "recused_at",
        "recusal_reason",
        "submitted",
    }
    assert (first["id"], first["method"], first["submitted"], first["recused_at"]) == (
        setup["assignment"].pk,
        "manual",
        True,
        None,
    )
    assert second["submitted"] is False
    assert second["recusal_reason"] == "Kenal pemilik"
    assert second["recused_at"] is not None


def test_post_assigns_and_answers_201(api_client, world):
    proposal = make_eligible(world["proposal_banjar"])
    chosen = make_assessor("penilai-api")
    response = as_user(api_client, world["admin"]).post(
        url(proposal), {"assessor": "penilai-api"}, format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assignment = Assignment.objects.get()
    assert (body["id"], body["assessor"], body["method"], body["submitted"]) == (
        assignment.pk,
        "penilai-api",
        "manual",
        False,
    )
    assert assignment.assessor == chosen
    assert assignment.assigned_by == world["admin"]


@pytest.mark.parametrize("kind", CONFLICT_KINDS)
def test_post_answers_409_naming_the_conflict(api_client, world, kind):
    proposal = make_eligible(world["proposal_banjar"])
    assessor, named = make_conflict(kind, world, proposal)
    response = as_user(api_client, world["admin"]).post(
        url(proposal), {"assessor": assessor.username}, format="json", **ENGLISH
    )
    assert response.status_code == 409
    detail = response.json()["detail"]
    assert detail.startswith("Conflict of interest: ")
    assert named in detail
    assert not Assignment.objects.filter(recused_at__isnull=True).exists()


def test_post_answers_400_for_an_unknown_username_or_a_non_assessor(api_client, world):
    proposal = make_eligible(world["proposal_banjar"])
    client = as_user(api_client, world["admin"])
    unknown = client.post(url(proposal), {"assessor": "siapa"}, format="json", **ENGLISH)
    assert unknown.status_code == 400
    assert unknown.json() == {"assessor": ["There is no user “siapa”."]}
    operator = client.post(
        url(proposal), {"assessor": world["operator"].username}, format="json", **ENGLISH
    )
    assert operator.status_code == 400
    assert "is not an active assessor" in str(operator.json())
    assert client.post(url(proposal), {}, format="json").status_code == 400
    assert not Assignment.objects.exists()


def test_post_answers_409_when_not_eligible_or_already_assigned(api_client, world):
    make_assessor("penilai-api")
    client = as_user(api_client, world["admin"])
    draft = client.post(
        url(world["proposal_banjar"]), {"assessor": "penilai-api"}, format="json", **ENGLISH
    )
    assert draft.status_code == 409
    assert "screened eligible" in draft.json()["detail"]
    setup = assigned_world(world)
    again = client.post(
        url(setup["proposal"]), {"assessor": setup["assessor"].username}, format="json", **ENGLISH
    )
    assert again.status_code == 409
    assert "already assigned" in again.json()["detail"]


def test_assessors_endpoint_scoping(api_client, world):
    setup = assigned_world(world)
    make_assessor("penilai-api")
    target = url(setup["proposal"])
    for persona in ("operator", "verifier", "viewer"):
        client = as_user(api_client, world[persona])
        assert client.get(target).status_code == 403
        assert client.post(target, {"assessor": "penilai-api"}, format="json").status_code == 403
    # The assigned assessor sees the proposal, but may not manage its assessors.
    assert as_user(api_client, setup["assessor"]).get(target).status_code == 403
    for persona in ("operator_neighbour", "verifier_other", "assessor"):
        client = as_user(api_client, world[persona])
        assert client.get(target).status_code == 404
        assert client.post(target, {"assessor": "penilai-api"}, format="json").status_code == 404
    api_client.force_authenticate(None)
    assert api_client.get(target).status_code == 401
    assert Assignment.objects.count() == 1


@pytest.mark.parametrize("assessors", [1, 8])
def test_get_queries_do_not_grow_with_assignments(
    api_client, world, django_assert_max_num_queries, assessors
):
    setup = assigned_world(world)
    for number in range(assessors - 1):
        submit_directly(assign_directly(setup["proposal"], make_assessor(f"penilai-{number}")))
    client = as_user(api_client, world["admin"])
    with django_assert_max_num_queries(3):
        response = client.get(url(setup["proposal"]))
    assert len(response.json()) == assessors
