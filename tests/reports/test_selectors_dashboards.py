"""Direct tests of ``ovop.reports.selectors.dashboards``: who gets which dashboard, and the
figures' edges (empty cycles, star scales, cycle bounds, map scoping, query counts).

The worked example of every figure is in test_dashboards.py; these do not repeat it.
"""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from ovop.accounts.enums import Role
from ovop.centres.models import CommodityGroup
from ovop.regions.models import Region
from ovop.reports.selectors import dashboards
from ovop.reports.selectors.dashboards import OutOfScopeError, ProvinceCompliance
from tests.factories import CentreFactory, UserFactory, make_cycle, make_proposal, make_round
from tests.reports.dashboards_builders import decide

pytestmark = pytest.mark.django_db

NATIONAL = ["admin", "viewer"]
PROVINCIAL = {
    "operator": "63",
    "operator_neighbour": "63",
    "verifier": "63",
    "verifier_other": "64",
}


def region(code: str) -> Region:
    return Region.objects.get(code=code)


@pytest.fixture
def small(personas) -> dict:
    """2026: Banjar rated ★4 (80), Tapin eligible with a pending ★3, Paser (64) rated ★5 (90),
    Barito Kuala registered only. 2025: Barito Kuala rated ★2 (50)."""
    admin = personas["admin"]
    cycle = make_cycle(year=2026, name="OVOP 2026")
    round_63 = make_round(cycle=cycle)
    round_64 = make_round(cycle=cycle, province="64")
    batik = CommodityGroup.objects.get(code="kain-batik")
    food = CommodityGroup.objects.get(code="makanan-minuman")
    banjar = CentreFactory(
        region_id="63.03.01", name="Sentra Banjar", commodity=batik, latitude=Decimal("-3.4300")
    )
    tapin = CentreFactory(region_id="63.05.01", name="Sentra Tapin", commodity=food)
    paser = CentreFactory(region_id="64.01.01", name="Sentra Paser", commodity=batik)
    barito = CentreFactory(
        region_id="63.04.01", name="Sentra Barito", latitude=None, longitude=None
    )
    decide(
        make_proposal(round_=round_63, centre=banjar, state="rated", documents=False),
        by=admin,
        stars=4,
        score="80",
    )
    decide(
        make_proposal(round_=round_63, centre=tapin, state="eligible", documents=False),
        by=admin,
        stars=3,
        score="60",
        published=False,
    )
    decide(
        make_proposal(round_=round_64, centre=paser, state="rated", documents=False),
        by=admin,
        stars=5,
        score="90",
    )
    earlier = make_cycle(year=2025, name="OVOP 2025")
    round_2025 = make_round(
        cycle=earlier,
        opens_at=timezone.now() - datetime.timedelta(days=400),
        deadline=timezone.now() - datetime.timedelta(days=300),
    )
    decide(
        make_proposal(round_=round_2025, centre=barito, state="rated", documents=False),
        by=admin,
        stars=2,
        score="50",
    )
    return {
        "cycle": cycle,
        "earlier": earlier,
        "round_63": round_63,
        "banjar": banjar,
        "tapin": tapin,
        "paser": paser,
        "barito": barito,
    }


# --- who sees the country ------------------------------------------------------------------


@pytest.mark.parametrize("name", NATIONAL)
def test_sees_country_national_personas(personas, name):
    assert dashboards.sees_country(personas[name])


@pytest.mark.parametrize("name", [*PROVINCIAL, "assessor"])
def test_sees_country_regional_personas_and_assessors_do_not(personas, name):
    assert not dashboards.sees_country(personas[name])


def test_sees_country_superuser_of_any_role(personas):
    assert dashboards.sees_country(
        UserFactory(role=Role.OPERATOR, region_id="63.03", is_superuser=True)
    )


def test_sees_country_viewer_with_a_region_does_not(personas):
    assert not dashboards.sees_country(UserFactory(role=Role.VIEWER, region_id="63"))
    assert not dashboards.sees_country(UserFactory(role=Role.VIEWER, region_id="63.05"))


def test_sees_country_inactive_admin_or_scoped_role_without_region_does_not(personas):
    assert not dashboards.sees_country(UserFactory(role=Role.ADMIN, is_active=False))
    verifier = UserFactory.build(role=Role.VERIFIER, region=None)
    assert not dashboards.sees_country(verifier)


# --- which province ------------------------------------------------------------------------


@pytest.mark.parametrize("name", NATIONAL)
def test_dashboard_province_national_default_is_the_country(
    personas, name, django_assert_num_queries
):
    with django_assert_num_queries(0):
        assert dashboards.dashboard_province(user=personas[name]) is None
    assert dashboards.dashboard_province(user=personas[name], requested="   ") is None


@pytest.mark.parametrize("name", NATIONAL)
def test_dashboard_province_national_may_ask_for_any_province(personas, name):
    assert dashboards.dashboard_province(user=personas[name], requested="64") == region("64")
    assert dashboards.dashboard_province(user=personas[name], requested=" 63 ") == region("63")


@pytest.mark.parametrize("requested", ["63.03", "63.03.01", "99", "abc"])
def test_dashboard_province_not_a_province_refused(personas, requested):
    with pytest.raises(OutOfScopeError):
        dashboards.dashboard_province(user=personas["admin"], requested=requested)


@pytest.mark.parametrize(("name", "home"), PROVINCIAL.items())
def test_dashboard_province_regional_personas_get_their_province(personas, name, home):
    assert dashboards.dashboard_province(user=personas[name]) == region(home)
    assert dashboards.dashboard_province(user=personas[name], requested=home) == region(home)


@pytest.mark.parametrize(("name", "home"), PROVINCIAL.items())
def test_dashboard_province_regional_personas_refused_elsewhere(personas, name, home):
    other = "64" if home == "63" else "63"
    with pytest.raises(OutOfScopeError):
        dashboards.dashboard_province(user=personas[name], requested=other)


def test_dashboard_province_operator_asking_for_their_regency_refused(personas):
    with pytest.raises(OutOfScopeError):
        dashboards.dashboard_province(user=personas["operator"], requested="63.03")


def test_dashboard_province_viewer_of_a_regency_gets_its_province(personas):
    viewer = UserFactory(role=Role.VIEWER, region_id="63.05")
    assert dashboards.dashboard_province(user=viewer) == region("63")
    with pytest.raises(OutOfScopeError):
        dashboards.dashboard_province(user=viewer, requested="64")


def test_dashboard_province_scoped_role_without_region_refused(personas):
    with pytest.raises(OutOfScopeError):
        dashboards.dashboard_province(user=UserFactory.build(role=Role.OPERATOR, region=None))


# --- cycles and provinces ------------------------------------------------------------------


def test_dashboard_cycles_newest_first(personas):
    older = make_cycle(year=2024, name="OVOP 2024")
    newest = make_cycle(year=2026, name="OVOP 2026")
    middle = make_cycle(year=2025, name="OVOP 2025")
    assert dashboards.dashboard_cycles() == [newest, middle, older]


def test_dashboard_cycles_none_set_up(personas):
    assert dashboards.dashboard_cycles() == []


def test_provinces_every_province_by_code(personas):
    found = dashboards.provinces()
    assert len(found) == 38
    assert [code for code, _ in found] == sorted(code for code, _ in found)
    assert ("63", "Kalimantan Selatan") in found
    assert all("." not in code for code, _ in found)


# --- proposals by area ---------------------------------------------------------------------


def test_proposals_by_area_empty_cycle_lists_every_area_with_zeros(personas):
    cycle = make_cycle(year=2027, name="OVOP 2027")
    data = dashboards.proposals_by_area(cycle=cycle, province=region("63"))
    assert data.states == []
    assert len(data.rows) == 13
    assert {(row.total, tuple(row.counts)) for row in data.rows} == {(0, ())}


def test_proposals_by_area_counts_the_cycle_only(small):
    data = dashboards.proposals_by_area(cycle=small["earlier"], province=region("63"))
    rows = {row.code: row for row in data.rows}
    assert data.states == ["rated"]
    assert rows["63.04"].counts == {"rated": 1}
    assert rows["63.03"].total == 0  # Banjar's proposal is in 2026


def test_proposals_by_area_rows_in_code_order_with_names(small):
    data = dashboards.proposals_by_area(cycle=small["cycle"], province=region("64"))
    assert data.rows[0].code == "64.01"
    assert data.rows[0].name == "Kabupaten Paser"
    assert [row.code for row in data.rows] == sorted(row.code for row in data.rows)


@pytest.mark.parametrize("province", ["63", None])
def test_proposals_by_area_two_queries(small, province, django_assert_num_queries):
    chosen = region(province) if province else None
    with django_assert_num_queries(2):
        dashboards.proposals_by_area(cycle=small["cycle"], province=chosen)


# --- compliance ----------------------------------------------------------------------------


def test_compliance_of_a_province_names_its_round(small):
    data = dashboards.compliance(cycle=small["cycle"], province=region("63"))
    assert data.round == small["round_63"]
    assert data.provinces == []
    assert len(data.regencies) == 13


def test_compliance_nationally_has_no_round_and_one_row_per_province(small):
    data = dashboards.compliance(cycle=small["cycle"], province=None)
    assert data.round is None
    assert data.regencies == []
    assert len(data.provinces) == 38
    rows = {row.code: row for row in data.provinces}
    assert (rows["64"].name, rows["64"].regencies, rows["64"].submitted) == (
        "Kalimantan Timur",
        10,
        1,
    )


def test_province_compliance_counts_depend_on_the_round():
    opened = ProvinceCompliance(
        code="63", name="Kalsel", regencies=13, compliant=4, submitted=9, has_round=True
    )
    unopened = ProvinceCompliance(
        code="65", name="Kaltara", regencies=5, compliant=0, submitted=0, has_round=False
    )
    assert (opened.not_compliant, opened.without_round) == (9, 0)
    assert (unopened.not_compliant, unopened.without_round) == (0, 5)


@pytest.mark.parametrize(("province", "queries"), [("63", 3), (None, 3)])
def test_compliance_fixed_queries(small, province, queries, django_assert_max_num_queries):
    chosen = region(province) if province else None
    with django_assert_max_num_queries(queries):
        dashboards.compliance(cycle=small["cycle"], province=chosen)


# --- stars by commodity --------------------------------------------------------------------


def test_stars_by_commodity_rows_in_commodity_order_with_both_names(personas, small):
    food_centre = CentreFactory(
        region_id="63.03.01", commodity=CommodityGroup.objects.get(code="makanan-minuman")
    )
    decide(
        make_proposal(round_=small["round_63"], centre=food_centre, state="rated", documents=False),
        by=personas["admin"],
        stars=4,
        score="75",
    )
    data = dashboards.stars_by_commodity(cycle=small["cycle"], province=None)
    assert [(r.code, r.name, r.name_en) for r in data.rows] == [
        ("makanan-minuman", "Makanan & minuman", "Food & beverages"),
        ("kain-batik", "Kain batik", "Batik fabric"),
    ]
    assert {r.code: (r.counts, r.total) for r in data.rows} == {
        "makanan-minuman": ({4: 1}, 1),
        "kain-batik": ({4: 1, 5: 1}, 2),
    }


def test_stars_by_commodity_scale_of_a_three_star_cycle(personas):
    cycle = make_cycle(year=2027, name="OVOP 2027", star_scale=3)
    round_ = make_round(cycle=cycle)
    decide(
        make_proposal(round_=round_, centre=CentreFactory(), state="rated", documents=False),
        by=personas["admin"],
        stars=2,
        score="70",
    )
    data = dashboards.stars_by_commodity(cycle=cycle, province=region("63"))
    assert data.scale == [1, 2, 3]
    assert [(r.code, r.counts) for r in data.rows] == [("kain-batik", {2: 1})]


def test_stars_by_commodity_scale_stretches_to_a_higher_recorded_star(personas):
    cycle = make_cycle(year=2027, name="OVOP 2027", star_scale=3)
    decide(
        make_proposal(
            round_=make_round(cycle=cycle), centre=CentreFactory(), state="rated", documents=False
        ),
        by=personas["admin"],
        stars=4,
        score="95",
    )
    assert dashboards.stars_by_commodity(cycle=cycle, province=None).scale == [1, 2, 3, 4]


def test_stars_by_commodity_empty_cycle_has_the_scale_and_no_rows(small):
    data = dashboards.stars_by_commodity(cycle=small["cycle"], province=region("65"))
    assert (data.scale, data.rows) == ([1, 2, 3, 4, 5], [])


def test_stars_by_commodity_other_cycle_left_out(small):
    data = dashboards.stars_by_commodity(cycle=small["earlier"], province=region("63"))
    assert [(r.code, r.counts) for r in data.rows] == [("kain-batik", {2: 1})]


def test_stars_by_commodity_one_query(small, django_assert_num_queries):
    province = region("63")
    with django_assert_num_queries(1):
        dashboards.stars_by_commodity(cycle=small["cycle"], province=province)


# --- trends --------------------------------------------------------------------------------


def test_trends_cycle_without_proposals_counts_zero(small):
    empty = make_cycle(year=2024, name="OVOP 2024")
    rows = dashboards.trends(
        cycles=dashboards.dashboard_cycles(), until=small["cycle"], province=region("63")
    )
    assert [(r.cycle_id, r.year, r.name) for r in rows] == [
        (empty.pk, 2024, "OVOP 2024"),
        (small["earlier"].pk, 2025, "OVOP 2025"),
        (small["cycle"].pk, 2026, "OVOP 2026"),
    ]
    assert (rows[0].submitted, rows[0].eligible, rows[0].rated, rows[0].mean_score) == (
        0,
        0,
        0,
        None,
    )


def test_trends_leave_out_cycles_after_until(small):
    later = make_cycle(year=2027, name="OVOP 2027")
    rows = dashboards.trends(
        cycles=[later, small["cycle"], small["earlier"]], until=small["cycle"], province=None
    )
    assert [r.year for r in rows] == [2025, 2026]


def test_trends_mean_score_published_only(personas, small):
    for score in ("71", "71"):
        decide(
            make_proposal(
                round_=small["round_63"], centre=CentreFactory(), state="rated", documents=False
            ),
            by=personas["admin"],
            stars=4,
            score=score,
        )
    [row] = dashboards.trends(cycles=[small["cycle"]], until=small["cycle"], province=region("63"))
    # (80 + 71 + 71) / 3; Tapin's pending 60 left out.
    assert row.mean_score == 74.0
    assert (row.rated, row.eligible) == (3, 4)
    [row] = dashboards.trends(cycles=[small["cycle"]], until=small["cycle"], province=region("64"))
    assert (row.mean_score, row.rated) == (90.0, 1)


def test_trends_mean_score_rounding(personas):
    cycle = make_cycle(year=2027, name="OVOP 2027")
    round_ = make_round(cycle=cycle)
    for score in ("70", "71", "71"):
        decide(
            make_proposal(round_=round_, centre=CentreFactory(), state="rated", documents=False),
            by=personas["admin"],
            stars=4,
            score=score,
        )
    [row] = dashboards.trends(cycles=[cycle], until=cycle, province=None)
    assert row.mean_score == 70.67


def test_trends_one_query(small, django_assert_num_queries):
    cycles = dashboards.dashboard_cycles()
    with django_assert_num_queries(1):
        dashboards.trends(cycles=cycles, until=small["cycle"], province=None)


# --- maps ----------------------------------------------------------------------------------


def test_province_map_operator_sees_their_regency_only(personas, small):
    centres = dashboards.province_map(
        user=personas["operator"], cycle=small["cycle"], province=region("63")
    )
    assert [(c.name, c.regency, c.province, c.status) for c in centres] == [
        ("Sentra Banjar", "Kabupaten Banjar", "Kalimantan Selatan", "rated")
    ]
    assert (centres[0].latitude, centres[0].longitude) == (-3.43, 114.85)


def test_province_map_neighbour_sees_their_centre_not_proposed_this_cycle(personas, small):
    centres = dashboards.province_map(
        user=personas["operator_neighbour"], cycle=small["cycle"], province=region("63")
    )
    # Barito Kuala's centre was rated in 2025 only: not proposed in 2026.
    assert [(c.name, c.status, c.latitude, c.longitude) for c in centres] == [
        ("Sentra Barito", "not_proposed", None, None)
    ]


def test_province_map_state_of_the_chosen_cycle(personas, small):
    centres = dashboards.province_map(
        user=personas["verifier"], cycle=small["earlier"], province=region("63")
    )
    assert {c.name: c.status for c in centres} == {
        "Sentra Banjar": "not_proposed",
        "Sentra Barito": "rated",
        "Sentra Tapin": "not_proposed",
    }


@pytest.mark.parametrize("name", ["admin", "viewer", "verifier"])
def test_province_map_whole_province_in_regency_order_never_another(personas, small, name):
    centres = dashboards.province_map(
        user=personas[name], cycle=small["cycle"], province=region("63")
    )
    assert [(c.name, c.status) for c in centres] == [
        ("Sentra Banjar", "rated"),
        ("Sentra Barito", "not_proposed"),
        ("Sentra Tapin", "eligible"),
    ]


@pytest.mark.parametrize("name", ["verifier_other", "assessor"])
def test_province_map_nothing_for_who_sees_no_centre_there(personas, small, name):
    assert (
        dashboards.province_map(user=personas[name], cycle=small["cycle"], province=region("63"))
        == []
    )


def test_province_map_one_query(personas, small, django_assert_num_queries):
    province = region("63")
    with django_assert_num_queries(1):
        centres = dashboards.province_map(
            user=personas["verifier"], cycle=small["cycle"], province=province
        )
    assert len(centres) == 3


def test_national_map_published_rated_of_the_cycle_only(small):
    centres = dashboards.national_map(cycle=small["cycle"])
    assert [(c.name, c.regency, c.province, c.status) for c in centres] == [
        ("Sentra Banjar", "Kabupaten Banjar", "Kalimantan Selatan", "stars-4"),
        ("Sentra Paser", "Kabupaten Paser", "Kalimantan Timur", "stars-5"),
    ]
    assert isinstance(centres[0].latitude, float)


def test_national_map_of_another_cycle(small):
    centres = dashboards.national_map(cycle=small["earlier"])
    assert [(c.name, c.status, c.latitude) for c in centres] == [("Sentra Barito", "stars-2", None)]


def test_national_map_one_query(small, django_assert_num_queries):
    with django_assert_num_queries(1):
        dashboards.national_map(cycle=small["cycle"])
