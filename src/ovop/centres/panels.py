"""Sections that the apps above centres add to a centre's page.

The registry sits below coaching and reports and may not import them, yet the page shows the
coaching given to the sentra, its indicators and its OVOP story. So each of those apps
registers a panel from its ``AppConfig.ready()``: a function that, for one reader, answers the
template to include and the context it needs, or ``None`` when there is nothing to show.

A panel goes into one of the page's places (``SLOTS``), in ``order`` within it. Its context is
merged into the page's, as the sections always read it (``story``, ``coaching_activities``…),
so two panels may not give the same name.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

from ovop.accounts.models import User
from ovop.centres.models import Centre

# Right under the facts (the OVOP story), and after the registry's own records, before the
# history (coaching).
AFTER_FACTS = "after_facts"
BEFORE_HISTORY = "before_history"
SLOTS = (AFTER_FACTS, BEFORE_HISTORY)


@dataclass(frozen=True)
class Panel:
    template: str
    context: dict[str, Any]


PanelFunction = Callable[[Centre, User | AnonymousUser, HttpRequest], Panel | None]


@dataclass(frozen=True)
class _Registration:
    order: int
    slot: str
    function: PanelFunction


_registered: dict[str, _Registration] = {}


def register_panel(key: str, order: int, fn: PanelFunction, *, slot: str = BEFORE_HISTORY) -> None:
    """Add a section to every centre's page. Registering ``key`` again replaces it, so a
    second ``ready()`` does not show it twice."""
    if slot not in SLOTS:
        raise ImproperlyConfigured(f"Centre panel {key!r}: unknown slot {slot!r}.")
    _registered[key] = _Registration(order=order, slot=slot, function=fn)


def unregister_panel(key: str) -> None:
    _registered.pop(key, None)


def panels_for(
    *, centre: Centre, user: User | AnonymousUser, request: HttpRequest
) -> tuple[dict[str, list[str]], dict[str, Any]]:
    """The templates of each slot, in order, and their merged context, for a reader who may
    see ``centre`` (the page checked)."""
    templates: dict[str, list[str]] = {slot: [] for slot in SLOTS}
    context: dict[str, Any] = {}
    ranked = sorted(_registered.items(), key=lambda item: (item[1].order, item[0]))
    for key, registration in ranked:
        panel = registration.function(centre, user, request)
        if panel is None:
            continue
        clash = context.keys() & panel.context.keys()
        if clash:
            raise ImproperlyConfigured(f"Centre panel {key!r} repeats {sorted(clash)}.")
        context.update(panel.context)
        templates[registration.slot].append(panel.template)
    return templates, context
