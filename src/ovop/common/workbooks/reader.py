"""Opening an uploaded workbook: container checks, the data sheet, its header row, problems.

Everything here is about the file, nothing about what its rows mean: an app describes its
data sheet once (``SheetFormat``), and ``read_data_sheet`` hands back the rows under the
header with each column found, or refuses the file (``WorkbookRefused``) with messages that
say what to do, each located by sheet, row and column as a person finds it in Excel.
"""

import html
import os
import re
import zipfile
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from functools import cached_property
from typing import IO, Any, NoReturn, Protocol

import python_calamine
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ovop.common.workbooks.cells import (
    FORMULA_ERRORS,
    Column,
    column_letter,
    header_lookup,
    is_blank,
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


class WorkbookRefused(Exception):  # noqa: N818  the name the API docs and the apps use
    """The file cannot be imported at all; ``issues`` say why, ``notices`` what was assumed."""

    def __init__(self, issues: list[Issue], notices: list[str] | None = None):
        super().__init__(issues[0].message if issues else "")
        self.issues = issues
        self.notices = notices or []


def refuse(message: str, *, sheet: str = "", row: int | None = None, column: str = "") -> NoReturn:
    raise WorkbookRefused([Issue(sheet, row, column, str(message))])


# --- The container -------------------------------------------------------------------------


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
        refuse(too_large)
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
        refuse(
            _(
                "The file %(name)s is not an Excel workbook (.xlsx): its content is %(kind)s. "
                "Download the template, fill it in and save it as Excel Workbook (.xlsx)."
            )
            % {"name": name, "kind": kind}
        )
    if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED_BYTES:
        refuse(_("The workbook is too large to read; split it into several files."))
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


# --- The data sheet and its header row -----------------------------------------------------


class HeaderColumn(Protocol):
    """What a header cell names: a stable key and the header a message shows."""

    @property
    def key(self) -> Hashable: ...

    @property
    def header(self) -> str: ...


@dataclass(frozen=True)
class SheetFormat:
    """How an app's data sheet looks, and what to tell a person whose file differs.

    Messages are lazy texts: ``other_sheet`` takes %(expected)s and %(sheet)s; ``no_header``
    %(sheet)s, %(header)s and %(rows)s; ``duplicate`` %(header)s and the column letters
    %(first)s and %(second)s.
    """

    name: str  # the data sheet's name in the template
    no_header: Any
    # A header cell's column (None: the cell is ignored); by default the one of ``columns``
    # whose header or key the cell holds.
    classify: Callable[[Any], HeaderColumn | None] | None = None
    other_sheet: Any = gettext_lazy(
        "There is no sheet named “%(expected)s”, so the first sheet “%(sheet)s” was read."
    )
    # Which cells make a row the header row; by default any cell naming a column.
    marks_header: Callable[[Any], bool] | None = None
    example_header: str = ""  # %(header)s of ``no_header``
    no_header_column: str = ""
    duplicate: Any = gettext_lazy(
        "The header “%(header)s” appears twice (columns %(first)s and %(second)s); "
        "delete one of the columns."
    )
    # The spec's columns: each must have its header; problems are listed in their order.
    columns: tuple[Column, ...] = ()
    refuse_merged_headers: bool = False
    # Further problems of the header row: (sheet, Excel row, columns by key) → issues.
    check_headers: Callable[[str, int, dict[Any, HeaderColumn]], list[Issue]] | None = None
    unreadable: Any = gettext_lazy(
        "The workbook could not be read (%(error)s); open it in Excel and save it again "
        "as Excel Workbook (.xlsx)."
    )

    @cached_property
    def _lookup(self) -> dict[str, Column]:
        return header_lookup(self.columns)

    def column_of(self, value: Any) -> HeaderColumn | None:
        if self.classify is not None:
            return self.classify(value)
        return self._lookup.get(normalise_header(value))


@dataclass
class DataSheet:
    name: str
    header_row: int  # Excel row number of the header
    positions: dict[Any, int]  # column key → 0-based column index
    columns: dict[Any, Any]  # column key → what ``SheetFormat.classify`` found
    rows: list[tuple[int, list[Any]]]  # (Excel row number, cells), empty rows left out
    error_cells: dict[tuple[int, int], str] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)

    def formula_error(self, number: int, index: int, raw: Any) -> str | None:
        """The formula error (#REF! …) the cell of Excel row ``number`` shows, if any."""
        error = self.error_cells.get((number - 1, index))
        if error is None and isinstance(raw, str) and raw.strip() in FORMULA_ERRORS:
            error = raw.strip()
        return error


def read_data_sheet(file: IO[bytes], *, name: str, sheet_format: SheetFormat) -> DataSheet:
    """The data sheet of an uploaded workbook, or WorkbookRefused saying what is wrong."""
    archive = open_archive(file, name=name)
    notices: list[str] = []
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(file)
        sheet_name = _choose_sheet(book.sheet_names, sheet_format, notices)
        sheet = book.get_sheet_by_name(sheet_name)
        grid = sheet.to_python(skip_empty_area=False)
        merged = sheet.merged_cell_ranges or []
    except python_calamine.CalamineError as error:
        raise WorkbookRefused(
            [Issue("", None, "", str(sheet_format.unreadable) % {"error": error})], notices
        ) from None
    try:
        header_index = _find_header_row(sheet_name, grid, sheet_format)
        found = _map_headers(sheet_name, header_index, grid[header_index], merged, sheet_format)
    except WorkbookRefused as refused:
        raise WorkbookRefused(refused.issues, notices) from None
    error_cells = formula_error_cells(archive, sheet_name)
    rows_with_errors = {row for row, _column in error_cells}
    rows = [
        (index + 1, cells)
        for index, cells in enumerate(grid[header_index + 1 :], start=header_index + 1)
        # The reader shows error cells as empty: a row holding only #REF! is not empty.
        if index in rows_with_errors or any(not is_blank(value) for value in cells)
    ]
    return DataSheet(
        name=sheet_name,
        header_row=header_index + 1,
        positions={key: position for key, (position, _column) in found.items()},
        columns={key: column for key, (_position, column) in found.items()},
        rows=rows,
        error_cells=error_cells,
        notices=notices,
    )


def _choose_sheet(names: list[str], sheet_format: SheetFormat, notices: list[str]) -> str:
    for name in names:
        if normalise_header(name) == sheet_format.name.casefold():
            return name
    if not names:
        refuse(_("The workbook has no sheets."))
    notices.append(
        str(sheet_format.other_sheet) % {"expected": sheet_format.name, "sheet": names[0]}
    )
    return names[0]


def best_header_row(grid: list[list[Any]], marks_header: Callable[[Any], bool]) -> int | None:
    """The row (among the first few) with the most cells ``marks_header`` knows; None if none.

    A title may sit above the header row, so it need not be the first; on a tie the first wins.
    """
    best, best_count = 0, 0
    for index, cells in enumerate(grid[:HEADER_SEARCH_ROWS]):
        count = sum(1 for value in cells if marks_header(value))
        if count > best_count:
            best, best_count = index, count
    return best if best_count else None


def _find_header_row(sheet: str, grid: list[list[Any]], sheet_format: SheetFormat) -> int:
    column_of = sheet_format.column_of
    marks_header = sheet_format.marks_header or (lambda value: column_of(value) is not None)
    best = best_header_row(grid, marks_header)
    if best is None:
        refuse(
            str(sheet_format.no_header)
            % {"sheet": sheet, "header": sheet_format.example_header, "rows": HEADER_SEARCH_ROWS},
            sheet=sheet,
            row=1,
            column=sheet_format.no_header_column,
        )
    return best


def _map_headers(
    sheet: str, index: int, cells: list[Any], merged, sheet_format: SheetFormat
) -> dict[Any, tuple[int, HeaderColumn]]:
    found: dict[Any, tuple[int, HeaderColumn]] = {}
    issues = []
    for position, value in enumerate(cells):
        column = sheet_format.column_of(value)
        if column is None:
            continue  # extra columns (notes, numbering, names for people) are ignored
        if column.key in found:
            message = str(sheet_format.duplicate) % {
                "header": column.header,
                "first": column_letter(found[column.key][0]),
                "second": column_letter(position),
            }
            issues.append(Issue(sheet, index + 1, column.header, message))
            continue
        found[column.key] = (position, column)
    if sheet_format.refuse_merged_headers:
        issues += _merged_header_issues(sheet, index, merged)
    issues += [
        missing_header(sheet, index + 1, column.header)
        for column in sheet_format.columns
        if column.key not in found
    ]
    if sheet_format.check_headers is not None:
        columns = {key: column for key, (_position, column) in found.items()}
        issues += sheet_format.check_headers(sheet, index + 1, columns)
    if issues:
        raise WorkbookRefused(issues)
    return found


def missing_header(sheet: str, row: int, header: str) -> Issue:
    return Issue(
        sheet,
        row,
        header,
        _(
            "The header “%(header)s” is missing from row %(row)s; copy the header row from the "
            "template."
        )
        % {"header": header, "row": row},
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
