"""Opening an uploaded centres workbook: container checks, the data sheet and its header row.

Everything here is about the file, nothing about centres: it hands ``imports`` the rows of
the data sheet with each column found, or refuses the file with messages that say what to do.
"""

import html
import os
import re
import zipfile
from dataclasses import dataclass, field
from typing import IO, Any, NoReturn

import python_calamine
from django.core.exceptions import NON_FIELD_ERRORS
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from ovop.centres.workbook import (
    COLUMNS,
    DATA_SHEET,
    HEADER_LOOKUP,
    Column,
    column_letter,
    normalise_header,
)

MAX_WORKBOOK_BYTES = 20 * 1024 * 1024
# A 10,000-row workbook unpacks to about 15 MB; far more than this is a zip bomb.
MAX_UNPACKED_BYTES = 400 * 1024 * 1024
HEADER_SEARCH_ROWS = 10

_ERROR_CELL = re.compile(rb'<(?:\w+:)?c\b([^>]*\bt="e"[^>]*)>')
_CELL_REFERENCE = re.compile(rb'\br="([A-Z]+)(\d+)"')
_SHEET = re.compile(rb"<(?:\w+:)?sheet\b([^>]*)>")
_RELATIONSHIP = re.compile(rb"<(?:\w+:)?Relationship\b([^>]*)>")
_ATTRIBUTE = re.compile(rb'([\w:]+)="([^"]*)"')
_CELL_VALUE = re.compile(rb"<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>")


@dataclass
class Issue:
    """One problem, located like a person would find it in Excel."""

    sheet: str
    row: int | None
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


class WorkbookRefused(Exception):  # noqa: N818  renaming ripples into coaching, evaluation
    def __init__(self, issues: list[Issue], notices: list[str] | None = None):
        super().__init__(issues[0].message if issues else "")
        self.issues = issues
        self.notices = notices or []


@dataclass
class DataSheet:
    name: str
    header_row: int  # Excel row number of the header
    positions: dict[str, int]  # column key → 0-based column index
    rows: list[tuple[int, list[Any]]]  # (Excel row number, cells), empty rows left out
    error_cells: dict[tuple[int, int], str] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)


def _refuse(message: str, *, sheet: str = "", row: int | None = None, column: str = "") -> NoReturn:
    raise WorkbookRefused([Issue(sheet, row, column, message)])


def _describe_content(head: bytes) -> str:
    if head.startswith(b"%PDF"):
        return _("a PDF document")
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return _("an Excel 97-2003 (.xls) workbook or a password-protected file")
    if head.startswith(b"PK"):
        return _("a ZIP archive that holds no Excel workbook")
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return _("not a spreadsheet")
    return _("text such as CSV")


def size_problem(size: int) -> str:
    """Why a file of ``size`` bytes is refused, or "" when it is small enough."""
    if size <= MAX_WORKBOOK_BYTES:
        return ""
    return _("The file is larger than %(limit)s; split it into several workbooks.") % {
        "limit": filesizeformat(MAX_WORKBOOK_BYTES)
    }


def open_archive(file: IO[bytes], *, name: str) -> zipfile.ZipFile:
    """The workbook's zip container; an .xlsx is a zip holding xl/workbook.xml."""
    too_large = size_problem(file.seek(0, os.SEEK_END))
    if too_large:
        _refuse(too_large)
    file.seek(0)
    head = file.read(2048)
    file.seek(0)
    archive = None
    if zipfile.is_zipfile(file):
        file.seek(0)
        archive = zipfile.ZipFile(file)
        if "xl/workbook.xml" not in archive.namelist():
            kind = (
                _("an OpenDocument spreadsheet (.ods)")
                if "mimetype" in archive.namelist()
                else _describe_content(head)
            )
            archive = None
    else:
        kind = _describe_content(head)
    if archive is None:
        _refuse(
            _(
                "The file %(name)s is not an Excel workbook (.xlsx): its content is %(kind)s. "
                "Download the template, fill it in and save it as Excel Workbook (.xlsx)."
            )
            % {"name": name, "kind": kind}
        )
    if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED_BYTES:
        _refuse(_("The workbook is too large to read; split it into several files."))
    file.seek(0)
    return archive


def _attributes(tag: bytes) -> dict[str, str]:
    return {
        key.decode().rpartition(":")[2]: html.unescape(value.decode("utf-8", "replace"))
        for key, value in _ATTRIBUTE.findall(tag)
    }


def _sheet_paths(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → its XML part, from the workbook and its relationships.

    Read with patterns rather than an XML parser: these parts are small and untrusted, and
    the standard library's parser is open to entity-expansion attacks.
    """
    try:
        book = archive.read("xl/workbook.xml")
        rels = archive.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        return {}
    targets = {}
    for tag in _RELATIONSHIP.findall(rels):
        attributes = _attributes(tag)
        targets[attributes.get("Id")] = attributes.get("Target", "")
    paths = {}
    for tag in _SHEET.findall(book):
        attributes = _attributes(tag)
        target = targets.get(attributes.get("id"), "")
        paths[attributes.get("name", "")] = (
            target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        )
    return paths


def formula_error_cells(archive: zipfile.ZipFile, sheet_name: str) -> dict[tuple[int, int], str]:
    """(0-based row, column) → "#REF!" for every cell showing a formula error.

    The cell reader turns error cells into empty ones, so they are found in the sheet's XML.
    """
    path = _sheet_paths(archive).get(sheet_name)
    if not path or path not in archive.namelist():
        return {}
    xml = archive.read(path)
    if b't="e"' not in xml:
        return {}
    errors = {}
    for match in _ERROR_CELL.finditer(xml):
        reference = _CELL_REFERENCE.search(match.group(1))
        if reference is None:
            continue
        value = None
        if not match.group(1).endswith(b"/"):  # <c t="e"/> has no value of its own
            end = xml.find(b"c>", match.end())
            value = _CELL_VALUE.search(xml, match.end(), end if end != -1 else len(xml))
        letters, number = reference.group(1).decode(), int(reference.group(2))
        column = 0
        for letter in letters:
            column = column * 26 + (ord(letter) - 64)
        errors[(number - 1, column - 1)] = value.group(1).decode() if value else "#VALUE!"
    return errors


def _choose_sheet(book: python_calamine.CalamineWorkbook) -> tuple[str, list[str]]:
    names = book.sheet_names
    for name in names:
        if name.strip().casefold() == DATA_SHEET.casefold():
            return name, []
    if not names:
        _refuse(_("The workbook has no sheets."))
    notice = _(
        "There is no sheet named “%(expected)s”, so the first sheet “%(sheet)s” was read. "
        "Put the sentra on a sheet named “%(expected)s” as in the template."
    ) % {"expected": DATA_SHEET, "sheet": names[0]}
    return names[0], [notice]


def read_data_sheet(file: IO[bytes], *, name: str = "") -> DataSheet:
    """The data sheet of an uploaded workbook, or WorkbookRefused saying what is wrong."""
    archive = open_archive(file, name=name)
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(file)
        sheet_name, notices = _choose_sheet(book)
        sheet = book.get_sheet_by_name(sheet_name)
        grid = sheet.to_python(skip_empty_area=False)
        merged = sheet.merged_cell_ranges or []
    except python_calamine.CalamineError as error:
        _refuse(
            _(
                "The workbook could not be read (%(error)s); open it in Excel and save it again "
                "as Excel Workbook (.xlsx)."
            )
            % {"error": error}
        )
    try:
        header_index = _find_header_row(sheet_name, grid)
        positions = _map_headers(sheet_name, header_index, grid[header_index], merged)
    except WorkbookRefused as refused:
        raise WorkbookRefused(refused.issues, notices) from None
    error_cells = formula_error_cells(archive, sheet_name)
    rows_with_errors = {row for row, _column in error_cells}
    rows = [
        (index + 1, cells)
        for index, cells in enumerate(grid[header_index + 1 :], start=header_index + 1)
        # The reader shows error cells as empty: a row holding only #REF! is not empty.
        if index in rows_with_errors or any(not _is_empty(value) for value in cells)
    ]
    return DataSheet(
        name=sheet_name,
        header_row=header_index + 1,
        positions=positions,
        rows=rows,
        error_cells=error_cells,
        notices=notices,
    )


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def best_header_row(grid: list[list[Any]], lookup: dict) -> int | None:
    """The row (among the first few) naming the most columns of ``lookup``; None if none does.

    A title may sit above the header row, so it need not be the first.
    """
    best, best_count = 0, 0
    for index, cells in enumerate(grid[:HEADER_SEARCH_ROWS]):
        count = sum(1 for value in cells if normalise_header(value) in lookup)
        if count > best_count:
            best, best_count = index, count
    return best if best_count else None


def _find_header_row(sheet: str, grid: list[list[Any]]) -> int:
    best = best_header_row(grid, HEADER_LOOKUP)
    if best is None:
        _refuse(
            _(
                "Sheet “%(sheet)s” has no header row of the template (such as “%(header)s”) in "
                "its first %(rows)s rows; copy the sentra into the template."
            )
            % {"sheet": sheet, "header": COLUMNS[1].header, "rows": HEADER_SEARCH_ROWS},
            sheet=sheet,
            row=1,
        )
    return best


def _map_headers(sheet: str, index: int, cells: list[Any], merged) -> dict[str, int]:
    positions: dict[str, int] = {}
    issues = []
    for position, value in enumerate(cells):
        column = HEADER_LOOKUP.get(normalise_header(value))
        if column is None:
            continue  # extra columns (notes, numbering) are allowed and ignored
        if column.key in positions:
            message = _(
                "The header “%(header)s” appears twice (columns %(first)s and %(second)s); "
                "delete one of the columns."
            ) % {
                "header": column.header,
                "first": column_letter(positions[column.key]),
                "second": column_letter(position),
            }
            issues.append(Issue(sheet, index + 1, column.header, message))
            continue
        positions[column.key] = position
    issues += _merged_header_issues(sheet, index, merged)
    issues += [_missing(sheet, index, column) for column in COLUMNS if column.key not in positions]
    if issues:
        raise WorkbookRefused(issues)
    return positions


def _missing(sheet: str, index: int, column: Column) -> Issue:
    return Issue(
        sheet,
        index + 1,
        column.header,
        _(
            "The header “%(header)s” is missing from row %(row)s; copy the header row from the "
            "template."
        )
        % {"header": column.header, "row": index + 1},
    )


def _merged_header_issues(sheet: str, index: int, merged) -> list[Issue]:
    issues = []
    for (first_row, first_column), (last_row, last_column) in merged:
        if first_row <= index <= last_row:
            cells = (
                f"{column_letter(first_column)}{first_row + 1}:"
                f"{column_letter(last_column)}{last_row + 1}"
            )
            issues.append(
                Issue(
                    sheet,
                    index + 1,
                    cells,
                    _(
                        "Header cells %(cells)s are merged; unmerge them so that every column "
                        "has its own header."
                    )
                    % {"cells": cells},
                )
            )
    return issues


class SheetProblems:
    """Collects the issues of one sheet; a problem cell's value is dropped from its row.

    Rows are objects with ``number``, ``values`` (column key → parsed value) and ``failed``.
    """

    def __init__(self, sheet: str, issues: list[Issue], by_key: dict, by_field: dict):
        self.sheet = sheet
        self.issues = issues
        self.by_key = by_key
        self.by_field = by_field

    def add(self, row, key: str, message: str) -> None:
        header = self.by_key[key].header if key in self.by_key else ""
        self.issues.append(Issue(self.sheet, row.number, header, str(message)))
        row.values.pop(key, None)
        row.failed.add(key)

    def add_validation(self, row, error) -> None:
        for name, messages in error.message_dict.items():
            column = self.by_field.get(name)
            key = column.key if column else NON_FIELD_ERRORS
            for message in messages:
                self.add(row, key, message)


def planned_changes(rows: list, check_row, result) -> list:
    """The parsed rows that change something, after ``check_row`` has judged each.

    Rows with a problem are left out; unchanged rows are counted in ``result``, whose
    ``changes``, ``created`` and ``updated`` are filled in.
    """
    plans = []
    for row in rows:
        if row.failed:
            continue
        change = check_row(row)
        if row.failed:
            continue
        if change is None:
            result.unchanged += 1
            continue
        result.changes.append(change)
        plans.append(row)
    result.created = sum(1 for change in result.changes if change.action == "create")
    result.updated = len(result.changes) - result.created
    return plans
