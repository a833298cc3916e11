"""One all-or-nothing import driver for every workbook the apps take in.

An app describes its import once (``WorkbookImport``: permission, sheet, check, write);
``WorkbookImport.run`` reads the data sheet, lets the app check every row (collecting each
problem with its sheet, row and column in ``Problems``) and writes only when no row has a
problem, all inside one transaction: a problem found while writing, or a dry run, rolls back
everything the import wrote. A refused file reports its problems and no counts.
"""

import dataclasses
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import IO, Any, ClassVar, Generic, Protocol, TypeVar, cast

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ovop.common.workbooks.cells import CellError, Column
from ovop.common.workbooks.reader import (
    DataSheet,
    Issue,
    SheetFormat,
    WorkbookRefused,
    read_data_sheet,
)

CHUNK = 900  # stays under SQLite's limit on query parameters


def chunks(items: Iterable, size: int = CHUNK) -> Iterator[list]:
    """``items`` in lists of at most ``size``, for ``pk__in`` look-ups of many rows."""
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]


# --- Results -------------------------------------------------------------------------------


@dataclass
class ImportResult:
    """What an import did or would do; a refused file has ``errors`` and no counts."""

    dry_run: bool
    sheet: str = ""
    errors: list[Issue] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    # The fields that describe the plan, emptied when a problem refuses the whole file.
    plan_fields: ClassVar[tuple[str, ...]] = ()

    @property
    def ok(self) -> bool:
        return not self.errors

    def discard_plan(self) -> None:
        for item in dataclasses.fields(self):
            if item.name in self.plan_fields:
                empty = item.default_factory() if callable(item.default_factory) else item.default
                setattr(self, item.name, empty)


@dataclass
class ChangesResult(ImportResult):
    """Rows that create or change a record, and those that change nothing."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    changes: list = field(default_factory=list)  # the app's planned changes, row by row
    plan_fields: ClassVar[tuple[str, ...]] = ("created", "updated", "unchanged", "changes")


# --- Rows and their problems ---------------------------------------------------------------


@dataclass
class SheetRow:
    number: int  # Excel row number
    values: dict[str, Any]  # column key → parsed value; a key with a problem is left out
    failed: set[str] = field(default_factory=set)


class Problems:
    """Collects the issues of one sheet; a problem cell's value is dropped from its row."""

    def __init__(self, sheet: str, issues: list[Issue], columns: Iterable[Column] = ()):
        self.sheet = sheet
        self.issues = issues
        self.by_key = {column.key: column for column in columns}
        self.by_field = {column.field: column for column in self.by_key.values() if column.field}

    def at(self, row: int | None, column: str, message: Any) -> None:
        """A problem of Excel row ``row`` (None: of the whole file) under header ``column``."""
        self.issues.append(Issue(self.sheet, row, column, str(message)))

    def add(self, row: SheetRow, key: str, message: Any) -> None:
        header = self.by_key[key].header if key in self.by_key else ""
        self.at(row.number, header, message)
        row.values.pop(key, None)
        row.failed.add(key)

    def add_validation(self, row: SheetRow, error: ValidationError) -> None:
        for name, messages in error.message_dict.items():
            column = self.by_field.get(name)
            key = column.key if column else NON_FIELD_ERRORS
            for message in messages:
                self.add(row, key, message)


RowT = TypeVar("RowT", bound=SheetRow)


def parse_row(
    row: RowT, cells: list[Any], *, sheet: DataSheet, columns: Sequence[Column], problems: Problems
) -> RowT:
    """``row`` with every column's cell read; a cell that cannot be read is a problem."""
    for column in columns:
        index = sheet.positions[column.key]
        raw = cells[index] if index < len(cells) else ""
        error = sheet.formula_error(row.number, index, raw)
        if error is not None:
            message = _(
                "The cell shows the formula error %(error)s; correct the formula or type the "
                "value itself."
            )
            problems.add(row, column.key, message % {"error": error})
            continue
        try:
            row.values[column.key] = column.read(raw)
        except CellError as problem:
            problems.add(row, column.key, str(problem))
    return row


def planned_changes(rows: list[RowT], check_row: Callable, result: ChangesResult) -> list[RowT]:
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


# --- The driver ----------------------------------------------------------------------------


class ReadSheet(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def notices(self) -> list[str]: ...


SheetT = TypeVar("SheetT", bound=ReadSheet)
ResultT = TypeVar("ResultT", bound=ImportResult)


@dataclass
class ImportRun(Generic[SheetT]):
    """One import under way, as the app's ``check`` and ``write`` see it."""

    actor: Any
    sheet: SheetT
    problems: Problems
    dry_run: bool
    reason: str  # for the history of what the import writes


class _Rollback(Exception):  # noqa: N818  a signal to leave the transaction, never an error
    """Leaves the import's transaction so that nothing stays written."""


def import_reason(name: str) -> str:
    # The history keeps at most 100 characters of reason; a long file name is cut.
    return _("Excel import (%(file)s)") % {"file": name[:60]} if name else _("Excel import")


@dataclass(frozen=True)
class WorkbookImport(Generic[SheetT, ResultT]):
    """One app's import: who may run it, how its sheet is read, checked and written.

    ``read(file, name)`` opens the data sheet (or raises WorkbookRefused); by default it is
    ``read_data_sheet`` with ``sheet_format``, whose columns also name the problems.
    ``check`` parses and checks every row, reporting each problem to ``run.problems``, and
    returns the plan; ``write`` carries out the plan. A ``check`` that can only judge a row
    by writing it may write: it is rolled back with the rest. Problems are listed by row,
    then in the order of ``column_order`` (by default the order of the columns).
    """

    permission: str
    result: Callable[..., ResultT]  # the result class, made with ``dry_run=``
    check: Callable[[ImportRun[SheetT], ResultT], Any]
    write: Callable[[ImportRun[SheetT], Any], None] | None = None
    sheet_format: SheetFormat | None = None
    read: Callable[[IO[bytes], str], SheetT] | None = None
    column_order: Callable[[SheetT], Mapping[str, int]] | None = None

    def run(self, *, actor, file: IO[bytes], dry_run: bool) -> ResultT:
        """Import ``file`` as ``actor``: nothing is written unless every row is valid, and
        nothing at all on a dry run."""
        if not actor.has_perm(self.permission):
            raise PermissionDenied
        result = self.result(dry_run=dry_run)
        name = os.path.basename(getattr(file, "name", "") or "")
        try:
            sheet = self._read(file, name)
        except WorkbookRefused as refused:
            result.errors, result.notices = refused.issues, refused.notices
            return result
        result.sheet, result.notices = sheet.name, sheet.notices
        columns = self.sheet_format.columns if self.sheet_format else ()
        problems = Problems(sheet.name, result.errors, columns)
        run = ImportRun(actor, sheet, problems, dry_run, import_reason(name))
        try:
            with transaction.atomic():
                plan = self.check(run, result)
                if not result.errors and not dry_run and self.write is not None:
                    self.write(run, plan)
                if result.errors or dry_run:
                    raise _Rollback
        except _Rollback:
            pass
        if result.errors:
            result.discard_plan()
            order = (
                self.column_order(sheet)
                if self.column_order is not None
                else {column.header: position for position, column in enumerate(columns)}
            )
            result.errors.sort(key=lambda issue: (issue.row or 0, order.get(issue.column, -1)))
        return result

    def _read(self, file: IO[bytes], name: str) -> SheetT:
        if self.read is not None:
            return self.read(file, name)
        if self.sheet_format is None:
            raise TypeError("a WorkbookImport needs a sheet_format or a read function")
        # Without a ``read`` of its own the import's sheet is the DataSheet of its format.
        return cast(SheetT, read_data_sheet(file, name=name, sheet_format=self.sheet_format))
