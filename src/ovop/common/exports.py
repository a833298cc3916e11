"""Streaming CSV and XLSX downloads of list views.

Every list screen offers its rows as CSV and XLSX with the same columns as shown. CSV streams
row by row; XLSX is written by xlsxwriter in constant-memory mode to a temporary file.
"""

import csv
import datetime
import tempfile
from collections.abc import Iterable, Sequence

import xlsxwriter
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone


class _Echo:
    def write(self, value: str) -> str:
        return value


def export_response(
    *,
    file_format: str,
    base_name: str,
    headers: Sequence[str],
    rows: Iterable[Sequence],
    sheet_name: str | None = None,
) -> StreamingHttpResponse | FileResponse:
    """``sheet_name`` names the XLSX sheet (default: the file name) — for re-importable files."""
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    name = f"{base_name}-{stamp}"
    if file_format == "xlsx":
        return _xlsx_response(name=name, headers=headers, rows=rows, sheet_name=sheet_name)
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff"  # BOM so Excel opens UTF-8 with Indonesian names intact
        yield writer.writerow([str(header) for header in headers])
        for row in rows:
            yield writer.writerow(row)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


def _xlsx_response(
    *, name: str, headers: Sequence[str], rows: Iterable[Sequence], sheet_name: str | None
):
    handle = tempfile.TemporaryFile()  # noqa: SIM115 — FileResponse closes it when sent
    workbook = xlsxwriter.Workbook(handle, {"constant_memory": True, "in_memory": False})
    sheet = workbook.add_worksheet((sheet_name or name)[:31])
    bold = workbook.add_format({"bold": True})
    # Without a number format Excel shows a date as its serial number (45433).
    date_format = workbook.add_format({"num_format": "dd/mm/yyyy"})
    for column, header in enumerate(headers):
        sheet.write(0, column, str(header), bold)
    for row_number, row in enumerate(rows, start=1):
        for column, value in enumerate(row):
            if isinstance(value, datetime.date):
                sheet.write_datetime(row_number, column, value, date_format)
            else:
                sheet.write(row_number, column, value)
    sheet.freeze_panes(1, 0)
    workbook.close()
    handle.seek(0)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"{name}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
