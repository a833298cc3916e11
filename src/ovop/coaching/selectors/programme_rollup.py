"""The progress section of a programme's page: its centres' changes rolled up.

Per metric, ``rollup`` sums (or averages, for the market reach level) the baseline and the
latest actual figure over the programme's target centres that have both, so the totals
compare like with like. The indicators of all those centres are read in one query, and only
those of centres the user may see: a programme run nationally may coach centres elsewhere.
"""

from typing import TypedDict, cast

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from ovop.accounts.models import User
from ovop.centres.models import Centre
from ovop.centres.selectors import centres_visible_to
from ovop.coaching.models import Programme
from ovop.coaching.outputs.charts import Change as ChartRow
from ovop.coaching.outputs.charts import percent_change_chart
from ovop.coaching.outputs.figures import (
    format_delta,
    format_metric,
    format_percent,
    percent_of,
)
from ovop.coaching.selectors.indicators import changes_by_centre
from ovop.coaching.services.indicators import Rollup, rollup


class RollupRow(TypedDict):
    """One metric's line of the progress table (``_row``)."""

    field: str
    label: str
    how: str
    how_label: str
    centres: int
    baseline_value: float | None
    latest_value: float | None
    delta_value: float | None
    percent_value: float | None
    baseline: str
    latest: str
    delta: str
    percent: str


def rollup_context(
    user: User | AnonymousUser, programme: Programme
) -> dict[str, dict[str, object]]:
    """``programme_rollup`` for ``coaching/_programme_rollup.html``; the page has already
    checked that ``user`` sees ``programme``."""
    targets = programme.centres.all()
    target_count = targets.count()
    visible_count = centres_visible_to(user).filter(programmes=programme).count()
    # A values("pk") subquery for ``centre__in``; changes_by_centre's signature names plain
    # centre querysets only.
    centre_ids = cast("QuerySet[Centre]", targets.values("pk"))
    rows = rollup(changes_by_centre(user=user, centres=centre_ids))
    shown = [_row(row) for row in rows]
    summary = "; ".join(f"{row['label']}: {row['percent']}" for row in shown)
    chart = percent_change_chart(
        chart_id=f"programme-{programme.pk}-rollup",
        title=_("Change since the baseline, per indicator (%)"),
        summary=summary,
        rows=[ChartRow(row["label"], row["percent_value"], row["percent"]) for row in shown],
    )
    return {
        "programme_rollup": {
            "rows": shown,
            "chart": chart,
            "target_count": target_count,
            "visible_count": visible_count,
            "hidden_count": target_count - visible_count,
            "counted_any": any(row.centres for row in rows),
        }
    }


def _row(row: Rollup) -> RollupRow:
    percent = percent_of(row.delta, row.baseline)
    return {
        "field": row.field,
        "label": row.label,
        "how": row.how,
        "how_label": _("mean") if row.how == "mean" else _("total"),
        "centres": row.centres,
        "baseline_value": row.baseline,
        "latest_value": row.latest,
        "delta_value": row.delta,
        "percent_value": percent,
        "baseline": format_metric(row.field, row.baseline),
        "latest": format_metric(row.field, row.latest),
        "delta": format_delta(row.field, row.delta),
        "percent": format_percent(percent) if row.centres else _("no comparable figures"),
    }
