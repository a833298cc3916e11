"""Indicator figures as people read them: Rp 1.250.000, 1.200 lembar, "4 – National".

Shared by the centre page section, the programme rollup and the charts, so a value reads the
same everywhere. Formats follow the active language (Indonesian grouping by default).
"""

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from ovop.centres.enums import MARKET_REACH_ORDER, MarketReach
from ovop.common.templatetags.ovop import rupiah

MONEY_METRICS = frozenset({"production_value", "export_value"})
DASH = "–"


def _number(value: float, *, places: int = 0) -> str:
    return number_format(value, decimal_pos=places, force_grouping=True)


def _places(value: float) -> int:
    """No decimals for whole numbers, two (capacity has sen-like precision) otherwise."""
    return 0 if float(value).is_integer() else 2


def reach_label(level: float) -> str:
    """A market reach level 1..5 as its name; a mean (3.4) as the number alone."""
    if float(level).is_integer() and 1 <= level <= len(MARKET_REACH_ORDER):
        label = MarketReach(MARKET_REACH_ORDER[int(level) - 1]).label
        return f"{int(level)} – {label}"
    return _number(level, places=1)


def format_metric(field: str, value: float | None, *, unit: str = "") -> str:
    """One metric's value for display; ``unit`` follows a production capacity."""
    if value is None:
        return DASH
    if field in MONEY_METRICS:
        return rupiah(round(value))
    if field == "market_reach_level":
        return reach_label(value)
    text = _number(value, places=_places(value))
    return f"{text} {unit}".strip() if field == "capacity_value" else text


def format_delta(field: str, delta: float | None, *, unit: str = "") -> str:
    """A change with its sign: +Rp 250.000.000, −3 workers, +1 level."""
    if delta is None:
        return DASH
    sign = "+" if delta > 0 else ("−" if delta < 0 else "±")
    size = abs(delta)
    if field in MONEY_METRICS:
        return f"{sign}{rupiah(round(size))}"
    if field == "market_reach_level":  # levels; a change of means has one decimal
        return f"{sign}{_number(size, places=0 if float(size).is_integer() else 1)}"
    text = _number(size, places=_places(size))
    return f"{sign}{text} {unit}".strip() if field == "capacity_value" else f"{sign}{text}"


def format_percent(percent: float | None) -> str:
    if percent is None:
        return DASH
    sign = "+" if percent > 0 else ("−" if percent < 0 else "±")
    return _("%(sign)s%(value)s %%") % {"sign": sign, "value": _number(abs(percent), places=1)}


def percent_of(delta: float | None, baseline: float | None) -> float | None:
    if delta is None or not baseline:
        return None
    return delta / baseline * 100
