"""Assessor screens: the ministry's list and profiles with declared conflicts, and an
assessor's own declarations. Declared links are hard conflicts for assignment."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ovop.accounts.enums import Role
from ovop.accounts.models import User
from ovop.centres.models import CommodityGroup
from ovop.common.exports import export_response
from ovop.common.permissions import require
from ovop.common.refusals import Refused
from ovop.evaluation.forms.setup import AssessorProfileForm, ConflictForm
from ovop.evaluation.models import AssessorProfile, ConflictDeclaration
from ovop.evaluation.selectors.setup import (
    assessors_with_load,
    assignments_of_assessor,
    conflict_candidates,
    declarations_of,
    latest_cycle,
)
from ovop.evaluation.services.assignment import declare_conflict, save_profile
from ovop.evaluation.services.setup import delete_conflict


def _profile(user) -> AssessorProfile | None:
    return getattr(user, "assessor_profile", None)


def _expertise(user) -> list[str]:
    profile = _profile(user)
    return [str(group) for group in profile.expertise.all()] if profile else []


def _list_filters(request) -> dict:
    expertise = request.GET.get("expertise", "")
    return {
        "q": request.GET.get("q", "").strip(),
        "expertise": int(expertise) if expertise.isdigit() else None,
    }


@login_required
def assessor_list(request):
    require(request.user, "evaluation.manage")
    filters = _list_filters(request)
    cycle = latest_cycle()
    queryset = assessors_with_load(cycle=cycle, text=filters["q"], expertise=filters["expertise"])
    if request.GET.get("format") in ("csv", "xlsx"):
        return _export(request, queryset)
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    rows = [{"user": user, "expertise": _expertise(user)} for user in page]
    return render(
        request,
        "evaluation/assessor_list.html",
        {
            "page": page,
            "rows": rows,
            "filters": filters,
            "cycle": cycle,
            "groups": CommodityGroup.objects.order_by("position", "name"),
        },
    )


def _export(request, queryset):
    headers = [
        _("Username"),
        _("Name"),
        _("Home province"),
        _("Organisation"),
        _("Expertise"),
        _("Active load in the latest cycle"),
        _("Declared conflicts"),
        _("Active"),
    ]
    rows = (
        (
            user.username,
            user.get_full_name(),
            user.region.name if user.region_id else "",
            user.organisation,
            ", ".join(_expertise(user)),
            user.load,
            user.conflict_count,
            _("yes") if user.is_active else _("no"),
        )
        for user in queryset.iterator(chunk_size=500)
    )
    return export_response(
        file_format=request.GET["format"], base_name="penilai", headers=headers, rows=rows
    )


def _assessor(request, user_pk: int) -> User:
    require(request.user, "evaluation.manage")
    return get_object_or_404(
        User.objects.filter(role=Role.ASSESSOR).select_related("region"), pk=user_pk
    )


def _assignment_rows(assessor) -> list[dict]:
    rows = []
    for assignment in assignments_of_assessor(assessor):
        assessment = getattr(assignment, "assessment", None)
        if assignment.recused_at is not None:
            status = _("recused: %(reason)s") % {"reason": assignment.recusal_reason}
        elif assessment is not None and assessment.is_submitted:
            status = _("submitted")
        elif assessment is not None:
            status = _("draft")
        else:
            status = _("not started")
        rows.append({"assignment": assignment, "status": status})
    return rows


def _search_context(request) -> dict:
    query = request.GET.get("q", "").strip()
    centres, enterprises = conflict_candidates(query)
    return {"q": query, "centres": centres, "enterprises": enterprises}


@login_required
def assessor_edit(request, user_pk: int):
    assessor = _assessor(request, user_pk)
    profile = AssessorProfile.objects.filter(user=assessor).first()
    chosen = list(profile.expertise.all()) if profile else []
    initial = {"organisation": assessor.organisation, "expertise": chosen}
    form = AssessorProfileForm(request.POST or None, chosen=chosen, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            save_profile(
                user=assessor,
                organisation=form.cleaned_data["organisation"],
                expertise=form.cleaned_data["expertise"],
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("Profile of %(name)s saved.") % {"name": assessor})
            return redirect("evaluation:assessor_edit", user_pk=assessor.pk)
    return render(
        request,
        "evaluation/assessor_form.html",
        {
            "assessor": assessor,
            "form": form,
            "declarations": declarations_of(assessor),
            "assignments": _assignment_rows(assessor),
            "add_url": reverse("evaluation:conflict_add", kwargs={"user_pk": assessor.pk}),
            **_search_context(request),
        },
    )


def _declare(request, assessor) -> bool:
    """Declare the posted link for ``assessor``; messages say what happened."""
    form = ConflictForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(str(error) for error in errors))
        return False
    try:
        declaration = declare_conflict(
            assessor=assessor,
            actor=request.user,
            note=form.cleaned_data["note"],
            centre=form.cleaned_data["centre"],
            enterprise=form.cleaned_data["enterprise"],
        )
    except Refused as error:
        messages.error(request, error.message)
        return False
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return False
    messages.success(
        request,
        _("Link declared with %(name)s.") % {"name": declaration.enterprise or declaration.centre},
    )
    return True


def _back(url: str, request) -> str:
    query = request.POST.get("q", "").strip()
    return f"{url}?{urlencode({'q': query})}" if query else url


@login_required
@require_POST
def conflict_add(request, user_pk: int):
    assessor = _assessor(request, user_pk)
    _declare(request, assessor)
    url = reverse("evaluation:assessor_edit", kwargs={"user_pk": assessor.pk})
    return redirect(_back(url, request))


@login_required
@require_POST
def conflict_delete(request, pk: int):
    require(request.user, "evaluation.manage")
    declaration = get_object_or_404(ConflictDeclaration.objects.select_related("assessor"), pk=pk)
    try:
        delete_conflict(declaration=declaration, actor=request.user)
    except Refused as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Declared link removed."))
    return redirect("evaluation:assessor_edit", user_pk=declaration.assessor_id)


@login_required
def my_conflicts(request):
    """An assessor declares their own links; only the ministry admin can remove one."""
    require(request.user, "evaluation.my_assignments")
    if request.method == "POST":
        _declare(request, request.user)
        return redirect(_back(reverse("evaluation:my_conflicts"), request))
    return render(
        request,
        "evaluation/my_conflicts.html",
        {
            "declarations": declarations_of(request.user),
            "add_url": reverse("evaluation:my_conflicts"),
            **_search_context(request),
        },
    )
