"""``GET /api/v1/me/tasks/``: the home page's queue as JSON, per persona, in both languages."""

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.reports.queues_builders import RETURN_REASON, expected, queue_world

pytestmark = pytest.mark.django_db

URL = "/api/v1/me/tasks/"


@pytest.fixture(scope="module")
def queues(module_world):
    return queue_world(module_world)


def tasks_of(user, *, language: str = "id") -> dict:
    client = APIClient()
    client.force_authenticate(user)
    response = client.get(URL, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.json()


def test_route_is_the_public_name():
    assert reverse("me-tasks") == URL


@pytest.mark.parametrize(
    "persona", ["operator", "operator_neighbour", "verifier", "admin", "assessor", "viewer"]
)
def test_each_persona_gets_their_queue(queues, persona):
    body = tasks_of(queues[persona])
    results = {item["key"]: item for item in body["results"]}
    assert (body["count"], body["next"], body["previous"]) == (len(results), None, None)
    for key, (count, url) in expected(queues)[persona].items():
        assert results[key]["count"] == count, key
        assert results[key]["url"] == f"http://testserver{url}", key
    assert set(results) == set(expected(queues)[persona])


def test_items_carry_label_deadline_and_details(queues):
    results = {item["key"]: item for item in tasks_of(queues["operator"])["results"]}
    deadline = timezone.localdate(queues["round"].deadline).isoformat()
    assert results["quota"]["deadline"] == deadline
    assert results["quota"]["label"] == "0 dari 2 usulan diajukan"
    assert results["drafts"]["details"] == []
    (returned,) = results["returned"]["details"]
    assert returned["note"] == RETURN_REASON
    assert returned["url"].startswith("http://testserver/proposals/")
    viewer = {item["key"]: item for item in tasks_of(queues["viewer"])["results"]}
    assert viewer["rated"]["deadline"] is None


def test_labels_follow_accept_language(queues):
    english = {
        item["key"]: item["label"]
        for item in tasks_of(queues["verifier"], language="en")["results"]
    }
    indonesian = {item["key"]: item["label"] for item in tasks_of(queues["verifier"])["results"]}
    assert english["to_verify"] == "Proposals to check"
    assert indonesian["to_verify"] == "Usulan untuk diperiksa"


def test_token_authentication_works(queues):
    token = Token.objects.create(user=queues["assessor"])
    response = APIClient().get(URL, HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200
    assert {item["key"] for item in response.json()["results"]} == {"to_score", "drafts_to_submit"}


def test_anonymous_gets_401():
    response = APIClient().get(URL)
    assert response.status_code == 401


def test_schema_documents_the_endpoint(client):
    schema = client.get(reverse("api-schema"), HTTP_ACCEPT="application/json").json()
    operation = schema["paths"]["/api/v1/me/tasks/"]["get"]
    assert operation["operationId"] == "me_tasks"
    reference = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    task_list = schema["components"]["schemas"][reference.rsplit("/", 1)[1]]
    assert set(task_list["properties"]) == {"count", "next", "previous", "results"}
    task = schema["components"]["schemas"]["Task"]
    assert {"key", "label", "count", "url", "deadline", "details"} <= set(task["properties"])


@pytest.mark.parametrize("persona", ["operator", "verifier", "admin", "assessor", "viewer"])
def test_api_query_count_is_bounded(queues, persona, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        tasks_of(queues[persona])
