"""Helpers shared by the registry's views."""

from django.shortcuts import get_object_or_404

from ovop.centres.models import Centre
from ovop.centres.selectors import centres_visible_to
from ovop.common.permissions import require


def visible_centre(request, pk: int) -> Centre:
    """The centre if the user may see it, else 404 — whether or not it exists elsewhere."""
    return get_object_or_404(centres_visible_to(request.user), pk=pk)


def changeable_centre(request, pk: int) -> Centre:
    centre = visible_centre(request, pk)
    require(request.user, "centres.change_centre", centre)
    return centre
