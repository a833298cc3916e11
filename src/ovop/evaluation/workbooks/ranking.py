"""The ranking as an xlsx workbook: the ranked rows, and every assessor's levels.

Two sheets, so ``ovop.common.exports``'s one-sheet table is not enough; the same approach is
used: xlsxwriter in constant-memory mode into a temporary file that the response streams,
every cell written by ``ovop.common.exports.write_cell`` (a centre's name stays text).
"""

import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import IO

from django.http import FileResponse
from django.utils.translation import gettext as _

from ovop.common.exports import (
    Progress,
    export_name,
    new_workbook,
    write_cell,
    write_cells,
    xlsx_response,
)
from ovop.evaluation.enums import DecisionStatus, RankingMethod
from ovop.evaluation.selectors.results import CycleResults, Row, assessor_levels

PROGRESS_EVERY = 500  # lines between two progress reports of a background export


def _decision_text(row: Row) -> str:
    if not row.decision_status:
        return ""
    if row.decision_stars is None:
        return str(_("not rated"))
    return str(row.decision_stars)


def ranking_headers(results: CycleResults) -> list[str]:
    method_label = RankingMethod(results.method).label
    return [
        _("Rank"),
        _("Proposal ID"),
        _("Sentra"),
        _("Regency/city"),
        _("Province"),
        _("Commodity group"),
        _("Score (0–100)"),
        str(method_label),
        _("Stars"),
        _("Decision (stars)"),
        _("Decision status"),
        _("Keeps star band"),
        _("Keeps top %(n)s") % {"n": results.rubric.top_n},
        _("Disagreement"),
    ]


def ranking_values(row: Row) -> list:
    status = DecisionStatus(row.decision_status).label if row.decision_status else ""
    return [
        row.rank,
        row.proposal_id,
        row.centre_name,
        row.regency_name,
        row.province_name,
        row.commodity,
        round(row.score, 2),
        round(row.method_score, 4),
        row.stars,
        _decision_text(row),
        str(status),
        row.keeps_band,
        row.keeps_top,
        str(_("yes")) if row.disagreement else str(_("no")),
    ]


def _write_ranking(workbook, results: CycleResults, rows: Sequence[Row], bold, progress) -> int:
    sheet = workbook.add_worksheet(str(_("Ranking"))[:31])
    two = workbook.add_format({"num_format": "0.00"})
    four = workbook.add_format({"num_format": "0.0000"})
    percent = workbook.add_format({"num_format": "0%"})
    formats = {6: two, 7: four, 11: percent, 12: percent}
    write_cells(sheet, 0, 0, [str(h) for h in ranking_headers(results)], bold)
    for number, row in enumerate(rows, start=1):
        for column, value in enumerate(ranking_values(row)):
            if value is None:
                continue
            write_cell(sheet, number, column, value, formats.get(column))
        progress(number)
    sheet.freeze_panes(1, 3)
    return len(rows)


def _write_assessors(workbook, results: CycleResults, rows: Sequence[Row], bold, progress) -> int:
    """One line per submitted assessment: the levels per sub-criterion and their total."""
    sheet = workbook.add_worksheet(str(_("Per assessor"))[:31])
    two = workbook.add_format({"num_format": "0.00"})
    headers = [_("Proposal ID"), _("Sentra"), _("Assessor"), *results.codes, _("Total")]
    write_cells(sheet, 0, 0, [str(h) for h in headers], bold)
    line = 1
    submitted = assessor_levels(row.proposal_id for row in rows)
    for row in rows:
        for username, levels in submitted.get(row.proposal_id, {}).items():
            values = [row.proposal_id, row.centre_name, username]
            values += [levels.get(code, "") for code in results.codes]
            write_cells(sheet, line, 0, values)
            write_cell(sheet, line, len(values), round(row.assessor_totals[username], 2), two)
            progress(line)
            line += 1
    sheet.freeze_panes(1, 3)
    return line - 1


@dataclass
class RankingExport:
    """The two-sheet ranking workbook, as an export source's content (see common.exports)."""

    results: CycleResults
    rows: Sequence[Row]

    @property
    def base_name(self) -> str:
        return f"peringkat-{self.results.cycle.year}-{self.results.method}"

    def total(self) -> int:
        """Lines of both sheets: one per ranked row, one per submitted assessment."""
        return len(self.rows) + sum(len(row.assessor_totals) for row in self.rows)

    def write(self, handle: IO[bytes], *, progress: Progress | None = None) -> int:
        def every(offset: int) -> Callable[[int], None]:
            def report(line: int) -> None:
                if progress is not None and line % PROGRESS_EVERY == 0:
                    progress(offset + line)

            return report

        workbook = new_workbook(handle)
        bold = workbook.add_format({"bold": True})
        ranked = _write_ranking(workbook, self.results, self.rows, bold, every(0))
        lines = _write_assessors(workbook, self.results, self.rows, bold, every(len(self.rows)))
        workbook.close()
        return ranked + lines

    def response(self, file_format: str = "xlsx") -> FileResponse:
        handle = tempfile.TemporaryFile()  # noqa: SIM115 — FileResponse closes it when sent
        self.write(handle)
        handle.seek(0)
        return xlsx_response(handle, filename=f"{export_name(self.base_name)}.xlsx")


def ranking_workbook_response(*, results: CycleResults, rows: Sequence[Row]) -> FileResponse:
    return RankingExport(results=results, rows=rows).response()
