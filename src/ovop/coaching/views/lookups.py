"""Lookups shared by the programme and activity screens: 404 when not visible, then 403."""

from django.shortcuts import get_object_or_404

from ovop.centres.selectors import centres_visible_to
from ovop.coaching.enums import Focus, Principle
from ovop.coaching.models import Activity, Evidence, Programme
from ovop.coaching.selectors.visibility import activities_visible_to, programmes_visible_to
from ovop.common.permissions import require

CHANGE = "coaching.change_programme"


def visible_programme(request, pk: int) -> Programme:
    return get_object_or_404(
        programmes_visible_to(request.user).select_related("owner_region", "created_by"), pk=pk
    )


def changeable_programme(request, pk: int) -> Programme:
    programme = visible_programme(request, pk)
    require(request.user, CHANGE, programme)
    return programme


def visible_activity(request, pk: int) -> Activity:
    return get_object_or_404(
        activities_visible_to(request.user).select_related("programme__owner_region", "created_by"),
        pk=pk,
    )


def changeable_activity(request, pk: int) -> Activity:
    activity = visible_activity(request, pk)
    require(request.user, CHANGE, activity.programme)
    return activity


def visible_evidence(request, pk: int) -> Evidence:
    return get_object_or_404(
        Evidence.objects.filter(activity__in=activities_visible_to(request.user)).select_related(
            "activity__programme"
        ),
        pk=pk,
    )


def mark_visible(user, centres) -> list:
    """Flag each centre the user may open (a programme can reach beyond their area)."""
    centres = list(centres)
    ids = set(
        centres_visible_to(user)
        .filter(pk__in=[centre.pk for centre in centres])
        .values_list("pk", flat=True)
    )
    for centre in centres:
        centre.is_visible = centre.pk in ids
    return centres


def focus_labels(values) -> list[str]:
    labels = dict(Focus.choices)
    return [str(labels.get(value, value)) for value in values]


def principle_labels(values) -> list[str]:
    labels = dict(Principle.choices)
    return [str(labels.get(value, value)) for value in values]


def form_errors_from(form, error, *, renamed: dict | None = None) -> None:
    """Put a service's ValidationError beside the form's fields (or above the form)."""
    renamed = renamed or {}
    for field, messages in error.message_dict.items():
        target = renamed.get(field, field)
        form.add_error(target if target in form.fields else None, messages)
