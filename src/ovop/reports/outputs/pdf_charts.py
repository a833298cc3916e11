"""The annual report's charts, drawn on the server as inline SVG for WeasyPrint.

A printed page has a fixed width, so these charts are laid out for it: a label column, bars
on one scale and the value at the end of each bar (the narrow, stacked layout of
``ovop.coaching.outputs.charts`` suits a screen column, not an A4 page). Like those, every chart is
an image with a title and a description, uses presentation attributes only (no ``style=``),
escapes every text, and is printed beside a table with the same numbers.
"""

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from ovop.common.templatetags.ovop import number

WIDTH = 480
LABEL_WIDTH = 180
VALUE_ROOM = 40  # for the number printed after the longest bar
ROW_HEIGHT = 18
BAR_HEIGHT = 11
FONT_SIZE = 10
LEGEND_HEIGHT = 20
LABEL_CHARACTERS = 30
BAR_FILL = "#0b6e4f"
DOWN_FILL = "#b3261e"
CHANGE_TEXT_WIDTH = 70  # "+18,6 %" after the label
DASH = "–"
# From the most stars (darkest) to one star (lightest): distinct in print and in greyscale.
STAR_FILLS = ["#073b2a", "#0b6e4f", "#3f9874", "#85c3a6", "#cfe6da"]


@dataclass(frozen=True)
class Segment:
    name: str  # e.g. "★4"
    fill: str


def _short(label: str) -> str:
    """Long names are cut in the picture; the table beside it prints them whole."""
    if len(label) <= LABEL_CHARACTERS:
        return label
    return label[: LABEL_CHARACTERS - 1].rstrip() + "…"


def _frame(*, chart_id: str, title: str, summary: str, height: int, body: list[str]) -> SafeString:
    chart_id = escape(chart_id)
    # Every text inside is escaped here or by the caller (tested by test_security_xss).
    return mark_safe(  # noqa: S308  # nosec B308 B703
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="100%" '
        f'role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" class="report-chart">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(summary)}</desc>'
        f'<g font-family="DejaVu Sans, sans-serif" font-size="{FONT_SIZE}" fill="#000">'
        f"{''.join(body)}</g></svg>"
    )


def _scale(largest: int) -> float:
    """Drawing units per counted item, so the longest bar leaves room for its number."""
    room = WIDTH - LABEL_WIDTH - VALUE_ROOM
    return room / largest if largest > 0 else 0.0


def count_bars(
    *, chart_id: str, title: str, summary: str, rows: list[tuple[str, int]]
) -> SafeString:
    """One horizontal bar per row: its label, the bar, then the count."""
    scale = _scale(max((count for _label, count in rows), default=0))
    body = []
    for index, (label, count) in enumerate(rows):
        top = index * ROW_HEIGHT
        baseline = top + FONT_SIZE + 2
        width = round(count * scale, 1)
        body.append(f'<text x="0" y="{baseline}">{escape(_short(label))}</text>')
        if width > 0:
            body.append(
                f'<rect x="{LABEL_WIDTH}" y="{top + 2}" width="{width}" height="{BAR_HEIGHT}" '
                f'fill="{BAR_FILL}"/>'
            )
        body.append(
            f'<text x="{LABEL_WIDTH + width + 4}" y="{baseline}">{escape(number(count))}</text>'
        )
    height = max(len(rows), 1) * ROW_HEIGHT
    return _frame(chart_id=chart_id, title=title, summary=summary, height=height, body=body)


def stacked_bars(
    *,
    chart_id: str,
    title: str,
    summary: str,
    segments: list[Segment],
    rows: list[tuple[str, list[int]]],
) -> SafeString:
    """One bar per row made of a segment per series (in ``segments`` order), with a legend."""
    scale = _scale(max((sum(counts) for _label, counts in rows), default=0))
    body = []
    for index, segment in enumerate(segments):
        key_left = LABEL_WIDTH + index * 56
        body.append(
            f'<rect x="{key_left}" y="2" width="10" height="10" fill="{segment.fill}" '
            f'stroke="#000" stroke-width="0.4"/>'
            f'<text x="{key_left + 14}" y="{FONT_SIZE + 1}">{escape(segment.name)}</text>'
        )
    for index, (label, counts) in enumerate(rows):
        top = LEGEND_HEIGHT + index * ROW_HEIGHT
        baseline = top + FONT_SIZE + 2
        body.append(f'<text x="0" y="{baseline}">{escape(_short(label))}</text>')
        left = float(LABEL_WIDTH)
        for segment, count in zip(segments, counts, strict=True):
            width = round(count * scale, 1)
            if width <= 0:
                continue
            body.append(
                f'<rect x="{round(left, 1)}" y="{top + 2}" width="{width}" '
                f'height="{BAR_HEIGHT}" fill="{segment.fill}" stroke="#fff" stroke-width="0.5"/>'
            )
            left += width
        body.append(f'<text x="{round(left + 4, 1)}" y="{baseline}">{number(sum(counts))}</text>')
    height = LEGEND_HEIGHT + max(len(rows), 1) * ROW_HEIGHT
    return _frame(chart_id=chart_id, title=title, summary=summary, height=height, body=body)


def change_bars(
    *, chart_id: str, title: str, summary: str, rows: list[tuple[str, float | None, str]]
) -> SafeString:
    """Per row (label, percent, text): the label, the change as text, and a bar right of the
    zero line for growth or left of it for decline; a dash and no bar without comparable
    figures (the table beside the chart says why)."""
    largest = max((abs(percent) for _l, percent, _t in rows if percent is not None), default=0)
    bars_from = LABEL_WIDTH + CHANGE_TEXT_WIDTH
    half = (WIDTH - bars_from) / 2
    middle = bars_from + half
    body = []
    for index, (label, percent, text) in enumerate(rows):
        top = index * ROW_HEIGHT
        baseline = top + FONT_SIZE + 2
        shown = DASH if percent is None else text
        body.append(
            f'<text x="0" y="{baseline}">{escape(_short(label))}</text>'
            f'<text x="{LABEL_WIDTH}" y="{baseline}">{escape(shown)}</text>'
            f'<line x1="{middle}" y1="{top}" x2="{middle}" y2="{top + ROW_HEIGHT}" '
            f'stroke="#8a94a6" stroke-width="0.8"/>'
        )
        if not percent or not largest:
            continue
        width = round(abs(percent) / largest * (half - 1), 1)
        left = middle if percent > 0 else middle - width
        body.append(
            f'<rect x="{round(left, 1)}" y="{top + 2}" width="{width}" height="{BAR_HEIGHT}" '
            f'fill="{BAR_FILL if percent > 0 else DOWN_FILL}"/>'
        )
    height = max(len(rows), 1) * ROW_HEIGHT
    return _frame(chart_id=chart_id, title=title, summary=summary, height=height, body=body)


def _summary(pairs) -> str:
    return "; ".join(f"{label}: {text}" for label, text in pairs)


def report_charts(report) -> dict[str, SafeString | None]:
    """The three charts of an ``AnnualReport``; None where there is nothing to draw."""
    states = [(row.label, row.count) for row in report.states]
    charts: dict[str, SafeString | None] = {
        "states": count_bars(
            chart_id="annual-states",
            title=_("Proposals by state"),
            summary=_summary((label, number(count)) for label, count in states),
            rows=states,
        ),
        "stars": None,
        "indicators": None,
    }
    if report.stars_by_commodity:
        segments = [
            Segment(name=f"★{stars}", fill=STAR_FILLS[min(index, len(STAR_FILLS) - 1)])
            for index, stars in enumerate(report.star_columns)
        ]
        charts["stars"] = stacked_bars(
            chart_id="annual-stars",
            title=_("Rated sentra by commodity group and stars"),
            summary=_summary(
                (
                    row.commodity,
                    ", ".join(
                        f"★{stars}: {count}"
                        for stars, count in zip(report.star_columns, row.counts, strict=True)
                        if count
                    ),
                )
                for row in report.stars_by_commodity
            ),
            segments=segments,
            rows=[(row.commodity, row.counts) for row in report.stars_by_commodity],
        )
    if report.rollup_centres:
        charts["indicators"] = change_bars(
            chart_id="annual-indicators",
            title=_("Change since the baseline, per indicator (%)"),
            summary=_summary((row["label"], row["percent"]) for row in report.rollup),
            rows=[(row["label"], row["percent_value"], row["percent"]) for row in report.rollup],
        )
    return charts
