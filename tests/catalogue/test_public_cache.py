"""The public list is reused while nothing behind it changes — and never shows a stale
(possibly no longer public) centre."""

import pytest
from django.urls import reverse

from ovop.catalogue.models import CatalogueEntry
from ovop.evaluation.services.decisions import set_decision
from ovop.proposals.models import Proposal
from tests.catalogue.public_builders import public_centre
from tests.conftest import make_persona

pytestmark = pytest.mark.django_db
URL = reverse("catalogue:list", kwargs={"lang": "id"})


@pytest.fixture
def rated():
    return public_centre(
        name="Sentra Sasirangan Martapura", stars=5, entry={"story": "Kain dicelup pewarna alam."}
    )


def test_a_repeat_visit_is_one_query(client, rated, django_assert_num_queries):
    first = client.get(URL)
    with django_assert_num_queries(1):  # the fingerprint
        again = client.get(URL)
    assert again.content == first.content
    assert again["Content-Language"] == "id"
    assert "Sentra Sasirangan Martapura" in again.content.decode()


def test_a_revised_decision_removes_the_centre_at_once(client, rated):
    assert "Sasirangan" in client.get(URL).content.decode()
    set_decision(
        proposal=Proposal.objects.get(centre=rated),
        actor=make_persona("admin"),
        stars=None,
        reason="Sertifikat halal ternyata palsu",
    )
    assert Proposal.objects.get(centre=rated).state == "not_rated"
    assert "Sasirangan" not in client.get(URL).content.decode()


def test_renaming_the_centre_or_editing_its_story_shows_at_once(client, rated):
    client.get(URL)
    rated.name = "Sentra Sasirangan Banjar"
    rated.save()
    assert "Sentra Sasirangan Banjar" in client.get(URL).content.decode()
    entry = CatalogueEntry.objects.get(centre=rated)
    entry.story = "Motif baru"
    entry.save()
    assert client.get(URL, {"q": "Motif baru"}).content.decode().count("Sasirangan Banjar") >= 1


def test_signed_in_visitors_and_other_queries_get_their_own_page(
    client, rated, django_assert_max_num_queries
):
    client.get(URL)
    assert "Sasirangan" not in client.get(URL, {"q": "tidak ada"}).content.decode()
    client.force_login(make_persona("operator"))
    with django_assert_max_num_queries(20) as captured:
        client.get(URL)
    assert len(captured) > 2  # rendered afresh, not from the anonymous cache
