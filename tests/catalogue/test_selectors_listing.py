"""The public list's order and star filters come from each centre's latest public rating."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.catalogue.public_builders import public_centre, publish, round_of
from tests.factories import make_proposal

pytestmark = pytest.mark.django_db
URL = reverse("catalogue:list", kwargs={"lang": "id"})


def names(response) -> list[str]:
    return [row["name"] for row in response.context["rows"]]


@pytest.fixture
def rerated():
    """Rated ★5 in 2024, then ★2 in 2025: its latest rating is ★2."""
    centre = public_centre(name="Sentra Dulu Lima", stars=5, year=2024)
    later = timezone.now() + datetime.timedelta(minutes=1)
    publish(
        make_proposal(round_=round_of(2025), centre=centre, documents=False), stars=2, when=later
    )
    public_centre(name="Sentra Empat", stars=4, year=2025)
    public_centre(name="Sentra Dua Baru", stars=2, year=2025)
    public_centre(name="Sentra Dua Lama", stars=2, year=2024)
    return centre


def test_best_latest_stars_first_then_the_most_recent_then_by_name(client, rerated):
    assert names(client.get(URL)) == [
        "Sentra Empat",
        "Sentra Dua Baru",
        "Sentra Dulu Lima",
        "Sentra Dua Lama",
    ]


def test_star_filters_read_the_latest_rating(client, rerated):
    assert "Sentra Dulu Lima" not in names(client.get(URL, {"stars": 5}))
    assert names(client.get(URL, {"stars": 2}))[:2] == ["Sentra Dua Baru", "Sentra Dulu Lima"]
    assert names(client.get(URL, {"min_stars": 3})) == ["Sentra Empat"]
    assert client.get(URL).context["star_choices"] == [4, 2]
