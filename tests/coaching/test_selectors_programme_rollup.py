"""A programme's progress: its centres' changes rolled up, checked against plain Python."""

import random
import re
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from ovop.centres.enums import MARKET_REACH_ORDER
from ovop.coaching.models import Indicator, Programme
from ovop.coaching.outputs.charts import Change, percent_change_chart
from ovop.coaching.selectors.programme_rollup import rollup_context
from tests.factories import CentreFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def indonesian():
    """Rendered outside a request: the default language, whatever another test activated."""
    with translation.override("id"):
        yield


FIELDS = [
    "capacity_value",
    "production_value",
    "worker_count",
    "market_reach_level",
    "certificates_held",
    "export_value",
]
MEANS = {"market_reach_level"}


def programme_for(admin, centres) -> Programme:
    programme = Programme.objects.create(
        name="Pembinaan Sasirangan",
        owner_level="province",
        owner_region_id="63",
        year_start=2025,
        year_end=2027,
        created_by=admin,
    )
    programme.centres.set(centres)
    return programme


def maybe(rng: random.Random, value, chance: float = 0.8):
    return value if rng.random() < chance else None


def random_figures(rng: random.Random) -> dict:
    return {
        "capacity_value": maybe(rng, Decimal(rng.randint(0, 50_000)) / 4),
        "production_value": maybe(rng, rng.randint(0, 5_000_000_000)),
        "workers_male": maybe(rng, rng.randint(0, 80)),
        "workers_female": maybe(rng, rng.randint(0, 80)),
        "market_reach": maybe(rng, rng.choice(MARKET_REACH_ORDER), 0.7) or "",
        "certificates_held": maybe(rng, rng.randint(0, 12)),
        "export_value": maybe(rng, rng.randint(0, 900_000_000), 0.5),
    }


def plain_value(figures: dict, field: str):
    """A metric of one generated row, computed without the app's code."""
    if field == "worker_count":
        men, women = figures["workers_male"], figures["workers_female"]
        return None if men is None and women is None else (men or 0) + (women or 0)
    if field == "market_reach_level":
        reach = figures["market_reach"]
        return MARKET_REACH_ORDER.index(reach) + 1 if reach else None
    value = figures[field]
    return None if value is None else float(value)


def generate(rng: random.Random, centre) -> dict:
    """A baseline (usually), some yearly actuals and maybe a target, saved and returned."""
    rows = {"baseline": None, "actuals": {}}
    if rng.random() < 0.85:
        rows["baseline"] = random_figures(rng)
        Indicator.objects.create(centre=centre, year=2024, kind="baseline", **rows["baseline"])
    for year in sorted(rng.sample(range(2025, 2030), rng.randint(0, 3))):
        rows["actuals"][year] = random_figures(rng)
        Indicator.objects.create(centre=centre, year=year, kind="actual", **rows["actuals"][year])
    if rng.random() < 0.5:
        Indicator.objects.create(centre=centre, year=2030, kind="target", **random_figures(rng))
    return rows


def expected_rollup(generated: list[dict]) -> dict[str, tuple[int, float | None, float | None]]:
    """Per metric: (centres with both, baseline total or mean, latest total or mean)."""
    expected = {}
    for field in FIELDS:
        pairs = []
        for rows in generated:
            if rows["baseline"] is None:
                continue
            start = plain_value(rows["baseline"], field)
            latest = None
            for year in sorted(rows["actuals"], reverse=True):
                latest = plain_value(rows["actuals"][year], field)
                if latest is not None:
                    break
            if start is not None and latest is not None:
                pairs.append((start, latest))
        if not pairs:
            expected[field] = (0, None, None)
            continue
        start_sum, latest_sum = sum(p[0] for p in pairs), sum(p[1] for p in pairs)
        if field in MEANS:
            start_sum, latest_sum = start_sum / len(pairs), latest_sum / len(pairs)
        expected[field] = (len(pairs), start_sum, latest_sum)
    return expected


def measured(context: dict) -> dict[str, tuple[int, float | None, float | None]]:
    return {
        row["field"]: (row["centres"], row["baseline_value"], row["latest_value"])
        for row in context["programme_rollup"]["rows"]
    }


def approx(table: dict) -> dict:
    return {
        field: (count, pytest.approx(start), pytest.approx(latest))
        for field, (count, start, latest) in table.items()
    }


@pytest.mark.parametrize("seed", [6, 2026])
def test_rollup_equals_the_sum_and_mean_of_the_centres_changes(world, seed):
    rng = random.Random(seed)
    members, generated = [], []
    for number in range(36):
        district = "63.03.01" if number % 2 else "63.05.01"
        centre = CentreFactory(region_id=district)
        members.append(centre)
        generated.append(generate(rng, centre))
    for _number in range(8):  # centres outside the programme must not count
        generate(rng, CentreFactory(region_id="63.03.01"))
    programme = programme_for(world["admin"], members)

    context = rollup_context(world["admin"], programme)
    expected = expected_rollup(generated)
    assert measured(context) == approx(expected)
    assert any(count for count, _s, _l in expected.values())  # the data exercised the sums
    for row in context["programme_rollup"]["rows"]:
        if row["centres"]:
            assert row["delta_value"] == pytest.approx(row["latest_value"] - row["baseline_value"])
    assert context["programme_rollup"]["hidden_count"] == 0

    # An operator of Banjar sees only the Banjar half: the rollup is over those alone.
    banjar = [
        rows
        for centre, rows in zip(members, generated, strict=True)
        if centre.regency_id == "63.03"
    ]
    scoped = rollup_context(world["operator"], programme)
    assert measured(scoped) == approx(expected_rollup(banjar))
    assert scoped["programme_rollup"]["hidden_count"] == 18


def test_rollup_section_shows_the_table_the_chart_and_the_rule(world):
    centre = world["centre_banjar"]
    Indicator.objects.create(centre=centre, year=2024, kind="baseline", production_value=100)
    Indicator.objects.create(centre=centre, year=2026, kind="actual", production_value=125)
    context = rollup_context(world["admin"], programme_for(world["admin"], [centre]))
    html = render_to_string("coaching/_programme_rollup.html", context)
    assert 'role="img"' in html
    assert "<desc id=" in html
    assert "Rp\u00a0125" in html
    assert "+Rp\u00a025" in html
    assert "25,0" in html  # the percent, with an Indonesian decimal comma
    assert "style=" not in html
    assert "<script" not in html
    rows = {row["field"]: row for row in context["programme_rollup"]["rows"]}
    assert rows["production_value"]["percent_value"] == pytest.approx(25.0)
    assert rows["worker_count"]["centres"] == 0


def test_programme_without_figures_says_so(world):
    programme = programme_for(world["admin"], [world["centre_banjar"]])
    context = rollup_context(world["admin"], programme)
    assert context["programme_rollup"]["counted_any"] is False
    html = render_to_string("coaching/_programme_rollup.html", context)
    assert "<table" in html


def test_rollup_queries_do_not_grow_with_centres(world, django_assert_max_num_queries):
    first = world["centre_banjar"]
    Indicator.objects.create(centre=first, year=2024, kind="baseline", production_value=1)
    programme = programme_for(world["admin"], [first])
    with django_assert_max_num_queries(3):
        rollup_context(world["verifier"], programme)
    centres = [first]
    for number in range(25):
        centre = CentreFactory(region_id="63.03.01")
        Indicator.objects.create(centre=centre, year=2024, kind="baseline", workers_male=number)
        Indicator.objects.create(centre=centre, year=2025, kind="actual", workers_male=number + 1)
        centres.append(centre)
    programme.centres.set(centres)
    with django_assert_max_num_queries(3):
        context = rollup_context(world["verifier"], programme)
    rows = {row["field"]: row for row in context["programme_rollup"]["rows"]}
    assert rows["worker_count"]["centres"] == 25
    assert rows["worker_count"]["delta_value"] == 25


def test_percent_chart_draws_decline_left_and_nothing_without_figures():
    svg = str(
        percent_change_chart(
            chart_id="c",
            title="Perubahan",
            summary="ringkas",
            rows=[
                Change("Naik", 50.0, "+50"),
                Change("Turun", -25.0, "−25"),
                Change("Kosong", None, "–"),
            ],
        )
    )
    rects = re.findall(r'<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)"', svg)
    assert rects == [("150.0", "149.0"), ("75.5", "74.5")]  # half the largest, to the left
    assert 'fill="#b3261e"' in svg
    assert svg.count("<rect") == 2
    assert 'role="img"' in svg
    assert "<title" in svg
    assert "ringkas" in svg
