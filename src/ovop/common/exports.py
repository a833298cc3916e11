"""Spreadsheet and CSV downloads, and the one place that writes their cells.

Every list screen offers its rows as CSV and XLSX with the same columns as shown. CSV streams
row by row; XLSX is written by xlsxwriter in constant-memory mode to a temporary file.

User text must never reach a spreadsheet as a live formula (CSV/formula injection: a centre
named ``=HYPERLINK("http://x","klik")`` would run when the file is opened). So every
workbook is made by ``new_workbook`` and every cell is written by ``write_cell``: text is
written as text (``write_string``), numbers and dates with their own writers. In CSV, where
a cell has no type, text starting with a formula character gets a leading quote
(``csv_safe``, as OWASP advises); real numbers stay numbers.

A large xlsx is built by the background worker (``ovop.common.services.queue_export``): a
list view describes its download as an ``export_source`` function of the user and the
list's query, so the worker rebuilds the rows itself with the requester's own scope.
"""

import csv
import datetime
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from importlib import import_module
from typing import IO, Any, Protocol
from urllib.parse import urlencode

import xlsxwriter
from django.http import FileResponse, HttpRequest, QueryDict, StreamingHttpResponse
from django.utils import timezone
from django.utils.functional import Promise

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Characters that make a spreadsheet read a CSV cell as a formula (OWASP CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


# --- Cells ---------------------------------------------------------------------------------


def csv_safe(value: Any) -> Any:
    """``value`` for a CSV cell: text that a spreadsheet would run gets a leading quote."""
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return f"'{value}"
    return value


def new_workbook(handle: IO[bytes], *, constant_memory: bool = True) -> xlsxwriter.Workbook:
    """A workbook writing to ``handle``; even a stray ``write()`` keeps a string a string."""
    return xlsxwriter.Workbook(
        handle,
        {
            "constant_memory": constant_memory,
            "in_memory": False,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )


@dataclass(frozen=True)
class DateFormats:
    """A workbook's formats for dates; without one Excel shows a date as 45433."""

    date: Any
    moment: Any

    @classmethod
    def of(cls, workbook: xlsxwriter.Workbook) -> "DateFormats":
        return cls(
            date=workbook.add_format({"num_format": "dd/mm/yyyy"}),
            moment=workbook.add_format({"num_format": "dd/mm/yyyy hh:mm"}),
        )


def write_cell(
    sheet: Any,
    row: int,
    column: int,
    value: Any,
    cell_format: Any = None,
    *,
    dates: DateFormats | None = None,
) -> None:
    """Write ``value`` as what it is: text as text (never a formula), numbers as numbers."""
    if value is None or value == "":
        sheet.write_blank(row, column, None, cell_format)
    elif isinstance(value, bool):
        sheet.write_boolean(row, column, value, cell_format)
    elif isinstance(value, int | float | Decimal):
        sheet.write_number(row, column, value, cell_format)
    elif isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.make_naive(value)  # Excel has no time zones: local time
        sheet.write_datetime(row, column, value, cell_format or _dates(dates).moment)
    elif isinstance(value, datetime.date):
        sheet.write_datetime(row, column, value, cell_format or _dates(dates).date)
    else:
        sheet.write_string(row, column, str(value), cell_format)


def write_cells(
    sheet: Any,
    row: int,
    first_column: int,
    values: Iterable[Any],
    cell_format: Any = None,
    *,
    dates: DateFormats | None = None,
) -> None:
    """``write_cell`` for each value of a row, from ``first_column`` on."""
    for offset, value in enumerate(values):
        write_cell(sheet, row, first_column + offset, value, cell_format, dates=dates)


def _dates(dates: DateFormats | None) -> DateFormats:
    if dates is None:
        raise TypeError("write_cell needs dates= (or a cell format) to write a date")
    return dates


# --- Downloads -----------------------------------------------------------------------------


class _Echo:
    def write(self, value: str) -> str:
        return value


def export_name(base_name: str) -> str:
    return f"{base_name}-{timezone.localtime().strftime('%Y%m%d-%H%M')}"


def export_response(
    *,
    file_format: str,
    base_name: str,
    headers: Sequence[str],
    rows: Iterable[Sequence],
    sheet_name: str | None = None,
) -> StreamingHttpResponse | FileResponse:
    """``sheet_name`` names the XLSX sheet (default: the file name) — for re-importable files."""
    name = export_name(base_name)
    if file_format == "xlsx":
        handle = tempfile.TemporaryFile()  # noqa: SIM115 — FileResponse closes it when sent
        write_table(handle, headers=headers, rows=rows, sheet_name=sheet_name or name)
        handle.seek(0)
        return xlsx_response(handle, filename=f"{name}.xlsx")
    response = StreamingHttpResponse(
        csv_lines(headers=headers, rows=rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


def csv_lines(*, headers: Sequence[str], rows: Iterable[Sequence]) -> Iterable[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # BOM so Excel opens UTF-8 with Indonesian names intact
    yield writer.writerow([csv_safe(str(header)) for header in headers])
    for row in rows:
        yield writer.writerow([csv_safe(value) for value in row])


def write_table(
    handle: IO[bytes],
    *,
    headers: Sequence[str],
    rows: Iterable[Sequence],
    sheet_name: str,
    progress: Any = None,
    progress_every: int = 500,
) -> int:
    """One sheet: a bold header row, then ``rows``; answers how many rows were written.

    ``progress(rows_written)`` is called every ``progress_every`` rows (background exports).
    """
    workbook = new_workbook(handle)
    sheet = workbook.add_worksheet(sheet_name[:31])
    bold = workbook.add_format({"bold": True})
    dates = DateFormats.of(workbook)
    write_cells(sheet, 0, 0, [str(header) for header in headers], bold)
    written = 0
    for written, row in enumerate(rows, start=1):
        write_cells(sheet, written, 0, row, dates=dates)
        if progress is not None and written % progress_every == 0:
            progress(written)
    sheet.freeze_panes(1, 0)
    workbook.close()
    return written


def xlsx_response(handle: IO[bytes], *, filename: str) -> FileResponse:
    return FileResponse(
        handle, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE
    )


# --- Export sources (for downloads built in the background) --------------------------------

Progress = Callable[[int], None]


class ExportContent(Protocol):
    """What an export source answers: the file's name, its size and how to write it."""

    base_name: str

    def total(self) -> int: ...

    def write(self, handle: IO[bytes], *, progress: Progress | None = None) -> int: ...

    def response(self, file_format: str) -> StreamingHttpResponse | FileResponse: ...


@dataclass
class TableExport:
    """One sheet of ``headers`` and ``rows``; ``count`` says how many rows without reading."""

    base_name: str
    headers: Sequence[Any]
    rows: Iterable[Sequence]
    count: Callable[[], int]
    sheet_name: str | None = None

    def total(self) -> int:
        return self.count()

    def write(self, handle: IO[bytes], *, progress: Progress | None = None) -> int:
        sheet = self.sheet_name or export_name(self.base_name)
        return write_table(
            handle, headers=self.headers, rows=self.rows, sheet_name=sheet, progress=progress
        )

    def response(self, file_format: str) -> StreamingHttpResponse | FileResponse:
        return export_response(
            file_format=file_format,
            base_name=self.base_name,
            headers=self.headers,
            rows=self.rows,
            sheet_name=self.sheet_name,
        )


ExportSource = Callable[..., ExportContent]
_SOURCES: dict[str, ExportSource] = {}


def export_source(function: ExportSource) -> ExportSource:
    """Register ``function(*, user, params)`` as a source the background worker may run."""
    _SOURCES[source_name(function)] = function
    return function


def source_name(function: ExportSource) -> str:
    return f"{function.__module__}.{function.__qualname__}"


def load_source(name: str) -> ExportSource:
    """The registered source ``name`` (its module is imported first); LookupError if none."""
    module, _dot, _function = name.rpartition(".")
    if name not in _SOURCES and module.startswith("ovop."):
        import_module(module)  # registers its sources
    try:
        return _SOURCES[name]
    except KeyError:
        raise LookupError(name) from None


def replayed_request(*, user: Any, params: Mapping[str, Any]) -> HttpRequest:
    """A request carrying ``user`` and the list's saved query, for the list's own filters.

    The background worker has no request; rebuilding one lets a source read its filters
    with exactly the code of the list view, while the scope comes from ``user``.
    """
    request = HttpRequest()
    request.user = user
    request.GET = QueryDict(urlencode(dict(params), doseq=True))
    return request


def saved_query(request: HttpRequest) -> dict[str, list[str]]:
    """The request's query as JSON for ``replayed_request`` (without page and format)."""
    return {key: request.GET.getlist(key) for key in request.GET if key not in ("format", "page")}
