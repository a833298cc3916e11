"""The results API: a cycle's ranking, its publication, and deciding one proposal."""

import pytest

from ovop.evaluation.models import Decision
from ovop.evaluation.services.decisions import fill_pending, publish_cycle, set_decision
from ovop.proposals.models import Proposal
from tests.evaluation.helpers import levels, make_eligible
from tests.evaluation.ranking_builders import many_scored, other_province_round, scored_proposal

pytestmark = pytest.mark.django_db

FIELDS = {
    "rank",
    "proposal",
    "centre",
    "centre_name",
    "regency",
    "province",
    "score",
    "method_score",
    "stars",
    "decision_stars",
    "decision_status",
    "disagreement",
    "keeps_band",
    "keeps_top",
}


def as_user(client, user):
    client.force_login(user)  # a session, as the browser and most scripts use
    return client


def ranking_url(world, **params) -> str:
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return f"/api/v1/cycles/{world['cycle'].pk}/ranking/" + (f"?{query}" if query else "")


# --- ranking --------------------------------------------------------------------------------


def test_ranking_lists_scored_proposals_in_rank_order(client, world):
    low = scored_proposal(world, levels(3), name="Sentra Rendah")
    high = scored_proposal(world, levels(5), levels(4), name="Sentra Tinggi")
    set_decision(proposal=high, actor=world["admin"], stars=5, reason="")

    response = as_user(client, world["viewer"]).get(ranking_url(world))

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert body["next"] is None
    first, second = body["results"]
    assert set(first) == FIELDS
    assert (first["rank"], first["proposal"], first["centre_name"]) == (1, high.pk, "Sentra Tinggi")
    assert (first["regency"], first["province"]) == ("63.03", "63")
    assert first["centre"] == Proposal.objects.get(pk=high.pk).centre_id
    assert first["score"] == 90.0
    assert first["method_score"] == pytest.approx(90.0)
    assert (first["stars"], first["decision_stars"], first["decision_status"]) == (5, 5, "pending")
    assert 0 <= first["keeps_band"] <= 1
    assert 0 <= first["keeps_top"] <= 1
    assert (second["proposal"], second["stars"], second["decision_status"]) == (low.pk, 3, "")
    assert second["decision_stars"] is None


def test_ranking_by_topsis_reports_closeness_between_zero_and_one(client, world):
    scored_proposal(world, levels(2))
    best = scored_proposal(world, levels(5))
    scored_proposal(world, levels(4, K3_1=2))

    body = as_user(client, world["admin"]).get(ranking_url(world, method="topsis")).json()

    assert body["results"][0]["proposal"] == best.pk
    assert body["results"][0]["method_score"] == pytest.approx(1.0)
    assert all(0 <= row["method_score"] <= 1 for row in body["results"])
    assert [row["stars"] for row in body["results"]] == [5, 4, 2]  # stars from the score


def test_ranking_refuses_an_unknown_method(client, world):
    response = as_user(client, world["admin"]).get(
        ranking_url(world, method="ahp"), HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 400
    assert "saw or topsis" in response.json()["method"][0]


def test_ranking_filters_by_province(client, world):
    here = scored_proposal(world, levels(3))
    scored_proposal(world, levels(5), round_=other_province_round(world), district="64.01.01")

    body = as_user(client, world["admin"]).get(ranking_url(world, province="63")).json()

    assert [(row["rank"], row["proposal"]) for row in body["results"]] == [(1, here.pk)]


def test_ranking_is_paginated_like_other_lists(client, world):
    many_scored(world, 7, per_proposal=1)

    body = as_user(client, world["admin"]).get(ranking_url(world, page_size=3, page=2)).json()

    assert body["count"] == 7
    assert [row["rank"] for row in body["results"]] == [4, 5, 6]
    assert "page=3" in body["next"]
    assert body["previous"]


@pytest.mark.parametrize(
    "persona", ["operator", "operator_neighbour", "verifier", "verifier_other", "assessor"]
)
def test_ranking_is_403_for_roles_without_results(client, world, persona):
    scored_proposal(world, levels(4))

    assert as_user(client, world[persona]).get(ranking_url(world)).status_code == 403


def test_ranking_of_an_unknown_cycle_is_404_and_anonymous_is_401(client, world):
    assert client.get(ranking_url(world)).status_code == 401
    response = as_user(client, world["admin"]).get("/api/v1/cycles/999999/ranking/")
    assert response.status_code == 404


def test_ranking_takes_at_most_ten_queries_for_one_or_many_proposals(
    client, world, django_assert_max_num_queries
):
    as_user(client, world["admin"])
    scored_proposal(world, levels(4))
    with django_assert_max_num_queries(10):
        assert client.get(ranking_url(world)).status_code == 200
    for proposal in many_scored(world, 40):
        set_decision(proposal=proposal, actor=world["admin"], stars=None, reason="Uji")
    for method in ("saw", "topsis"):
        with django_assert_max_num_queries(10):
            response = client.get(ranking_url(world, method=method, page_size=500))
        assert response.json()["count"] == 41


# --- publish --------------------------------------------------------------------------------


def test_publish_answers_how_many_were_published(client, world):
    rated = scored_proposal(world, levels(4))
    fill_pending(cycle=world["cycle"], actor=world["admin"])

    response = as_user(client, world["admin"]).post(f"/api/v1/cycles/{world['cycle'].pk}/publish/")

    assert response.status_code == 200
    assert response.json() == {"published": 1}
    assert Proposal.objects.get(pk=rated.pk).state == "rated"


def test_publish_with_nothing_pending_is_409(client, world):
    scored_proposal(world, levels(4))

    response = as_user(client, world["admin"]).post(
        f"/api/v1/cycles/{world['cycle'].pk}/publish/", HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 409
    assert "no pending decisions" in response.json()["detail"]


def test_publish_is_403_for_non_admins(client, world):
    scored_proposal(world, levels(4))
    fill_pending(cycle=world["cycle"], actor=world["admin"])

    for persona in ("viewer", "verifier", "operator"):
        response = as_user(client, world[persona]).post(
            f"/api/v1/cycles/{world['cycle'].pk}/publish/"
        )
        assert response.status_code == 403, persona
    assert not Decision.objects.filter(status="published").exists()


# --- decide ---------------------------------------------------------------------------------


def decide(client, proposal, **data):
    return client.post(
        f"/api/v1/proposals/{proposal.pk}/decide/",
        data,
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )


def test_decide_answers_the_proposal_representation(client, world):
    proposal = scored_proposal(world, levels(4))

    response = decide(as_user(client, world["admin"]), proposal, stars=4, reason="")

    assert response.status_code == 200
    body = response.json()
    assert body["id"] == proposal.pk
    assert body["state"] == "eligible"
    assert "timeline" in body
    assert "stars" not in body
    assert Decision.objects.get(proposal=proposal).stars == 4


def test_decide_needs_a_reason_to_depart_from_the_computed_stars(client, world):
    proposal = scored_proposal(world, levels(4))
    admin = as_user(client, world["admin"])

    response = decide(admin, proposal, stars=None)

    assert response.status_code == 400
    assert "give a reason" in response.json()["reason"][0]
    assert not Decision.objects.exists()
    assert decide(admin, proposal, stars=None, reason="Sampel rusak").status_code == 200


def test_decide_refuses_stars_off_the_cycle_scale(client, world):
    proposal = scored_proposal(world, levels(4))
    admin = as_user(client, world["admin"])

    assert "stars" in decide(admin, proposal, stars=6, reason="x").json()
    assert "stars" in decide(admin, proposal, reason="x").json()  # stars is required
    world["cycle"].star_scale = 3
    world["cycle"].save()
    assert "stars" in decide(admin, proposal, stars=4, reason="x").json()
    assert not Decision.objects.exists()


def test_decide_revising_a_published_decision_moves_the_proposal(client, world):
    proposal = scored_proposal(world, levels(4))
    fill_pending(cycle=world["cycle"], actor=world["admin"])
    publish_cycle(cycle=world["cycle"], actor=world["admin"])
    admin = as_user(client, world["admin"])

    assert decide(admin, proposal, stars=None).status_code == 400
    response = decide(admin, proposal, stars=None, reason="Izin edar dicabut")

    assert response.status_code == 200
    assert response.json()["state"] == "not_rated"
    assert response.json()["timeline"][-1]["reason"] == "Izin edar dicabut"


def test_decide_is_409_when_the_state_does_not_allow_it(client, world):
    response = decide(
        as_user(client, world["admin"]), world["proposal_banjar"], stars=None, reason="Uji"
    )

    assert response.status_code == 409
    assert "screened eligible" in response.json()["detail"]


def test_decide_is_404_when_not_visible_and_403_when_visible_but_not_admin(client, world):
    proposal = make_eligible(world["proposal_banjar"])

    neighbour = as_user(client, world["operator_neighbour"])
    assert decide(neighbour, proposal, stars=None).status_code == 404
    for persona in ("operator", "verifier", "viewer"):
        assert decide(as_user(client, world[persona]), proposal, stars=None).status_code == 403
    assert not Decision.objects.exists()


def test_decide_without_credentials_is_401(client, world):
    assert decide(client, world["proposal_banjar"], stars=None).status_code == 401
