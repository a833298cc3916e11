"""Issue 23: indicator figures are bounded on the API and in the workbook import, where a
huge number is an ordinary row/column error instead of a 500, and nothing is written."""

import pytest
from django.urls import reverse

from ovop.coaching.models import Indicator
from ovop.coaching.workbooks.indicators import COLUMNS
from ovop.coaching.workbooks.indicators_import import import_indicators
from tests.coaching.test_indicator_workbook import figures_row, upload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

HEADER_BY_KEY = {column.key: column.header for column in COLUMNS}


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("production_value", 1e30),
        ("production_value", 1e15),
        ("export_value", 1e30),
        ("capacity_value", 1e27),
        ("workers_male", 1e30),
        ("workers_female", 10**7),
        ("certificates_held", 1e30),
        ("certificates_held", 5000),
        ("year", 1e30),
    ],
)
def test_import_refuses_an_out_of_range_figure_as_a_row_error(world, tmp_path, key, value):
    centre = world["centre_banjar"]
    rows = [figures_row(centre), figures_row(centre, **{"year": 2027, key: value})]
    result = import_indicators(actor=world["operator"], file=upload(tmp_path, rows), dry_run=False)
    assert [(e.row, e.column) for e in result.errors] == [(3, HEADER_BY_KEY[key])]
    assert not Indicator.objects.exists()


@pytest.mark.parametrize("key", ["capacity_unit", "export_destinations", "note"])
def test_import_refuses_hidden_characters_in_text(world, tmp_path, key):
    rows = [figures_row(world["centre_banjar"], **{key: "lembar\u202e"})]
    result = import_indicators(actor=world["operator"], file=upload(tmp_path, rows), dry_run=False)
    assert [(e.row, e.column) for e in result.errors] == [(2, HEADER_BY_KEY[key])]
    assert "invisible or control character" in result.errors[0].message
    assert not Indicator.objects.exists()


def url(centre) -> str:
    return reverse("centre-indicators", kwargs={"pk": centre.pk})


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("production_value", 10**30),
        ("production_value", 10**15),
        ("export_value", 10**15),
        ("capacity_value", "1e27"),
        ("workers_male", 10**7),
        ("workers_female", 10**12),
        ("certificates_held", 5000),
        ("year", 10**6),
        ("sales_channels", ["direct"] * 10_000),
        ("sales_channels", None),
        ("capacity_unit", "kg\u200b"),
        ("note", "Data\u202e Dinas"),
    ],
)
def test_api_refuses_out_of_range_figures_with_a_field_message(api_client, world, field, value):
    api_client.force_authenticate(world["operator"])
    response = api_client.post(
        url(world["centre_banjar"]), {"year": 2026, field: value}, format="json"
    )
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not Indicator.objects.exists()
