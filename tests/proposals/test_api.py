import pytest

from ovop.proposals.models import Proposal
from tests.factories import CentreFactory, make_cycle, make_proposal, make_round


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def login(api_client, user):
    api_client.force_authenticate(user)
    return api_client


def test_operator_drafts_and_submits(api_client, operator, media):
    round_ = make_round()
    centre = CentreFactory()
    client = login(api_client, operator)
    response = client.post(
        "/api/v1/proposals/",
        {"round": round_.pk, "centre": centre.pk, "featured_products": "Sasirangan"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["state"] == "draft"
    proposal = Proposal.objects.get()
    refused = client.post(f"/api/v1/proposals/{proposal.pk}/submit/", HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 409
    assert "Upload these documents first" in refused.json()["detail"]


def test_submit_moves_and_records_the_timeline(api_client, operator, media):
    proposal = make_proposal()
    response = login(api_client, operator).post(f"/api/v1/proposals/{proposal.pk}/submit/")
    assert response.status_code == 200
    body = response.json()
    assert body["state"] == "submitted"
    assert body["timeline"][0]["actor"] == operator.username


def test_return_needs_a_reason_and_then_the_operator_sees_it(api_client, verifier, media):
    proposal = make_proposal(state="submitted")
    client = login(api_client, verifier)
    assert client.post(f"/api/v1/proposals/{proposal.pk}/return/", {}).status_code == 400
    reason = {"reason": "SK penetapan belum ditandatangani"}
    response = client.post(f"/api/v1/proposals/{proposal.pk}/return/", reason, format="json")
    assert response.status_code == 200
    assert response.json()["timeline"][-1]["reason"] == "SK penetapan belum ditandatangani"


def test_screen_ineligible_needs_a_reason(api_client, admin_user, media):
    proposal = make_proposal(state="forwarded")
    client = login(api_client, admin_user)
    url = f"/api/v1/proposals/{proposal.pk}/screen/"
    assert client.post(url, {"eligible": False}, format="json").status_code == 400
    assert client.post(url, {"eligible": True}, format="json").json()["state"] == "eligible"


def test_other_regency_proposal_is_404(api_client, operator_neighbour, media):
    proposal = make_proposal()
    client = login(api_client, operator_neighbour)
    assert client.get(f"/api/v1/proposals/{proposal.pk}/").status_code == 404
    assert client.post(f"/api/v1/proposals/{proposal.pk}/submit/").status_code == 404


def test_viewer_sees_but_may_not_move(api_client, viewer, media):
    proposal = make_proposal()
    client = login(api_client, viewer)
    assert client.get(f"/api/v1/proposals/{proposal.pk}/").status_code == 200
    assert client.post(f"/api/v1/proposals/{proposal.pk}/submit/").status_code == 403


def test_operator_may_not_edit_a_submitted_proposal(api_client, operator, media):
    proposal = make_proposal(state="submitted")
    response = login(api_client, operator).patch(
        f"/api/v1/proposals/{proposal.pk}/", {"featured_products": "X"}, format="json"
    )
    assert response.status_code == 409


def test_operator_may_not_propose_another_regencys_centre(api_client, operator, media):
    round_ = make_round()
    tapin = CentreFactory(region_id="63.05.01")
    response = login(api_client, operator).post(
        "/api/v1/proposals/", {"round": round_.pk, "centre": tapin.pk}, format="json"
    )
    assert response.status_code == 400
    assert not Proposal.objects.exists()


def test_compliance_api_has_13_rows(api_client, verifier, media):
    round_ = make_round()
    make_proposal(round_=round_, state="submitted")
    body = login(api_client, verifier).get(f"/api/v1/rounds/{round_.pk}/compliance/").json()
    assert len(body) == 13
    banjar = next(row for row in body if row["regency"] == "63.03")
    assert (banjar["name"], banjar["submitted"], banjar["required"], banjar["compliant"]) == (
        "Kabupaten Banjar",
        1,
        2,
        False,
    )


def test_verifier_opens_a_round_for_their_province_only(api_client, verifier):
    cycle = make_cycle()
    client = login(api_client, verifier)
    body = {"cycle": cycle.pk, "province": "64", "deadline": "2026-12-31T16:00:00+08:00"}
    assert client.post("/api/v1/rounds/", body, format="json").status_code == 400
    body["province"] = "63"
    created = client.post("/api/v1/rounds/", body, format="json")
    assert created.status_code == 201
    assert created.json()["min_per_regency"] == 2


def test_only_the_admin_creates_cycles(api_client, verifier, admin_user):
    body = {"year": 2027, "name": "OVOP 2027", "star_scale": 3}
    assert login(api_client, verifier).post("/api/v1/cycles/", body).status_code == 403
    created = login(api_client, admin_user).post("/api/v1/cycles/", body)
    assert created.status_code == 201
    assert created.json()["star_scale"] == 3


def test_proposal_list_queries_do_not_grow(
    api_client, admin_user, media, django_assert_max_num_queries
):
    round_ = make_round()
    make_proposal(round_=round_)
    client = login(api_client, admin_user)
    with django_assert_max_num_queries(5):
        client.get("/api/v1/proposals/")
    for _ in range(10):
        make_proposal(round_=round_, state="submitted")
    with django_assert_max_num_queries(5):
        assert client.get("/api/v1/proposals/").json()["count"] == 11
