"""Issue 23: reasons and assessor comments are bounded; a 1 MB text is a 400, never stored."""

import pytest
from django.urls import reverse

from ovop.evaluation.models import Assessment, Decision
from ovop.proposals.models import Transition
from tests.evaluation.helpers import assigned_world, levels
from tests.evaluation.ranking_builders import scored_proposal
from tests.factories import make_proposal

MEGABYTE = "x" * 1_000_000


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.mark.parametrize(("language", "expected"), [("en", "2000"), ("id", "2000")])
def test_api_return_with_a_1_mb_reason_is_400(api_client, verifier, media, language, expected):
    proposal = make_proposal(state="submitted")
    api_client.force_authenticate(verifier)
    response = api_client.post(
        f"/api/v1/proposals/{proposal.pk}/return/",
        {"reason": MEGABYTE},
        format="json",
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert response.status_code == 400
    assert expected in response.json()["reason"][0]
    proposal.refresh_from_db()
    assert proposal.state == "submitted"
    assert not Transition.objects.filter(proposal=proposal).exists()


def test_api_return_reason_refuses_a_bidi_override(api_client, verifier, media):
    proposal = make_proposal(state="submitted")
    api_client.force_authenticate(verifier)
    response = api_client.post(
        f"/api/v1/proposals/{proposal.pk}/return/", {"reason": "SK \u202ebelum"}, format="json"
    )
    assert response.status_code == 400
    assert "reason" in response.json()


def test_api_return_reason_of_2000_characters_with_line_breaks_is_accepted(
    api_client, verifier, media
):
    proposal = make_proposal(state="submitted")
    api_client.force_authenticate(verifier)
    reason = "SK belum ditandatangani.\n" + "y" * 1975
    response = api_client.post(
        f"/api/v1/proposals/{proposal.pk}/return/", {"reason": reason}, format="json"
    )
    assert response.status_code == 200, response.json()


def test_screen_return_with_a_1_mb_reason_is_refused_and_says_why(client, verifier, media):
    proposal = make_proposal(state="submitted")
    client.force_login(verifier)
    url = reverse("proposals:move", kwargs={"pk": proposal.pk, "action": "return"})
    response = client.post(url, {"reason": MEGABYTE}, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "2000" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.state == "submitted"


def test_api_assessment_with_a_1_mb_comment_is_400(api_client, world):
    setup = assigned_world(world)
    api_client.force_authenticate(setup["assessor"])
    url = f"/api/v1/proposals/{setup['proposal'].pk}/assessment/"
    for body, field in [
        ({"levels": {"K1.1": 5}, "general_comment": MEGABYTE}, "general_comment"),
        ({"levels": {"K1.1": 5}, "comments": {"K1.1": MEGABYTE}}, "comments"),
    ]:
        response = api_client.put(url, body, format="json", HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 400, response.content
        assert field in response.json()
    assert not Assessment.objects.exists()


def test_api_decide_with_a_1_mb_reason_is_400(api_client, world):
    proposal = scored_proposal(world, levels(4))
    api_client.force_authenticate(world["admin"])
    response = api_client.post(
        f"/api/v1/proposals/{proposal.pk}/decide/",
        {"stars": 1, "reason": MEGABYTE},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "reason" in response.json()
    assert not Decision.objects.filter(proposal=proposal).exists()
