"""Small charts drawn on the server as inline SVG: no JavaScript, nothing to load.

Colours and sizes are SVG presentation attributes (``fill``, ``font-size``), which a strict
Content Security Policy allows, unlike ``style=`` attributes. Every chart is an image with a
title and a description (``role="img"``) and stands beside a table with the same numbers.
Labels and values arrive formatted; this module only lays them out.
"""

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH = 300
ROW_HEIGHT = 36  # a label line and a bar under it
BAR_HEIGHT = 12
FONT_SIZE = 12
TONES = {
    "baseline": {"fill": "#8a94a6"},
    "actual": {"fill": "#0b6e4f"},
    # A target is a goal, not a measurement: drawn as an outline.
    "target": {"fill": "none", "stroke": "#1d4f91", "stroke-width": "2", "stroke-dasharray": "4 3"},
    "up": {"fill": "#0b6e4f"},
    "down": {"fill": "#b3261e"},
}


@dataclass(frozen=True)
class Bar:
    label: str  # e.g. "Baseline 2024"
    value: float | None  # None: nothing recorded, no bar
    text: str  # the value as shown, e.g. "Rp 1.250.000.000"
    tone: str  # a key of TONES


def _attributes(tone: str) -> str:
    return " ".join(f'{name}="{value}"' for name, value in TONES[tone].items())


def _frame(*, chart_id: str, title: str, summary: str, height: int, body: list[str]) -> SafeString:
    chart_id = escape(chart_id)
    # Every text inside is escaped above or below (tested by test_security_xss).
    return mark_safe(  # noqa: S308  # nosec B308 B703
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="100%" '
        f'role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" class="indicator-chart">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(summary)}</desc>'
        f'<g font-size="{FONT_SIZE}" fill="currentColor">{"".join(body)}</g></svg>'
    )


def _bar_width(value: float, largest: float, room: float) -> float:
    if largest <= 0 or value <= 0:
        return 0.0
    return round(room * value / largest, 1)


def before_after_chart(*, chart_id: str, title: str, summary: str, bars: list[Bar]) -> SafeString:
    """Horizontal bars on one scale from zero: baseline, latest actual, target."""
    largest = max((bar.value for bar in bars if bar.value is not None), default=0)
    room = WIDTH - 2  # keeps the target's outline inside the picture
    body = []
    for index, bar in enumerate(bars):
        top = index * ROW_HEIGHT
        body.append(
            f'<text x="0" y="{top + FONT_SIZE}">{escape(bar.label)}: {escape(bar.text)}</text>'
        )
        if bar.value is None:
            continue
        width = max(_bar_width(bar.value, largest, room), 1.0)  # a zero still shows a sliver
        body.append(
            f'<rect x="1" y="{top + FONT_SIZE + 5}" width="{width}" height="{BAR_HEIGHT}" '
            f'rx="2" {_attributes(bar.tone)}/>'
        )
    height = max(len(bars), 1) * ROW_HEIGHT
    return _frame(chart_id=chart_id, title=title, summary=summary, height=height, body=body)


@dataclass(frozen=True)
class Change:
    label: str  # the metric
    percent: float | None  # None: no comparable figures
    text: str  # e.g. "+12,5 %" or "no comparable figures"


def percent_change_chart(
    *, chart_id: str, title: str, summary: str, rows: list[Change]
) -> SafeString:
    """Bars growing right (increase) or left (decrease) from a middle line, one per metric."""
    largest = max((abs(row.percent) for row in rows if row.percent is not None), default=0)
    middle = WIDTH / 2
    room = middle - 1
    body = []
    for index, row in enumerate(rows):
        top = index * ROW_HEIGHT
        body.append(
            f'<text x="0" y="{top + FONT_SIZE}">{escape(row.label)}: {escape(row.text)}</text>'
        )
        # The zero line, under the label: growth grows right of it, decline left.
        body.append(
            f'<line x1="{middle}" y1="{top + FONT_SIZE + 3}" x2="{middle}" '
            f'y2="{top + FONT_SIZE + 7 + BAR_HEIGHT}" stroke="#8a94a6" stroke-width="1"/>'
        )
        if row.percent is None:
            continue
        width = max(_bar_width(abs(row.percent), largest, room), 1.0)
        left = middle if row.percent >= 0 else middle - width
        tone = "up" if row.percent >= 0 else "down"
        body.append(
            f'<rect x="{round(left, 1)}" y="{top + FONT_SIZE + 5}" width="{width}" '
            f'height="{BAR_HEIGHT}" rx="2" {_attributes(tone)}/>'
        )
    height = max(len(rows), 1) * ROW_HEIGHT
    return _frame(chart_id=chart_id, title=title, summary=summary, height=height, body=body)
