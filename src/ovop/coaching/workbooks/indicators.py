"""The indicators workbook: one column spec for the template, the export and the import.

As in every workbook (``ovop.common.workbooks``), headers are the file format and stay
Indonesian in every language, and ``parse(format(indicator))`` gives the stored value back,
so an exported file imports again with nothing changed. A row is one centre's figures for
one year and kind.
"""

import tempfile
from collections.abc import Callable
from typing import Any

from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ovop.centres.enums import MarketReach, SalesChannel
from ovop.coaching.enums import IndicatorKind
from ovop.coaching.selectors.indicators import centres_changeable_by, indicators_for_export
from ovop.common.exports import TableExport, new_workbook, write_cell, write_cells
from ovop.common.workbooks.cells import (
    CellError,
    Column,
    choice_parser,
    column_letter,
    decimal_parser,
    identifier_parser,
    parse_rupiah,
    parse_text,
    parse_whole_number,
)

DATA_SHEET = "Indikator"
INSTRUCTIONS_SHEET = "Petunjuk"
LISTS_SHEET = "Daftar"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LAST_ROW = 1_048_575
FIRST_YEAR, LAST_YEAR = 2000, 2100


# --- Reading cells -------------------------------------------------------------------------


def _at_least_zero(parse: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def read(value: Any) -> Any:
        number = parse(value)
        if number < 0:
            raise CellError(
                _("“%(value)s” is below zero; figures are 0 or more.") % {"value": value}
            )
        return number

    return read


parse_centre_id = identifier_parser(
    gettext_lazy("“%(value)s” is not a sentra ID; keep the ID from the template or the export.")
)


def parse_year(value: Any) -> int:
    year = parse_whole_number(value)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise CellError(
            _("%(value)s is not a year between %(first)s and %(last)s.")
            % {"value": value, "first": FIRST_YEAR, "last": LAST_YEAR}
        )
    return year


parse_kind = choice_parser(IndicatorKind)  # the import then refuses baselines that change


def parse_channels(value: Any) -> list[str]:
    """Codes or labels separated by commas or semicolons, e.g. "direct, marketplace"."""
    known = {}
    for choice in SalesChannel:
        known[choice.value] = choice.value
        known[str(choice.label).casefold()] = choice.value
    chosen, unknown = [], []
    for part in parse_text(value).replace(";", ",").split(","):
        text = part.strip().casefold()
        if not text:
            continue
        if text in known:
            chosen.append(known[text])
        else:
            unknown.append(part.strip())
    if unknown:
        raise CellError(
            _("Unknown sales channel “%(value)s”; use these codes, separated by commas: %(codes)s.")
            % {"value": ", ".join(unknown), "codes": ", ".join(SalesChannel.values)}
        )
    order = list(SalesChannel.values)
    return sorted(set(chosen), key=order.index)


def _decimal(value: Any) -> Any:
    return decimal_parser(2)(value)


# --- Writing cells -------------------------------------------------------------------------


def _attribute(name: str) -> Callable[[Any], Any]:
    return lambda indicator: getattr(indicator, name)


def _channels(indicator) -> str:
    return ", ".join(indicator.sales_channels or [])


def _number(key: str, header: str, parse: Callable[[Any], Any], **options: Any) -> Column:
    options.setdefault("kind", "number")
    return Column(
        key=key,
        header=header,
        field=key,
        parse=_at_least_zero(parse),
        format=_attribute(key),
        **options,
    )


def _text(key: str, header: str, **options: Any) -> Column:
    return Column(
        key=key,
        header=header,
        field=key,
        parse=parse_text,
        format=_attribute(key),
        blank="",
        **options,
    )


# The columns the import reads, in the workbook's order after the centre's name and regency.
COLUMNS: list[Column] = [
    Column(
        "centre",
        "ID sentra",
        None,
        parse_centre_id,
        _attribute("centre_id"),
        kind="id",
        required=True,
        width=10,
        example="123",
        help=gettext_lazy("The sentra's ID from the template or the export."),
    ),
    Column(
        "year",
        "Tahun",
        "year",
        parse_year,
        _attribute("year"),
        kind="id",
        required=True,
        width=8,
        example="2026",
        help=gettext_lazy("The year the figures are for."),
    ),
    Column(
        "kind",
        "Jenis",
        "kind",
        parse_kind,
        _attribute("kind"),
        required=True,
        width=10,
        example="actual",
        help=gettext_lazy("actual (realised figures) or target."),
    ),
    _number(
        "capacity_value",
        "Kapasitas produksi",
        _decimal,
        kind="decimal",
        example="1.200",
        help=gettext_lazy("Production capacity, e.g. 1.200 or 1.200,5."),
    ),
    _text(
        "capacity_unit",
        "Satuan kapasitas",
        width=12,
        example="lembar/bulan",
        help=gettext_lazy("Unit of the capacity, e.g. lembar/bulan."),
    ),
    _number(
        "production_value",
        "Nilai produksi (Rp/tahun)",
        parse_rupiah,
        width=18,
        example="1.250.000.000",
        help=gettext_lazy("Production value in rupiah per year."),
    ),
    _number(
        "workers_male",
        "Tenaga kerja laki-laki",
        parse_whole_number,
        example="10",
        help=gettext_lazy("Male workers."),
    ),
    _number(
        "workers_female",
        "Tenaga kerja perempuan",
        parse_whole_number,
        example="25",
        help=gettext_lazy("Female workers."),
    ),
    Column(
        "market_reach",
        "Jangkauan pasar",
        "market_reach",
        choice_parser(MarketReach),
        _attribute("market_reach"),
        blank="",
        width=12,
        example="national",
        help=gettext_lazy("local, regency, province, national or export."),
    ),
    _number(
        "certificates_held",
        "Jumlah sertifikat",
        parse_whole_number,
        example="4",
        help=gettext_lazy("Valid permits and certificates held (SPP-IRT, halal, BPOM…)."),
    ),
    _number(
        "export_value",
        "Nilai ekspor (Rp/tahun)",
        parse_rupiah,
        width=18,
        example="0",
        help=gettext_lazy("Export value in rupiah per year; 0 when nothing was exported."),
    ),
    _text(
        "export_destinations",
        "Negara tujuan ekspor",
        width=24,
        example="Malaysia, Brunei",
        help=gettext_lazy("Countries, separated by commas."),
    ),
    Column(
        "sales_channels",
        "Saluran penjualan",
        "sales_channels",
        parse_channels,
        _channels,
        blank=[],
        width=24,
        example="direct, marketplace",
        help=gettext_lazy(
            "Codes separated by commas: direct, reseller, marketplace, social, "
            "exhibition, exporter."
        ),
    ),
    _text(
        "note",
        "Catatan",
        width=30,
        example="Data Dinas 2026",
        help=gettext_lazy("Source of the figures or a note."),
    ),
]

# Shown for people, ignored by the import.
INFO_HEADERS = ["Nama sentra", "Kabupaten/kota"]
HEADERS = [COLUMNS[0].header, *INFO_HEADERS, *(column.header for column in COLUMNS[1:])]
COLUMN_BY_KEY = {column.key: column for column in COLUMNS}
COLUMN_BY_FIELD = {column.field: column for column in COLUMNS if column.field}
# The figures a row carries; a row with none of them is left out of an import.
FIGURE_KEYS = [column.key for column in COLUMNS[3:]]


def row_values(indicator) -> list[Any]:
    """One indicator as a workbook row (the export); needs ``centre__regency`` loaded."""
    values = [column.format(indicator) for column in COLUMNS]
    return [values[0], indicator.centre.name, indicator.centre.regency.name, *values[1:]]


# --- Export and template --------------------------------------------------------------------


def indicators_table(*, user, year: int | None, regency: str, centre: int | None) -> TableExport:
    """The indicator rows of the centres ``user`` sees, as the workbook's rows."""
    queryset = indicators_for_export(user=user, year=year, regency=regency, centre=centre)
    rows = (row_values(indicator) for indicator in queryset.iterator(chunk_size=2000))
    return TableExport(
        base_name="indikator-sentra",
        headers=HEADERS,
        rows=rows,
        count=queryset.count,
        sheet_name=DATA_SHEET,
    )


def template_workbook(*, user, year: int) -> FileResponse:
    """A workbook with one row per centre ``user`` may change, for ``year``, figures empty."""
    handle = tempfile.TemporaryFile()  # noqa: SIM115 — FileResponse closes it when sent
    workbook = new_workbook(handle)
    formats = {
        "header": workbook.add_format(
            {"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#E8F5EE"}
        ),
        "required": workbook.add_format(
            {"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#FFF4E5"}
        ),
        "title": workbook.add_format({"bold": True, "font_size": 14}),
        "number": workbook.add_format({"num_format": "#,##0"}),
        "decimal": workbook.add_format({"num_format": "#,##0.##"}),
        "id": workbook.add_format({"num_format": "0"}),
        "text": workbook.add_format({"num_format": "@"}),
    }
    data = workbook.add_worksheet(DATA_SHEET)
    instructions = workbook.add_worksheet(INSTRUCTIONS_SHEET)
    lists = workbook.add_worksheet(LISTS_SHEET)
    sources = _write_lists(lists)
    _write_data_sheet(data, user=user, year=year, sources=sources, formats=formats)
    _write_instructions(instructions, year=year, formats=formats)
    lists.hide()
    data.activate()
    workbook.close()
    handle.seek(0)
    stamp = timezone.localtime().strftime("%Y%m%d")
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"template-indikator-{year}-{stamp}.xlsx",
        content_type=XLSX_TYPE,
    )


def _write_lists(sheet) -> dict[str, str]:
    lists = {
        "kind": [IndicatorKind.ACTUAL.value, IndicatorKind.TARGET.value],
        "market_reach": list(MarketReach.values),
    }
    for position, (key, values) in enumerate(lists.items()):
        write_cell(sheet, 0, position, COLUMN_BY_KEY[key].header)
        for row, value in enumerate(values, start=1):
            write_cell(sheet, row, position, value)
    return {
        key: f"='{LISTS_SHEET}'!${column_letter(position)}$2:"
        f"${column_letter(position)}${len(values) + 1}"
        for position, (key, values) in enumerate(lists.items())
    }


def _write_data_sheet(sheet, *, user, year: int, sources: dict[str, str], formats) -> None:
    sheet.set_row(0, 45)
    positions = {header: position for position, header in enumerate(HEADERS)}
    by_header = {column.header: column for column in COLUMNS}
    for header, position in positions.items():
        column = by_header.get(header)
        width = column.width if column else 28
        cell_format = formats.get(column.kind, formats["text"]) if column else None
        sheet.set_column(position, position, width, cell_format)
        write_cell(
            sheet,
            0,
            position,
            header,
            formats["required" if column and column.required else "header"],
        )
        if column is None:
            continue
        validation: dict[str, Any] = {
            "validate": "any",
            "input_title": header[:32],
            "input_message": str(column.help)[:255],
        }
        if column.key in sources:
            validation |= {
                "validate": "list",
                "source": sources[column.key],
                "error_title": _("Not in the list")[:32],
                "error_message": _("Choose a value from the list.")[:255],
            }
        sheet.data_validation(1, position, LAST_ROW, position, validation)
    centres = (
        centres_changeable_by(user)
        .select_related("regency")
        .order_by("regency_id", "name", "pk")
        .iterator(chunk_size=2000)
    )
    row = 0
    for centre in centres:
        if not user.has_perm("coaching.change_indicators", centre):
            continue  # belt and braces: the template offers only what the import accepts
        row += 1
        write_cell(sheet, row, 0, centre.pk)
        write_cell(sheet, row, 1, centre.name)
        write_cell(sheet, row, 2, centre.regency.name)
        write_cell(sheet, row, positions[COLUMN_BY_KEY["year"].header], year)
        write_cell(sheet, row, positions[COLUMN_BY_KEY["kind"].header], IndicatorKind.ACTUAL)
    sheet.freeze_panes(1, 3)


def _write_instructions(sheet, *, year: int, formats) -> None:
    sheet.set_column(0, 0, 30)
    sheet.set_column(1, 1, 12)
    sheet.set_column(2, 2, 70)
    sheet.set_column(3, 3, 24)
    write_cell(sheet, 0, 0, _("How to fill in the sentra indicators workbook"), formats["title"])
    lines = [
        _("1. Sheet %(sheet)s has one row per sentra you may change, for %(year)s.")
        % {"sheet": DATA_SHEET, "year": year},
        _("2. Fill in the figures you know; a row without any figure is skipped."),
        _(
            "3. Jenis: actual for realised figures, target for a goal. The baseline is taken "
            "from the registry when a decision is published and is not imported."
        ),
        _(
            "4. Numbers: 1.250.000 or 1.250.000,50 (Rp is allowed); never below zero. An empty "
            "cell clears the figure."
        ),
        _("5. One row per sentra, year and kind; an existing row is replaced by the file's."),
        _(
            "6. Every row is checked before anything is saved: if one cell is wrong, nothing is "
            "saved and every problem is listed with its sheet, row and column."
        ),
        _("7. Choose “dry run” when uploading to see what would change without saving."),
    ]
    for row, line in enumerate(lines, start=2):
        write_cell(sheet, row, 0, line)
    row = len(lines) + 3
    write_cells(
        sheet,
        row,
        0,
        [_("Column"), _("Required"), _("How to fill it in"), _("Example")],
        formats["header"],
    )
    for column in COLUMNS:
        row += 1
        required = _("yes") if column.required else ""
        write_cells(sheet, row, 0, [column.header, required, str(column.help), column.example])
