"""The set-up screens: evaluation index, cycle hub, automatic assignment, proposal panel."""

import pytest
from django.urls import reverse
from django.utils import translation

from ovop.evaluation.models import Assessment, Assignment
from ovop.evaluation.services.decisions import fill_pending
from tests.evaluation.helpers import (
    assign_directly,
    assigned_world,
    levels,
    make_assessor,
    make_eligible,
    submit_directly,
)
from tests.evaluation.helpers_setup import CONFLICT_KINDS, make_conflict
from tests.factories import CentreFactory, make_cycle, make_proposal


@pytest.fixture(autouse=True)
def english(client):
    """Screens are Indonesian unless the language cookie says otherwise."""
    client.cookies["ovop_language"] = "en"
    with translation.override("en"):
        yield


def signed_in(client, user):
    client.force_login(user)
    return client


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def eligible_tapin(world):
    return make_proposal(round_=world["round"], centre=world["centre_tapin"], state="eligible")


def two_proposals_in_progress(world) -> dict:
    """Banjar: one assessor, submitted, decision pending. Tapin: one assessor, a draft."""
    setup = assigned_world(world)
    submit_directly(setup["assignment"], levels(4))
    tapin = eligible_tapin(world)
    drafting = assign_directly(tapin, make_assessor("penilai-draf"), by=world["admin"])
    Assessment.objects.create(assignment=drafting, levels={"K1.1": 3})
    fill_pending(cycle=world["cycle"], actor=world["admin"])
    return {**setup, "tapin": tapin, "drafting": drafting}


# --- index ------------------------------------------------------------------------------


def test_index_shows_each_cycles_progress_to_the_admin(client, world):
    two_proposals_in_progress(world)
    response = signed_in(client, world["admin"]).get(reverse("evaluation:index"))
    assert response.status_code == 200
    ((cycle, progress),) = response.context["rows"]
    assert cycle == world["cycle"]
    assert (progress.eligible, progress.seats_filled, progress.seats_needed, progress.short) == (
        2,
        2,
        6,
        2,
    )
    assert (progress.submitted, progress.drafts, progress.pending, progress.published) == (
        1,
        1,
        1,
        0,
    )
    assert reverse("evaluation:cycle", args=[cycle.pk]) in response.content.decode()


def test_index_reads_for_the_national_viewer_and_sends_assessors_to_their_list(client, world):
    assert signed_in(client, world["viewer"]).get(reverse("evaluation:index")).status_code == 200
    response = signed_in(client, world["assessor"]).get(reverse("evaluation:index"))
    assert response.status_code == 302
    assert response["Location"] == reverse("evaluation:my_assignments")
    for persona in ("operator", "verifier"):
        assert signed_in(client, world[persona]).get(reverse("evaluation:index")).status_code == 403


@pytest.mark.parametrize("cycles", [1, 6])
def test_index_queries_do_not_grow_with_cycles(
    client, world, django_assert_max_num_queries, cycles
):
    for year in range(2027, 2027 + cycles - 1):
        make_cycle(year=year, name=f"OVOP {year}")
    two_proposals_in_progress(world)
    signed_in(client, world["admin"])
    with django_assert_max_num_queries(8):
        response = client.get(reverse("evaluation:index"))
    assert len(response.context["rows"]) == cycles


# --- cycle hub --------------------------------------------------------------------------


def test_cycle_hub_shows_rubric_bands_settings_progress_and_proposals(client, world):
    state = two_proposals_in_progress(world)
    response = signed_in(client, world["admin"]).get(
        reverse("evaluation:cycle", args=[world["cycle"].pk])
    )
    html = response.content.decode()
    assert [section["criterion"].code for section in response.context["outline"]] == [
        "K1",
        "K2",
        "K3",
        "K4",
    ]
    assert [section["weight"] for section in response.context["outline"]] == [25, 30, 25, 20]
    assert response.context["bands"][0] == ("★★★★★", 85.0)
    assert response.context["progress"].submitted == 1
    assert [p.pk for p in response.context["page"]] == [state["proposal"].pk, state["tapin"].pk]
    assert response.context["assign_form"]["per_proposal"].initial == 3
    assert reverse("evaluation:auto_assign", args=[world["cycle"].pk]) in html
    assert reverse("evaluation:rubric_edit", args=[world["cycle"].pk]) in html
    assert reverse("evaluation:proposal", args=[state["tapin"].pk]) in html
    assert "penilai-draf" in html
    assert "editable" in html


def test_cycle_hub_is_read_only_for_the_national_viewer(client, world):
    response = signed_in(client, world["viewer"]).get(
        reverse("evaluation:cycle", args=[world["cycle"].pk])
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("evaluation:auto_assign", args=[world["cycle"].pk]) not in html
    assert reverse("evaluation:rubric_edit", args=[world["cycle"].pk]) not in html


def test_cycle_hub_searches_and_filters_short_proposals(client, world):
    state = two_proposals_in_progress(world)
    for number in range(3):
        assign_directly(state["tapin"], make_assessor(f"penilai-tapin-{number}"))
    signed_in(client, world["admin"])
    url = reverse("evaluation:cycle", args=[world["cycle"].pk])
    short = client.get(url, {"short": "1"}).context["page"]
    assert [p.pk for p in short] == [state["proposal"].pk]
    found = client.get(url, {"q": "Tapin"}).context["page"]
    assert [(p.pk, p.active, p.submitted) for p in found] == [(state["tapin"].pk, 4, 0)]


def test_cycle_hub_exports_the_assignment_status(client, world):
    state = two_proposals_in_progress(world)
    response = signed_in(client, world["admin"]).get(
        reverse("evaluation:cycle", args=[world["cycle"].pk]), {"format": "csv"}
    )
    body = b"".join(response.streaming_content).decode()
    assert "Sentra Banjar" in body
    assert "Sentra Tapin" in body
    assert state["assessor"].username in body
    assert "penilai-draf" in body
    xlsx = client.get(reverse("evaluation:cycle", args=[world["cycle"].pk]), {"format": "xlsx"})
    assert xlsx["Content-Disposition"].endswith('.xlsx"')
    b"".join(xlsx.streaming_content)


def test_cycle_hub_refuses_others_and_answers_404_for_an_unknown_cycle(client, world):
    url = reverse("evaluation:cycle", args=[world["cycle"].pk])
    for persona in ("operator", "verifier", "assessor"):
        assert signed_in(client, world[persona]).get(url).status_code == 403
    missing = reverse("evaluation:cycle", args=[world["cycle"].pk + 100])
    assert signed_in(client, world["admin"]).get(missing).status_code == 404


@pytest.mark.parametrize("proposals", [1, 12])
def test_cycle_hub_queries_do_not_grow_with_proposals(
    client, world, django_assert_max_num_queries, proposals
):
    setup = assigned_world(world)
    helper = make_assessor("penilai-kedua")
    assign_directly(setup["proposal"], helper)
    for number in range(proposals - 1):
        centre = CentreFactory(region_id="63.03.01", name=f"Sentra Purun {number}")
        proposal = make_proposal(round_=world["round"], centre=centre, state="eligible")
        assign_directly(proposal, setup["assessor"])
        assign_directly(proposal, helper)
    signed_in(client, world["admin"])
    with django_assert_max_num_queries(20):  # 2 of them: the cycle status step
        response = client.get(reverse("evaluation:cycle", args=[world["cycle"].pk]))
    assert response.context["page"].paginator.count == proposals


# --- automatic assignment ---------------------------------------------------------------


def test_auto_assign_creates_assignments_and_reports_the_shortfall(client, world):
    proposal = make_eligible(world["proposal_banjar"])
    outsider = make_assessor("penilai-luar")
    response = signed_in(client, world["admin"]).post(
        reverse("evaluation:auto_assign", args=[world["cycle"].pk]),
        {"per_proposal": "2"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("evaluation:cycle", args=[world["cycle"].pk])
    text = " ".join(messages_of(response))
    assert "1 assignment(s) created." in text
    assert "1 proposal(s) are still short of 2 assessors" in text
    assert str(proposal.pk) in text
    # The persona assessor's home province is 63, the proposal's: never chosen.
    assert list(proposal.assignments.values_list("assessor", flat=True)) == [outsider.pk]


def test_auto_assign_refuses_a_bad_number_and_non_admins(client, world):
    make_eligible(world["proposal_banjar"])
    make_assessor("penilai-luar")
    url = reverse("evaluation:auto_assign", args=[world["cycle"].pk])
    response = signed_in(client, world["admin"]).post(url, {"per_proposal": "0"}, follow=True)
    assert messages_of(response)
    assert not Assignment.objects.exists()
    assert signed_in(client, world["viewer"]).post(url, {"per_proposal": "1"}).status_code == 403
    missing = reverse("evaluation:auto_assign", args=[world["cycle"].pk + 100])
    assert signed_in(client, world["admin"]).post(missing).status_code == 404
    assert not Assignment.objects.exists()


# --- the proposal's evaluation panel ----------------------------------------------------


def test_proposal_panel_shows_assessors_levels_totals_and_the_official_score(client, world):
    setup = assigned_world(world)
    submit_directly(setup["assignment"], levels(4, K1_1=5))
    Assessment.objects.filter(assignment=setup["assignment"]).update(
        comments={"K1.1": "Bahan lokal semua"}
    )
    free = make_assessor("penilai-bebas", home="64")
    response = signed_in(client, world["admin"]).get(
        reverse("evaluation:proposal", args=[setup["proposal"].pk])
    )
    assert response.status_code == 200
    html = response.content.decode()
    (row_k11, *_rest) = response.context["table"]
    assert row_k11["sub"].code == "K1.1"
    assert row_k11["cells"] == [(5, "Bahan lokal semua")]
    ((assignment, total),) = response.context["totals"]
    assert assignment == setup["assignment"]
    assert total == pytest.approx(82.0)
    official = response.context["official"]
    assert official.score == pytest.approx(82.0)
    assert official.stars == 4
    assert "82.00" in html
    assert "Bahan lokal semua" in html
    assert "test" in html  # explanation
    # Suggestions leave out the assigned one and the persona from the proposal's province.
    assert [user.username for user in response.context["choices"]] == [free.username]
    assert reverse("evaluation:assign", args=[setup["proposal"].pk]) in html
    # A submitted assessment cannot be removed: no remove button for it.
    assert reverse("evaluation:unassign", args=[setup["assignment"].pk]) not in html


def test_proposal_panel_is_read_only_for_the_national_viewer(client, world):
    setup = assigned_world(world)
    response = signed_in(client, world["viewer"]).get(
        reverse("evaluation:proposal", args=[setup["proposal"].pk])
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert setup["assessor"].username in html
    assert reverse("evaluation:assign", args=[setup["proposal"].pk]) not in html
    assert reverse("evaluation:unassign", args=[setup["assignment"].pk]) not in html


def test_proposal_panel_scoping(client, world):
    setup = assigned_world(world)
    url = reverse("evaluation:proposal", args=[setup["proposal"].pk])
    assert signed_in(client, world["operator"]).get(url).status_code == 403
    assert signed_in(client, world["verifier"]).get(url).status_code == 403
    assert signed_in(client, world["operator_neighbour"]).get(url).status_code == 404
    assert signed_in(client, world["verifier_other"]).get(url).status_code == 404
    # The assigned assessor sees the proposal, but this is not their screen.
    assert signed_in(client, setup["assessor"]).get(url).status_code == 403
    assert signed_in(client, world["assessor"]).get(url).status_code == 404


# --- manual assignment and removal ------------------------------------------------------


def test_assign_screen_assigns_by_username(client, world):
    proposal = make_eligible(world["proposal_banjar"])
    chosen = make_assessor("penilai-pilihan")
    response = signed_in(client, world["admin"]).post(
        reverse("evaluation:assign", args=[proposal.pk]),
        {"assessor": " penilai-pilihan "},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("evaluation:proposal", args=[proposal.pk])
    assignment = proposal.assignments.get()
    assert (assignment.assessor, assignment.method, assignment.assigned_by) == (
        chosen,
        "manual",
        world["admin"],
    )
    assert any("is assigned" in text for text in messages_of(response))


@pytest.mark.parametrize("kind", CONFLICT_KINDS)
def test_assign_screen_refuses_a_conflict_naming_it(client, world, kind):
    proposal = make_eligible(world["proposal_banjar"])
    assessor, named = make_conflict(kind, world, proposal)
    response = signed_in(client, world["admin"]).post(
        reverse("evaluation:assign", args=[proposal.pk]),
        {"assessor": assessor.username},
        follow=True,
    )
    (message,) = messages_of(response)
    assert message.startswith("Conflict of interest:")
    assert named in message
    assert not proposal.assignments.filter(recused_at__isnull=True).exists()


def test_assign_screen_refuses_an_unknown_username(client, world):
    proposal = make_eligible(world["proposal_banjar"])
    response = signed_in(client, world["admin"]).post(
        reverse("evaluation:assign", args=[proposal.pk]), {"assessor": "siapa"}, follow=True
    )
    assert messages_of(response) == ["There is no user “siapa”."]
    assert not proposal.assignments.exists()


def test_assign_screen_scoping(client, world):
    proposal = make_eligible(world["proposal_banjar"])
    make_assessor("penilai-pilihan")
    url = reverse("evaluation:assign", args=[proposal.pk])
    data = {"assessor": "penilai-pilihan"}
    assert signed_in(client, world["operator_neighbour"]).post(url, data).status_code == 404
    assert signed_in(client, world["operator"]).post(url, data).status_code == 403
    assert signed_in(client, world["viewer"]).post(url, data).status_code == 403
    assert not proposal.assignments.exists()


def test_unassign_removes_an_assignment_without_a_submitted_assessment(client, world):
    setup = assigned_world(world)
    Assessment.objects.create(assignment=setup["assignment"], levels={"K1.1": 2})
    response = signed_in(client, world["admin"]).post(
        reverse("evaluation:unassign", args=[setup["assignment"].pk]), follow=True
    )
    assert response.redirect_chain[-1][0] == reverse(
        "evaluation:proposal", args=[setup["proposal"].pk]
    )
    assert not Assignment.objects.filter(pk=setup["assignment"].pk).exists()


def test_unassign_refuses_once_submitted(client, world):
    setup = assigned_world(world)
    submit_directly(setup["assignment"])
    response = signed_in(client, world["admin"]).post(
        reverse("evaluation:unassign", args=[setup["assignment"].pk]), follow=True
    )
    assert "already submitted a score" in messages_of(response)[0]
    assert Assignment.objects.filter(pk=setup["assignment"].pk).exists()


def test_unassign_keeps_a_recusal_on_record(client, world):
    setup = assigned_world(world)
    Assignment.objects.filter(pk=setup["assignment"].pk).update(
        recused_at=setup["assignment"].created_at, recusal_reason="Kenal pemilik"
    )
    response = signed_in(client, world["admin"]).post(
        reverse("evaluation:unassign", args=[setup["assignment"].pk]), follow=True
    )
    assert "recusal stays on record" in messages_of(response)[0]
    assert Assignment.objects.filter(pk=setup["assignment"].pk).exists()


def test_unassign_scoping(client, world):
    setup = assigned_world(world)
    url = reverse("evaluation:unassign", args=[setup["assignment"].pk])
    assert signed_in(client, world["viewer"]).post(url).status_code == 404
    assert signed_in(client, world["assessor"]).post(url).status_code == 404
    assert signed_in(client, setup["assessor"]).post(url).status_code == 403
    assert Assignment.objects.filter(pk=setup["assignment"].pk).exists()
