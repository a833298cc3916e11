"""Indicators on screen: the centre page section (table, change, charts) and the entry form."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ovop.coaching.models import Indicator
from ovop.coaching.panels.indicators import indicators_context
from ovop.evaluation.services.decisions import fill_pending, publish_cycle
from tests.evaluation.helpers import assigned_world, levels, submit_directly

pytestmark = pytest.mark.django_db


def baseline(centre, year=2024, **figures):
    values = {
        "production_value": 1_000_000_000,
        "workers_male": 10,
        "workers_female": 20,
        "market_reach": "regency",
        "certificates_held": 2,
        "export_value": 0,
        "capacity_value": Decimal("1000"),
        "capacity_unit": "lembar",
    }
    values.update(figures)
    return Indicator.objects.create(centre=centre, year=year, kind="baseline", **values)


def actual(centre, year=2025, kind="actual", **figures):
    return Indicator.objects.create(centre=centre, year=year, kind=kind, **figures)


def section_html(client, user, centre) -> str:
    client.force_login(user)
    response = client.get(reverse("centres:detail", kwargs={"pk": centre.pk}))
    assert response.status_code == 200
    html = response.content.decode()
    start = html.index('id="indicators"')
    return html[start : html.index("</section>", start)]


def form_data(**overrides) -> dict:
    data = {
        "year": 2026,
        "kind": "actual",
        "capacity_value": "1500",
        "capacity_unit": "lembar",
        "production_value": "1500000000",
        "workers_male": "12",
        "workers_female": "30",
        "market_reach": "national",
        "certificates_held": "3",
        "export_value": "0",
        "export_destinations": "",
        "sales_channels": ["direct", "marketplace"],
        "note": "Data Dinas",
        "reason": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


# --- Publishing, then later figures show the change ----------------------------------------


def test_publishing_then_a_later_actual_shows_the_change_on_the_page_and_in_the_api(client, world):
    setup = assigned_world(world)
    submit_directly(setup["assignment"], levels(5))
    fill_pending(cycle=world["cycle"], actor=world["admin"])
    publish_cycle(cycle=world["cycle"], actor=world["admin"])
    centre = world["centre_banjar"]
    start = Indicator.objects.get(centre=centre, kind="baseline")
    assert start.production_value == 1_250_000_000

    client.force_login(world["operator"])
    url = reverse("coaching:indicator_create", kwargs={"centre_pk": centre.pk})
    response = client.post(url, form_data(year=start.year + 1, production_value="1500000000"))
    assert response.status_code == 302
    assert response["Location"].endswith("#indicators")

    html = section_html(client, world["operator"], centre)
    assert "Rp\u00a01.250.000.000" in html
    assert "Rp\u00a01.500.000.000" in html
    assert "+Rp\u00a0250.000.000" in html
    assert re.search(r"\+20,0\s?%", html)  # 250 million on 1.25 billion, a decimal comma

    api = client.get(reverse("centre-indicators", kwargs={"pk": centre.pk})).json()
    production = next(c for c in api["changes"] if c["metric"] == "production_value")
    assert production == {
        "metric": "production_value",
        "label": production["label"],
        "baseline": 1_250_000_000.0,
        "latest": 1_500_000_000.0,
        "latest_year": start.year + 1,
        "delta": 250_000_000.0,
        "percent": 20.0,
        "target": None,
    }


# --- The centre page section ----------------------------------------------------------------


def test_section_shows_the_years_the_change_and_a_chart_per_metric(client, world):
    centre = world["centre_banjar"]
    baseline(centre)
    actual(centre, 2025, production_value=1_100_000_000, workers_male=12, workers_female=20)
    actual(centre, 2026, production_value=1_300_000_000, market_reach="national")
    actual(centre, 2027, kind="target", production_value=2_000_000_000)
    html = section_html(client, world["verifier"], centre)
    assert html.count('role="img"') == 6  # one chart per metric
    assert html.count("<title id=") == 6
    assert html.count("<desc id=") == 6
    assert "style=" not in html
    assert "<script" not in html
    # The latest actual is 2026 for production value, 2025 for workers.
    assert "Rp\u00a01.300.000.000" in html
    assert "+Rp\u00a0300.000.000" in html
    assert re.search(r"\+30,0\s?%", html)
    assert re.search(r"32 \(12 \D+, 20 \D+\)", html)  # workers: total (men, women)
    assert "Rp\u00a02.000.000.000" in html  # the target, drawn as an outline
    assert 'stroke-dasharray="4 3"' in html
    # The verifier of the province records figures: links to add and to correct.
    assert reverse("coaching:indicator_create", kwargs={"centre_pk": centre.pk}) in html
    assert "?prefill=registry" in html
    edit = reverse("coaching:indicator_edit", kwargs={"pk": Indicator.objects.first().pk})
    assert edit in html


def test_section_for_a_reader_has_no_edit_links(client, world):
    centre = world["centre_banjar"]
    baseline(centre)
    html = section_html(client, world["viewer"], centre)
    assert "/edit/" not in html
    assert "indicators/new/" not in html
    assert "Rp\u00a01.000.000.000" in html


def test_section_without_figures_says_how_the_baseline_comes(client, world):
    html = section_html(client, world["operator"], world["centre_banjar"])
    assert 'role="img"' not in html
    assert (
        reverse("coaching:indicator_create", kwargs={"centre_pk": world["centre_banjar"].pk})
        in html
    )


def test_chart_text_is_escaped(world):
    centre = world["centre_banjar"]
    baseline(centre, capacity_unit='<b onload="x">')
    context = indicators_context(world["admin"], centre)["indicator_section"]
    chart = str(context["changes"][0]["chart"])
    assert "<b onload" not in chart
    assert "&lt;b onload=&quot;x&quot;&gt;" in chart


def test_section_costs_the_same_queries_for_one_and_many_rows(world, django_assert_max_num_queries):
    centre = world["centre_banjar"]
    baseline(centre)
    with django_assert_max_num_queries(1):
        indicators_context(world["operator"], centre)
    for year in range(2025, 2045):
        actual(centre, year, production_value=year * 1_000_000, workers_male=year - 2000)
        actual(centre, year, kind="target", production_value=year * 2_000_000)
    with django_assert_max_num_queries(1):
        context = indicators_context(world["operator"], centre)
    assert len(context["indicator_section"]["rows"]) == 41


def test_centre_page_queries_do_not_grow_with_indicator_rows(client, world):
    centre = world["centre_banjar"]
    baseline(centre)
    client.force_login(world["operator"])
    url = reverse("centres:detail", kwargs={"pk": centre.pk})
    client.get(url)  # warm the session and caches
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for year in range(2025, 2040):
        actual(centre, year, production_value=year * 1_000_000)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.content.decode().count("/edit/") >= 16
    assert len(many.captured_queries) == len(one.captured_queries)


# --- The form -----------------------------------------------------------------------------


def test_operator_adds_a_year_with_sales_channels(client, world):
    centre = world["centre_banjar"]
    client.force_login(world["operator"])
    url = reverse("coaching:indicator_create", kwargs={"centre_pk": centre.pk})
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'type="checkbox"' in html
    assert 'value="marketplace"' in html
    assert "style=" not in html
    response = client.post(url, form_data(sales_channels=["marketplace", "direct"]))
    assert response.status_code == 302
    saved = Indicator.objects.get(centre=centre, year=2026, kind="actual")
    assert saved.production_value == 1_500_000_000
    assert saved.worker_count == 42
    assert saved.sales_channels == ["direct", "marketplace"]
    assert saved.history.first().history_user == world["operator"]


def test_adding_figures_for_a_recorded_year_and_kind_is_refused(client, world):
    centre = world["centre_banjar"]
    actual(centre, 2026, production_value=5)
    client.force_login(world["operator"])
    url = reverse("coaching:indicator_create", kwargs={"centre_pk": centre.pk})
    response = client.post(url, form_data(year=2026, kind="actual"))
    assert response.status_code == 200
    assert "year" in response.context["form"].errors
    assert Indicator.objects.get(centre=centre, year=2026).production_value == 5


def test_a_baseline_cannot_be_added_on_screen(client, world):
    client.force_login(world["admin"])
    url = reverse("coaching:indicator_create", kwargs={"centre_pk": world["centre_banjar"].pk})
    response = client.post(url, form_data(kind="baseline"))
    assert response.status_code == 200
    assert "kind" in response.context["form"].errors
    assert not Indicator.objects.exists()


def test_negative_figures_are_refused(client, world):
    client.force_login(world["operator"])
    url = reverse("coaching:indicator_create", kwargs={"centre_pk": world["centre_banjar"].pk})
    response = client.post(url, form_data(capacity_value="-1", production_value="-5"))
    errors = response.context["form"].errors
    assert "capacity_value" in errors
    assert "production_value" in errors
    assert not Indicator.objects.exists()


def test_prefill_takes_the_registry_figures(client, world):
    centre = world["centre_banjar"]
    client.force_login(world["operator"])
    url = reverse("coaching:indicator_create", kwargs={"centre_pk": centre.pk})
    response = client.get(url, {"prefill": "registry"})
    form = response.context["form"]
    assert response.context["prefilled"] is True
    assert form.initial["production_value"] == centre.production_value
    assert form.initial["workers_female"] == centre.workers_female
    assert form.initial["certificates_held"] == 1
    assert 'value="1250000000"' in response.content.decode()
    assert form.initial["year"] == timezone.localdate().year  # this year unless chosen


def test_years_are_not_grouped_like_numbers(client, world):
    baseline(world["centre_banjar"], year=2024)
    html = section_html(client, world["operator"], world["centre_banjar"])
    assert "2024" in html
    assert "2.024" not in html


def test_editing_keeps_year_and_kind(client, world):
    centre = world["centre_banjar"]
    row = actual(centre, 2025, production_value=5)
    client.force_login(world["operator"])
    url = reverse("coaching:indicator_edit", kwargs={"pk": row.pk})
    response = client.post(url, form_data(year=2030, kind="target", production_value="7"))
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.year, row.kind, row.production_value) == (2025, "actual", 7)
    assert Indicator.objects.count() == 1


def test_correcting_a_baseline_needs_a_reason_that_is_kept(client, world):
    start = baseline(world["centre_banjar"])
    client.force_login(world["verifier"])
    url = reverse("coaching:indicator_edit", kwargs={"pk": start.pk})
    refused = client.post(url, form_data(production_value="900000000"))
    assert refused.status_code == 200
    assert "reason" in refused.context["form"].errors
    start.refresh_from_db()
    assert start.production_value == 1_000_000_000
    response = client.post(
        url, form_data(production_value="900000000", reason="Salah ketik di registri")
    )
    assert response.status_code == 302
    start.refresh_from_db()
    assert (start.kind, start.production_value) == ("baseline", 900_000_000)
    assert start.history.first().history_change_reason == "Salah ketik di registri"
    page = client.get(url).content.decode()
    assert "Salah ketik di registri" in page  # the change history on the form page


# --- Scoping ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [("operator_neighbour", 404), ("verifier_other", 404), ("assessor", 404), ("viewer", 403)],
)
def test_form_is_scoped_for_get_and_post(client, world, persona, status):
    centre = world["centre_banjar"]
    row = actual(centre, 2025, production_value=5)
    client.force_login(world[persona])
    create = reverse("coaching:indicator_create", kwargs={"centre_pk": centre.pk})
    edit = reverse("coaching:indicator_edit", kwargs={"pk": row.pk})
    assert client.get(create).status_code == status
    assert client.get(edit).status_code == status
    assert client.post(create, form_data()).status_code == status
    assert client.post(edit, form_data(production_value="9")).status_code == status
    row.refresh_from_db()
    assert row.production_value == 5
    assert Indicator.objects.count() == 1


def test_operator_cannot_reach_another_regencys_centre(client, world):
    client.force_login(world["operator"])
    url = reverse("coaching:indicator_create", kwargs={"centre_pk": world["centre_tapin"].pk})
    assert client.get(url).status_code == 404


def test_anonymous_is_sent_to_sign_in(client, world):
    url = reverse("coaching:indicator_create", kwargs={"centre_pk": world["centre_banjar"].pk})
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_section_uses_indonesian_number_formats(client, world):
    centre = world["centre_banjar"]
    baseline(centre, capacity_value=Decimal("1234.50"), capacity_unit="kg")
    html = section_html(client, world["operator"], centre)
    assert re.search(r"1\.234,50\s+kg", html)
