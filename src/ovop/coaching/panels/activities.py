"""The coaching activities section of a centre's page (a ``centres.panels`` panel)."""

from django.http import HttpRequest

from ovop.accounts.rules import is_admin
from ovop.centres.panels import Panel
from ovop.coaching.rules import centre_in_users_region
from ovop.coaching.selectors.visibility import activities_visible_to, programmes_visible_to

# A centre page lists the newest activities; older ones stay on their programmes' pages.
ACTIVITIES_SHOWN = 50


def activities_context(user, centre) -> dict:
    """The activities the centre took part in and the programmes that target it, as far as
    the user may see them; and whether they may set up a new programme for it."""
    activities = (
        activities_visible_to(user)
        .filter(centres=centre)
        .select_related("programme")
        .order_by("-starts_on", "title", "pk")[:ACTIVITIES_SHOWN]
    )
    programmes = (
        programmes_visible_to(user)
        .filter(centres=centre)
        .select_related("owner_region")
        .order_by("-year_start", "name", "pk")
    )
    # Offices set up programmes for the sentra in their own region; the ministry for any.
    may_add = user.has_perm("coaching.add_programme") and (
        is_admin(user) or centre_in_users_region(user, centre)
    )
    return {
        "coaching_activities": list(activities),
        "coaching_programmes": list(programmes),
        "can_add_programme": may_add,
    }


def activities_panel(centre, user, request: HttpRequest) -> Panel:
    """The coaching section of the centre page; the OVOP story above it summarises the same
    context (``coaching_activities``, ``coaching_programmes``)."""
    return Panel("coaching/_centre_activities.html", activities_context(user, centre))
