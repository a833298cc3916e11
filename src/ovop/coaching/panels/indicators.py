"""The indicators (before/after) section of a centre's page.

Everything shown is prepared here in one pass over the centre's rows (one query), so the
template only prints strings: the yearly table, the change per metric and its chart.
"""

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from ovop.centres.enums import SalesChannel
from ovop.centres.panels import Panel
from ovop.coaching.enums import IndicatorKind
from ovop.coaching.models import Indicator
from ovop.coaching.outputs.charts import Bar, before_after_chart
from ovop.coaching.outputs.figures import (
    DASH,
    format_delta,
    format_metric,
    format_percent,
)
from ovop.coaching.selectors.indicators import centre_indicators
from ovop.coaching.services.indicators import Change, changes_for
from ovop.common.templatetags.ovop import number, rupiah

CHANNEL_LABELS = dict(SalesChannel.choices)


def indicators_context(user, centre) -> dict:
    """``indicator_section`` for ``coaching/_centre_indicators.html``; the page has already
    checked that ``user`` sees ``centre``."""
    rows = centre_indicators(user=user, centre=centre)
    can_change = user.has_perm("coaching.change_indicators", centre)
    unit = capacity_unit(rows)
    changes = changes_for(rows)
    baseline = next((row for row in rows if row.kind == IndicatorKind.BASELINE), None)
    baseline_year = baseline.year if baseline else None
    section = {
        "rows": [_table_row(row, can_change=can_change) for row in rows],
        "changes": [
            _change_row(change, centre=centre, unit=unit, baseline_year=baseline_year)
            for change in changes
        ],
        # Years as text: the template would group 2024 as "2.024" in Indonesian.
        "baseline_year": str(baseline_year) if baseline_year else "",
        "has_change": any(change.delta is not None for change in changes),
        "can_change": can_change,
        "export_url": f"{reverse('coaching:indicator_export')}?centre={centre.pk}",
    }
    if can_change:
        create_url = reverse("coaching:indicator_create", kwargs={"centre_pk": centre.pk})
        section["create_url"] = create_url
        section["prefill_url"] = f"{create_url}?prefill=registry"
    if user.has_perm("coaching.import_indicators"):
        section["import_url"] = reverse("coaching:indicator_import")
    return {"indicator_section": section}


def indicators_panel(centre, user, request: HttpRequest) -> Panel:
    """The indicators section of the centre page (``centres.panels``)."""
    return Panel("coaching/_centre_indicators.html", indicators_context(user, centre))


def capacity_unit(rows: list[Indicator]) -> str:
    """The unit of the newest capacity figure; the charts compare figures in that unit."""
    for row in sorted(rows, key=lambda row: row.year, reverse=True):
        if row.capacity_unit and row.capacity_value is not None:
            return row.capacity_unit
    return ""


def _workers(row: Indicator) -> str:
    if row.worker_count is None:
        return DASH
    return _("%(total)s (%(men)s men, %(women)s women)") % {
        "total": number(row.worker_count),
        "men": number(row.workers_male),
        "women": number(row.workers_female),
    }


def _table_row(row: Indicator, *, can_change: bool) -> dict:
    capacity = DASH
    if row.capacity_value is not None:
        capacity = format_metric(
            "capacity_value", float(row.capacity_value), unit=row.capacity_unit
        )
    return {
        "year": str(row.year),
        "kind": row.get_kind_display(),
        "kind_code": row.kind,
        "capacity": capacity,
        "production_value": rupiah(row.production_value),
        "workers": _workers(row),
        "market_reach": row.get_market_reach_display() or DASH,
        "certificates_held": number(row.certificates_held),
        "export_value": rupiah(row.export_value),
        "export_destinations": row.export_destinations or DASH,
        "sales_channels": ", ".join(str(CHANNEL_LABELS.get(c, c)) for c in row.sales_channels)
        or DASH,
        "note": row.display_note,
        "edit_url": reverse("coaching:indicator_edit", kwargs={"pk": row.pk}) if can_change else "",
    }


def _change_row(change: Change, *, centre, unit: str, baseline_year: int | None) -> dict:
    baseline = format_metric(change.field, change.baseline, unit=unit)
    latest = format_metric(change.field, change.latest, unit=unit)
    target = format_metric(change.field, change.target, unit=unit)
    delta = format_delta(change.field, change.delta, unit=unit)
    percent = format_percent(change.percent)
    latest_label = (
        _("Latest actual (%(year)s)") % {"year": change.latest_year}
        if change.latest_year
        else _("Latest actual")
    )
    baseline_label = pgettext("indicator", "Baseline")
    if baseline_year:
        baseline_label = f"{baseline_label} ({baseline_year})"
    bars = [
        Bar(baseline_label, change.baseline, baseline, "baseline"),
        Bar(latest_label, change.latest, latest, "actual"),
    ]
    if change.target is not None:
        bars.append(Bar(pgettext("indicator", "Target"), change.target, target, "target"))
    summary = _(
        "%(metric)s: baseline %(baseline)s; latest actual %(latest)s; target %(target)s; "
        "change %(delta)s (%(percent)s)."
    ) % {
        "metric": change.label,
        "baseline": baseline,
        "latest": latest,
        "target": target,
        "delta": delta,
        "percent": percent,
    }
    return {
        "field": change.field,
        "label": change.label,
        "baseline": baseline,
        "latest": latest,
        "latest_year": str(change.latest_year) if change.latest_year else "",
        "target": target,
        "delta": delta,
        "percent": percent,
        "direction": _direction(change.delta),
        "summary": summary,
        "chart": before_after_chart(
            chart_id=f"indicator-{centre.pk}-{change.field}",
            title=change.label,
            summary=summary,
            bars=bars,
        ),
    }


def _direction(delta: float | None) -> str:
    if delta is None or delta == 0:
        return ""
    return "up" if delta > 0 else "down"
