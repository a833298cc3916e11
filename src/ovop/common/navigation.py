"""The role-aware main menu. Each app adds its entries here as it grows."""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise  # typing only: django-stubs is a dev dependency


@dataclass(frozen=True)
class NavItem:
    label: "StrOrPromise"  # translated when the menu is drawn
    url_name: str
    permission: str | None = None  # a rules permission the user must hold, or None


ITEMS = [
    NavItem(_("Home"), "home"),
    NavItem(_("Sentra IKM"), "centres:list"),
    NavItem(_("Proposals"), "proposals:list"),
    NavItem(_("Evaluation"), "evaluation:index", "evaluation.view_results"),
    NavItem(_("My assessments"), "evaluation:my_assignments", "evaluation.my_assignments"),
    NavItem(_("Coaching"), "coaching:programme_list", "coaching.view"),
    NavItem(_("Catalogue"), "catalogue:manage", "catalogue.view_entries"),
    NavItem(_("Dashboards"), "reports:dashboard", "reports.view_dashboard"),
    NavItem(_("Regions"), "regions:list"),
    NavItem(_("Users"), "accounts:user_list", "accounts.list_users"),
    NavItem(_("Commodities"), "centres:commodity_list", "centres.manage_commodities"),
    NavItem(_("API"), "api-docs"),
]


def items_for(user, *, current_namespace: str = "", current_name: str = "") -> list[dict]:
    if not user.is_authenticated:
        return []
    items = []
    for item in ITEMS:
        if item.permission is not None and not user.has_perm(item.permission):
            continue
        namespace, _sep, _name = item.url_name.rpartition(":")
        active = (namespace and namespace == current_namespace) or item.url_name == current_name
        items.append({"label": item.label, "url": reverse(item.url_name), "active": active})
    return items
