"""The one workbook framework on its own: the reader and the all-or-nothing import driver.

A toy sheet ("Data": Name, Count) stands for an app's workbook, so these tests know no app.
"""

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy

from ovop.common.workbooks.cells import Column, parse_text, parse_whole_number
from ovop.common.workbooks.importing import (
    ChangesResult,
    ImportRun,
    SheetRow,
    WorkbookImport,
    parse_row,
)
from ovop.common.workbooks.reader import (
    DataSheet,
    Issue,
    SheetFormat,
    WorkbookRefused,
    read_data_sheet,
)

COLUMNS = (
    Column("name", "Name", "name", parse_text, lambda item: item.name, required=True),
    Column("count", "Count", None, parse_whole_number, lambda item: 0),
)
FORMAT = SheetFormat(
    name="Data",
    columns=COLUMNS,
    example_header="Name",
    no_header=gettext_lazy(
        "Sheet “%(sheet)s” has no header row of the template (such as “%(header)s”) in "
        "its first %(rows)s rows; copy the sentra into the template."
    ),
    refuse_merged_headers=True,
)


pytestmark = pytest.mark.usefixtures("english")


def workbook(path: Path, rows: list[list[Any]], *, sheet: str = "Data", merge: bool = False):
    book = xlsxwriter.Workbook(str(path))
    data = book.add_worksheet(sheet)
    for number, cells in enumerate(rows):
        for column, value in enumerate(cells):
            if isinstance(value, tuple):  # (formula, value Excel last showed)
                data.write_formula(number, column, value[0], None, value[1])
            elif value is not None:
                data.write(number, column, value)
    if merge:
        data.merge_range(0, 0, 0, 1, "Name")
    book.close()
    return path.open("rb")


def read(handle, name: str = "data.xlsx") -> DataSheet:
    return read_data_sheet(handle, name=name, sheet_format=FORMAT)


def refusal(handle) -> list[Issue]:
    with pytest.raises(WorkbookRefused) as refused:
        read(handle)
    return refused.value.issues


# --- The reader ----------------------------------------------------------------------------


def test_reader_finds_the_header_below_a_title_and_keeps_excel_row_numbers(tmp_path):
    rows = [["Sentra 2026"], ["Notes", "Count", "Name"], ["a note", 3, "A"], [], [None, 4, "B"]]
    sheet = read(workbook(tmp_path / "a.xlsx", rows))
    assert (sheet.name, sheet.header_row) == ("Data", 2)
    assert sheet.positions == {"count": 1, "name": 2}
    assert [number for number, _cells in sheet.rows] == [3, 5]  # the empty row 4 is left out
    assert sheet.notices == []


def test_reader_accepts_a_column_by_its_key_and_ignores_case_and_spaces(tmp_path):
    sheet = read(workbook(tmp_path / "a.xlsx", [["  NAME ", "count"], ["A", 1]]))
    assert sheet.positions == {"name": 0, "count": 1}


def test_reader_reads_the_first_sheet_with_a_notice_when_the_name_differs(tmp_path):
    sheet = read(workbook(tmp_path / "a.xlsx", [["Name", "Count"], ["A", 1]], sheet="Lembar1"))
    assert sheet.name == "Lembar1"
    assert sheet.notices == [
        "There is no sheet named “Data”, so the first sheet “Lembar1” was read."
    ]


def test_reader_names_every_missing_header_on_the_header_row(tmp_path):
    issues = refusal(workbook(tmp_path / "a.xlsx", [["Title"], ["Name"], ["A"]]))
    assert [(i.sheet, i.row, i.column) for i in issues] == [("Data", 2, "Count")]
    assert issues[0].message == (
        "The header “Count” is missing from row 2; copy the header row from the template."
    )


def test_reader_names_the_columns_of_a_header_written_twice(tmp_path):
    issues = refusal(workbook(tmp_path / "a.xlsx", [["Name", "Count", "Name"]]))
    assert [(i.row, i.column) for i in issues] == [(1, "Name")]
    assert "(columns A and C)" in issues[0].message


def test_reader_refuses_merged_header_cells(tmp_path):
    issues = refusal(workbook(tmp_path / "a.xlsx", [[None, None, "Count"]], merge=True))
    assert [(i.row, i.column) for i in issues] == [(1, "A1:B1")]


def test_reader_refuses_a_sheet_without_a_header_row(tmp_path):
    issues = refusal(workbook(tmp_path / "a.xlsx", [["nothing"], ["here"]]))
    assert [(i.sheet, i.row, i.column) for i in issues] == [("Data", 1, "")]
    assert "(such as “Name”) in its first 10 rows" in issues[0].message


def test_reader_refuses_a_file_that_is_not_a_workbook_by_its_content():
    handle = io.BytesIO(b"Name;Count\nA;1\n")
    handle.name = "data.xlsx"
    issues = refusal(handle)
    assert (issues[0].row, issues[0].column) == (None, "")
    assert "its content is text such as CSV" in issues[0].message


def test_reader_finds_formula_errors_that_the_cells_show_as_empty(tmp_path):
    rows = [["Name", "Count"], ["A", ("=1/0", "#DIV/0!")], [None, ("=#REF!", "#REF!")]]
    sheet = read(workbook(tmp_path / "a.xlsx", rows))
    # A row holding nothing but a formula error is not empty.
    assert [number for number, _cells in sheet.rows] == [2, 3]
    number, cells = sheet.rows[1]
    assert sheet.formula_error(number, 1, cells[1]) == "#REF!"
    assert sheet.formula_error(number, 0, cells[0]) is None


# --- The driver ----------------------------------------------------------------------------


class Actor:
    def __init__(self, allowed: bool = True):
        self.allowed = allowed

    def has_perm(self, permission: str) -> bool:
        return self.allowed


@dataclass
class Change:
    action: str


def check(run: ImportRun[DataSheet], result: ChangesResult) -> list[SheetRow]:
    """Each row names a group; a count below zero is a problem, found after every row is read."""
    rows = [
        parse_row(
            SheetRow(number, {}), cells, sheet=run.sheet, columns=COLUMNS, problems=run.problems
        )
        for number, cells in run.sheet.rows
    ]
    for row in rows:
        if row.values.get("count", 0) < 0:
            run.problems.add(row, "count", "below zero")
        if row.values.get("name") == "Checked by writing":
            Group.objects.create(name="written while checking")
    result.changes = [Change("create") for row in rows if not row.failed]
    result.created = len(result.changes)
    return rows


def write(run: ImportRun[DataSheet], rows: list[SheetRow]) -> None:
    for row in rows:
        Group.objects.create(name=row.values["name"])
        if row.values["name"] == "Refused while writing":
            run.problems.at(row.number, "", "the database refused it")


TOY = WorkbookImport(
    permission="toy.import", result=ChangesResult, sheet_format=FORMAT, check=check, write=write
)


def run(handle, *, dry_run: bool = False, actor=None) -> ChangesResult:
    return TOY.run(actor=actor or Actor(), file=handle, dry_run=dry_run)


@pytest.mark.django_db
def test_driver_writes_every_row_and_counts_them(tmp_path):
    result = run(workbook(tmp_path / "a.xlsx", [["Name", "Count"], ["One", 1], ["Two", 2]]))
    assert (result.ok, result.sheet, result.created) == (True, "Data", 2)
    assert set(Group.objects.values_list("name", flat=True)) == {"One", "Two"}


@pytest.mark.django_db
def test_driver_writes_nothing_when_one_row_has_a_problem_and_lists_problems_in_order(tmp_path):
    rows = [["Count", "Name"], [-1, "One"], ["x", None], [1, "Three"]]
    result = run(workbook(tmp_path / "a.xlsx", rows))
    assert not result.ok
    # By row, then in the order of the columns (Name before Count), whatever the file's order
    # and whenever the problem was found.
    assert [(issue.row, issue.column) for issue in result.errors] == [
        (2, "Count"),
        (3, "Name"),
        (3, "Count"),
    ]
    assert (result.created, result.changes) == (0, [])
    assert not Group.objects.exists()


@pytest.mark.django_db
def test_driver_dry_run_reports_the_plan_and_rolls_back_what_checking_wrote(tmp_path):
    rows = [["Name", "Count"], ["Checked by writing", 1]]
    result = run(workbook(tmp_path / "a.xlsx", rows), dry_run=True)
    assert (result.ok, result.dry_run, result.created) == (True, True, 1)
    assert not Group.objects.exists()


@pytest.mark.django_db
def test_driver_rolls_back_the_whole_write_when_a_row_is_refused_while_writing(tmp_path):
    rows = [["Name", "Count"], ["One", 1], ["Refused while writing", 1]]
    result = run(workbook(tmp_path / "a.xlsx", rows))
    assert [(issue.row, issue.message) for issue in result.errors] == [
        (3, "the database refused it")
    ]
    assert result.created == 0
    assert not Group.objects.exists()


@pytest.mark.django_db
def test_driver_reports_a_refused_file_with_its_notices(tmp_path):
    result = run(workbook(tmp_path / "a.xlsx", [["Name"]], sheet="Other"))
    assert [issue.column for issue in result.errors] == ["Count"]
    assert len(result.notices) == 1
    assert "“Other”" in result.notices[0]
    assert result.sheet == ""


def test_driver_refuses_an_actor_without_the_permission(tmp_path):
    with pytest.raises(PermissionDenied):
        run(workbook(tmp_path / "a.xlsx", [["Name", "Count"]]), actor=Actor(allowed=False))
