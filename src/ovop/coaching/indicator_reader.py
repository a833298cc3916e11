"""Opening an uploaded indicators workbook: the container check, the data sheet, its header.

Everything here is about the file, nothing about indicators: it hands ``indicator_import``
the rows of the data sheet with each column found, or refuses the file saying what to do.
The container checks (an .xlsx judged by its content, size limits, formula error cells) are
the centres workbook's.
"""

from dataclasses import dataclass
from typing import IO, Any, NoReturn

import python_calamine
from django.utils.translation import gettext as _

from ovop.centres.workbook import is_blank, normalise_header
from ovop.centres.workbook_reader import (
    Issue,
    WorkbookRefused,
    best_header_row,
    formula_error_cells,
    open_archive,
)
from ovop.coaching.indicator_workbook import COLUMNS, DATA_SHEET

HEADER_SEARCH_ROWS = 10
HEADER_LOOKUP = {
    **{normalise_header(column.key): column for column in COLUMNS},
    **{normalise_header(column.header): column for column in COLUMNS},
}


@dataclass
class Sheet:
    name: str
    positions: dict[str, int]  # column key → 0-based index
    rows: list[tuple[int, list[Any]]]  # (Excel row number, cells), empty rows left out
    error_cells: dict[tuple[int, int], str]
    notices: list[str]


def _refuse(message: str, *, sheet: str = "", row: int | None = None, column: str = "") -> NoReturn:
    raise WorkbookRefused([Issue(sheet, row, column, message)])


def read_sheet(file: IO[bytes], *, name: str = "") -> Sheet:
    """The data sheet of an uploaded workbook, or WorkbookRefused saying what is wrong."""
    archive = open_archive(file, name=name)  # refuses anything that is not an .xlsx
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(file)
        sheet_name, notices = _choose_sheet(book.sheet_names)
        grid = book.get_sheet_by_name(sheet_name).to_python(skip_empty_area=False)
    except python_calamine.CalamineError as error:
        _refuse(
            _(
                "The workbook could not be read (%(error)s); open it in Excel and save it again "
                "as Excel Workbook (.xlsx)."
            )
            % {"error": error}
        )
    header_index = _find_header_row(sheet_name, grid)
    try:
        positions = _map_headers(sheet_name, header_index, grid[header_index])
    except WorkbookRefused as refused:
        raise WorkbookRefused(refused.issues, notices) from None
    error_cells = formula_error_cells(archive, sheet_name)
    rows_with_errors = {row for row, _column in error_cells}
    rows = [
        (index + 1, cells)
        for index, cells in enumerate(grid[header_index + 1 :], start=header_index + 1)
        if index in rows_with_errors or any(not is_blank(value) for value in cells)
    ]
    return Sheet(sheet_name, positions, rows, error_cells, notices)


def _choose_sheet(names: list[str]) -> tuple[str, list[str]]:
    for name in names:
        if name.strip().casefold() == DATA_SHEET.casefold():
            return name, []
    if not names:
        _refuse(_("The workbook has no sheets."))
    notice = _(
        "There is no sheet named “%(expected)s”, so the first sheet “%(sheet)s” was read. "
        "Put the figures on a sheet named “%(expected)s” as in the template."
    ) % {"expected": DATA_SHEET, "sheet": names[0]}
    return names[0], [notice]


def _find_header_row(sheet: str, grid: list[list[Any]]) -> int:
    best = best_header_row(grid, HEADER_LOOKUP)
    if best is None:
        _refuse(
            _(
                "Sheet “%(sheet)s” has no header row of the template (such as “%(header)s”) in "
                "its first %(rows)s rows; copy the figures into the template."
            )
            % {"sheet": sheet, "header": COLUMNS[0].header, "rows": HEADER_SEARCH_ROWS},
            sheet=sheet,
            row=1,
        )
    return best


def _map_headers(sheet: str, index: int, cells: list[Any]) -> dict[str, int]:
    positions: dict[str, int] = {}
    issues = []
    for position, value in enumerate(cells):
        column = HEADER_LOOKUP.get(normalise_header(value))
        if column is None:
            continue  # the centre's name, the regency and any notes are for people
        if column.key in positions:
            message = _("The header “%(header)s” appears twice; delete one of the columns.") % {
                "header": column.header
            }
            issues.append(Issue(sheet, index + 1, column.header, message))
            continue
        positions[column.key] = position
    for column in COLUMNS:
        if column.key not in positions:
            message = _(
                "The header “%(header)s” is missing from row %(row)s; copy the header row from "
                "the template."
            ) % {"header": column.header, "row": index + 1}
            issues.append(Issue(sheet, index + 1, column.header, message))
    if issues:
        raise WorkbookRefused(issues)
    return positions
