import csv
import io
import zipfile
from decimal import Decimal

import python_calamine
from django.urls import reverse

from ovop.centres.models import Centre
from ovop.centres.workbooks.columns import DATA_SHEET, HEADERS, LISTS_SHEET, REGIONS_SHEET
from ovop.centres.workbooks.imports import import_centres
from tests.factories import CentreFactory

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download(client, url_name: str, **params) -> bytes:
    response = client.get(reverse(url_name), params)
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def sheet_rows(content: bytes, name: str) -> list[list]:
    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(content))
    return book.get_sheet_by_name(name).to_python()


def import_bytes(content: bytes, actor, *, dry_run: bool = False):
    handle = io.BytesIO(content)
    handle.name = "export.xlsx"
    return import_centres(actor=actor, file=handle, dry_run=dry_run)


def test_exported_workbook_imports_back_with_nothing_changed(client, operator):
    CentreFactory(name="Sentra Lengkap", region_id="63.03.01")
    CentreFactory(
        name="Sentra Sederhana",
        region_id="63.03.01.2001",
        kbli="01111",
        address="",
        latitude=None,
        longitude=None,
        decree_date=None,
        capacity_value=Decimal("1250.75"),
        capacity_period="",
        production_value=None,
        local_material_share=None,
        market_reach="local",
    )
    client.force_login(operator)
    content = download(client, "centres:export", format="xlsx")
    history = Centre.history.count()
    result = import_bytes(content, operator)
    assert (result.errors, result.notices) == ([], [])
    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)
    assert Centre.history.count() == history


def test_export_has_the_columns_the_import_reads(client, operator):
    centre = CentreFactory(name="Sentra Kolom", region_id="63.03.01")
    client.force_login(operator)
    rows = sheet_rows(download(client, "centres:export", format="xlsx"), DATA_SHEET)
    assert rows[0] == HEADERS
    values = dict(zip(HEADERS, rows[1], strict=True))
    assert values["ID"] == centre.pk
    assert values["Kode wilayah (kecamatan/desa)"] == "63.03.01"
    assert values["Kelompok komoditas"] == "kain-batik"
    assert values["Tanggal SK"].isoformat() == "2023-05-21"  # a real Excel date


def test_csv_export_has_the_same_columns(client, operator):
    CentreFactory(name="Sentra CSV", region_id="63.03.01")
    client.force_login(operator)
    text = download(client, "centres:export", format="csv").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == HEADERS
    assert rows[1][1] == "Sentra CSV"


def test_export_holds_only_what_the_user_may_see(client, world):
    client.force_login(world["operator"])
    rows = sheet_rows(download(client, "centres:export", format="xlsx"), DATA_SHEET)
    assert [row[1] for row in rows[1:]] == ["Sentra Banjar"]
    client.force_login(world["verifier_other"])
    assert sheet_rows(download(client, "centres:export", format="xlsx"), DATA_SHEET) == [HEADERS]


def test_export_honours_the_list_filters(client, admin_user):
    CentreFactory(name="Sentra Lokal", market_reach="local")
    CentreFactory(name="Sentra Ekspor", market_reach="export")
    client.force_login(admin_user)
    text = download(client, "centres:export", format="csv", market_reach="export")
    names = [row[1] for row in csv.reader(io.StringIO(text.decode("utf-8-sig")))][1:]
    assert names == ["Sentra Ekspor"]
    text = download(client, "centres:export", format="csv", q="lokal")
    assert "Sentra Lokal" in text.decode()
    assert "Sentra Ekspor" not in text.decode()


def test_template_has_headers_dropdowns_and_the_operators_regions(client, operator):
    client.force_login(operator)
    response = client.get(reverse("centres:template"))
    assert response["Content-Type"] == XLSX
    content = b"".join(response.streaming_content)
    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(content))
    assert book.sheet_names[0] == DATA_SHEET
    assert {REGIONS_SHEET, LISTS_SHEET} < set(book.sheet_names)
    assert sheet_rows(content, DATA_SHEET) == [HEADERS]
    codes = [row[0] for row in sheet_rows(content, REGIONS_SHEET)[2:]]
    assert "63.03.01" in codes
    assert "63.03.01.2001" in codes
    assert all(code.startswith("63.03.") for code in codes)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        data_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert data_xml.count('type="list"') == 4  # commodity, region, capacity period, reach
    assert f"'{LISTS_SHEET}'!$A$2" in data_xml
    assert f"'{REGIONS_SHEET}'!$A$3" in data_xml


def test_admins_template_lists_districts_and_points_to_the_regions_page(client, admin_user):
    client.force_login(admin_user)
    content = download(client, "centres:template")
    rows = sheet_rows(content, REGIONS_SHEET)
    assert reverse("regions:list") in rows[0][0]
    assert {len(row[0].split(".")) for row in rows[2:]} == {3}  # kecamatan only


def test_the_empty_template_imports_as_nothing(client, operator):
    client.force_login(operator)
    result = import_bytes(download(client, "centres:template"), operator)
    assert (result.errors, result.notices, result.created) == ([], [], 0)
