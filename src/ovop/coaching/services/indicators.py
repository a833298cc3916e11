"""Indicators per centre per year: the baseline taken at selection, actuals and targets."""

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ovop.accounts.models import User
from ovop.centres.enums import MARKET_REACH_ORDER
from ovop.centres.models import Centre, Certificate, Enterprise
from ovop.coaching.enums import IndicatorKind
from ovop.coaching.models import Indicator
from ovop.coaching.outputs import notes

# The figures compared before/after, in display order: (field, label, how to combine).
METRICS = [
    ("capacity_value", gettext_lazy("Production capacity"), "sum"),
    ("production_value", gettext_lazy("Production value (Rp/year)"), "sum"),
    ("worker_count", gettext_lazy("Workers"), "sum"),
    ("market_reach_level", gettext_lazy("Market reach level (1 local – 5 export)"), "mean"),
    ("certificates_held", gettext_lazy("Certificates held"), "sum"),
    ("export_value", gettext_lazy("Export value (Rp/year)"), "sum"),
]


def metric_value(indicator: Indicator, field: str) -> float | None:
    if field == "worker_count":
        return indicator.worker_count
    if field == "market_reach_level":
        if not indicator.market_reach:
            return None
        return MARKET_REACH_ORDER.index(indicator.market_reach) + 1
    value = getattr(indicator, field)
    return None if value is None else float(value)


def registry_snapshot(centre: Centre, *, on: date | None = None) -> dict[str, object]:
    """The centre's figures as the registry records them today."""
    today = on or timezone.localdate()
    enterprises = list(
        Enterprise.objects.filter(centre=centre).values_list(
            "export_destinations", "sales_channels"
        )
    )
    certificates = Certificate.objects.filter(enterprise__centre=centre).exclude(
        expires_on__lt=today
    )
    destinations = sorted(
        {d.strip() for text, _c in enterprises for d in text.split(",") if d.strip()}
    )
    channels = sorted({channel for _t, chosen in enterprises for channel in chosen or []})
    return {
        "capacity_value": centre.capacity_value,
        "capacity_unit": centre.capacity_unit,
        "production_value": centre.production_value,
        "workers_male": centre.workers_male,
        "workers_female": centre.workers_female,
        "market_reach": centre.market_reach,
        "certificates_held": certificates.count(),
        "export_destinations": ", ".join(destinations)[:300],
        "sales_channels": channels,
    }


@transaction.atomic
def capture_baselines(
    *,
    centre_ids: Collection[int],
    year: int,
    note: str = "",
    note_key: str = "",
    note_params: Mapping[str, Any] | None = None,
) -> int:
    """The baseline of each centre that has none yet, from the registry; answers how many.

    A centre keeps its first baseline: rated again in a later cycle, it is still measured
    against where it stood when it was first selected.

    Its note is best given as ``note_key`` (in ``coaching.outputs.notes``) with ``note_params``, so
    each reader sees it in their language; a plain ``note`` is stored as given.
    """
    params = dict(note_params or {})
    if note_key and not note:
        with translation.override(settings.LANGUAGE_CODE):  # the stored fallback
            note = notes.note_text(note_key, params)
    existing = set(
        Indicator.objects.filter(centre_id__in=centre_ids, kind=IndicatorKind.BASELINE).values_list(
            "centre_id", flat=True
        )
    )
    created = 0
    for centre in Centre.objects.filter(pk__in=set(centre_ids) - existing):
        Indicator.objects.create(
            centre=centre,
            year=year,
            kind=IndicatorKind.BASELINE,
            note=note[:300],
            note_key=note_key,
            note_params=params,
            **registry_snapshot(centre),
        )
        created += 1
    return created


INDICATOR_FIELDS = [
    "capacity_value",
    "capacity_unit",
    "production_value",
    "workers_male",
    "workers_female",
    "market_reach",
    "certificates_held",
    "export_value",
    "export_destinations",
    "sales_channels",
    "note",
]


@transaction.atomic
def save_indicator(
    *,
    actor: User,
    centre: Centre,
    year: int,
    kind: str,
    data: Mapping[str, object],
    reason: str = "",
) -> Indicator:
    """Record one year's figures; a baseline is corrected only with a reason (audited)."""
    indicator = Indicator.objects.filter(centre=centre, year=year, kind=kind).first()
    if kind == IndicatorKind.BASELINE and not reason.strip():
        raise ValidationError({"note": _("A baseline is changed only with a reason.")})
    if (
        kind == IndicatorKind.BASELINE
        and indicator is None
        and centre.indicators.filter(kind=IndicatorKind.BASELINE).exists()
    ):
        raise ValidationError(
            {
                "year": _(
                    "This sentra already has a baseline (in another "
                    "year); correct that one instead."
                )
            }
        )
    indicator = indicator or Indicator(centre=centre, year=year, kind=kind)
    _apply(indicator, data)
    indicator._change_reason = reason.strip()
    indicator.full_clean()
    indicator.save()
    return indicator


def _apply(indicator: Indicator, data: Mapping[str, object]) -> None:
    """Set the figures given. A system note sent back as shown (in either wording) keeps
    its key; any other note is the person's own and clears it."""
    note_kept = bool(indicator.note_key) and data.get("note") in (
        indicator.note,
        indicator.display_note,
    )
    for field in INDICATOR_FIELDS:
        if field in data and not (field == "note" and note_kept):
            setattr(indicator, field, data[field])
    if "note" in data and not note_kept:
        indicator.note_key, indicator.note_params = "", {}


@dataclass(frozen=True)
class Change:
    field: str
    label: str
    baseline: float | None
    latest: float | None
    latest_year: int | None
    target: float | None

    @property
    def delta(self) -> float | None:
        if self.baseline is None or self.latest is None:
            return None
        return self.latest - self.baseline

    @property
    def percent(self) -> float | None:
        if self.delta is None or not self.baseline:
            return None
        return self.delta / self.baseline * 100


def changes_for(indicators: list[Indicator]) -> list[Change]:
    """Baseline → latest actual (and the latest target) per metric, for one centre's rows."""
    baseline = next((i for i in indicators if i.kind == IndicatorKind.BASELINE), None)
    actuals = sorted(
        (i for i in indicators if i.kind == IndicatorKind.ACTUAL), key=lambda i: i.year
    )
    targets = sorted(
        (i for i in indicators if i.kind == IndicatorKind.TARGET), key=lambda i: i.year
    )
    changes = []
    for field, label, _how in METRICS:
        latest = next((a for a in reversed(actuals) if metric_value(a, field) is not None), None)
        target = next((t for t in reversed(targets) if metric_value(t, field) is not None), None)
        changes.append(
            Change(
                field=field,
                label=str(label),
                baseline=metric_value(baseline, field) if baseline else None,
                latest=metric_value(latest, field) if latest else None,
                latest_year=latest.year if latest else None,
                target=metric_value(target, field) if target else None,
            )
        )
    return changes


@dataclass(frozen=True)
class Rollup:
    field: str
    label: str
    how: str  # "sum" or "mean"
    centres: int  # centres with both a baseline and a later actual for this metric
    baseline: float | None
    latest: float | None
    delta: float | None


def rollup(changes_by_centre: dict[int, list[Change]]) -> list[Rollup]:
    """A programme's progress: per metric, the sum (or mean) over its centres' changes.

    Only centres with both a baseline and an actual count, so the totals compare like
    with like.
    """
    rows = []
    for index, (field, label, how) in enumerate(METRICS):
        # (baseline, latest) of the centres with both, i.e. whose change has a delta.
        pairs = [
            (change.baseline, change.latest)
            for changes in changes_by_centre.values()
            if (change := changes[index]).baseline is not None and change.latest is not None
        ]
        if not pairs:
            rows.append(Rollup(field, str(label), how, 0, None, None, None))
            continue
        base: float = sum(before for before, _after in pairs)
        latest: float = sum(after for _before, after in pairs)
        if how == "mean":
            base, latest = base / len(pairs), latest / len(pairs)
        rows.append(Rollup(field, str(label), how, len(pairs), base, latest, latest - base))
    return rows


def as_decimal(value: object) -> Decimal | None:
    return None if value is None else Decimal(str(value))
