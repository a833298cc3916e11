"""The ranking page and its xlsx export: content, filters, scoping and query counts."""

import io

import pytest
from django.urls import reverse
from django.utils import translation
from python_calamine import CalamineWorkbook

from ovop.evaluation.selectors.results import TIE_RULE
from ovop.evaluation.services.decisions import set_decision
from ovop.evaluation.views import ranking as views_ranking
from tests.evaluation.helpers import levels, make_eligible
from tests.evaluation.ranking_builders import many_scored, other_province_round, scored_proposal
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# Exactly 70 (★4's lower edge): its band is fragile under weight changes.
ON_THE_EDGE = levels(4, K2_1=3, K2_2=3, K2_3=3, K3_2=3, K4_1=3)


def ranking_url(world, **params) -> str:
    url = reverse("evaluation:ranking", kwargs={"pk": world["cycle"].pk})
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return f"{url}?{query}" if query else url


def in_english(client):
    """Screens are Indonesian unless the language cookie says otherwise; the English msgids
    are stable while the Indonesian catalogue is still being filled in."""
    client.cookies["ovop_language"] = "en"
    return client


def page_of(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response, response.content.decode()


def test_ranking_page_shows_rank_score_stars_stability_and_the_tie_rule(client, world):
    best = scored_proposal(world, levels(5), name="Sentra Terbaik")
    scored_proposal(world, ON_THE_EDGE, name="Sentra Tepi")

    response, html = page_of(client, world["admin"], ranking_url(world))

    rows = response.context["rows"]
    assert [row["centre_name"] for row in rows] == ["Sentra Terbaik", "Sentra Tepi"]
    assert rows[0]["url"] == reverse("proposals:detail", args=[best.pk])
    assert f'href="{rows[0]["url"]}"' in html
    # Indonesian decimals: a comma before two decimals.
    assert rows[0]["score"] == "100,00"
    assert rows[1]["score"] == "70,00"
    response, html = page_of(in_english(client), world["admin"], ranking_url(world))
    rows = response.context["rows"]
    assert rows[0]["score"] == "100.00"
    assert "★★★★★" in html
    assert "★★★★☆" in html
    with translation.override("en"):
        assert str(TIE_RULE) in html.replace("&amp;", "&")
    assert "SAW" in html
    # The edge case is marked fragile in words, not only by colour.
    assert rows[1]["keeps_band"]["fragile"] is True
    assert rows[0]["keeps_band"] == {"text": "100%", "fragile": False}
    assert html.count(">fragile<") == 1


def test_ranking_page_with_topsis_shows_the_closeness(client, world):
    scored_proposal(world, levels(5))
    scored_proposal(world, levels(2))

    response, html = page_of(
        in_english(client), world["viewer"], ranking_url(world, method="topsis")
    )

    assert "Closeness (TOPSIS)" in html
    assert [row["closeness"] for row in response.context["rows"]] == ["1.0000", "0.0000"]


def test_ranking_page_falls_back_to_saw_for_an_unknown_method(client, world):
    scored_proposal(world, levels(4))

    response, html = page_of(
        in_english(client), world["admin"], ranking_url(world, method="electre")
    )

    assert response.context["filters"].method == "saw"
    assert "Closeness (TOPSIS)" not in html


def test_ranking_page_filters_by_province(client, world):
    scored_proposal(world, levels(3), name="Sentra Kalsel")
    scored_proposal(
        world,
        levels(5),
        name="Sentra Kaltim",
        round_=other_province_round(world),
        district="64.01.01",
    )

    response, _html = page_of(client, world["admin"], ranking_url(world, province="63"))

    assert [row["centre_name"] for row in response.context["rows"]] == ["Sentra Kalsel"]
    assert response.context["rows"][0]["rank"] == 1


def test_moderation_filter_lists_disagreements_with_the_assessors_totals(client, world):
    scored_proposal(world, levels(4), levels(4), name="Sentra Sepakat")
    scored_proposal(world, levels(2), levels(5), name="Sentra Berbeda")

    response, html = page_of(client, world["admin"], ranking_url(world))
    assert response.context["moderation_count"] == 1
    response, html = page_of(client, world["admin"], ranking_url(world, disagreement=1))

    rows = response.context["rows"]
    assert [row["centre_name"] for row in rows] == ["Sentra Berbeda"]
    assert rows[0]["assessor_totals"] == [("penilai-1", "40,00"), ("penilai-2", "100,00")]
    assert "penilai-1: 40,00" in html
    assert rows[0]["gap"] == "60,00"


def test_ranking_page_search_keeps_the_computed_ranks(client, world):
    scored_proposal(world, levels(5), name="Sentra Purun")
    scored_proposal(world, levels(3), name="Sentra Sasirangan")

    response, _html = page_of(client, world["admin"], ranking_url(world, q="sasir"))

    assert [(row["rank"], row["centre_name"]) for row in response.context["rows"]] == [
        (2, "Sentra Sasirangan")
    ]


def test_ranking_page_paginates_and_shows_all_on_request(client, world, monkeypatch):
    monkeypatch.setattr(views_ranking, "PER_PAGE", 2)
    many_scored(world, 5, per_proposal=1)

    response, html = page_of(client, world["admin"], ranking_url(world))
    assert [row["rank"] for row in response.context["rows"]] == [1, 2]
    assert "page=2" in html
    response, _html = page_of(client, world["admin"], ranking_url(world, page=3))
    assert [row["rank"] for row in response.context["rows"]] == [5]
    response, _html = page_of(client, world["admin"], ranking_url(world, per_page="all"))
    assert [row["rank"] for row in response.context["rows"]] == [1, 2, 3, 4, 5]


def test_ranking_page_lists_eligible_proposals_not_scored_yet(client, world):
    scored_proposal(world, levels(4))
    make_eligible(world["proposal_banjar"])

    response, html = page_of(client, world["admin"], ranking_url(world))

    assert [fact["pk"] for fact in response.context["results"].unscored] == [
        world["proposal_banjar"].pk
    ]
    assert "Sentra Banjar" in html


def test_ranking_page_shows_the_decision_of_each_row(client, world):
    proposal = scored_proposal(world, levels(4))
    set_decision(proposal=proposal, actor=world["admin"], stars=3, reason="Sampel produk rusak")

    response, _html = page_of(client, world["viewer"], ranking_url(world))

    decision = str(response.context["rows"][0]["decision"])
    assert "★★★☆☆" in decision


@pytest.mark.parametrize(
    "persona", ["operator", "operator_neighbour", "verifier", "verifier_other", "assessor"]
)
def test_ranking_page_and_export_are_403_for_other_roles(client, world, persona):
    scored_proposal(world, levels(4))
    client.force_login(world[persona])

    assert client.get(ranking_url(world)).status_code == 403
    export = reverse("evaluation:ranking_export", kwargs={"pk": world["cycle"].pk})
    assert client.get(export).status_code == 403


def test_regional_viewer_may_not_see_national_results(client, world):
    provincial = UserFactory(username="pemantau-63", role="viewer", region_id="63")
    client.force_login(provincial)

    assert client.get(ranking_url(world)).status_code == 403


def test_ranking_page_of_an_unknown_cycle_is_404(client, world):
    client.force_login(world["admin"])

    assert client.get(reverse("evaluation:ranking", kwargs={"pk": 999_999})).status_code == 404
    export = reverse("evaluation:ranking_export", kwargs={"pk": 999_999})
    assert client.get(export).status_code == 404


def test_ranking_page_sends_anonymous_visitors_to_sign_in(client, world):
    response = client.get(ranking_url(world))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_ranking_page_queries_do_not_grow_with_rows(client, world, django_assert_max_num_queries):
    client.force_login(world["admin"])
    scored_proposal(world, levels(4))
    with django_assert_max_num_queries(12):
        assert client.get(ranking_url(world)).status_code == 200
    many_scored(world, 30)
    with django_assert_max_num_queries(12):
        response = client.get(ranking_url(world, per_page="all", method="topsis"))
    assert len(response.context["rows"]) == 31


# --- export ---------------------------------------------------------------------------------


def workbook_of(response) -> CalamineWorkbook:
    content = b"".join(response.streaming_content)
    return CalamineWorkbook.from_filelike(io.BytesIO(content))


def test_export_has_the_ranking_and_every_assessors_levels(client, world):
    best = scored_proposal(world, levels(5), levels(4), name="Sentra Terbaik")
    scored_proposal(world, levels(3), name="Sentra Kedua")
    in_english(client).force_login(world["viewer"])

    response = client.get(reverse("evaluation:ranking_export", kwargs={"pk": world["cycle"].pk}))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="peringkat-2026-saw')
    workbook = workbook_of(response)
    assert workbook.sheet_names == ["Ranking", "Per assessor"]
    ranking = workbook.get_sheet_by_name("Ranking").to_python()
    assert ranking[0][:3] == ["Rank", "Proposal ID", "Sentra"]
    assert ranking[1][:3] == [1, best.pk, "Sentra Terbaik"]
    assert ranking[1][6] == pytest.approx(90.0)
    assert ranking[1][8] == 5
    assert 0 <= ranking[1][11] <= 1
    assert 0 <= ranking[1][12] <= 1
    per_assessor = workbook.get_sheet_by_name("Per assessor").to_python()
    assert per_assessor[0][:4] == ["Proposal ID", "Sentra", "Assessor", "K1.1"]
    assert per_assessor[0][-1] == "Total"
    assert [line[2] for line in per_assessor[1:]] == ["penilai-1", "penilai-2", "penilai-1"]
    assert per_assessor[1][3:14] == [5] * 11
    assert per_assessor[1][14] == pytest.approx(100.0)
    assert per_assessor[2][14] == pytest.approx(80.0)


def test_export_follows_the_method_and_province_filters(client, world):
    scored_proposal(world, levels(3), name="Sentra Kalsel")
    scored_proposal(
        world,
        levels(5),
        name="Sentra Kaltim",
        round_=other_province_round(world),
        district="64.01.01",
    )
    in_english(client).force_login(world["admin"])
    url = reverse("evaluation:ranking_export", kwargs={"pk": world["cycle"].pk})

    response = client.get(url, {"method": "topsis", "province": "63"})

    ranking = workbook_of(response).get_sheet_by_name("Ranking").to_python()
    assert ranking[0][7] == "TOPSIS (closeness to the ideal)"
    assert [line[2] for line in ranking[1:]] == ["Sentra Kalsel"]
