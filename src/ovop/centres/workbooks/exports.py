"""The centres template workbook and the centres export, both built on the workbook spec.

The export has exactly the columns the import reads, so an exported file imports back with
nothing created and nothing changed. It streams: CSV row by row, XLSX through xlsxwriter's
constant-memory mode, with the queryset read in chunks. Cells are written by
``ovop.common.exports`` only, so a name starting with ``=`` stays text.
"""

import tempfile
from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ovop.accounts.rules import is_operator
from ovop.accounts.scope import region_scope
from ovop.centres.enums import CapacityPeriod, MarketReach
from ovop.centres.models import Centre, CommodityGroup
from ovop.centres.selectors import centres_visible_to
from ovop.centres.workbooks.columns import (
    COLUMN_BY_KEY,
    COLUMNS,
    DATA_SHEET,
    HEADERS,
    INSTRUCTIONS_SHEET,
    LISTS_SHEET,
    REGIONS_SHEET,
    row_values,
)
from ovop.common.exports import TableExport, new_workbook, write_cell, write_cells
from ovop.common.workbooks.cells import column_letter
from ovop.regions.enums import RegionLevel
from ovop.regions.models import Region

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LAST_ROW = 1_048_575  # Excel's last row (0-based): dropdowns cover every row of the sheet
# Past this many codes an in-cell dropdown is no help; the sheet still lists them all.
MAX_DROPDOWN_REGIONS = 5_000


def centres_table(*, user, queryset: QuerySet[Centre]) -> TableExport:
    """The centres of ``queryset`` that ``user`` may see, as the workbook's rows."""
    visible = centres_visible_to(user)
    if visible.query.where:  # an empty where clause is the national scope: nothing to add
        # Belt and braces: whatever queryset the caller built, only visible centres leave.
        queryset = queryset.filter(pk__in=visible.values("pk"))
    rows = (
        row_values(centre)
        for centre in queryset.select_related("commodity").iterator(chunk_size=2000)
    )
    return TableExport(
        base_name="sentra",
        headers=HEADERS,
        rows=rows,
        count=queryset.count,
        sheet_name=DATA_SHEET,
    )


def export_centres(
    *, user, queryset: QuerySet[Centre], file_format: str
) -> StreamingHttpResponse | FileResponse:
    """The centres of ``queryset`` that ``user`` may see, as XLSX or CSV (at once)."""
    table = centres_table(user=user, queryset=queryset)
    return table.response("xlsx" if file_format == "xlsx" else "csv")


def template_workbook(*, user) -> FileResponse:
    """An empty centres workbook with dropdowns, instructions and the user's region codes."""
    handle = tempfile.TemporaryFile()  # noqa: SIM115 — FileResponse closes it when sent
    workbook = new_workbook(handle)
    formats = _formats(workbook)
    data = workbook.add_worksheet(DATA_SHEET)
    instructions = workbook.add_worksheet(INSTRUCTIONS_SHEET)
    regions = workbook.add_worksheet(REGIONS_SHEET)
    lists = workbook.add_worksheet(LISTS_SHEET)
    sources = _write_lists(lists, formats)
    region_source = _write_regions(regions, user=user, formats=formats)
    if region_source:
        sources["region"] = region_source
    _write_data_sheet(data, sources=sources, formats=formats)
    _write_instructions(instructions, user=user, formats=formats)
    lists.hide()
    data.activate()
    workbook.close()
    handle.seek(0)
    stamp = timezone.localtime().strftime("%Y%m%d")
    return FileResponse(
        handle, as_attachment=True, filename=f"template-sentra-{stamp}.xlsx", content_type=XLSX_TYPE
    )


def _formats(workbook) -> dict[str, Any]:
    return {
        "header": workbook.add_format(
            {"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#E8F5EE"}
        ),
        "required": workbook.add_format(
            {"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#FFF4E5"}
        ),
        "title": workbook.add_format({"bold": True, "font_size": 14}),
        "bold": workbook.add_format({"bold": True}),
        "wrap": workbook.add_format({"text_wrap": True, "valign": "top"}),
        "text": workbook.add_format({"num_format": "@"}),
        "id": workbook.add_format({"num_format": "0"}),
        "number": workbook.add_format({"num_format": "#,##0"}),
        "decimal": workbook.add_format({"num_format": "#,##0.######"}),
        "date": workbook.add_format({"num_format": "dd/mm/yyyy"}),
    }


def _write_lists(sheet, formats) -> dict[str, str]:
    """The dropdown choices, in columns of the hidden list sheet; column key → range."""
    lists = {
        "commodity": [
            group.code
            for group in CommodityGroup.objects.filter(is_active=True).order_by("position", "name")
        ],
        "capacity_period": list(CapacityPeriod.values),
        "market_reach": list(MarketReach.values),
    }
    headers = [COLUMN_BY_KEY[key].header for key in lists]
    write_cells(sheet, 0, 0, headers, formats["bold"])
    longest = max(len(values) for values in lists.values())
    for row in range(longest):
        for position, values in enumerate(lists.values()):
            if row < len(values):
                write_cell(sheet, row + 1, position, values[row])
    return {
        key: f"='{LISTS_SHEET}'!${column_letter(position)}$2:"
        f"${column_letter(position)}${max(len(values), 1) + 1}"
        for position, (key, values) in enumerate(lists.items())
    }


def _write_data_sheet(sheet, *, sources: dict[str, str], formats) -> None:
    sheet.set_row(0, 45)
    for position, column in enumerate(COLUMNS):
        cell_format = formats.get(column.kind) if column.key not in ("kbli", "region") else None
        # KBLI and region codes are text: Excel would drop a leading zero or read 63.03 as a number.
        sheet.set_column(position, position, column.width, cell_format or formats["text"])
        write_cell(
            sheet, 0, position, column.header, formats["required" if column.required else "header"]
        )
        validation: dict[str, Any] = {
            "input_title": column.header[:32],
            "input_message": str(column.help)[:255],
        }
        if column.key in sources:
            validation |= {
                "validate": "list",
                "source": sources[column.key],
                "error_title": _("Not in the list")[:32],
                "error_message": _("Choose a value from the list.")[:255],
            }
        else:
            validation["validate"] = "any"
        sheet.data_validation(1, position, LAST_ROW, position, validation)
    sheet.freeze_panes(1, 2)


def _write_regions(sheet, *, user, formats) -> str:
    """The kecamatan/desa codes the user may use; returns the dropdown range (or "")."""
    # The region whose districts and villages the user may use; None = national.
    scope = region_scope(user).code
    # Keyed by the plain ``level`` strings the query returns (RegionLevel members are str).
    levels: dict[str, str] = {
        RegionLevel.DISTRICT: _("kecamatan"),
        RegionLevel.VILLAGE: _("desa/kelurahan"),
    }
    sheet.set_column(0, 0, 16, formats["text"])
    sheet.set_column(1, 3, 32)
    if scope:
        regions = Region.objects.filter(code__startswith=f"{scope}.", level__in=list(levels))
        note = _("Codes you can use for sentra in %(region)s.") % {"region": _region_name(scope)}
    else:
        # Nationally the villages run to 80,000: list districts, send users to the regions page.
        regions = Region.objects.filter(level=RegionLevel.DISTRICT)
        note = _(
            "All kecamatan. Find desa/kelurahan codes on the regions page (%(url)s) of ovop."
        ) % {"url": reverse("regions:list")}
    write_cell(sheet, 0, 0, note, formats["bold"])
    write_cells(sheet, 1, 0, [_("Code"), _("Name"), _("Level"), _("Kecamatan")], formats["header"])
    count = 0
    rows = regions.order_by("code").values_list("code", "name", "level", "parent__name")
    for count, (code, name, level, parent) in enumerate(rows.iterator(chunk_size=2000), start=1):
        district = parent if level == RegionLevel.VILLAGE else name
        write_cells(sheet, count + 1, 0, [code, name, str(levels[level]), district])
    sheet.freeze_panes(2, 0)
    if not scope or not count or count > MAX_DROPDOWN_REGIONS:
        return ""
    return f"='{REGIONS_SHEET}'!$A$3:$A${count + 2}"


def _region_name(code: str) -> str:
    region = Region.objects.filter(code=code).first()
    return region.name if region else code


def _write_instructions(sheet, *, user, formats) -> None:
    sheet.set_column(0, 0, 30)
    sheet.set_column(1, 1, 12)
    sheet.set_column(2, 2, 70)
    sheet.set_column(3, 3, 28)
    write_cell(sheet, 0, 0, _("How to fill in the sentra IKM workbook"), formats["title"])
    row = 2
    for line in _instruction_lines(user):
        write_cell(sheet, row, 0, line)
        row += 1
    row += 1
    headings = [_("Column"), _("Required"), _("How to fill it in"), _("Example")]
    write_cells(sheet, row, 0, headings, formats["header"])
    for column in COLUMNS:
        row += 1
        required = _("yes") if column.required else ""
        write_cells(sheet, row, 0, [column.header, required, str(column.help), column.example])


def _instruction_lines(user) -> list[str]:
    lines = [
        _("1. Fill in one sentra per row on sheet %(sheet)s, from row 2 down.")
        % {"sheet": DATA_SHEET},
        _("2. Do not rename, move or merge the header row; keep the sheet name %(sheet)s.")
        % {"sheet": DATA_SHEET},
        _(
            "3. Leave ID empty for a new sentra. To change a sentra keep its ID from the export; "
            "a row without ID changes the sentra with the same name in the same regency/city."
        ),
        _("4. Numbers: 1.250.000 or 1.250.000,50 (Rp is allowed). Dates: 21/05/2024."),
        _("5. Region: a kecamatan or desa code from sheet %(sheet)s, e.g. 63.03.01.")
        % {"sheet": REGIONS_SHEET},
        _(
            "6. Every row is checked before anything is saved: if one cell is wrong, nothing is "
            "saved and every problem is listed with its sheet, row and column."
        ),
        _("7. Choose “dry run” when uploading to see what would change without saving."),
    ]
    if is_operator(user) and region_scope(user).is_regency:
        lines.append(
            _("You can import sentra of %(regency)s only.") % {"regency": user.region.name}
        )
    return lines
