"""Offline score sheets: an assessor's open assignments as a workbook, and its import.

The sheet has one row per active, not yet submitted assignment, one level column per
sub-criterion code (prefilled with the saved draft, else the suggested level), one comment
column per code, a general comment and a "Kirim" (submit) column. Headers are the file
format, not screen text, so they stay Indonesian in every language (as in the centres
workbook). The import checks every row and saves all of them or none (``score_sheet_import``).
"""

import re
import tempfile
from dataclasses import dataclass
from typing import IO, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ovop.common.exports import new_workbook, write_cell, write_cells
from ovop.common.workbooks.cells import is_blank
from ovop.common.workbooks.reader import Issue, SheetFormat, read_data_sheet
from ovop.evaluation.models import Assessment, Assignment, SubCriterion
from ovop.evaluation.selectors.scoring import assessment_of, own_assignments, prefilled_levels
from ovop.evaluation.services.rubric import ensure_rubric, subcriteria_of
from ovop.evaluation.services.scoring import Suggestion, suggestions_for
from ovop.proposals.enums import ProposalState

DATA_SHEET = "Penilaian"
RUBRIC_SHEET = "Rubrik"
INSTRUCTIONS_SHEET = "Petunjuk"
ASSIGNMENT_HEADER = "ID penugasan"
PROPOSAL_HEADER = "ID usulan"
CENTRE_HEADER = "Sentra"
REGENCY_HEADER = "Kabupaten/kota"
COMMENT_PREFIX = "Komentar "
GENERAL_HEADER = "Komentar umum"
SUBMIT_HEADER = "Kirim (ya/tidak)"
YES, NO = "ya", "tidak"
LEVEL_WIDTH = 7
COMMENT_WIDTH = 28


def comment_header(code: str) -> str:
    return f"{COMMENT_PREFIX}{code}"


class RubricCache:
    """Each cycle's sub-criteria (with criterion and levels), read once per cycle."""

    def __init__(self) -> None:
        self._by_cycle: dict[int, list[SubCriterion]] = {}

    def __call__(self, cycle) -> list[SubCriterion]:
        if cycle.pk not in self._by_cycle:
            self._by_cycle[cycle.pk] = subcriteria_of(ensure_rubric(cycle))
        return self._by_cycle[cycle.pk]


@dataclass
class SheetRow:
    assignment: Assignment
    subcriteria: list[SubCriterion]
    suggestions: dict[str, Suggestion]
    assessment: Assessment | None

    @property
    def levels(self) -> dict[str, int]:
        return prefilled_levels(self.assessment, self.suggestions)


def open_assignments(assessor) -> list[SheetRow]:
    """The assessor's active assignments still to score, newest cycle first."""
    rubric_of = RubricCache()
    rows = []
    assignments = own_assignments(assessor).filter(
        recused_at__isnull=True,
        assessment__submitted_at__isnull=True,
        proposal__state=ProposalState.ELIGIBLE,
    )
    for assignment in assignments:
        subcriteria = rubric_of(assignment.proposal.round.cycle)
        suggestions = suggestions_for(centre=assignment.proposal.centre, subcriteria=subcriteria)
        rows.append(SheetRow(assignment, subcriteria, suggestions, assessment_of(assignment)))
    return rows


def _codes(rows: list[SheetRow]) -> list[SubCriterion]:
    """One sub-criterion per code over every cycle in the sheet, in rubric order."""
    seen: dict[str, SubCriterion] = {}
    for row in rows:
        for sub in row.subcriteria:
            seen.setdefault(sub.code, sub)
    return list(seen.values())


def write_score_sheet(*, assessor) -> IO[bytes]:
    """The assessor's score sheet as an .xlsx file handle, positioned at the start."""
    rows = open_assignments(assessor)
    handle = tempfile.TemporaryFile()  # noqa: SIM115 — the caller's FileResponse closes it
    workbook = new_workbook(handle, constant_memory=False)
    formats = {
        "header": workbook.add_format(
            {"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#E8F5EE", "border": 1}
        ),
        "title": workbook.add_format({"bold": True, "font_size": 14}),
        "level": workbook.add_format({"align": "center", "bg_color": "#FFF9DB", "border": 1}),
        "wrap": workbook.add_format({"text_wrap": True, "valign": "top"}),
    }
    _write_data(workbook.add_worksheet(DATA_SHEET), rows, formats)
    _write_rubric(workbook.add_worksheet(RUBRIC_SHEET), rows, formats)
    _write_instructions(workbook.add_worksheet(INSTRUCTIONS_SHEET), formats)
    workbook.close()
    handle.seek(0)
    return handle


def _write_data(sheet, rows: list[SheetRow], formats) -> None:
    subs = _codes(rows)
    fixed = [ASSIGNMENT_HEADER, PROPOSAL_HEADER, CENTRE_HEADER, REGENCY_HEADER]
    headers = [
        *fixed,
        *(sub.code for sub in subs),
        *(comment_header(sub.code) for sub in subs),
        GENERAL_HEADER,
        SUBMIT_HEADER,
    ]
    write_cells(sheet, 0, 0, headers, formats["header"])
    first_level = len(fixed)
    for offset, sub in enumerate(subs):
        sheet.write_comment(0, first_level + offset, f"{sub.code} {sub.label} ({sub.weight})")
    for index, row in enumerate(rows, start=1):
        assignment = row.assignment
        proposal = assignment.proposal
        write_cell(sheet, index, 0, assignment.pk)
        write_cell(sheet, index, 1, proposal.pk)
        write_cell(sheet, index, 2, proposal.centre.name)
        write_cell(sheet, index, 3, proposal.regency.name)
        levels = row.levels
        comments = row.assessment.comments if row.assessment else {}
        for offset, sub in enumerate(subs):
            level = levels.get(sub.code)
            if level is not None:
                write_cell(sheet, index, first_level + offset, int(level), formats["level"])
            else:
                write_cell(sheet, index, first_level + offset, None, formats["level"])
            if comments.get(sub.code):
                write_cell(sheet, index, first_level + len(subs) + offset, comments[sub.code])
        general = row.assessment.general_comment if row.assessment else ""
        if general:
            write_cell(sheet, index, len(headers) - 2, general)
        write_cell(sheet, index, len(headers) - 1, NO)
    _validate(sheet, rows=len(rows), first_level=first_level, subs=subs, last=len(headers) - 1)
    sheet.set_column(0, 1, 11)
    sheet.set_column(2, 3, 24)
    sheet.set_column(first_level, first_level + len(subs) - 1, LEVEL_WIDTH)
    sheet.set_column(first_level + len(subs), len(headers) - 2, COMMENT_WIDTH)
    sheet.set_column(len(headers) - 1, len(headers) - 1, 12)
    sheet.set_row(0, 45)
    sheet.freeze_panes(1, 3)
    sheet.activate()


def _validate(sheet, *, rows: int, first_level: int, subs: list[SubCriterion], last: int) -> None:
    if not rows:
        return
    for offset, sub in enumerate(subs):
        sheet.data_validation(
            1,
            first_level + offset,
            rows,
            first_level + offset,
            {
                "validate": "integer",
                "criteria": "between",
                "minimum": 1,
                "maximum": 5,
                "input_title": sub.code[:32],
                "input_message": sub.label[:255],
                "error_title": _("Level 1 to 5")[:32],
                "error_message": _("%(code)s: type a whole level from 1 to 5.")
                % {"code": sub.code},
            },
        )
    sheet.data_validation(
        1,
        last,
        rows,
        last,
        {
            "validate": "list",
            "source": [YES, NO],
            "input_message": _("“ya” submits the assessment (final); “tidak” saves a draft."),
        },
    )


def _write_rubric(sheet, rows: list[SheetRow], formats) -> None:
    headers = [_("Cycle"), _("Code"), _("Criterion"), _("Sub-criterion"), _("Weight")]
    headers += [_("Level %(value)s") % {"value": value} for value in range(1, 6)]
    write_cells(sheet, 0, 0, headers, formats["header"])
    line = 1
    seen_cycles = set()
    for row in rows:
        cycle = row.assignment.proposal.round.cycle
        if cycle.pk in seen_cycles:
            continue
        seen_cycles.add(cycle.pk)
        for sub in row.subcriteria:
            descriptors = [level.label for level in sub.levels.all()]
            values = [str(cycle.year), sub.code, sub.criterion.label, sub.label, sub.weight]
            write_cells(sheet, line, 0, [*values, *descriptors], formats["wrap"])
            line += 1
    sheet.set_column(0, 1, 8)
    sheet.set_column(2, 3, 26)
    sheet.set_column(4, 4, 8)
    sheet.set_column(5, 9, 30)
    sheet.freeze_panes(1, 2)


def _write_instructions(sheet, formats) -> None:
    sheet.set_column(0, 0, 110)
    write_cell(sheet, 0, 0, _("How to fill in the score sheet"), formats["title"])
    lines = [
        _("1. Sheet %(sheet)s has one row per proposal you still have to score.")
        % {"sheet": DATA_SHEET},
        _(
            "2. In each column named by a sub-criterion code (K1.1 …) type a level from 1 to 5. "
            "Sheet %(sheet)s shows what every level means."
        )
        % {"sheet": RUBRIC_SHEET},
        _(
            "3. Levels already filled in are your saved draft or, where the registry implies "
            "one, the suggested level. Check each one: if you choose another level than the "
            "suggested one, say why in the comment column of that sub-criterion."
        ),
        _(
            "4. Keep the columns %(assignment)s and %(proposal)s as downloaded, and do not "
            "rename the header row or the sheet."
        )
        % {"assignment": ASSIGNMENT_HEADER, "proposal": PROPOSAL_HEADER},
        _(
            "5. Column %(submit)s: “ya” submits the assessment, after which it can no longer "
            "change; “tidak” or empty saves it as a draft."
        )
        % {"submit": SUBMIT_HEADER},
        _(
            "6. Upload the file on the screen “Import score sheet”. Every row is checked first: "
            "if one cell is wrong, nothing is saved and every problem is listed with its sheet, "
            "row and column."
        ),
    ]
    for row, line in enumerate(lines, start=2):
        write_cell(sheet, row, 0, line, formats["wrap"])


# --- Reading a filled-in sheet (the import is in score_sheet_import) ---------------------------

CODE = re.compile(r"^[a-z]+\d+(\.\d+)*$")  # casefolded sub-criterion codes: k1.1
FIXED = {
    "id penugasan": "assignment",
    "assignment": "assignment",
    "id usulan": "proposal",
    "proposal": "proposal",
    "komentar umum": "general",
    "general_comment": "general",
    "kirim (ya/tidak)": "submit",
    "kirim": "submit",
    "submit": "submit",
}


@dataclass
class SheetColumn:
    header: str  # as written in the file
    kind: str  # assignment | proposal | general | submit | level | comment
    code: str = ""  # casefolded code for level and comment columns

    @property
    def key(self) -> tuple[str, str]:
        return self.kind, self.code


@dataclass
class SheetLine:
    number: int  # Excel row number
    cells: dict[int, Any]  # column index → raw value
    errors: dict[int, str]  # column index → formula error shown in the cell


@dataclass
class ScoreSheet:
    name: str
    columns: dict[int, SheetColumn]  # column index → what it holds
    lines: list[SheetLine]  # the non-empty rows under the header
    notices: list[str]


def normalise(value: Any) -> str:
    return " ".join(str(value or "").split()).casefold()


def _column(header: Any) -> SheetColumn | None:
    text = " ".join(str(header or "").split())
    key = text.casefold()
    if key in FIXED:
        return SheetColumn(text, FIXED[key])
    if key.startswith(COMMENT_PREFIX.casefold()) and CODE.match(key[len(COMMENT_PREFIX) :]):
        return SheetColumn(text, "comment", key[len(COMMENT_PREFIX) :])
    if CODE.match(key):
        return SheetColumn(text, "level", key)
    return None  # notes and other extra columns are ignored


def _no_level_column(sheet: str, row: int, columns: dict) -> list[Issue]:
    if any(column.kind == "level" for column in columns.values()):
        return []
    message = _("Sheet “%(sheet)s” has no level column (K1.1 …); use the downloaded sheet.")
    return [Issue(sheet, row, "", message % {"sheet": sheet})]


SHEET_FORMAT = SheetFormat(
    name=DATA_SHEET,
    classify=_column,
    # The header row is the one naming the assignment ID, whatever else it holds.
    marks_header=lambda cell: FIXED.get(normalise(cell)) == "assignment",
    example_header=ASSIGNMENT_HEADER,
    no_header_column=ASSIGNMENT_HEADER,
    no_header=gettext_lazy(
        "Sheet “%(sheet)s” has no header “%(header)s” in its first %(rows)s rows; use the "
        "score sheet downloaded from ovop."
    ),
    duplicate=gettext_lazy("The header “%(header)s” appears twice; delete one of the columns."),
    check_headers=_no_level_column,
    unreadable=gettext_lazy(
        "The workbook could not be read (%(error)s); save it again as Excel Workbook (.xlsx)."
    ),
)


def read_score_sheet(file: IO[bytes], *, name: str) -> ScoreSheet:
    """The data sheet's columns and non-empty rows, or WorkbookRefused saying what is wrong."""
    sheet = read_data_sheet(file, name=name, sheet_format=SHEET_FORMAT)
    columns = {sheet.positions[key]: column for key, column in sheet.columns.items()}
    # The reader shows a cell with a formula error as empty; its XML says which error.
    errors_by_row: dict[int, dict[int, str]] = {}
    for (row, column), shown in sheet.error_cells.items():
        if column in columns:
            errors_by_row.setdefault(row + 1, {})[column] = shown
    lines = []
    for number, cells in sheet.rows:
        errors = errors_by_row.get(number, {})
        values = {position: cells[position] for position in columns if position < len(cells)}
        # Only the sheet's own columns count: a row with nothing but a note is empty.
        if errors or any(not is_blank(value) for value in values.values()):
            lines.append(SheetLine(number, values, errors))
    return ScoreSheet(sheet.name, columns, lines, sheet.notices)
