"""The proposal cycle's named rules, and screen and API answering the same (issue 16)."""

import pytest
from django.urls import reverse

from ovop.proposals.models import Round
from ovop.proposals.rules import can_edit_letterhead, can_forward_round, can_open_round_for
from ovop.regions.models import Region
from tests.factories import make_cycle, make_round

ROUND_OPENERS = {"verifier", "verifier_other"}


@pytest.mark.parametrize("name", ["admin", "operator", "verifier", "assessor", "viewer"])
def test_add_round_is_the_provinces_verifier_only(personas, name):
    assert personas[name].has_perm("proposals.add_round") is (name in ROUND_OPENERS)


def test_a_verifier_opens_the_round_of_their_own_province_only(personas):
    south, east = Region.objects.get(code="63"), Region.objects.get(code="64")
    assert can_open_round_for(personas["verifier"], south)
    assert not can_open_round_for(personas["verifier"], east)
    assert not can_open_round_for(personas["admin"], south)


def test_forwarding_is_the_round_provinces_verifier_only(personas):
    round_ = make_round()
    allowed = {name for name, user in personas.items() if can_forward_round(user, round_)}
    assert allowed == {"verifier"}
    # The ministry may change the round, but the province's letter is not theirs to send.
    assert personas["admin"].has_perm("proposals.change_round", round_)


def test_letterhead_is_the_ministrys_and_the_provinces_verifier(personas):
    south = Region.objects.get(code="63")
    allowed = {name for name, user in personas.items() if can_edit_letterhead(user, south)}
    assert allowed == {"admin", "verifier"}


def _round_body(cycle, province="63"):
    return {
        "cycle": cycle.pk,
        "province": province,
        "opens_at": "2026-12-01T08:00:00+08:00",
        "deadline": "2026-12-31T16:00:00+08:00",
    }


def test_an_admin_opens_no_round_on_screen_nor_through_the_api(client, api_client, admin_user):
    cycle = make_cycle()
    client.force_login(admin_user)
    screen = client.get(reverse("proposals:round_create", kwargs={"cycle_pk": cycle.pk}))
    api_client.force_authenticate(admin_user)
    api = api_client.post("/api/v1/rounds/", _round_body(cycle), format="json")
    assert (screen.status_code, api.status_code) == (403, 403)
    assert not Round.objects.exists()


def test_a_verifier_opens_their_round_on_screen_and_through_the_api(client, api_client, verifier):
    cycle = make_cycle()
    client.force_login(verifier)
    screen = client.get(reverse("proposals:round_create", kwargs={"cycle_pk": cycle.pk}))
    api_client.force_authenticate(verifier)
    api = api_client.post("/api/v1/rounds/", _round_body(cycle), format="json")
    assert (screen.status_code, api.status_code) == (200, 201)
    assert Round.objects.get().province_id == "63"


def test_round_list_offers_opening_a_round_to_verifiers_only(client, admin_user, verifier):
    make_cycle()
    url = reverse("proposals:round_list")
    client.force_login(admin_user)
    assert 'id="open-title"' not in client.get(url).content.decode()
    client.force_login(verifier)
    assert 'id="open-title"' in client.get(url).content.decode()
