import datetime
import zipfile
from decimal import Decimal

import pytest
import xlsxwriter
from django.core.exceptions import PermissionDenied

from ovop.centres.models import Centre
from ovop.centres.workbooks.columns import COLUMN_BY_KEY, COLUMNS, HEADERS
from ovop.centres.workbooks.imports import import_centres
from ovop.common.workbooks.cells import CellError, parse_date, parse_number
from tests.centres.workbook_files import Formula, centre_row, write_workbook
from tests.factories import CentreFactory

REGION = COLUMN_BY_KEY["region"].header
UNITS = COLUMN_BY_KEY["unit_count"].header


def run(path, actor, *, dry_run: bool = False):
    with path.open("rb") as handle:
        return import_centres(actor=actor, file=handle, dry_run=dry_run)


def history_count() -> int:
    return Centre.history.count()


def test_import_creates_centres_with_every_column(operator, tmp_path):
    path = write_workbook(tmp_path / "sentra.xlsx", [centre_row(name="Sentra Purun")])
    result = run(path, operator)
    assert result.errors == []
    assert (result.created, result.updated, result.unchanged) == (1, 0, 0)
    centre = Centre.objects.get(name="Sentra Purun")
    assert centre.regency_id == "63.03"
    assert centre.commodity.code == "kain-batik"
    assert centre.latitude == Decimal("-3.43")
    assert centre.decree_date == datetime.date(2023, 5, 21)
    assert centre.production_value == 1_250_000_000
    assert centre.market_reach == "national"
    assert centre.history.first().history_change_reason == "Impor dari Excel (sentra.xlsx)"
    assert centre.history.first().history_user == operator


def test_one_bad_cell_among_2000_rows_refuses_the_whole_workbook(operator, tmp_path):
    rows = [centre_row(name=f"Sentra Kain {number}") for number in range(2000)]
    rows[1500]["unit_count"] = "banyak"
    before = (Centre.objects.count(), history_count())
    result = run(write_workbook(tmp_path / "bad.xlsx", rows), operator)
    assert [(e.sheet, e.row, e.column) for e in result.errors] == [("Sentra", 1502, UNITS)]
    assert "banyak" in result.errors[0].message
    assert (result.created, result.updated, result.changes) == (0, 0, [])
    assert (Centre.objects.count(), history_count()) == before

    rows[1500]["unit_count"] = 15
    corrected = write_workbook(tmp_path / "good.xlsx", rows)
    result = run(corrected, operator)
    assert (result.errors, result.created) == ([], 2000)
    assert Centre.objects.filter(regency_id="63.03").count() == before[0] + 2000

    again = run(corrected, operator)
    assert (again.errors, again.created, again.updated, again.unchanged) == ([], 0, 0, 2000)
    assert history_count() == before[1] + 2000


@pytest.mark.parametrize(
    ("key", "cell", "expected"),
    [
        ("production_value", "1.250.000", 1_250_000),
        ("production_value", "Rp 1.250.000", 1_250_000),
        ("production_value", "Rp1.250.000,-", 1_250_000),
        ("investment_value", "1.250.000,00", 1_250_000),
        ("capacity_value", "1.250.000,50", Decimal("1250000.50")),
        ("capacity_value", "12,5", Decimal("12.5")),
        ("unit_count", "1.250", 1250),
        ("latitude", "-3,4412", Decimal("-3.4412")),
        ("local_material_share", "80%", 80),
        ("decree_date", "21/05/2024", datetime.date(2024, 5, 21)),
        ("decree_date", "21-05-2024", datetime.date(2024, 5, 21)),
        ("decree_date", "2024-05-21", datetime.date(2024, 5, 21)),
        ("decree_date", "21 Mei 2024", datetime.date(2024, 5, 21)),
        ("decree_date", datetime.date(2024, 5, 21), datetime.date(2024, 5, 21)),
        ("kbli", 1111, "01111"),
        ("region", "630301", "63.03.01"),
        ("capacity_period", "MONTH", "month"),
    ],
)
def test_import_reads_indonesian_numbers_and_dates(operator, tmp_path, key, cell, expected):
    path = write_workbook(tmp_path / "sentra.xlsx", [centre_row(**{key: cell})])
    result = run(path, operator)
    assert result.errors == []
    centre = Centre.objects.get(name="Sentra Sasirangan Baru")
    field = "region_id" if key == "region" else key
    assert getattr(centre, field) == expected


@pytest.mark.parametrize("text", ["1,2,3", "satu", "1.25.000", "Rp"])
def test_parse_number_refuses_what_is_not_a_number(text):
    with pytest.raises(CellError):
        parse_number(text)


def test_parse_date_takes_an_excel_serial_number():
    assert parse_date(45433) == datetime.date(2024, 5, 21)


def test_formula_error_cell_is_named(operator, tmp_path):
    rows = [centre_row(), centre_row(name="Sentra Dua", unit_count=Formula("=1/0", "#DIV/0!"))]
    rows[0]["kbli"] = Formula("=#REF!", "#REF!")
    result = run(write_workbook(tmp_path / "sentra.xlsx", rows), operator)
    found = [(e.row, e.column) for e in result.errors]
    assert found == [(2, "KBLI 2020"), (3, UNITS)]
    assert "#REF!" in result.errors[0].message
    assert "#DIV/0!" in result.errors[1].message
    assert not Centre.objects.filter(regency_id="63.03").exists()


def test_a_row_holding_only_a_formula_error_is_not_skipped(operator, tmp_path):
    rows = [centre_row(), {"kbli": Formula("=#REF!", "#REF!")}]
    result = run(write_workbook(tmp_path / "sentra.xlsx", rows), operator)
    assert (3, "KBLI 2020") in [(e.row, e.column) for e in result.errors]
    assert not Centre.objects.exists()


def test_missing_header_is_named(operator, tmp_path):
    headers = [header if header != REGION else "Wilayah" for header in HEADERS]
    path = write_workbook(tmp_path / "sentra.xlsx", [centre_row()], headers=headers)
    result = run(path, operator)
    assert [(e.row, e.column) for e in result.errors] == [(1, REGION)]
    assert REGION in result.errors[0].message
    assert not Centre.objects.exists()


def test_merged_header_cells_are_reported(operator, tmp_path):
    path = write_workbook(tmp_path / "sentra.xlsx", [centre_row()], merge_header=(3, 4))
    result = run(path, operator)
    columns = {e.column for e in result.errors}
    assert "D1:E1" in columns
    assert "KBLI 2020" in columns  # the header the merge swallowed
    assert not Centre.objects.exists()


def test_empty_rows_are_skipped_and_rows_keep_their_excel_numbers(operator, tmp_path):
    rows = [centre_row(name="Sentra A"), centre_row(name="Sentra B", region="63.05.01")]
    path = write_workbook(tmp_path / "sentra.xlsx", rows, blank_rows_after={0})
    result = run(path, operator)
    assert [(e.row, e.column) for e in result.errors] == [(4, REGION)]
    rows[1]["region"] = "63.03.02"
    result = run(write_workbook(tmp_path / "ok.xlsx", rows, blank_rows_after={0}), operator)
    assert (result.errors, result.created) == ([], 2)


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (b"Nama sentra;Kode wilayah\nSentra A;63.03.01\n", "CSV"),
        (b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n", "PDF"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, ".xls"),
    ],
)
def test_a_file_that_is_not_xlsx_is_refused_by_its_content(operator, tmp_path, content, kind):
    path = tmp_path / "sentra.xlsx"
    path.write_bytes(content)
    result = run(path, operator)
    assert len(result.errors) == 1
    assert kind in result.errors[0].message
    assert "sentra.xlsx" in result.errors[0].message
    assert not Centre.objects.exists()


def test_zip_without_a_workbook_is_refused(operator, tmp_path):
    path = tmp_path / "sentra.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "hello")
    result = run(path, operator)
    assert len(result.errors) == 1
    assert "ZIP" in result.errors[0].message


def test_operator_cannot_import_into_another_regency(operator, tmp_path):
    rows = [centre_row(name="Sentra Banjar"), centre_row(name="Sentra Tapin", region="63.05.01")]
    result = run(write_workbook(tmp_path / "sentra.xlsx", rows), operator)
    assert [(e.sheet, e.row, e.column) for e in result.errors] == [("Sentra", 3, REGION)]
    assert "63.05.01" in result.errors[0].message
    assert "Kabupaten Banjar" in result.errors[0].message
    assert not Centre.objects.exists()


def test_admin_imports_into_any_regency(admin_user, tmp_path):
    rows = [centre_row(name="Sentra Tapin", region="63.05.01"), centre_row(region="64.01.01")]
    result = run(write_workbook(tmp_path / "sentra.xlsx", rows), admin_user)
    assert (result.errors, result.created) == ([], 2)


def test_unknown_region_and_regency_codes_say_what_to_use(operator, tmp_path):
    rows = [centre_row(name="A", region="63.03.99"), centre_row(name="B", region="63.03")]
    result = run(write_workbook(tmp_path / "sentra.xlsx", rows), operator)
    assert [(e.row, e.column) for e in result.errors] == [(2, REGION), (3, REGION)]
    assert "63.03.99" in result.errors[0].message
    assert "63.03" in result.errors[1].message


def test_model_rules_are_reported_on_their_column(operator, tmp_path):
    rows = [centre_row(unit_count=3, kbli="123", market_reach="galaksi", commodity="batu")]
    result = run(write_workbook(tmp_path / "sentra.xlsx", rows), operator)
    columns = [e.column for e in result.errors]
    assert columns == ["Kelompok komoditas", "Jangkauan pasar"]  # cell problems come first
    rows[0].update(market_reach="local", commodity="kain-batik")
    result = run(write_workbook(tmp_path / "sentra2.xlsx", rows), operator)
    assert sorted(e.column for e in result.errors) == sorted(["KBLI 2020", UNITS])


def test_required_cell_left_empty(operator, tmp_path):
    result = run(write_workbook(tmp_path / "s.xlsx", [centre_row(name="")]), operator)
    assert [(e.row, e.column) for e in result.errors] == [(2, "Nama sentra")]


def test_dry_run_writes_nothing_and_lists_the_changes(operator, tmp_path):
    existing = CentreFactory(name="Sentra Lama", region_id="63.03.01", unit_count=12)
    rows = [centre_row(name="Sentra Baru"), centre_row(name="sentra lama", unit_count=20)]
    before = history_count()
    result = run(write_workbook(tmp_path / "s.xlsx", rows), operator, dry_run=True)
    assert (result.errors, result.created, result.updated) == ([], 1, 1)
    assert [(c.action, c.row) for c in result.changes] == [("create", 2), ("update", 3)]
    unit_change = [c for c in result.changes[1].changes if c.column == UNITS]
    assert [(c.old, c.new) for c in unit_change] == [(12, 20)]
    existing.refresh_from_db()
    assert existing.unit_count == 12
    assert not Centre.objects.filter(name="Sentra Baru").exists()
    assert history_count() == before


def test_row_without_id_updates_the_centre_of_the_same_name(operator, tmp_path):
    existing = CentreFactory(name="Sentra Purun Banjar", region_id="63.03.02")
    rows = [centre_row(name="SENTRA PURUN BANJAR", region="63.03.01", workers_male=3)]
    result = run(write_workbook(tmp_path / "s.xlsx", rows), operator)
    assert (result.errors, result.created, result.updated) == ([], 0, 1)
    existing.refresh_from_db()
    assert (existing.workers_male, existing.region_id) == (3, "63.03.01")
    assert Centre.objects.count() == 1


def test_row_with_id_updates_that_centre_even_when_renamed(operator, tmp_path):
    existing = CentreFactory(name="Sentra Lama", region_id="63.03.01")
    rows = [centre_row(id=existing.pk, name="Sentra Baru Namanya")]
    result = run(write_workbook(tmp_path / "s.xlsx", rows), operator)
    assert (result.errors, result.updated) == ([], 1)
    existing.refresh_from_db()
    assert existing.name == "Sentra Baru Namanya"


def test_id_of_a_centre_the_operator_may_not_change_is_an_error(operator, tmp_path):
    elsewhere = CentreFactory(name="Sentra Tapin", region_id="63.05.01")
    rows = [centre_row(id=elsewhere.pk), centre_row(name="B", id=999_999)]
    result = run(write_workbook(tmp_path / "s.xlsx", rows), operator)
    assert [(e.row, e.column) for e in result.errors] == [(2, "ID"), (3, "ID")]
    assert str(elsewhere.pk) in result.errors[0].message


def test_the_same_centre_twice_in_a_file_is_an_error(operator, tmp_path):
    existing = CentreFactory(name="Sentra Lama", region_id="63.03.01")
    rows = [
        centre_row(name="Sentra Satu"),
        centre_row(name="sentra satu"),
        centre_row(id=existing.pk, name="Sentra Lama"),
        centre_row(id=existing.pk, name="Sentra Lain"),
    ]
    result = run(write_workbook(tmp_path / "s.xlsx", rows), operator)
    assert [(e.row, e.column) for e in result.errors] == [(3, "Nama sentra"), (5, "ID")]
    assert "2" in result.errors[0].message
    assert "4" in result.errors[1].message


def test_renaming_onto_another_centres_name_is_an_error(operator, tmp_path):
    first = CentreFactory(name="Sentra Satu", region_id="63.03.01")
    CentreFactory(name="Sentra Dua", region_id="63.03.01")
    rows = [centre_row(id=first.pk, name="Sentra Dua")]
    result = run(write_workbook(tmp_path / "s.xlsx", rows), operator)
    assert [(e.row, e.column) for e in result.errors] == [(2, "Nama sentra")]


def test_unchanged_rows_are_not_saved(operator, tmp_path):
    rows = [centre_row(name="Sentra Tetap")]
    path = write_workbook(tmp_path / "s.xlsx", rows)
    run(path, operator)
    centre = Centre.objects.get(name="Sentra Tetap")
    stamp, before = centre.updated_at, history_count()
    result = run(path, operator)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 1)
    centre.refresh_from_db()
    assert (centre.updated_at, history_count()) == (stamp, before)


def test_wrong_sheet_name_reads_the_first_sheet_and_says_so(operator, tmp_path):
    path = write_workbook(tmp_path / "s.xlsx", [centre_row()], sheet_name="Sheet1")
    result = run(path, operator)
    assert (result.errors, result.created, result.sheet) == ([], 1, "Sheet1")
    assert len(result.notices) == 1
    assert "Sentra" in result.notices[0]


def test_first_sheet_without_the_headers_is_refused(operator, tmp_path):
    path = write_workbook(tmp_path / "s.xlsx", [], headers=["Nomor", "Nama"], sheet_name="Data")
    result = run(path, operator)
    assert len(result.notices) == 1
    assert [(e.sheet, e.row) for e in result.errors] == [("Data", 1)]
    assert "Nama sentra" in result.errors[0].message


def test_empty_sheet_is_refused(operator, tmp_path):
    path = tmp_path / "s.xlsx"
    xlsxwriter.Workbook(str(path)).close()
    result = run(path, operator)
    assert len(result.errors) == 1
    assert not Centre.objects.exists()


def test_extra_columns_and_a_title_row_are_ignored(operator, tmp_path):
    path = tmp_path / "s.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("Sentra")
    sheet.write(0, 0, "Daftar sentra IKM Kabupaten Banjar 2024")
    sheet.write_row(2, 0, ["No.", *HEADERS])
    row = centre_row()
    sheet.write_row(3, 0, [1, *[row[column.key] or "" for column in COLUMNS]][:11])
    sheet.write_row(3, 12, [row[column.key] for column in COLUMNS[11:]])
    workbook.close()
    result = run(path, operator)
    assert (result.errors, result.created) == ([], 1)


def test_only_importers_may_import(verifier, tmp_path):
    path = write_workbook(tmp_path / "s.xlsx", [centre_row()])
    with pytest.raises(PermissionDenied):
        run(path, verifier)
