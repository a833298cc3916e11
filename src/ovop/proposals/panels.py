"""Sections that the apps above proposals add to a proposal's page.

Proposals may not import them (evaluation shows the decision and the assessor's way in), so
each registers a panel from its ``AppConfig.ready()``: a template of its own and a function
giving that template its context for one reader, or ``None`` when the reader has nothing to
see there. The page includes the panels in the order they were registered.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ovop.accounts.models import User
from ovop.proposals.models import Proposal

PanelContext = Callable[[Proposal, User], dict[str, Any] | None]


@dataclass(frozen=True)
class Panel:
    template: str
    context: dict[str, Any]


_registered: dict[str, PanelContext] = {}


def register_panel(*, template: str, context: PanelContext) -> None:
    """Add a section to every proposal's page (again under one template: replaced, so a
    second ``ready()`` does not show it twice)."""
    _registered[template] = context


def panels_for(proposal: Proposal, user: User) -> list[Panel]:
    """The sections ``user`` sees on ``proposal``'s page; the caller checked visibility."""
    panels = []
    for template, context in _registered.items():
        values = context(proposal, user)
        if values is not None:
            panels.append(Panel(template=template, context=values))
    return panels
