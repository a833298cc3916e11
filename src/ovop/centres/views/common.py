"""Helpers shared by the registry's views."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render

from ovop.centres.models import Centre
from ovop.centres.selectors import centres_visible_to
from ovop.common.permissions import require
from ovop.common.refusals import Refused


def visible_centre(request, pk: int) -> Centre:
    """The centre if the user may see it, else 404 — whether or not it exists elsewhere."""
    return get_object_or_404(centres_visible_to(request.user), pk=pk)


def changeable_centre(request, pk: int) -> Centre:
    centre = visible_centre(request, pk)
    require(request.user, "centres.change_centre", centre)
    return centre


def delete_refused(
    request, refusal: Refused, *, record, edit_url: str, back_url: str
) -> HttpResponse:
    """What still needs the record and what to do instead; 409 when a delete was attempted."""
    return render(
        request,
        "centres/delete_refused.html",
        {"object": record, "refusal": refusal, "edit_url": edit_url, "back_url": back_url},
        status=409 if request.method == "POST" else 200,
    )
