"""GET|PUT /api/v1/proposals/{id}/assessment/: the caller's own assessment."""

import pytest
from django.utils import timezone

from ovop.evaluation.models import Assessment, Rubric
from tests.evaluation.helpers import assigned_world, levels, make_assessor, submit_directly

OVERRIDE_COMMENTS = {"K2.2": "Sertifikat lain sedang diurus", "K4.2": "Pelatihan rutin"}


@pytest.fixture
def setup(world):
    return assigned_world(world)


def url(proposal) -> str:
    return f"/api/v1/proposals/{proposal.pk}/assessment/"


def as_user(api_client, user):
    api_client.force_authenticate(user)
    return api_client


def test_get_answers_an_empty_assessment_with_suggestions(api_client, setup):
    response = as_user(api_client, setup["assessor"]).get(
        url(setup["proposal"]), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    body = response.json()
    assert body["levels"] == {}
    assert body["comments"] == {}
    assert body["general_comment"] == ""
    assert body["submitted"] is False
    assert body["submitted_at"] is None
    assert body["total"] == 0
    assert set(body["suggested"]) == {"K2.2", "K3.1", "K4.2"}
    assert body["suggested"]["K3.1"]["level"] == 4
    assert "National" in body["suggested"]["K3.1"]["reason"]


def test_put_saves_a_draft_and_answers_the_total(api_client, setup):
    client = as_user(api_client, setup["assessor"])
    body = {
        "levels": {"K1.1": 5, "K3.1": 4},
        "comments": {"K1.1": "Lokal"},
        "general_comment": "Awal",
    }
    response = client.put(url(setup["proposal"]), body, format="json")
    assert response.status_code == 200, response.json()
    answer = response.json()
    assert answer["levels"] == {"K1.1": 5, "K3.1": 4}
    assert answer["submitted"] is False
    assert answer["total"] == pytest.approx(10 + 12)
    assert answer["comments"] == {"K1.1": "Lokal"}
    assert answer["general_comment"] == "Awal"
    assessment = Assessment.objects.get(assignment=setup["assignment"])
    assert assessment.levels == {"K1.1": 5, "K3.1": 4}
    assert assessment.submitted_at is None
    assert client.get(url(setup["proposal"])).json()["levels"] == {"K1.1": 5, "K3.1": 4}


def test_put_submit_is_final_and_locks_the_rubric(api_client, world, setup):
    client = as_user(api_client, setup["assessor"])
    body = {"levels": levels(4), "comments": OVERRIDE_COMMENTS, "submit": True}
    response = client.put(url(setup["proposal"]), body, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["submitted"] is True
    assert response.json()["submitted_at"]
    assert response.json()["total"] == pytest.approx(80.0)
    assert Rubric.objects.get(cycle=world["cycle"]).locked_at is not None
    again = client.put(
        url(setup["proposal"]), {"levels": levels(5)}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert again.status_code == 409
    assert "can no longer change" in again.json()["detail"]
    assert Assessment.objects.get().levels == levels(4)


def test_put_invalid_levels_answers_400_by_code(api_client, setup):
    client = as_user(api_client, setup["assessor"])
    response = client.put(
        url(setup["proposal"]),
        {"levels": {"K1.1": 7, "K9.9": 3}},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"K1.1", "K9.9"}
    assert "choose a level from 1 to 5" in body["K1.1"][0]
    assert not Assessment.objects.exists()


def test_put_levels_that_are_not_an_object_answers_400(api_client, setup):
    response = as_user(api_client, setup["assessor"]).put(
        url(setup["proposal"]), {"levels": [4, 4]}, format="json"
    )
    assert response.status_code == 400
    assert "levels" in response.json()


def test_put_override_without_comment_on_submit_is_refused(api_client, world, setup):
    client = as_user(api_client, setup["assessor"])
    body = {"levels": levels(4), "comments": {"K2.2": "Ada"}, "submit": True}
    response = client.put(url(setup["proposal"]), body, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert list(response.json()) == ["K4.2"]
    assert "instead of the suggested 3" in response.json()["K4.2"][0]
    assert not Assessment.objects.exists()
    assert Rubric.objects.get(cycle=world["cycle"]).locked_at is None


def test_put_incomplete_submission_names_the_missing_codes(api_client, setup):
    client = as_user(api_client, setup["assessor"])
    response = client.put(
        url(setup["proposal"]), {"levels": {"K3.1": 4}, "submit": True}, format="json"
    )
    assert response.status_code == 400
    assert len(response.json()) == 10
    assert "K3.1" not in response.json()


def test_put_on_a_proposal_no_longer_eligible_is_409(api_client, setup):
    proposal = setup["proposal"]
    proposal.state = "not_rated"
    proposal.save(update_fields=["state"])
    response = as_user(api_client, setup["assessor"]).put(
        url(proposal), {"levels": {"K1.1": 3}}, format="json"
    )
    assert response.status_code == 409
    assert not Assessment.objects.exists()


@pytest.mark.parametrize("persona", ["admin", "operator", "verifier", "viewer"])
def test_visible_but_not_assessor_is_403(api_client, world, setup, persona):
    client = as_user(api_client, world[persona])
    assert client.get(url(setup["proposal"])).status_code == 403
    assert client.put(url(setup["proposal"]), {"levels": {}}, format="json").status_code == 403
    assert not Assessment.objects.exists()


@pytest.mark.parametrize("persona", ["assessor", "operator_neighbour", "verifier_other"])
def test_not_visible_is_404(api_client, world, setup, persona):
    client = as_user(api_client, world[persona])
    assert client.get(url(setup["proposal"])).status_code == 404
    assert client.put(url(setup["proposal"]), {"levels": {}}, format="json").status_code == 404


def test_another_assessor_cannot_see_the_proposal(api_client, setup):
    client = as_user(api_client, make_assessor("penilai-lain"))
    assert client.get(url(setup["proposal"])).status_code == 404


def test_recused_assessor_no_longer_sees_the_proposal(api_client, setup):
    assignment = setup["assignment"]
    assignment.recused_at, assignment.recusal_reason = timezone.now(), "Kerabat"
    assignment.save()
    client = as_user(api_client, setup["assessor"])
    assert client.get(url(setup["proposal"])).status_code == 404
    assert client.put(url(setup["proposal"]), {"levels": {}}, format="json").status_code == 404


def test_anonymous_is_401(api_client, setup):
    assert api_client.get(url(setup["proposal"])).status_code == 401
    assert api_client.put(url(setup["proposal"]), {}, format="json").status_code == 401


def test_get_shows_a_submitted_assessment(api_client, setup):
    submit_directly(setup["assignment"], levels(5))
    body = as_user(api_client, setup["assessor"]).get(url(setup["proposal"])).json()
    assert body["submitted"] is True
    assert body["levels"] == levels(5)
    assert body["total"] == 100


def test_put_is_allowed_on_the_assessment_route_only(api_client, world, setup):
    client = as_user(api_client, world["operator"])
    response = client.put(f"/api/v1/proposals/{setup['proposal'].pk}/", {}, format="json")
    assert response.status_code == 405


def test_schema_documents_the_assessment_endpoint(api_client):
    schema = api_client.get("/api/v1/schema/?format=json").json()
    path = schema["paths"]["/api/v1/proposals/{id}/assessment/"]
    assert set(path) >= {"get", "put"}
    assert set(path["put"]["responses"]) >= {"200", "400", "403", "404", "409"}
    request = path["put"]["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    name = request.rsplit("/", 1)[1]
    assert set(schema["components"]["schemas"][name]["properties"]) == {
        "levels",
        "comments",
        "general_comment",
        "submit",
    }
    answer = schema["components"]["schemas"]["Assessment"]["properties"]
    assert {"levels", "suggested", "total", "submitted", "submitted_at"} <= set(answer)
