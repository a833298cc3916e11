"""What each dashboard chart draws: plain JSON specs that ``reports/dashboard.js`` turns into
Chart.js charts, and the map's points and legend for ``reports/dashboard-map.js``.

Colours live here only (charts, map markers and the legend swatches all read them). Each has
at least 3:1 contrast against the white background (WCAG 1.4.11, tested), and none carries
meaning alone: every chart has a legend and a table with the same numbers, lines also differ
by point shape, and the map has a legend, popups and a list.
"""

from django.urls import reverse
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from ovop.proposals.enums import ProposalState
from ovop.reports.selectors.dashboards import (
    NOT_PROPOSED,
    NOT_PROPOSED_LABEL,
    Compliance,
    CycleTrend,
    MapCentre,
    ProposalsByArea,
    StarsByCommodity,
)

STATE_COLOURS = {
    ProposalState.DRAFT: "#57534e",
    ProposalState.SUBMITTED: "#2563eb",
    ProposalState.RETURNED: "#c2410c",
    ProposalState.VERIFIED: "#0e7490",
    ProposalState.FORWARDED: "#6b3fa0",
    ProposalState.ELIGIBLE: "#a16207",
    ProposalState.INELIGIBLE: "#9d174d",
    ProposalState.RATED: "#15803d",
    ProposalState.NOT_RATED: "#374151",
    ProposalState.WITHDRAWN: "#b3261e",
    NOT_PROPOSED: "#767676",
}
STAR_COLOURS = {1: "#a16207", 2: "#c2410c", 3: "#2563eb", 4: "#6b3fa0", 5: "#15803d"}
SERIES_COLOURS = {
    "submitted": "#2563eb",
    "verified": "#0e7490",
    "required": "#a16207",
    "eligible": "#a16207",
    "rated": "#15803d",
    "score": "#b3261e",
    "compliant": "#15803d",
    "not_compliant": "#c2410c",
    "no_round": "#767676",
}
FALLBACK_COLOUR = "#374151"


def all_colours() -> list[str]:
    return [
        *STATE_COLOURS.values(),
        *STAR_COLOURS.values(),
        *SERIES_COLOURS.values(),
        FALLBACK_COLOUR,
    ]


def stars_label(stars: int) -> str:
    return ngettext("%(count)d star", "%(count)d stars", stars) % {"count": stars}


def state_label(state: str) -> str:
    if state == NOT_PROPOSED:
        return str(NOT_PROPOSED_LABEL)
    return str(ProposalState(state).label)


def commodity_label(name: str, name_en: str) -> str:
    return name_en if (get_language() or "id").startswith("en") else name


def _dataset(label: str, data: list, colour: str, **extra) -> dict:
    return {"label": str(label), "data": data, "colour": colour, **extra}


def _area_axis(national: bool) -> str:
    return _("Province") if national else _("Regency/city")


def proposals_chart(data: ProposalsByArea, *, national: bool) -> dict:
    """Stacked horizontal bars: one bar per area, one segment per state."""
    return {
        "type": "bar",
        "horizontal": True,
        "stacked": True,
        "labels": [row.name for row in data.rows],
        "datasets": [
            _dataset(
                state_label(state),
                [row.counts.get(state, 0) for row in data.rows],
                STATE_COLOURS.get(state, FALLBACK_COLOUR),
            )
            for state in data.states
        ],
        "axes": {"value": _("Proposals"), "category": _area_axis(national)},
    }


def compliance_chart(data: Compliance) -> dict:
    if data.provinces:
        rows = data.provinces
        return {
            "type": "bar",
            "horizontal": True,
            "stacked": True,
            "labels": [row.name for row in rows],
            "datasets": [
                _dataset(_("Compliant"), [r.compliant for r in rows], SERIES_COLOURS["compliant"]),
                _dataset(
                    _("Not yet compliant"),
                    [r.not_compliant for r in rows],
                    SERIES_COLOURS["not_compliant"],
                ),
                _dataset(
                    _("No round yet"), [r.without_round for r in rows], SERIES_COLOURS["no_round"]
                ),
            ],
            "axes": {"value": _("Regencies/cities"), "category": _("Province")},
        }
    regencies = data.regencies
    return {
        "type": "bar",
        "horizontal": True,
        "stacked": False,
        "labels": [row.name for row in regencies],
        "datasets": [
            _dataset(_("Submitted"), [r.submitted for r in regencies], SERIES_COLOURS["submitted"]),
            _dataset(_("Verified"), [r.verified for r in regencies], SERIES_COLOURS["verified"]),
            _dataset(
                _("Required (minimum)"),
                [r.required for r in regencies],
                SERIES_COLOURS["required"],
            ),
        ],
        "axes": {"value": _("Proposals"), "category": _("Regency/city")},
    }


def stars_chart(data: StarsByCommodity) -> dict:
    """Stacked vertical bars: one bar per commodity group, one segment per star count."""
    return {
        "type": "bar",
        "horizontal": False,
        "stacked": True,
        "labels": [commodity_label(row.name, row.name_en) for row in data.rows],
        "datasets": [
            _dataset(
                stars_label(stars),
                [row.counts.get(stars, 0) for row in data.rows],
                STAR_COLOURS.get(stars, FALLBACK_COLOUR),
            )
            for stars in data.scale
        ],
        "axes": {"value": _("Rated sentra"), "category": _("Commodity group")},
    }


def trends_chart(rows: list[CycleTrend]) -> dict:
    """Counts on the left axis, the mean official score (0–100) on the right."""
    years = [row.year for row in rows]
    labels = [str(row.year) if years.count(row.year) == 1 else row.name for row in rows]
    return {
        "type": "line",
        "horizontal": False,
        "stacked": False,
        "labels": labels,
        "datasets": [
            _dataset(
                _("Submitted"),
                [r.submitted for r in rows],
                SERIES_COLOURS["submitted"],
                pointStyle="circle",
            ),
            _dataset(
                _("Eligible"),
                [r.eligible for r in rows],
                SERIES_COLOURS["eligible"],
                pointStyle="rect",
            ),
            _dataset(
                _("Rated"), [r.rated for r in rows], SERIES_COLOURS["rated"], pointStyle="triangle"
            ),
            _dataset(
                _("Mean official score"),
                [r.mean_score for r in rows],
                SERIES_COLOURS["score"],
                pointStyle="rectRot",
                axis="score",
                dashed=True,
            ),
        ],
        "axes": {"value": _("Proposals"), "category": _("Cycle"), "score": _("Score (0–100)")},
    }


def map_categories(*, national: bool, statuses: list[str], scale: int) -> list[dict]:
    """The legend, in a fixed order: every state of the workflow (or every star count)."""
    if national:
        return [
            {
                "key": f"stars-{stars}",
                "label": stars_label(stars),
                "colour": STAR_COLOURS.get(stars, FALLBACK_COLOUR),
            }
            for stars in range(1, max(scale, *_stars_in(statuses)) + 1)
        ]
    keys = [NOT_PROPOSED, *ProposalState.values]
    return [
        {"key": key, "label": state_label(key), "colour": STATE_COLOURS.get(key, FALLBACK_COLOUR)}
        for key in keys
    ]


def _stars_in(statuses: list[str]) -> list[int]:
    return [0, *(int(status.split("-")[1]) for status in statuses if status.startswith("stars-"))]


def map_data(
    *, centres: list[MapCentre], categories: list[dict], tile_url: str, attribution: str
) -> dict:
    """Everything the map script needs; one reverse() for all the centres' links."""
    detail_url = reverse("centres:detail", kwargs={"pk": 0})[:-2]
    return {
        "tileUrl": tile_url,
        "attribution": attribution,
        "tileError": _(
            "The map background could not load (offline network?). "
            "The markers and the list below still work."
        ),
        "categories": {c["key"]: {"label": c["label"], "colour": c["colour"]} for c in categories},
        "points": [
            [c.latitude, c.longitude, c.name, c.regency, c.status, f"{detail_url}{c.pk}/"]
            for c in centres
            if c.latitude is not None and c.longitude is not None
        ],
    }
