"""The indicators workbook: export, template and the all-or-nothing import."""

import csv
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import python_calamine
import xlsxwriter
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from ovop.coaching.models import Indicator
from ovop.coaching.workbooks.indicators import COLUMNS, DATA_SHEET, HEADERS
from ovop.coaching.workbooks.indicators_import import import_indicators
from tests.conftest import TINY_PDF
from tests.factories import CentreFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_BY_KEY = {column.key: column.header for column in COLUMNS}


class Formula:
    def __init__(self, formula: str, value: Any):
        self.formula, self.value = formula, value


def figures_row(target, **values: Any) -> dict[str, Any]:
    """A valid row of actual figures for 2026, keyed by column key."""
    row = {
        "centre": target.pk,
        "year": 2026,
        "kind": "actual",
        "capacity_value": 1500,
        "capacity_unit": "lembar",
        "production_value": "Rp 1.500.000.000",
        "workers_male": 12,
        "workers_female": 30,
        "market_reach": "national",
        "certificates_held": 3,
        "export_value": 0,
        "export_destinations": "",
        "sales_channels": "direct, marketplace",
        "note": "Data Dinas",
    }
    row.update(values)
    return row


def write_workbook(
    path: Path,
    rows: list[dict[str, Any]],
    *,
    sheet_name: str = DATA_SHEET,
    headers: list[str] | None = None,
) -> Path:
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet(sheet_name)
    headers = headers or [column.header for column in COLUMNS]
    keys = {column.header: column.key for column in COLUMNS}
    sheet.write_row(0, 0, headers)
    for number, row in enumerate(rows, start=1):
        for position, header in enumerate(headers):
            value = row.get(keys.get(header, header))
            if isinstance(value, Formula):
                sheet.write_formula(number, position, value.formula, None, value.value)
            elif value is not None:
                sheet.write(number, position, value)
    workbook.close()
    return path


def upload(tmp_path, rows, name="indikator.xlsx", **options) -> SimpleUploadedFile:
    path = write_workbook(tmp_path / name, rows, **options)
    return SimpleUploadedFile(name, path.read_bytes(), content_type=XLSX)


def read_xlsx(content: bytes, sheet: str = DATA_SHEET) -> list[list[Any]]:
    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(content))
    return book.get_sheet_by_name(sheet).to_python()


def download(response) -> bytes:
    return b"".join(response.streaming_content)


# --- Import: good files -------------------------------------------------------------------


def test_import_creates_and_replaces_rows_by_centre_year_and_kind(world, tmp_path):
    banjar, tapin = world["centre_banjar"], world["centre_tapin"]
    Indicator.objects.create(centre=tapin, year=2026, kind="actual", production_value=5)
    rows = [
        figures_row(banjar),
        figures_row(tapin, production_value="2.000.000"),
        figures_row(banjar, kind="target", year=2028, production_value=3_000_000_000),
    ]
    result = import_indicators(actor=world["verifier"], file=upload(tmp_path, rows), dry_run=False)
    assert result.ok, result.errors
    assert (result.created, result.updated, result.unchanged) == (2, 1, 0)
    made = Indicator.objects.get(centre=banjar, year=2026, kind="actual")
    assert made.production_value == 1_500_000_000
    assert made.capacity_value == Decimal("1500.00")
    assert made.sales_channels == ["direct", "marketplace"]
    assert made.worker_count == 42
    assert Indicator.objects.get(centre=tapin, year=2026).production_value == 2_000_000
    assert Indicator.objects.get(centre=banjar, kind="target").year == 2028
    assert made.history.first().history_change_reason == "Excel import (indikator.xlsx)"


def test_dry_run_writes_nothing(world, tmp_path):
    rows = [figures_row(world["centre_banjar"])]
    result = import_indicators(actor=world["operator"], file=upload(tmp_path, rows), dry_run=True)
    assert result.ok
    assert result.created == 1
    assert not Indicator.objects.exists()


def test_rows_without_figures_are_skipped(world, tmp_path):
    empty = {"centre": world["centre_banjar"].pk, "year": 2026, "kind": "actual"}
    rows = [empty, figures_row(world["centre_banjar"], year=2025)]
    result = import_indicators(actor=world["operator"], file=upload(tmp_path, rows), dry_run=False)
    assert result.ok
    assert (result.created, result.skipped) == (1, 1)
    assert list(Indicator.objects.values_list("year", flat=True)) == [2025]


def test_export_imports_back_with_nothing_changed(client, world, tmp_path):
    centre = world["centre_banjar"]
    Indicator.objects.create(
        centre=centre,
        year=2024,
        kind="baseline",
        production_value=9,
        capacity_value=Decimal("12.5"),
        sales_channels=["social", "direct"],
        market_reach="local",
        note="Registri",
    )
    Indicator.objects.create(
        centre=centre,
        year=2025,
        kind="actual",
        workers_male=3,
        export_destinations="Malaysia, Brunei",
    )
    client.force_login(world["operator"])
    response = client.get(reverse("coaching:indicator_export"), {"format": "xlsx"})
    exported = download(response) if response.streaming else response.getvalue()
    file = SimpleUploadedFile("export.xlsx", exported, content_type=XLSX)
    result = import_indicators(actor=world["operator"], file=file, dry_run=False)
    assert result.ok, result.errors
    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)


# --- Import: all or nothing ---------------------------------------------------------------


def test_one_bad_cell_changes_nothing_and_names_the_cell(world, tmp_path):
    banjar = world["centre_banjar"]
    kept = Indicator.objects.create(centre=banjar, year=2025, kind="actual", production_value=5)
    rows = [
        figures_row(banjar),
        figures_row(banjar, year=2025, production_value=7),
        figures_row(banjar, year=2027, workers_female="banyak"),
    ]
    result = import_indicators(actor=world["operator"], file=upload(tmp_path, rows), dry_run=False)
    assert not result.ok
    assert [(e.sheet, e.row, e.column) for e in result.errors] == [
        (DATA_SHEET, 4, "Tenaga kerja perempuan")
    ]
    assert "banyak" in result.errors[0].message
    assert (result.created, result.updated, result.changes) == (0, 0, [])
    kept.refresh_from_db()
    assert kept.production_value == 5
    assert Indicator.objects.count() == 1


@pytest.mark.parametrize(
    ("values", "column", "words"),
    [
        ({"capacity_value": -1}, "capacity_value", "below zero"),
        ({"export_value": "-5.000"}, "export_value", "below zero"),
        ({"year": 1990}, "year", "1990"),
        ({"kind": "prediksi"}, "kind", "prediksi"),
        ({"market_reach": "galaksi"}, "market_reach", "galaksi"),
        ({"sales_channels": "direct, tiktok"}, "sales_channels", "tiktok"),
        ({"centre": "abc"}, "centre", "abc"),
        ({"certificates_held": 2.5}, "certificates_held", "2.5"),
        ({"capacity_unit": "x" * 31}, "capacity_unit", "30"),
        ({"production_value": Formula("=1/0", "#DIV/0!")}, "production_value", "#DIV/0!"),
    ],
)
def test_every_kind_of_bad_cell_is_named(world, tmp_path, values, column, words):
    rows = [
        figures_row(world["centre_banjar"]),
        figures_row(world["centre_banjar"], **{"year": 2025, **values}),
    ]
    result = import_indicators(actor=world["operator"], file=upload(tmp_path, rows), dry_run=False)
    assert [(e.row, e.column) for e in result.errors] == [(3, HEADER_BY_KEY[column])]
    assert words in result.errors[0].message
    assert not Indicator.objects.exists()


def test_centres_the_user_cannot_see_are_refused(world, tmp_path):
    rows = [figures_row(world["centre_tapin"]), figures_row(world["centre_banjar"])]
    result = import_indicators(actor=world["operator"], file=upload(tmp_path, rows), dry_run=False)
    assert [(e.row, e.column) for e in result.errors] == [(2, "ID sentra")]
    assert str(world["centre_tapin"].pk) in result.errors[0].message
    assert not Indicator.objects.exists()


def test_the_same_centre_year_and_kind_twice_is_refused(world, tmp_path):
    rows = [figures_row(world["centre_banjar"]), figures_row(world["centre_banjar"])]
    result = import_indicators(actor=world["operator"], file=upload(tmp_path, rows), dry_run=False)
    assert [(e.row, e.column) for e in result.errors] == [(3, "Jenis")]
    assert not Indicator.objects.exists()


def test_a_baseline_is_not_imported(world, tmp_path):
    centre = world["centre_banjar"]
    Indicator.objects.create(centre=centre, year=2024, kind="baseline", production_value=9)
    rows = [figures_row(centre, year=2024, kind="baseline")]
    result = import_indicators(actor=world["admin"], file=upload(tmp_path, rows), dry_run=False)
    assert [(e.row, e.column) for e in result.errors] == [(2, "Jenis")]
    assert Indicator.objects.get().production_value == 9


def test_a_missing_header_refuses_the_file(world, tmp_path):
    headers = [h for h in (c.header for c in COLUMNS) if h != "Jangkauan pasar"]
    rows = [figures_row(world["centre_banjar"])]
    result = import_indicators(
        actor=world["operator"], file=upload(tmp_path, rows, headers=headers), dry_run=False
    )
    assert [(e.row, e.column) for e in result.errors] == [(1, "Jangkauan pasar")]


@pytest.mark.parametrize(
    ("content", "words"),
    [(b"ID sentra;Tahun\n1;2026\n", "CSV"), (TINY_PDF, "PDF"), (b"PK\x03\x04rubbish", "ZIP")],
)
def test_a_file_that_is_not_an_xlsx_is_refused_by_content(world, content, words):
    file = SimpleUploadedFile("indikator.xlsx", content, content_type=XLSX)
    result = import_indicators(actor=world["operator"], file=file, dry_run=False)
    assert not result.ok
    assert words in result.errors[0].message
    assert not Indicator.objects.exists()


def test_only_importers_may_import(world, tmp_path):
    file = upload(tmp_path, [figures_row(world["centre_banjar"])])
    with pytest.raises(PermissionDenied):
        import_indicators(actor=world["viewer"], file=file, dry_run=False)


# --- Import screen ------------------------------------------------------------------------


def test_import_page_offers_template_dry_run_and_export(client, world):
    client.force_login(world["operator"])
    response = client.get(reverse("coaching:indicator_import"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="dry_run"' in html
    assert 'type="file"' in html
    assert reverse("coaching:indicator_template") in html
    assert f'name="year" value="{timezone.localdate().year}"' in html  # not "2.026"
    assert "style=" not in html
    assert "<script>" not in html


def test_import_screen_dry_run_then_save(client, world, tmp_path):
    client.force_login(world["operator"])
    url = reverse("coaching:indicator_import")
    rows = [figures_row(world["centre_banjar"])]
    dry = client.post(url, {"file": upload(tmp_path, rows), "dry_run": "on"})
    assert dry.status_code == 200
    assert dry.context["result"].created == 1
    assert not Indicator.objects.exists()
    assert world["centre_banjar"].name in dry.content.decode()
    saved = client.post(url, {"file": upload(tmp_path, rows)})
    assert saved.context["result"].ok
    assert Indicator.objects.count() == 1
    assert Indicator.objects.get().history.first().history_user == world["operator"]


def test_import_screen_lists_every_error_and_saves_nothing(client, world, tmp_path):
    client.force_login(world["operator"])
    rows = [figures_row(world["centre_banjar"], market_reach="galaksi", year="dua ribu")]
    response = client.post(reverse("coaching:indicator_import"), {"file": upload(tmp_path, rows)})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Tahun" in html
    assert "Jangkauan pasar" in html
    assert "galaksi" in html
    assert not Indicator.objects.exists()


def test_import_screen_refuses_a_pdf(client, world):
    client.force_login(world["operator"])
    file = SimpleUploadedFile("data.xlsx", TINY_PDF, content_type=XLSX)
    response = client.post(reverse("coaching:indicator_import"), {"file": file})
    assert not response.context["result"].ok
    assert "PDF" in response.content.decode()


@pytest.mark.parametrize("persona", ["viewer", "assessor"])
def test_readers_may_not_import(client, world, persona, tmp_path):
    client.force_login(world[persona])
    url = reverse("coaching:indicator_import")
    assert client.get(url).status_code == 403
    file = upload(tmp_path, [figures_row(world["centre_banjar"])])
    assert client.post(url, {"file": file}).status_code == 403
    assert client.get(reverse("coaching:indicator_template")).status_code == 403
    assert not Indicator.objects.exists()


# --- Template -----------------------------------------------------------------------------


def test_template_lists_the_centres_the_user_may_change_for_the_year(client, world):
    client.force_login(world["operator"])
    response = client.get(reverse("coaching:indicator_template"), {"year": "2027"})
    assert response.status_code == 200
    rows = read_xlsx(download(response))
    assert rows[0] == HEADERS
    centre_ids = [int(row[0]) for row in rows[1:]]
    assert centre_ids == [world["centre_banjar"].pk]  # not Tapin, another regency
    year = HEADERS.index("Tahun")
    assert rows[1][year] == 2027
    assert rows[1][HEADERS.index("Jenis")] == "actual"


def test_verifier_template_covers_the_province(client, world):
    client.force_login(world["verifier"])
    rows = read_xlsx(download(client.get(reverse("coaching:indicator_template"))))
    ids = {int(row[0]) for row in rows[1:]}
    assert ids == {world["centre_banjar"].pk, world["centre_tapin"].pk}


def test_filled_template_imports(client, world, tmp_path):
    client.force_login(world["operator"])
    content = download(client.get(reverse("coaching:indicator_template"), {"year": "2026"}))
    rows = read_xlsx(content)
    path = tmp_path / "filled.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet(DATA_SHEET)
    for number, row in enumerate(rows):
        sheet.write_row(number, 0, row)
    sheet.write(1, HEADERS.index("Nilai produksi (Rp/tahun)"), "1.750.000.000")
    workbook.close()
    file = SimpleUploadedFile("filled.xlsx", path.read_bytes(), content_type=XLSX)
    result = import_indicators(actor=world["operator"], file=file, dry_run=False)
    assert result.ok, result.errors
    assert Indicator.objects.get().production_value == 1_750_000_000


# --- Export -------------------------------------------------------------------------------


def test_export_has_only_visible_centres_and_filters(client, world):
    banjar, tapin = world["centre_banjar"], world["centre_tapin"]
    for centre in (banjar, tapin):
        for year in (2025, 2026):
            Indicator.objects.create(centre=centre, year=year, kind="actual", workers_male=year)
    client.force_login(world["operator"])
    url = reverse("coaching:indicator_export")
    rows = read_xlsx(download(client.get(url, {"format": "xlsx"})))
    assert rows[0] == HEADERS
    assert {int(row[0]) for row in rows[1:]} == {banjar.pk}
    client.force_login(world["verifier"])
    rows = read_xlsx(download(client.get(url, {"format": "xlsx", "year": "2026"})))
    assert sorted(int(row[0]) for row in rows[1:]) == sorted([banjar.pk, tapin.pk])
    assert {row[HEADERS.index("Tahun")] for row in rows[1:]} == {2026}
    text = b"".join(client.get(url, {"format": "csv", "regency": "63.05"}).streaming_content)
    lines = list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))
    assert [line[0] for line in lines[1:]] == [str(tapin.pk)] * 2


def test_export_for_someone_who_sees_nothing_is_empty(client, world):
    Indicator.objects.create(centre=world["centre_banjar"], year=2025, kind="actual")
    client.force_login(world["verifier_other"])
    rows = read_xlsx(download(client.get(reverse("coaching:indicator_export"), {"format": "xlsx"})))
    assert rows == [HEADERS]


def test_export_queries_do_not_grow_with_rows(client, world, django_assert_max_num_queries):
    client.force_login(world["admin"])
    url = reverse("coaching:indicator_export")
    Indicator.objects.create(centre=world["centre_banjar"], year=2025, kind="actual")
    with django_assert_max_num_queries(4):
        download(client.get(url, {"format": "csv"}))
    for number in range(30):
        centre = CentreFactory(region_id="63.03.01")
        for year in (2024, 2025, 2026):
            Indicator.objects.create(centre=centre, year=year, kind="actual", workers_male=number)
    with django_assert_max_num_queries(4):
        content = download(client.get(url, {"format": "xlsx"}))
    assert len(read_xlsx(content)) == 92
