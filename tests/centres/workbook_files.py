"""Building centres workbooks for tests, with xlsxwriter, the way a person's Excel would."""

import datetime
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import xlsxwriter

from ovop.centres.workbooks.columns import COLUMNS, DATA_SHEET, HEADERS


@dataclass
class Formula:
    """A formula cell with the value Excel last calculated (e.g. an error like #REF!)."""

    formula: str
    value: Any


def centre_row(**values: Any) -> dict[str, Any]:
    """A valid new centre in Kabupaten Banjar (63.03), as typed into the template."""
    row = {
        "id": None,
        "name": "Sentra Sasirangan Baru",
        "commodity": "kain-batik",
        "main_product": "Kain sasirangan",
        "kbli": "13134",
        "region": "63.03.01",
        "address": "Jl. Sasirangan No. 2",
        "latitude": -3.43,
        "longitude": 114.85,
        "decree_number": "188.45/123/KUM/2023",
        "decree_date": datetime.date(2023, 5, 21),
        "decree_signer": "Bupati Banjar",
        "unit_count": 12,
        "workers_male": 10,
        "workers_female": 25,
        "capacity_value": 1200,
        "capacity_unit": "lembar",
        "capacity_period": "month",
        "production_value": 1_250_000_000,
        "investment_value": 350_000_000,
        "raw_material": "Kain katun",
        "local_material_share": 80,
        "market_reach": "national",
        "institutions": "Koperasi",
        "facilities": "Rumah produksi",
    }
    row.update(values)
    return row


def write_workbook(
    path: Path,
    rows: list[dict[str, Any]],
    *,
    headers: list[str] | None = None,
    sheet_name: str = DATA_SHEET,
    merge_header: tuple[int, int] | None = None,
    blank_rows_after: set[int] = frozenset(),
) -> Path:
    """``rows`` are dicts by column key; ``headers`` replaces the header row."""
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = workbook.add_worksheet(sheet_name)
    date_format = workbook.add_format({"num_format": "dd/mm/yyyy"})
    headers = HEADERS if headers is None else headers
    if merge_header:
        first, last = merge_header
        sheet.merge_range(0, first, 0, last, headers[first])
        headers = [None if first <= i <= last else h for i, h in enumerate(headers)]
    for position, header in enumerate(headers):
        if header is not None:
            sheet.write_string(0, position, header)
    excel_row = 1
    for index, row in enumerate(rows):
        for position, column in enumerate(COLUMNS):
            _write_cell(sheet, excel_row, position, row.get(column.key), date_format)
        excel_row += 2 if index in blank_rows_after else 1
    workbook.close()
    return path


def _write_cell(sheet, row: int, column: int, value: Any, date_format) -> None:
    if value is None or value == "":
        return
    if isinstance(value, Formula):
        sheet.write_formula(row, column, value.formula, None, value.value)
    elif isinstance(value, datetime.date):
        sheet.write_datetime(row, column, value, date_format)
    elif isinstance(value, str):
        sheet.write_string(row, column, value)
    else:
        sheet.write_number(row, column, value)
