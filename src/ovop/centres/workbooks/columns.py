"""The centres workbook: one column spec shared by the template, the export and the import.

Headers are the file format, not screen text, so they stay Indonesian in every language: a
workbook exported on an English screen must import on an Indonesian one. The cell readers
and writers are the shared ones of ``ovop.common.workbooks.cells``.
"""

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext_lazy

from ovop.centres.enums import CapacityPeriod, MarketReach
from ovop.common.workbooks.cells import (
    Column,
    attribute,
    choice_parser,
    decimal_parser,
    identifier_parser,
    parse_coordinate,
    parse_date,
    parse_percent,
    parse_rupiah,
    parse_text,
    parse_whole_number,
)

DATA_SHEET = "Sentra"
INSTRUCTIONS_SHEET = "Petunjuk"
REGIONS_SHEET = "Wilayah"
LISTS_SHEET = "Daftar"

# --- Reading the centres' own cells --------------------------------------------------------


def parse_kbli(value: Any) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        # Excel drops the leading zero of agricultural codes (01111 → 1111).
        return f"{int(value):05d}" if float(value).is_integer() else str(value)
    return str(value).strip()


def parse_code(value: Any) -> str:
    return parse_text(value).lower()


def parse_region_code(value: Any) -> str:
    """63.03.01 or 63.03.01.2001; digits without dots (630301, 6303012001) are accepted."""
    text = parse_text(value).replace(" ", "")
    if text.isdigit() and len(text) in (6, 10):
        text = ".".join([text[0:2], text[2:4], text[4:6], text[6:]]).rstrip(".")
    return text


parse_identifier = identifier_parser(
    gettext_lazy(
        "“%(value)s” is not a sentra ID; keep the ID from the export, or leave it empty "
        "for a new sentra."
    )
)


def _commodity_code(centre) -> str:
    return centre.commodity.code


# --- The column spec -----------------------------------------------------------------------


def _column(key: str, header: str, parse: Callable[[Any], Any], **options: Any) -> Column:
    """A column of the model field ``key``, written out as the field's value."""
    options.setdefault("field", key)
    options.setdefault("format", attribute(key))
    return Column(key=key, header=header, parse=parse, **options)


def _text(key: str, header: str, **options: Any) -> Column:
    return _column(key, header, parse_text, blank="", **options)


def _number(key: str, header: str, parse: Callable[[Any], Any], **options: Any) -> Column:
    options.setdefault("kind", "number")
    return _column(key, header, parse, **options)


COLUMNS: list[Column] = [
    _column(
        "id",
        "ID",
        parse_identifier,
        field=None,
        format=attribute("pk"),
        kind="id",
        width=8,
        help=gettext_lazy(
            "Leave empty for a new sentra; keep the ID from the export to change one."
        ),
    ),
    _text(
        "name",
        "Nama sentra",
        required=True,
        width=32,
        help=gettext_lazy("The sentra's name, unique in its regency/city."),
        example="Sentra Sasirangan Kampung Melayu",
    ),
    _column(
        "commodity",
        "Kelompok komoditas",
        parse_code,
        format=_commodity_code,
        required=True,
        width=20,
        example="kain-batik",
        help=gettext_lazy("Choose a commodity group code from the list."),
    ),
    _text(
        "main_product",
        "Produk utama",
        required=True,
        width=24,
        example="Kain sasirangan",
        help=gettext_lazy("The main product."),
    ),
    _column(
        "kbli",
        "KBLI 2020",
        parse_kbli,
        required=True,
        width=10,
        example="13134",
        help=gettext_lazy("5-digit KBLI 2020 code."),
    ),
    _column(
        "region",
        "Kode wilayah (kecamatan/desa)",
        parse_region_code,
        format=attribute("region_id"),
        required=True,
        example="63.03.01",
        help=gettext_lazy(
            "District or village code from sheet Wilayah, e.g. 63.03.01 or 63.03.01.2001."
        ),
    ),
    _text(
        "address",
        "Alamat",
        width=30,
        example="Jl. Sasirangan No. 1",
        help=gettext_lazy("Street address."),
    ),
    _number(
        "latitude",
        "Lintang (latitude)",
        parse_coordinate,
        kind="decimal",
        example="-3.430000",
        help=gettext_lazy("Decimal degrees, between -11.5 and 6.5."),
    ),
    _number(
        "longitude",
        "Bujur (longitude)",
        parse_coordinate,
        kind="decimal",
        example="114.850000",
        help=gettext_lazy("Decimal degrees, between 94.5 and 141.5."),
    ),
    _text(
        "decree_number",
        "Nomor SK penetapan",
        width=22,
        example="188.45/123/KUM/2023",
        help=gettext_lazy("Number of the decree (SK)."),
    ),
    _column(
        "decree_date",
        "Tanggal SK",
        parse_date,
        kind="date",
        width=12,
        example="21/05/2023",
        help=gettext_lazy("Date of the decree, e.g. 21/05/2024."),
    ),
    _text(
        "decree_signer",
        "Penandatangan SK",
        width=20,
        example="Bupati Banjar",
        help=gettext_lazy("Who signed the decree."),
    ),
    _number(
        "unit_count",
        "Jumlah unit usaha",
        parse_whole_number,
        required=True,
        example="12",
        help=gettext_lazy("Number of business units (at least 5)."),
    ),
    _number(
        "workers_male",
        "Tenaga kerja laki-laki",
        parse_whole_number,
        blank=0,
        example="10",
        help=gettext_lazy("Male workers; empty means 0."),
    ),
    _number(
        "workers_female",
        "Tenaga kerja perempuan",
        parse_whole_number,
        blank=0,
        example="25",
        help=gettext_lazy("Female workers; empty means 0."),
    ),
    _number(
        "capacity_value",
        "Kapasitas produksi",
        decimal_parser(2),
        kind="decimal",
        example="1.200",
        help=gettext_lazy("Production capacity, e.g. 1.200 or 1.200,5."),
    ),
    _text(
        "capacity_unit",
        "Satuan kapasitas",
        width=12,
        example="lembar",
        help=gettext_lazy("Unit of the capacity, e.g. lembar."),
    ),
    _column(
        "capacity_period",
        "Periode kapasitas",
        choice_parser(CapacityPeriod),
        blank="",
        width=12,
        example="month",
        help=gettext_lazy("Choose from the list: day, week, month or year."),
    ),
    _number(
        "production_value",
        "Nilai produksi (Rp/tahun)",
        parse_rupiah,
        width=18,
        example="1.250.000.000",
        help=gettext_lazy("Production value in rupiah per year, e.g. Rp 1.250.000.000."),
    ),
    _number(
        "investment_value",
        "Nilai investasi (Rp)",
        parse_rupiah,
        width=18,
        example="350.000.000",
        help=gettext_lazy("Investment in rupiah."),
    ),
    _text(
        "raw_material",
        "Kebutuhan bahan baku",
        width=22,
        example="Kain katun",
        help=gettext_lazy("Raw material needed."),
    ),
    _number(
        "local_material_share",
        "Bahan baku lokal (%)",
        parse_percent,
        example="80",
        help=gettext_lazy("Share of local raw material, 0 to 100."),
    ),
    _column(
        "market_reach",
        "Jangkauan pasar",
        choice_parser(MarketReach),
        required=True,
        width=12,
        example="national",
        help=gettext_lazy("Choose from the list: local, regency, province, national or export."),
    ),
    _text(
        "institutions",
        "Kelembagaan",
        width=24,
        example="Koperasi Sasirangan",
        help=gettext_lazy("Institutions (pengurus, UPT)."),
    ),
    _text(
        "facilities",
        "Sarana dan prasarana",
        width=24,
        example="Rumah produksi bersama",
        help=gettext_lazy("Facilities."),
    ),
]

HEADERS = [column.header for column in COLUMNS]
COLUMN_BY_KEY = {column.key: column for column in COLUMNS}
COLUMN_BY_FIELD = {column.field: column for column in COLUMNS if column.field}


def row_values(centre) -> list[Any]:
    """One centre as a workbook row (the export)."""
    return [column.format(centre) for column in COLUMNS]
