"""Screens for Bimtek for officials: the events, their attendees, and how the kab/kota fared.

Events are fetched through ``bimtek_visible_to`` (404 when not visible) before the named
rule is checked (403 when visible but not changeable).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ovop.coaching.forms.bimtek import AttendeeForm, BimtekForm
from ovop.coaching.models import BimtekAttendance, BimtekEvent
from ovop.coaching.selectors.bimtek import (
    attendees_of,
    bimtek_afterwards,
    bimtek_years,
    search_bimtek,
)
from ovop.coaching.selectors.visibility import bimtek_visible_to
from ovop.coaching.services.bimtek import add_attendee, remove_attendee, save_bimtek
from ovop.common.exports import export_response
from ovop.common.permissions import require

EXPORT_FORMATS = ("csv", "xlsx")


def _filters(request) -> dict:
    year = request.GET.get("year", "").strip()
    plausible = year.isdigit() and 2000 <= int(year) <= 2100  # the model's own bounds
    return {"q": request.GET.get("q", "").strip(), "year": year if plausible else ""}


@login_required
def bimtek_list(request):
    filters = _filters(request)
    queryset = search_bimtek(
        user=request.user, text=filters["q"], year=int(filters["year"]) if filters["year"] else None
    )
    if request.GET.get("format") in EXPORT_FORMATS:
        return _export_events(request.GET["format"], queryset)
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "coaching/bimtek_list.html",
        {
            "page": page,
            "filters": filters,
            "years": bimtek_years(user=request.user),
            "can_add": request.user.has_perm("coaching.add_bimtek"),
        },
    )


def _export_events(file_format: str, queryset):
    national = _("National")
    rows = (
        (
            e.pk,
            e.held_on,
            e.title,
            e.province_id or "",
            e.province.name if e.province else national,
            e.place,
            e.topic,
            e.attendee_count,
            e.regency_count,
        )
        for e in queryset.iterator(chunk_size=1000)
    )
    headers = [
        _("ID"),
        _("Held on"),
        _("Title"),
        _("Province code"),
        _("Province"),
        _("Place"),
        _("Topic"),
        _("Attendees"),
        _("Regencies/cities attending"),
    ]
    return export_response(file_format=file_format, base_name="bimtek", headers=headers, rows=rows)


def _visible(request, pk: int) -> BimtekEvent:
    return get_object_or_404(bimtek_visible_to(request.user).select_related("province"), pk=pk)


def _save(request, form, event: BimtekEvent) -> BimtekEvent | None:
    try:
        saved = save_bimtek(actor=request.user, event=event)
    except ValidationError as error:
        _form_errors(form, error)
        return None
    messages.success(request, _("%(title)s saved.") % {"title": saved.title})
    return saved


def _form_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@login_required
def bimtek_create(request):
    require(request.user, "coaching.add_bimtek")
    form = BimtekForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        saved = _save(request, form, form.instance)
        if saved:
            return redirect("coaching:bimtek_detail", pk=saved.pk)
    return render(request, "coaching/bimtek_form.html", {"form": form})


@login_required
def bimtek_edit(request, pk: int):
    event = _visible(request, pk)
    require(request.user, "coaching.change_bimtek", event)
    form = BimtekForm(request.POST or None, instance=event, actor=request.user)
    if request.method == "POST" and form.is_valid():
        saved = _save(request, form, form.instance)
        if saved:
            return redirect("coaching:bimtek_detail", pk=saved.pk)
    return render(request, "coaching/bimtek_form.html", {"form": form, "event": event})


@login_required
def bimtek_detail(request, pk: int):
    event = _visible(request, pk)
    if request.GET.get("format") in EXPORT_FORMATS:
        if request.GET.get("table") == "regencies":
            return _export_regencies(request, event)
        return _export_attendees(request.GET["format"], event)
    return _render_detail(request, event)


def _render_detail(request, event: BimtekEvent, form: AttendeeForm | None = None):
    can_change = request.user.has_perm("coaching.change_bimtek", event)
    if can_change and form is None:
        form = AttendeeForm(event=event)
    afterwards = bimtek_afterwards(event=event, user=request.user)
    return render(
        request,
        "coaching/bimtek_detail.html",
        {
            "event": event,
            "attendees": list(attendees_of(event=event)),
            "afterwards": afterwards,
            "groups": [
                (_("Attended"), afterwards.attending),
                (_("Did not attend"), afterwards.absent),
            ],
            "can_change": can_change,
            "form": form if can_change else None,
        },
    )


def _export_attendees(file_format: str, event: BimtekEvent):
    rows = (
        (a.name, a.position, a.regency_id, a.regency.name, a.user.username if a.user else "")
        for a in attendees_of(event=event)
    )
    headers = [
        _("Name"),
        _("Position"),
        _("Regency/city code"),
        _("Regency/city"),
        _("Operator account"),
    ]
    return export_response(
        file_format=file_format, base_name=f"bimtek-{event.pk}-peserta", headers=headers, rows=rows
    )


def _export_regencies(request, event: BimtekEvent):
    afterwards = bimtek_afterwards(event=event, user=request.user)
    yes, no = _("yes"), _("no")
    rows = (
        (
            r.code,
            r.name,
            yes if r.attended else no,
            r.attendee_count,
            r.outcome.submitted,
            r.outcome.returned,
            r.outcome.verified,
            r.outcome.rated,
        )
        for r in afterwards.rows
    )
    headers = [
        _("Code"),
        _("Regency/city"),
        _("Attended"),
        _("Attendees"),
        _("Submitted"),
        _("Returned at least once"),
        _("Verified or further"),
        _("Rated"),
    ]
    return export_response(
        file_format=request.GET["format"],
        base_name=f"bimtek-{event.pk}-kabupaten-kota",
        headers=headers,
        rows=rows,
    )


@login_required
@require_POST
def bimtek_attendee_add(request, pk: int):
    event = _visible(request, pk)
    require(request.user, "coaching.change_bimtek", event)
    form = AttendeeForm(request.POST, event=event)
    if form.is_valid():
        data = form.cleaned_data
        try:
            add_attendee(
                actor=request.user,
                event=event,
                name=data["name"],
                position=data["position"],
                regency=data["regency"],
                user=data["user"],
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("%(name)s added.") % {"name": data["name"]})
            return redirect("coaching:bimtek_detail", pk=event.pk)
    return _render_detail(request, event, form=form)


@login_required
@require_POST
def bimtek_attendee_remove(request, pk: int):
    attendance = get_object_or_404(
        BimtekAttendance.objects.filter(event__in=bimtek_visible_to(request.user)).select_related(
            "event"
        ),
        pk=pk,
    )
    require(request.user, "coaching.change_bimtek", attendance.event)
    remove_attendee(actor=request.user, attendance=attendance)
    messages.success(request, _("%(name)s removed.") % {"name": attendance.name})
    return redirect("coaching:bimtek_detail", pk=attendance.event_id)
