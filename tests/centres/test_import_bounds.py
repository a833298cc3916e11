"""Issue 23: the centres workbook import refuses absurd numbers and hidden characters as an
ordinary row/column error, writing nothing, instead of failing with a 500."""

import pytest
from django.utils import translation

from ovop.centres.models import Centre
from ovop.centres.workbooks.columns import COLUMN_BY_KEY
from ovop.centres.workbooks.imports import import_centres
from tests.centres.test_import_views import api_import, workbook_upload
from tests.centres.workbook_files import centre_row, write_workbook

pytestmark = pytest.mark.usefixtures("english")


def run(path, actor):
    with path.open("rb") as handle:
        return import_centres(actor=actor, file=handle, dry_run=False)


def refused(tmp_path, actor, **values):
    """The (row, column) of every error of a workbook of one good and one bad row."""
    rows = [centre_row(name="Sentra Baik"), centre_row(**values)]
    before = (Centre.objects.count(), Centre.history.count())
    result = run(write_workbook(tmp_path / "bounds.xlsx", rows), actor)
    assert (Centre.objects.count(), Centre.history.count()) == before  # all or nothing
    return result


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("production_value", 1e30),
        ("production_value", "1" + "0" * 30),
        ("production_value", 1e15),
        ("investment_value", 1e30),
        ("latitude", 1e30),
        ("latitude", 45),
        ("longitude", -1e30),
        ("longitude", 12),
        ("capacity_value", 1e27),
        ("capacity_value", -5),
        ("unit_count", 1e30),
        ("unit_count", 10**6),
        ("workers_male", 1e30),
        ("workers_female", 10**7),
        ("local_material_share", 1e30),
        ("local_material_share", 150),
    ],
)
def test_out_of_range_number_is_a_row_error(operator, tmp_path, key, value):
    result = refused(tmp_path, operator, **{key: value})
    assert [(e.row, e.column) for e in result.errors] == [(3, COLUMN_BY_KEY[key].header)]
    assert (result.created, result.updated) == (0, 0)


def test_huge_number_says_it_is_too_large(operator, tmp_path):
    result = refused(tmp_path, operator, production_value=1e30)
    assert "far too large" in result.errors[0].message


@pytest.mark.parametrize(
    "key", ["name", "main_product", "decree_number", "decree_signer", "raw_material"]
)
@pytest.mark.parametrize("character", ["\u200b", "\u202e", "\u2066", "\ufeff"])
def test_hidden_character_in_a_name_is_a_row_error(operator, tmp_path, key, character):
    result = refused(tmp_path, operator, **{key: f"Sentra{character} Purun"})
    assert [(e.row, e.column) for e in result.errors] == [(3, COLUMN_BY_KEY[key].header)]
    assert "invisible or control character" in result.errors[0].message


def test_api_import_of_a_huge_number_is_400_in_indonesian(api_client, operator, tmp_path):
    api_client.force_authenticate(operator)
    upload = workbook_upload(tmp_path, [centre_row(production_value=1e30)])
    with translation.override("id"):
        response = api_import(api_client, upload)
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert (error["row"], error["column"]) == (2, "Nilai produksi (Rp/tahun)")
    assert "terlalu besar" in error["message"]
    assert not Centre.objects.exists()
