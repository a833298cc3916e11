"""The table behind every dashboard chart: shown on the page and downloaded as xlsx or CSV.

One builder per section, so the accessible table and the download always carry the same
columns and numbers. Cells are raw values (numbers stay numbers in Excel); the page formats
them with ``display_rows``.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from ovop.reports.outputs.charts import commodity_label, stars_label, state_label
from ovop.reports.selectors.dashboards import (
    Compliance,
    CycleTrend,
    MapCentre,
    ProposalsByArea,
    StarsByCommodity,
)

# Section keys of the dashboard and of ``?section=`` on the export, in page order.
SECTIONS = ("proposals", "compliance", "stars", "map", "trends")
# File names of the downloads (Indonesian, like the other exports).
FILE_NAMES = {
    "proposals": "usulan-per-wilayah",
    "compliance": "kepatuhan-kuota",
    "stars": "bintang-per-komoditas",
    "map": "status-sentra",
    "trends": "tren-siklus",
}


@dataclass(frozen=True)
class Table:
    caption: str
    headers: Sequence[str]
    rows: list[list]
    row_header: int = 0  # the column that names each row (a <th scope="row"> on the page)

    def display_rows(self) -> list[list[str]]:
        """Cells as shown: grouped integers, two decimals, "–" for nothing."""
        return [[_display(cell) for cell in row] for row in self.rows]


def _display(cell) -> str:
    if cell is None or cell == "":
        return "–"
    if isinstance(cell, bool):
        return _("yes") if cell else _("no")
    if isinstance(cell, int):
        return number_format(cell, force_grouping=True)
    if isinstance(cell, float):
        return number_format(cell, decimal_pos=2, force_grouping=True)
    return str(cell)


def _yes_no(value: bool | None) -> str:
    if value is None:
        return _("no round yet")
    return _("yes") if value else _("no")


def proposals_table(data: ProposalsByArea, *, national: bool) -> Table:
    area = _("Province") if national else _("Regency/city")
    return Table(
        caption=_("Proposals per province and state")
        if national
        else _("Proposals per regency/city and state"),
        headers=[_("Code"), area, *(state_label(state) for state in data.states), _("Total")],
        rows=[
            [row.code, row.name, *(row.counts.get(state, 0) for state in data.states), row.total]
            for row in data.rows
        ],
        row_header=1,
    )


def compliance_table(data: Compliance) -> Table:
    if data.provinces:
        return Table(
            caption=_("Regencies/cities meeting the quota, per province"),
            headers=[
                _("Code"),
                _("Province"),
                _("Regencies/cities"),
                _("Compliant"),
                _("Not yet compliant"),
                _("Round opened"),
                _("Submitted"),
            ],
            rows=[
                [
                    r.code,
                    r.name,
                    r.regencies,
                    r.compliant,
                    r.not_compliant,
                    _yes_no(r.has_round),
                    r.submitted,
                ]
                for r in data.provinces
            ],
            row_header=1,
        )
    return Table(
        caption=_("Proposals submitted against the quota, per regency/city"),
        headers=[
            _("Code"),
            _("Regency/city"),
            _("Submitted"),
            _("Verified"),
            _("Required"),
            _("Compliant"),
        ],
        rows=[
            [r.regency, r.name, r.submitted, r.verified, r.required, _yes_no(r.compliant)]
            for r in data.regencies
        ],
        row_header=1,
    )


def stars_table(data: StarsByCommodity) -> Table:
    return Table(
        caption=_("Rated sentra per commodity group and stars (published decisions)"),
        headers=[_("Commodity group"), *(stars_label(s) for s in data.scale), _("Total")],
        rows=[
            [
                commodity_label(row.name, row.name_en),
                *(row.counts.get(s, 0) for s in data.scale),
                row.total,
            ]
            for row in data.rows
        ],
    )


def trends_table(rows: list[CycleTrend]) -> Table:
    return Table(
        caption=_("Proposals and results per cycle"),
        headers=[
            _("Year"),
            _("Cycle"),
            _("Submitted"),
            _("Eligible"),
            _("Rated"),
            _("Mean official score"),
        ],
        rows=[[str(r.year), r.name, r.submitted, r.eligible, r.rated, r.mean_score] for r in rows],
    )


def map_table(centres: list[MapCentre], *, national: bool, labels: dict[str, str]) -> Table:
    """Every centre of the map, with or without coordinates."""
    headers = [
        _("Sentra"),
        _("Regency/city"),
        *([_("Province")] if national else []),
        _("Stars") if national else _("Status"),
        _("Latitude"),
        _("Longitude"),
    ]
    return Table(
        caption=_("Rated sentra of the cycle")
        if national
        else _("Sentra and their proposal state in the cycle"),
        headers=headers,
        rows=[
            [
                c.name,
                c.regency,
                *([c.province] if national else []),
                labels.get(c.status, c.status),
                _coordinate(c.latitude),
                _coordinate(c.longitude),
            ]
            for c in centres
        ],
    )


def _coordinate(value: float | None) -> str:
    # Text, not a number: a decimal point in every language (as on the centre pages).
    return "" if value is None else f"{value:.6f}".rstrip("0").rstrip(".")
