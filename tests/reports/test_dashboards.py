"""Province and national dashboards: scoping, each section's numbers, exports, query counts and
a page that works under a strict Content Security Policy."""

import csv
import io
import json
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from ovop.regions.models import Region
from ovop.reports.outputs import charts as charts_dashboards
from ovop.reports.selectors import dashboards as figures
from tests.factories import CentreFactory, UserFactory, make_proposal
from tests.reports.dashboards_builders import dashboard_world, decide

URL = reverse("reports:dashboard")
EXPORT_URL = reverse("reports:dashboard_export")


@pytest.fixture(autouse=True)
def english(client, settings):
    """Screens start in Indonesian; the labels checked here are the English source strings."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def programme(world):
    return dashboard_world(
        admin=world["admin"],
        centre_banjar=world["centre_banjar"],
        centre_tapin=world["centre_tapin"],
        cycle=world["cycle"],
        round_=world["round"],
        proposal_banjar=world["proposal_banjar"],
    )


def region(code: str):
    return Region.objects.get(code=code)


def chart_data(response, key: str) -> dict:
    match = re.search(
        rf'<script id="chart-{key}-data" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    assert match, f"no data block for {key}"
    return json.loads(match.group(1))


def map_data(response) -> dict:
    match = re.search(
        r'<script id="dashboard-map-data" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    assert match, "no map data block"
    return json.loads(match.group(1))


def datasets(chart: dict) -> dict[str, list]:
    return {entry["label"]: entry["data"] for entry in chart["datasets"]}


def xlsx_rows(response) -> list[list]:
    content = b"".join(response.streaming_content)
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(content))
    return workbook.get_sheet_by_index(0).to_python()


# --- Scoping -----------------------------------------------------------------------------


def test_dashboard_anonymous_is_sent_to_sign_in(client, world):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_dashboard_assessor_may_not(client, world):
    client.force_login(world["assessor"])
    assert client.get(URL).status_code == 403
    assert client.get(EXPORT_URL, {"section": "stars"}).status_code == 403


def test_dashboard_verifier_sees_their_province(client, world, programme):
    client.force_login(world["verifier"])
    response = client.get(URL)
    assert response.status_code == 200
    assert response.context["scope"].province.code == "63"
    assert "Sentra Tapin" in response.content.decode()  # the whole province's map


@pytest.mark.parametrize("persona", ["verifier_other", "operator", "operator_neighbour"])
def test_dashboard_another_province_is_not_found(client, world, persona):
    """A verifier of 64 asking for 63, an operator of 63 asking for 64: 404 (page and export)."""
    client.force_login(world[persona])
    other = "63" if persona == "verifier_other" else "64"
    assert client.get(URL, {"province": other}).status_code == 404
    assert client.get(EXPORT_URL, {"province": other, "section": "stars"}).status_code == 404


def test_dashboard_operator_sees_their_province_but_only_their_centres_on_the_map(
    client, world, programme
):
    client.force_login(world["operator"])
    response = client.get(URL, {"province": "63"})
    assert response.status_code == 200
    assert response.context["scope"].province.code == "63"
    # Province-wide counts (as the quota compliance shows them)…
    proposals = datasets(chart_data(response, "proposals"))
    assert sum(sum(values) for values in proposals.values()) == 5
    # …but single centres only when the registry lets the operator see them.
    names = {point[2] for point in map_data(response)["points"]}
    assert names == {"Sentra Banjar", "Sentra Dodol Banjar", "Sentra Sasirangan Rated"}
    assert "Sentra Tapin" not in response.content.decode()


def test_dashboard_admin_sees_the_country_by_default_and_any_province(client, world, programme):
    client.force_login(world["admin"])
    national = client.get(URL)
    assert national.context["scope"].national
    assert "Kalimantan Timur" in chart_data(national, "proposals")["labels"]
    assert len(national.context["provinces"]) == 38
    province = client.get(URL, {"province": "64"})
    assert province.context["scope"].province.code == "64"
    assert client.get(URL, {"province": "63.03"}).status_code == 404  # a regency, not a province
    assert client.get(URL, {"province": "99"}).status_code == 404


def test_dashboard_viewer_of_a_region_sees_its_province_only(client, world, programme):
    provincial = UserFactory(role="viewer", region_id="63")
    regional = UserFactory(role="viewer", region_id="63.05")
    for viewer in (provincial, regional):
        client.force_login(viewer)
        response = client.get(URL)
        assert response.context["scope"].province.code == "63"
        assert response.context["provinces"] == []  # no province switch for them
        assert client.get(URL, {"province": "64"}).status_code == 404


def test_dashboard_national_viewer_sees_the_country(client, world, programme):
    client.force_login(world["viewer"])
    response = client.get(URL)
    assert response.context["scope"].national
    assert client.get(URL, {"province": "63"}).context["scope"].province.code == "63"


def test_dashboard_cycle_defaults_to_the_latest_and_can_be_chosen(client, world, programme):
    client.force_login(world["verifier"])
    assert client.get(URL).context["scope"].cycle == programme["cycle"]
    earlier = client.get(URL, {"cycle": programme["earlier"].pk})
    assert earlier.context["scope"].cycle == programme["earlier"]
    assert client.get(URL, {"cycle": 999999}).status_code == 404
    assert client.get(URL, {"cycle": "abc"}).status_code == 404


def test_dashboard_without_any_cycle_says_so(client, personas):
    client.force_login(personas["admin"])
    response = client.get(URL)
    assert response.status_code == 200
    assert response.context["sections"] == []
    assert "No cycle has been set up yet." in response.content.decode()
    assert client.get(EXPORT_URL).status_code == 404


# --- Each section's numbers --------------------------------------------------------------


def test_proposals_by_area_counts_each_state_per_regency(world, programme):
    data = figures.proposals_by_area(cycle=programme["cycle"], province=region("63"))
    assert data.states == ["submitted", "eligible", "rated", "not_rated"]
    rows = {row.code: row for row in data.rows}
    assert len(rows) == 13  # every kab/kota of Kalimantan Selatan, zeros included
    assert rows["63.03"].counts == {"submitted": 1, "rated": 2}
    assert rows["63.05"].counts == {"eligible": 1, "not_rated": 1}
    assert rows["63.04"].total == 0


def test_proposals_by_area_nationally_counts_per_province(world, programme):
    data = figures.proposals_by_area(cycle=programme["cycle"], province=None)
    rows = {row.code: row for row in data.rows}
    assert len(rows) == 38
    assert rows["63"].total == 5
    assert rows["64"].counts == {"rated": 1}


def test_compliance_of_a_province_uses_its_round(world, programme):
    data = figures.compliance(cycle=programme["cycle"], province=region("63"))
    rows = {row.regency: row for row in data.regencies}
    assert (rows["63.03"].submitted, rows["63.03"].required, rows["63.03"].compliant) == (
        3,
        2,
        True,
    )
    assert (rows["63.05"].submitted, rows["63.05"].compliant) == (2, True)
    assert (rows["63.04"].submitted, rows["63.04"].compliant) == (0, False)


def test_compliance_of_a_province_without_a_round_is_empty(world, programme):
    data = figures.compliance(cycle=programme["cycle"], province=region("65"))
    assert data.round is None
    assert data.regencies == []


def test_compliance_nationally_counts_compliant_regencies_per_province(world, programme):
    data = figures.compliance(cycle=programme["cycle"], province=None)
    rows = {row.code: row for row in data.provinces}
    assert (rows["63"].regencies, rows["63"].compliant, rows["63"].not_compliant) == (13, 2, 11)
    assert rows["63"].submitted == 5
    assert rows["63"].has_round
    assert rows["64"].compliant == 0
    assert rows["64"].has_round
    assert not rows["65"].has_round
    assert rows["65"].without_round == rows["65"].regencies


def test_stars_by_commodity_counts_only_published_rated_decisions(world, programme):
    data = figures.stars_by_commodity(cycle=programme["cycle"], province=region("63"))
    assert data.scale == [1, 2, 3, 4, 5]
    counts = {row.code: row.counts for row in data.rows}
    # The pending ★3 of Tapin and the not-rated decision do not count; Kalimantan Timur is
    # another province.
    assert counts == {"makanan-minuman": {4: 1}, "kain-batik": {5: 1}}
    national = figures.stars_by_commodity(cycle=programme["cycle"], province=None)
    assert {row.code: row.counts for row in national.rows}["kain-batik"] == {5: 1, 3: 1}


def test_stars_by_commodity_ignores_a_rated_state_without_a_published_decision(world, programme):
    proposal = make_proposal(
        round_=programme["round"],
        state="rated",
        documents=False,
        centre=CentreFactory(region_id="63.03.01"),
    )
    decide(proposal, by=world["admin"], stars=2, score="45", published=False)
    data = figures.stars_by_commodity(cycle=programme["cycle"], province=region("63"))
    assert all(2 not in row.counts for row in data.rows)


def test_trends_across_two_cycles(world, programme):
    cycles = figures.dashboard_cycles()
    rows = figures.trends(cycles=cycles, until=programme["cycle"], province=region("63"))
    assert [(r.year, r.submitted, r.eligible, r.rated, r.mean_score) for r in rows] == [
        (2025, 3, 1, 1, 70.0),
        # Pending decision (score 60) left out: (80 + 90 + 40) / 3.
        (2026, 5, 4, 2, 70.0),
    ]
    national = figures.trends(cycles=cycles, until=programme["cycle"], province=None)
    assert national[-1].mean_score == 67.5
    assert national[-1].rated == 3
    earlier = figures.trends(cycles=cycles, until=programme["earlier"], province=region("63"))
    assert [r.year for r in earlier] == [2025]


def test_province_map_colours_each_centre_by_its_state_in_the_cycle(world, programme):
    centres = figures.province_map(
        user=world["verifier"], cycle=programme["cycle"], province=region("63")
    )
    statuses = {centre.name: centre.status for centre in centres}
    assert statuses == {
        "Sentra Banjar": "submitted",
        "Sentra Dodol Banjar": "rated",
        "Sentra Sasirangan Rated": "rated",
        "Sentra Tapin": "eligible",
        "Sentra Tapin Dua": "not_rated",
        "Sentra Belum Diusulkan": "not_proposed",
    }


def test_national_map_shows_rated_centres_only_coloured_by_stars(world, programme):
    centres = figures.national_map(cycle=programme["cycle"])
    assert {c.name: c.status for c in centres} == {
        "Sentra Dodol Banjar": "stars-4",
        "Sentra Sasirangan Rated": "stars-5",
        "Sentra Kalimantan Timur": "stars-3",
    }


def test_dashboard_page_carries_the_numbers_in_charts_and_tables(client, world, programme):
    client.force_login(world["verifier"])
    response = client.get(URL)
    html = response.content.decode()
    proposals = chart_data(response, "proposals")
    assert proposals["labels"][2] == "Kabupaten Banjar"
    assert datasets(proposals)["Rated"][2] == 2
    stars = datasets(chart_data(response, "stars"))
    assert stars["4 stars"] == [1, 0]
    assert stars["5 stars"] == [0, 1]
    trends = datasets(chart_data(response, "trends"))
    assert trends["Submitted"] == [3, 5]
    assert trends["Mean official score"] == [70.0, 70.0]
    compliance = datasets(chart_data(response, "compliance"))
    assert compliance["Submitted"][2] == 3
    assert compliance["Required (minimum)"][2] == 2
    points = map_data(response)["points"]
    assert len(points) == 5  # "Sentra Belum Diusulkan" has no coordinates: list only
    legend = {entry["key"]: entry["count"] for entry in response.context["sections"][3].legend}
    assert legend["rated"] == 2
    assert legend["not_proposed"] == 1
    # Every chart has its table with a caption, in the same order as the sections.
    assert html.count("<caption>") == 6  # five sections + the map legend
    assert "Proposals per regency/city and state" in html
    assert "Sentra Belum Diusulkan" in html


def test_dashboard_page_shows_empty_sections_without_charts(client, world):
    client.force_login(world["verifier_other"])
    response = client.get(URL)
    html = response.content.decode()
    assert 'id="chart-stars-data"' not in html
    assert "No figures for this selection yet." in html
    assert "The province has not opened a round in this cycle yet." in html


# --- Exports -----------------------------------------------------------------------------


def test_export_stars_as_xlsx_has_the_table(client, world, programme):
    client.force_login(world["verifier"])
    response = client.get(EXPORT_URL, {"section": "stars", "cycle": programme["cycle"].pk})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="bintang-per-komod')
    rows = xlsx_rows(response)
    assert rows[0] == [
        "Commodity group",
        "1 star",
        "2 stars",
        "3 stars",
        "4 stars",
        "5 stars",
        "Total",
    ]
    assert rows[1:] == [["Food & beverages", 0, 0, 0, 1, 0, 1], ["Batik fabric", 0, 0, 0, 0, 1, 1]]


def test_export_proposals_and_compliance_as_csv(client, world, programme):
    client.force_login(world["verifier"])
    response = client.get(EXPORT_URL, {"section": "proposals", "format": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == [
        "Code",
        "Regency/city",
        "Submitted",
        "Eligible",
        "Rated",
        "Not rated",
        "Total",
    ]
    assert ["63.03", "Kabupaten Banjar", "1", "0", "2", "0", "3"] in rows
    response = client.get(EXPORT_URL, {"section": "compliance", "format": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "63.05,Kabupaten Tapin,2,2,2,yes" in text


def test_export_map_and_trends(client, world, programme):
    client.force_login(world["admin"])
    rows = xlsx_rows(client.get(EXPORT_URL, {"section": "map", "province": "63"}))
    assert rows[0] == ["Sentra", "Regency/city", "Status", "Latitude", "Longitude"]
    assert [
        "Sentra Belum Diusulkan",
        "Kabupaten Barito Kuala",
        "Registered, not proposed",
        "",
        "",
    ] in rows
    national = xlsx_rows(client.get(EXPORT_URL, {"section": "map"}))
    assert national[0][2] == "Province"
    assert len(national) == 4
    trends = xlsx_rows(client.get(EXPORT_URL, {"section": "trends", "province": "63"}))
    assert trends[1:] == [
        ["2025", "OVOP 2025", 3, 1, 1, 70.0],
        ["2026", "OVOP 2026", 5, 4, 2, 70.0],
    ]


def test_export_unknown_section_is_not_found(client, world):
    client.force_login(world["admin"])
    assert client.get(EXPORT_URL, {"section": "secrets"}).status_code == 404


def test_export_of_operator_map_lists_only_their_centres(client, world, programme):
    client.force_login(world["operator"])
    rows = xlsx_rows(client.get(EXPORT_URL, {"section": "map"}))
    assert {row[0] for row in rows[1:]} == {
        "Sentra Banjar",
        "Sentra Dodol Banjar",
        "Sentra Sasirangan Rated",
    }


# --- Query counts ------------------------------------------------------------------------


def _grow(world, programme, count: int) -> None:
    """``count`` more proposals across the regencies, half of them rated and published."""
    regencies = ["63.01.01", "63.02.01", "63.06.01", "63.07.01", "63.09.01", "63.71.01"]
    for index in range(count):
        centre = CentreFactory(region_id=regencies[index % len(regencies)])
        proposal = make_proposal(
            round_=programme["round"],
            centre=centre,
            documents=False,
            state="rated" if index % 2 else "verified",
        )
        if index % 2:
            decide(proposal, by=world["admin"], stars=index % 5 + 1, score="75")


@pytest.mark.parametrize("persona", ["verifier", "operator", "admin"])
def test_dashboard_queries_do_not_grow_with_rows(
    client, world, programme, persona, django_assert_max_num_queries
):
    client.force_login(world[persona])
    with django_assert_max_num_queries(14):  # 13 for the figures, 1 for their fingerprint
        assert client.get(URL).status_code == 200
    _grow(world, programme, 40)
    with django_assert_max_num_queries(14):
        response = client.get(URL)
    assert sum(datasets(chart_data(response, "proposals"))["Rated"]) >= 22


@pytest.mark.parametrize("section", ["proposals", "compliance", "stars", "map", "trends"])
def test_export_queries_do_not_grow_with_rows(
    client, world, programme, section, django_assert_max_num_queries
):
    client.force_login(world["verifier"])
    with django_assert_max_num_queries(7):
        b"".join(client.get(EXPORT_URL, {"section": section}).streaming_content)
    _grow(world, programme, 30)
    with django_assert_max_num_queries(7):
        b"".join(client.get(EXPORT_URL, {"section": section}).streaming_content)


# --- Strict CSP and colours --------------------------------------------------------------


class _ScriptsAndStyles(HTMLParser):
    def __init__(self):
        super().__init__()
        self.problems: list[str] = []
        self.scripts: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name in attributes:
            if name == "style" or name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…>")
        if tag == "style":
            self.problems.append("<style>")
        if tag == "script":
            self.scripts.append(attributes)


def test_dashboard_has_no_inline_script_or_style(client, world, programme):
    client.force_login(world["admin"])
    for query in ({}, {"province": "63"}):
        parser = _ScriptsAndStyles()
        parser.feed(client.get(URL, query).content.decode())
        assert parser.problems == []
        inline = [s for s in parser.scripts if "src" not in s]
        # Only json_script data blocks: the four charts' data and the map's.
        assert len(inline) == 5
        assert all(s.get("type") == "application/json" for s in inline)
        assert all("defer" in s for s in parser.scripts if "src" in s)


def _luminance(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(red) + 0.7152 * channel(green) + 0.0722 * channel(blue)


def test_chart_colours_contrast_with_the_white_background():
    for colour in charts_dashboards.all_colours():
        ratio = (1.05) / (_luminance(colour) + 0.05)
        assert ratio >= 3, f"{colour} has contrast {ratio:.2f} against white"


def test_every_state_has_its_own_colour_and_a_legend_label(world):
    colours = charts_dashboards.STATE_COLOURS
    assert len(set(colours.values())) == len(colours)
    legend = charts_dashboards.map_categories(national=False, statuses=[], scale=5)
    assert {entry["key"] for entry in legend} == set(colours)
    assert all(entry["label"] for entry in legend)


def test_a_repeat_visit_reuses_the_figures_until_something_changes(
    client, world, programme, django_assert_max_num_queries
):
    client.force_login(world["verifier"])
    before = sum(datasets(chart_data(client.get(URL), "proposals"))["Rated"])
    with django_assert_max_num_queries(6) as captured:  # session, user, scope, fingerprint
        again = client.get(URL)
    assert sum(datasets(chart_data(again, "proposals"))["Rated"]) == before
    _grow(world, programme, 10)
    after = sum(datasets(chart_data(client.get(URL), "proposals"))["Rated"])
    assert after == before + 5, captured
