"""Importing a filled-in score sheet, all or nothing.

The file is checked by its content (an .xlsx is a zip holding ``xl/workbook.xml``, as every
import in ``ovop.common.workbooks``), read with python-calamine, and every row is checked: the
assignment must be the caller's, active and not yet submitted; each row then goes through
``save_assessment`` inside one transaction. If any row has a problem the transaction is
rolled back and every problem is listed as sheet / row / column; a check-only run is rolled
back too. A row identical to what the sheet was downloaded with is left alone.
"""

from dataclasses import dataclass, field
from typing import IO, Any, ClassVar

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from ovop.common.refusals import Refused
from ovop.common.workbooks.cells import FORMULA_ERRORS, is_blank
from ovop.common.workbooks.importing import ImportResult, ImportRun, Problems, WorkbookImport
from ovop.evaluation.models import Assignment
from ovop.evaluation.selectors.scoring import assessment_of, own_assignments, prefilled_levels
from ovop.evaluation.services.scoring import save_assessment, suggestions_for
from ovop.evaluation.workbooks.score_sheet import (
    ASSIGNMENT_HEADER,
    COMMENT_PREFIX,
    NO,
    PROPOSAL_HEADER,
    SUBMIT_HEADER,
    YES,
    RubricCache,
    ScoreSheet,
    SheetColumn,
    SheetLine,
    normalise,
    read_score_sheet,
)

YES_WORDS = {YES, "y", "yes", "true", "1", "kirim"}
NO_WORDS = {NO, "t", "n", "no", "false", "0", "draf", "draft"}


@dataclass
class SavedRow:
    row: int
    assignment_id: int
    centre: str
    submitted: bool


@dataclass
class SheetImportResult(ImportResult):
    drafts: int = 0
    submitted: int = 0
    unchanged: int = 0
    saved: list[SavedRow] = field(default_factory=list)
    plan_fields: ClassVar[tuple[str, ...]] = ("drafts", "submitted", "unchanged", "saved")


def import_score_sheet(*, actor, file: IO[bytes], dry_run: bool) -> SheetImportResult:
    """Check every row of the caller's score sheet; save all rows or, on any error, none."""
    return SCORE_SHEET_IMPORT.run(actor=actor, file=file, dry_run=dry_run)


def _check(run: ImportRun[ScoreSheet], result: SheetImportResult) -> None:
    """Saves every row as it checks it: ``save_assessment`` is the check of a row's levels;
    the driver rolls the saves back when any row has a problem, and on a check-only run."""
    _Importer(actor=run.actor, columns=run.sheet.columns, problems=run.problems, result=result).run(
        run.sheet.lines
    )


SCORE_SHEET_IMPORT = WorkbookImport(
    permission="evaluation.my_assignments",
    result=SheetImportResult,
    read=lambda file, name: read_score_sheet(file, name=name),
    check=_check,
    # Problems are listed in the order of the file's own columns.
    column_order=lambda sheet: {column.header: p for p, column in sheet.columns.items()},
)


class _Importer:
    def __init__(
        self,
        *,
        actor,
        columns: dict[int, SheetColumn],
        problems: Problems,
        result: SheetImportResult,
    ):
        self.actor = actor
        self.columns = columns
        self.problems = problems
        self.result = result
        self.rubric_of = RubricCache()
        self.header_of = {(c.kind, c.code): c.header for c in columns.values()}

    def problem(self, row: SheetLine, column: str, message: str) -> None:
        self.problems.at(row.number, column, message)

    def run(self, rows: list[SheetLine]) -> None:
        identifiers = {row.number: self._identifier(row) for row in rows}
        wanted = {pk for pk in identifiers.values() if pk}
        mine = {a.pk: a for a in own_assignments(self.actor).filter(pk__in=wanted)}
        first_row: dict[int, int] = {}
        for row in rows:
            pk = identifiers[row.number]
            if pk is None:
                continue
            if pk in first_row:
                self.problem(
                    row,
                    ASSIGNMENT_HEADER,
                    _("Assignment %(id)s is already on row %(row)s; keep one row per assignment.")
                    % {"id": pk, "row": first_row[pk]},
                )
                continue
            first_row[pk] = row.number
            assignment = self._usable(row, pk, mine.get(pk))
            if assignment is not None:
                self._apply(row, assignment)

    def _cell(self, row: SheetLine, kind: str, code: str = "") -> tuple[Any, str | None]:
        """(raw value, formula error) of the row's cell in the column of ``kind``/``code``."""
        for position, column in self.columns.items():
            if column.kind == kind and column.code == code:
                error = row.errors.get(position)
                value = row.cells.get(position)
                if error is None and isinstance(value, str) and value.strip() in FORMULA_ERRORS:
                    error = value.strip()
                return value, error
        return None, None

    def _formula_problem(self, row: SheetLine, header: str, error: str) -> None:
        self.problem(
            row,
            header,
            _("The cell shows the formula error %(error)s; type the value itself.")
            % {"error": error},
        )

    def _identifier(self, row: SheetLine) -> int | None:
        value, error = self._cell(row, "assignment")
        if error:
            self._formula_problem(row, ASSIGNMENT_HEADER, error)
            return None
        number = _whole_number(value)
        if number is None and is_blank(value):
            self.problem(
                row,
                ASSIGNMENT_HEADER,
                _("Empty; keep the assignment ID from the downloaded sheet on every row."),
            )
        elif number is None:
            self.problem(
                row,
                ASSIGNMENT_HEADER,
                _("“%(value)s” is not an assignment ID; keep the ID from the downloaded sheet.")
                % {"value": "" if value is None else value},
            )
        return number

    def _usable(self, row: SheetLine, pk: int, assignment: Assignment | None) -> Assignment | None:
        """The row's assignment when the caller may still score it; else a problem, None."""
        if assignment is None:
            self.problem(
                row,
                ASSIGNMENT_HEADER,
                _(
                    "Assignment %(id)s is not one of yours; keep the ID from the sheet you "
                    "downloaded, or delete the row."
                )
                % {"id": pk},
            )
            return None
        centre = assignment.proposal.centre.name
        if assignment.recused_at is not None:
            self.problem(
                row,
                ASSIGNMENT_HEADER,
                _("You recused from assignment %(id)s (%(centre)s); delete the row.")
                % {"id": pk, "centre": centre},
            )
            return None
        assessment = assessment_of(assignment)
        if assessment is not None and assessment.is_submitted:
            when = formats.date_format(timezone.localtime(assessment.submitted_at), "DATE_FORMAT")
            self.problem(
                row,
                ASSIGNMENT_HEADER,
                _(
                    "Your assessment of %(centre)s (assignment %(id)s) was submitted on %(date)s "
                    "and can no longer change; delete the row."
                )
                % {"centre": centre, "id": pk, "date": when},
            )
            return None
        proposal_cell, _error = self._cell(row, "proposal")
        proposal_id = _whole_number(proposal_cell)
        if not is_blank(proposal_cell) and proposal_id != assignment.proposal_id:
            self.problem(
                row,
                PROPOSAL_HEADER,
                _(
                    "Assignment %(id)s is for proposal %(proposal)s, not “%(value)s”; rows may "
                    "have been mixed up — download the sheet again."
                )
                % {
                    "id": pk,
                    "proposal": assignment.proposal_id,
                    "value": proposal_id if proposal_id is not None else proposal_cell,
                },
            )
            return None
        return assignment

    def _levels_and_comments(
        self, row: SheetLine, codes: dict[str, str]
    ) -> tuple[dict[str, int | str], dict[str, str], bool]:
        """The row's levels and comments by sub-criterion code, and whether a cell failed."""
        levels: dict[str, int | str] = {}
        comments: dict[str, str] = {}
        failed = False
        for (kind, code), header in self.header_of.items():
            if kind not in ("level", "comment"):
                continue
            value, error = self._cell(row, kind, code)
            if error:
                self._formula_problem(row, header, error)
                failed = True
            elif is_blank(value):
                continue
            elif code not in codes:
                self.problem(
                    row,
                    header,
                    _("%(code)s is not a sub-criterion of this proposal's cycle; leave it empty.")
                    % {"code": header.removeprefix(COMMENT_PREFIX)},
                )
                failed = True
            elif kind == "level":
                levels[codes[code]] = _level(value)
            else:
                comments[codes[code]] = str(value).strip()
        return levels, comments, failed

    def _apply(self, row: SheetLine, assignment: Assignment) -> None:
        proposal = assignment.proposal
        subcriteria = self.rubric_of(proposal.round.cycle)
        codes = {sub.code.casefold(): sub.code for sub in subcriteria}
        levels, comments, failed = self._levels_and_comments(row, codes)
        general, _error = self._cell(row, "general")
        general = "" if is_blank(general) else str(general).strip()
        submit = self._submit(row)
        failed = failed or submit is None
        suggestions = suggestions_for(centre=proposal.centre, subcriteria=subcriteria)
        assessment = assessment_of(assignment)
        if (
            not failed
            and not submit
            and _unchanged(assessment, suggestions, levels, comments, general)
        ):
            self.result.unchanged += 1
            return
        # A row with a bad cell still goes through the service, so that every problem of the
        # row is listed at once; the problems already found roll the whole import back.
        try:
            save_assessment(
                assignment=assignment,
                actor=self.actor,
                levels=levels,
                comments=comments,
                general_comment=general,
                submit=bool(submit),
            )
        except Refused as error:
            self._refused(row, error)
            return
        if failed or submit is None:  # failed already covers an unreadable submit cell
            return
        self.result.saved.append(SavedRow(row.number, assignment.pk, proposal.centre.name, submit))
        if submit:
            self.result.submitted += 1
        else:
            self.result.drafts += 1

    def _submit(self, row: SheetLine) -> bool | None:
        value, error = self._cell(row, "submit")
        if error:
            self._formula_problem(row, SUBMIT_HEADER, error)
            return None
        if isinstance(value, bool):
            return value
        word = normalise("" if value is None else value).removesuffix(".0")
        if word in YES_WORDS:
            return True
        if word in NO_WORDS or not word:
            return False
        self.problem(
            row,
            self.header_of.get(("submit", ""), SUBMIT_HEADER),
            _(
                "Write “%(yes)s” to submit the assessment or “%(no)s” to save a draft, not "
                "“%(value)s”."
            )
            % {"yes": YES, "no": NO, "value": value},
        )
        return None

    def _refused(self, row: SheetLine, error: Refused) -> None:
        if not error.errors:
            self.problem(row, ASSIGNMENT_HEADER, error.message)
            return
        for code, message in error.errors.items():
            header = self.header_of.get(("level", code.casefold()), code)
            self.problem(row, header, message)


def _whole_number(value: Any) -> int | None:
    if isinstance(value, bool) or is_blank(value):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    text = str(value).strip()
    return int(text) if text.isdigit() else None


def _level(value: Any) -> int | str:
    """A whole number as int; anything else as text, for the service to refuse by name."""
    number = _whole_number(value)
    return number if number is not None else str(value).strip()


def _unchanged(assessment, suggestions, levels, comments, general) -> bool:
    """Whether the row is exactly what the sheet was downloaded with."""
    before = prefilled_levels(assessment, suggestions)
    return (
        levels == {code: int(level) for code, level in before.items()}
        and comments == (assessment.comments if assessment else {})
        and general == (assessment.general_comment if assessment else "")
    )
