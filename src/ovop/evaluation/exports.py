"""The ranking as an xlsx workbook: the ranked rows, and every assessor's levels.

Two sheets, so ``ovop.common.exports`` (one sheet) is not enough; the same approach is used:
xlsxwriter in constant-memory mode into a temporary file that the response streams.
"""

import tempfile

import xlsxwriter
from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from ovop.evaluation.enums import DecisionStatus, RankingMethod
from ovop.evaluation.results import CycleResults, Row

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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


def _write_ranking(workbook, results: CycleResults, rows: list[Row], bold) -> None:
    sheet = workbook.add_worksheet(str(_("Ranking"))[:31])
    two = workbook.add_format({"num_format": "0.00"})
    four = workbook.add_format({"num_format": "0.0000"})
    percent = workbook.add_format({"num_format": "0%"})
    formats = {6: two, 7: four, 11: percent, 12: percent}
    sheet.write_row(0, 0, [str(h) for h in ranking_headers(results)], bold)
    for number, row in enumerate(rows, start=1):
        for column, value in enumerate(ranking_values(row)):
            if value is None:
                continue
            sheet.write(number, column, value, formats.get(column))
    sheet.freeze_panes(1, 3)


def _write_assessors(workbook, results: CycleResults, rows: list[Row], bold) -> None:
    """One line per submitted assessment: the levels per sub-criterion and their total."""
    sheet = workbook.add_worksheet(str(_("Per assessor"))[:31])
    two = workbook.add_format({"num_format": "0.00"})
    headers = [_("Proposal ID"), _("Sentra"), _("Assessor"), *results.codes, _("Total")]
    sheet.write_row(0, 0, [str(h) for h in headers], bold)
    line = 1
    for row in rows:
        for username, levels in row.assessor_levels.items():
            values = [row.proposal_id, row.centre_name, username]
            values += [levels.get(code, "") for code in results.codes]
            sheet.write_row(line, 0, values)
            sheet.write(line, len(values), round(row.assessor_totals[username], 2), two)
            line += 1
    sheet.freeze_panes(1, 3)


def ranking_workbook_response(*, results: CycleResults, rows: list[Row]) -> FileResponse:
    handle = tempfile.TemporaryFile()  # noqa: SIM115 — FileResponse closes it when sent
    workbook = xlsxwriter.Workbook(handle, {"constant_memory": True, "in_memory": False})
    bold = workbook.add_format({"bold": True})
    _write_ranking(workbook, results, rows, bold)
    _write_assessors(workbook, results, rows, bold)
    workbook.close()
    handle.seek(0)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    name = f"peringkat-{results.cycle.year}-{results.method}-{stamp}.xlsx"
    return FileResponse(handle, as_attachment=True, filename=name, content_type=XLSX_CONTENT_TYPE)
