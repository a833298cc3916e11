"""Decisions on screen: pending decisions, deviations, publication and revisions."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from ovop.evaluation.models import Decision
from ovop.evaluation.services.decisions import fill_pending, publish_cycle, set_decision
from ovop.proposals.models import Proposal, Transition
from tests.evaluation.helpers import levels, make_eligible
from tests.evaluation.ranking_builders import many_scored, scored_proposal

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, world):
    """The ministry admin, reading English (stable msgids while the catalogue grows)."""
    client.cookies["ovop_language"] = "en"
    client.force_login(world["admin"])
    return client


def decisions_url(world) -> str:
    return reverse("evaluation:decisions", kwargs={"pk": world["cycle"].pk})


def decide_url(proposal) -> str:
    return reverse("evaluation:decide", kwargs={"pk": proposal.pk})


def publish_url(world) -> str:
    return reverse("evaluation:publish", kwargs={"pk": world["cycle"].pk})


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def state_of(proposal) -> str:
    return Proposal.objects.values_list("state", flat=True).get(pk=proposal.pk)


# --- the decisions page -------------------------------------------------------------------


def test_decisions_page_lists_scored_proposals_with_computed_stars_and_decisions(
    admin_client, world
):
    four = scored_proposal(world, levels(4), name="Sentra Empat")
    five = scored_proposal(world, levels(5), name="Sentra Lima")
    set_decision(proposal=four, actor=world["admin"], stars=None, reason="Produk belum siap")
    waiting = make_eligible(world["proposal_banjar"])

    response = admin_client.get(decisions_url(world))

    assert response.status_code == 200
    rows = list(response.context["page"])
    assert [row["proposal_id"] for row in rows] == [five.pk, four.pk, waiting.pk]
    assert [row["stars"] for row in rows] == [5, 4, None]
    assert rows[1]["decision"].reason == "Produk belum siap"
    html = response.content.decode()
    assert "Produk belum siap" in html
    assert str(world["admin"]) in html
    assert response.context["pending"] == 1
    assert response.context["undecided"] == 1


def test_decisions_page_is_for_the_admin_only(client, world):
    scored_proposal(world, levels(4))
    for persona in ("viewer", "operator", "verifier", "assessor"):
        client.force_login(world[persona])
        assert client.get(decisions_url(world)).status_code == 403, persona
        assert client.get(publish_url(world)).status_code == 403, persona
    client.force_login(world["admin"])
    assert client.get(reverse("evaluation:decisions", kwargs={"pk": 999_999})).status_code == 404


def test_decisions_page_queries_do_not_grow_with_rows(
    admin_client, world, django_assert_max_num_queries
):
    scored_proposal(world, levels(4))
    with django_assert_max_num_queries(11):
        assert admin_client.get(decisions_url(world)).status_code == 200
    for proposal in many_scored(world, 20):
        set_decision(proposal=proposal, actor=world["admin"], stars=None, reason="Uji")
    with django_assert_max_num_queries(11):
        response = admin_client.get(decisions_url(world) + "?per_page=all")
    assert len(response.context["page"].object_list) == 21


def test_fill_sets_pending_decisions_from_the_computed_stars(admin_client, world):
    four = scored_proposal(world, levels(4))
    decided = scored_proposal(world, levels(5))
    set_decision(proposal=decided, actor=world["admin"], stars=None, reason="Ditunda")

    response = admin_client.post(
        reverse("evaluation:decisions_fill", kwargs={"pk": world["cycle"].pk})
    )

    assert response.status_code == 302
    assert "1 pending decision(s)" in messages_of(response)[0]
    assert Decision.objects.get(proposal=four).stars == 4
    assert Decision.objects.get(proposal=decided).stars is None  # left as decided


def test_fill_and_publish_are_403_for_non_admins(client, world):
    proposal = scored_proposal(world, levels(4))
    fill_pending(cycle=world["cycle"], actor=world["admin"])
    client.force_login(world["viewer"])

    fill = reverse("evaluation:decisions_fill", kwargs={"pk": world["cycle"].pk})
    assert client.post(fill).status_code == 403
    assert client.post(publish_url(world)).status_code == 403
    assert Decision.objects.get(proposal=proposal).status == "pending"


# --- deciding one proposal ------------------------------------------------------------------


def test_a_deviation_without_reason_is_refused_and_nothing_saved(admin_client, world):
    proposal = scored_proposal(world, levels(4))

    response = admin_client.post(decide_url(proposal), {"stars": "5", "reason": ""})

    assert response.status_code == 302
    assert "give a reason for deciding otherwise" in messages_of(response)[0]
    assert not Decision.objects.filter(proposal=proposal).exists()


def test_not_rated_against_computed_stars_needs_a_reason_too(admin_client, world):
    proposal = scored_proposal(world, levels(4))

    admin_client.post(decide_url(proposal), {"stars": "", "reason": ""})
    assert not Decision.objects.filter(proposal=proposal).exists()
    admin_client.post(decide_url(proposal), {"stars": "", "reason": "Sampel tidak diterima"})

    decision = Decision.objects.get(proposal=proposal)
    assert decision.stars is None
    assert decision.computed_stars == 4
    assert decision.reason == "Sampel tidak diterima"


def test_a_deviation_with_a_reason_is_saved_pending(admin_client, world):
    proposal = scored_proposal(world, levels(4))
    next_url = decisions_url(world) + "?page=1#decision-1"

    data = {"stars": "5", "reason": "Inovasi kemasan luar biasa", "next": next_url}

    response = admin_client.post(decide_url(proposal), data)

    assert response["Location"] == next_url
    decision = Decision.objects.get(proposal=proposal)
    assert (decision.stars, decision.computed_stars, decision.status) == (5, 4, "pending")
    assert state_of(proposal) == "eligible"


def test_decide_refuses_stars_off_the_scale(admin_client, world):
    proposal = scored_proposal(world, levels(4))

    for value in ("6", "0", "x", "-1"):
        response = admin_client.post(decide_url(proposal), {"stars": value, "reason": "Uji"})
        assert "Stars must be a whole number" in messages_of(response)[0]
    assert not Decision.objects.filter(proposal=proposal).exists()


def test_decide_ignores_a_next_url_on_another_host(admin_client, world):
    proposal = scored_proposal(world, levels(4))

    response = admin_client.post(
        decide_url(proposal), {"stars": "4", "next": "https://evil.example/phish"}
    )

    assert response["Location"] == decisions_url(world)


def test_decide_is_404_when_not_visible_and_403_when_visible_but_not_admin(client, world):
    proposal = make_eligible(world["proposal_banjar"])
    client.force_login(world["operator_neighbour"])
    assert client.post(decide_url(proposal), {"stars": ""}).status_code == 404
    for persona in ("operator", "verifier", "viewer"):
        client.force_login(world[persona])
        assert client.post(decide_url(proposal), {"stars": ""}).status_code == 403, persona
    assert not Decision.objects.exists()


def test_decide_in_a_state_that_is_not_decidable_is_refused(admin_client, world):
    draft = world["proposal_banjar"]

    response = admin_client.post(decide_url(draft), {"stars": "", "reason": "Uji"})

    assert "Only proposals screened eligible can be decided" in messages_of(response)[0]
    assert not Decision.objects.exists()


# --- publication ------------------------------------------------------------------------------


def test_publish_page_counts_what_would_be_published(admin_client, world):
    for chosen in (levels(5), levels(5), levels(4)):
        scored_proposal(world, chosen)
    not_rated = scored_proposal(world, levels(2))
    fill_pending(cycle=world["cycle"], actor=world["admin"])
    set_decision(proposal=not_rated, actor=world["admin"], stars=None, reason="Tidak layak")
    scored_proposal(world, levels(3))  # scored, not decided yet

    response = admin_client.get(publish_url(world))

    assert response.status_code == 200
    assert response.context["rated"] == [(5, 2), (4, 1), (3, 0), (2, 0), (1, 0)]
    assert response.context["not_rated"] == 1
    assert response.context["pending_total"] == 4
    assert response.context["undecided"] == 1
    assert "Publish the decisions" in response.content.decode()


def test_publish_makes_pending_final_and_moves_the_proposals(admin_client, world):
    rated = scored_proposal(world, levels(4))
    refused = scored_proposal(world, levels(3))
    fill_pending(cycle=world["cycle"], actor=world["admin"])
    set_decision(proposal=refused, actor=world["admin"], stars=None, reason="Tidak memenuhi")

    response = admin_client.post(publish_url(world))

    assert response.status_code == 302
    assert response["Location"] == decisions_url(world)
    assert "2 decision(s) published" in messages_of(response)[0]
    assert state_of(rated) == "rated"
    assert state_of(refused) == "not_rated"
    assert set(Decision.objects.values_list("status", flat=True)) == {"published"}
    moves = Transition.objects.filter(proposal__in=[rated, refused]).order_by("proposal_id")
    assert [(m.action, m.to_state, m.actor_id) for m in moves] == [
        ("publish_rated", "rated", world["admin"].pk),
        ("publish_not_rated", "not_rated", world["admin"].pk),
    ]
    assert moves[1].reason == "Tidak memenuhi"


def test_publish_with_nothing_pending_is_refused_with_a_message(admin_client, world):
    scored_proposal(world, levels(4))

    page = admin_client.get(publish_url(world))
    response = admin_client.post(publish_url(world))

    assert "no pending decisions" in page.content.decode()
    assert response.status_code == 302
    assert response["Location"] == publish_url(world)
    assert "no pending decisions to publish" in messages_of(response)[0]


def test_a_published_decision_changes_only_with_a_reason_and_the_history_shows_it(
    admin_client, world
):
    proposal = scored_proposal(world, levels(4))
    fill_pending(cycle=world["cycle"], actor=world["admin"])
    publish_cycle(cycle=world["cycle"], actor=world["admin"])

    refused = admin_client.post(decide_url(proposal), {"stars": "", "reason": ""})
    assert "This decision is published; give a reason" in messages_of(refused)[0]
    assert Decision.objects.get(proposal=proposal).stars == 4
    admin_client.post(decide_url(proposal), {"stars": "", "reason": "Izin edar dicabut"})

    decision = Decision.objects.get(proposal=proposal)
    assert decision.stars is None
    assert decision.status == "published"
    assert state_of(proposal) == "not_rated"
    revision = Transition.objects.filter(proposal=proposal).order_by("at", "pk").last()
    assert (revision.from_state, revision.to_state) == ("rated", "not_rated")
    assert revision.reason == "Izin edar dicabut"
    page = admin_client.get(decisions_url(world) + f"?history={proposal.pk}")
    assert [entry.reason for entry in page.context["history"]][0] == "Izin edar dicabut"
    html = page.content.decode()
    assert "Change history" in html
    assert "Izin edar dicabut" in html
    assert "locked" in html
    assert "Change published decision" in html
