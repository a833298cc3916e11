"""Screens for a programme's activities and their evidence (photos, attendance, reports)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ovop.centres.models import Enterprise
from ovop.coaching.enums import EvidenceKind
from ovop.coaching.forms.programmes import ActivityForm, EvidenceForm
from ovop.coaching.models import Activity
from ovop.coaching.selectors.history import change_log
from ovop.coaching.services.programmes import save_activity
from ovop.coaching.services.programmes_evidence import (
    add_evidence,
    delete_evidence,
    evidence_content_type,
    evidence_download_name,
)
from ovop.coaching.services.programmes_removal import delete_activity
from ovop.coaching.views.lookups import (
    CHANGE,
    changeable_activity,
    changeable_programme,
    focus_labels,
    form_errors_from,
    mark_visible,
    visible_activity,
    visible_evidence,
)
from ovop.common.permissions import require


def _save(request, form: ActivityForm) -> Activity | None:
    try:
        return save_activity(
            actor=request.user,
            activity=form.instance,
            centres=form.cleaned_data["centres"],
            enterprises=form.cleaned_data["enterprises"],
        )
    except ValidationError as error:
        form_errors_from(form, error)
        return None


@login_required
def activity_create(request, programme_pk: int):
    programme = changeable_programme(request, programme_pk)
    form = ActivityForm(
        request.POST or None,
        instance=Activity(programme=programme),
        actor=request.user,
        programme=programme,
    )
    if request.method == "POST" and form.is_valid():
        activity = _save(request, form)
        if activity is not None:
            messages.success(request, _("Activity saved. Add its evidence below."))
            return redirect("coaching:activity_detail", pk=activity.pk)
    return render(
        request,
        "coaching/activity_form.html",
        {"form": form, "programme": programme, "activity": None},
    )


@login_required
def activity_edit(request, pk: int):
    activity = changeable_activity(request, pk)
    form = ActivityForm(
        request.POST or None, instance=activity, actor=request.user, programme=activity.programme
    )
    if request.method == "POST" and form.is_valid() and _save(request, form) is not None:
        messages.success(request, _("Changes saved."))
        return redirect("coaching:activity_detail", pk=activity.pk)
    return render(
        request,
        "coaching/activity_form.html",
        {"form": form, "programme": activity.programme, "activity": activity},
    )


def _detail_page(request, activity: Activity, *, evidence_form=None):
    can_change = request.user.has_perm(CHANGE, activity.programme)
    centres = mark_visible(
        request.user, activity.centres.select_related("regency").order_by("name", "pk")
    )
    enterprises = activity.enterprises.order_by("name", "pk")
    by_centre: dict[int, list[Enterprise]] = {}
    for enterprise in enterprises:
        by_centre.setdefault(enterprise.centre_id, []).append(enterprise)
    for centre in centres:
        centre.participating_units = by_centre.get(centre.pk, [])
    if can_change and evidence_form is None:
        evidence_form = EvidenceForm(initial={"kind": EvidenceKind.ATTENDANCE})
    return render(
        request,
        "coaching/activity_detail.html",
        {
            "activity": activity,
            "programme": activity.programme,
            "centres": centres,
            "focus": focus_labels(activity.focus),
            "evidence": activity.evidence.select_related("uploaded_by"),
            "can_change": can_change,
            "evidence_form": evidence_form if can_change else None,
            "history": change_log(activity),
        },
    )


@login_required
def activity_detail(request, pk: int):
    return _detail_page(request, visible_activity(request, pk))


@login_required
@require_POST
def activity_delete(request, pk: int):
    activity = changeable_activity(request, pk)
    programme_pk, title = activity.programme_id, activity.title
    delete_activity(actor=request.user, activity=activity)
    messages.success(request, _("%(name)s deleted.") % {"name": title})
    return redirect("coaching:programme_detail", pk=programme_pk)


@login_required
@require_POST
def evidence_upload(request, pk: int):
    activity = changeable_activity(request, pk)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            add_evidence(
                actor=request.user,
                activity=activity,
                upload=form.cleaned_data["file"],
                kind=form.cleaned_data["kind"],
                title=form.cleaned_data["title"],
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("Evidence added."))
            return redirect("coaching:activity_detail", pk=activity.pk)
    # Errors beside the fields, on the activity's page; nothing was stored.
    return _detail_page(request, activity, evidence_form=form)


@login_required
@require_http_methods(["GET", "HEAD"])
def evidence_file(request, pk: int):
    evidence = visible_evidence(request, pk)
    try:
        handle = evidence.file.open("rb")
    except (FileNotFoundError, ValueError) as error:
        raise Http404 from error  # the row outlived its file
    # PDFs always download (a PDF opened inside our origin could run script in some viewers);
    # re-encoded photos open in the browser.
    response = FileResponse(
        handle,
        content_type=evidence_content_type(evidence),
        as_attachment=evidence.kind != EvidenceKind.PHOTO,
        filename=evidence_download_name(evidence),
    )
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, private=True, max_age=3600)
    return response


@login_required
@require_POST
def evidence_delete(request, pk: int):
    evidence = visible_evidence(request, pk)
    require(request.user, CHANGE, evidence.activity.programme)
    delete_evidence(actor=request.user, evidence=evidence)
    messages.success(request, _("Evidence deleted."))
    return redirect("coaching:activity_detail", pk=evidence.activity_id)
