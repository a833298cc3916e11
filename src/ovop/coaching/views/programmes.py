"""Screens for coaching programmes: list (search, filters, export), detail, form, delete."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import BigIntegerField, CharField, Count, OuterRef, Prefetch, Q, Subquery, Sum
from django.db.models.functions import Cast, Coalesce
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ovop.accounts.scope import region_scope
from ovop.centres.models import Centre
from ovop.centres.selectors import centres_visible_to
from ovop.coaching.enums import Focus, OwnerLevel
from ovop.coaching.forms.programmes import ProgrammeForm, centre_options
from ovop.coaching.models import Activity, Programme
from ovop.coaching.selectors.history import change_log
from ovop.coaching.selectors.programme_rollup import rollup_context
from ovop.coaching.selectors.visibility import programmes_visible_to
from ovop.coaching.services.programme_owner import (
    initial_owner,
    office_level,
    suggested_owner_level,
)
from ovop.coaching.services.programmes import save_programme
from ovop.coaching.services.programmes_removal import delete_programme
from ovop.coaching.views.lookups import (
    CHANGE,
    changeable_programme,
    focus_labels,
    form_errors_from,
    mark_visible,
    principle_labels,
    visible_programme,
)
from ovop.common.exports import export_response
from ovop.common.permissions import require
from ovop.common.refusals import refusal_shown

Targets = Programme.centres.through


def list_filters(request) -> dict:
    """The list's filters from the query string; unknown values are dropped, not errors."""
    get = request.GET
    filters = {
        "q": get.get("q", "").strip(),
        "owner_level": get.get("owner_level", ""),
        "year": get.get("year", "").strip(),
        "focus": get.get("focus", ""),
        "regency": get.get("regency", "").strip(),
    }
    if filters["owner_level"] not in OwnerLevel.values:
        filters["owner_level"] = ""
    if not filters["year"].isdigit():
        filters["year"] = ""
    if filters["focus"] not in Focus.values:
        filters["focus"] = ""
    return filters


def _per_programme(queryset, column: str = "pk", function=Count):
    """A correlated subquery of one number per programme (no join that multiplies rows)."""
    return Coalesce(
        Subquery(
            queryset.filter(programme_id=OuterRef("pk"))
            .order_by()
            .values("programme_id")
            .annotate(total=function(column))
            .values("total"),
            output_field=BigIntegerField(),
        ),
        0,
    )


def filtered_programmes(request):
    filters = list_filters(request)
    queryset = programmes_visible_to(request.user)
    if filters["q"]:
        queryset = queryset.filter(name__icontains=filters["q"])
    if filters["owner_level"]:
        queryset = queryset.filter(owner_level=filters["owner_level"])
    if filters["year"]:
        year = int(filters["year"])
        queryset = queryset.filter(year_start__lte=year, year_end__gte=year)
    if filters["focus"]:
        # Focus is a JSON list of known slugs; its text holds each one in double quotes.
        queryset = queryset.annotate(focus_text=Cast("focus", CharField())).filter(
            focus_text__contains=f'"{filters["focus"]}"'
        )
    if filters["regency"]:
        targeting = Targets.objects.filter(centre__regency_id=filters["regency"])
        queryset = queryset.filter(
            Q(owner_region_id=filters["regency"]) | Q(pk__in=targeting.values("programme_id"))
        )
    queryset = queryset.select_related("owner_region").annotate(
        centre_count=_per_programme(Targets.objects.all()),
        activity_count=_per_programme(Activity.objects.all()),
        spent=_per_programme(Activity.objects.all(), "cost", Sum),
    )
    return queryset.order_by("-year_start", "name", "pk"), filters


def _export(queryset, file_format: str):
    rows = (
        (
            p.pk,
            p.name,
            str(OwnerLevel(p.owner_level).label),
            p.owner_region_id or "",
            p.owner_region.name if p.owner_region else "",
            p.year_start,
            p.year_end,
            p.budget if p.budget is not None else "",
            ", ".join(focus_labels(p.focus)),
            ", ".join(principle_labels(p.principles)),
            p.centre_count,
            p.activity_count,
            p.spent,
        )
        for p in queryset.iterator(chunk_size=1000)
    )
    headers = [
        _("ID"),
        _("Name"),
        _("Run by"),
        _("Office region code"),
        _("Office region"),
        _("From year"),
        _("To year"),
        _("Budget (Rp)"),
        _("Focus aspects"),
        _("Principles"),
        _("Target sentra"),
        _("Activities"),
        _("Cost so far (Rp)"),
    ]
    return export_response(
        file_format=file_format, base_name="pembinaan", headers=headers, rows=rows
    )


@login_required
def programme_list(request):
    queryset, filters = filtered_programmes(request)
    if request.GET.get("format") in ("csv", "xlsx"):
        return _export(queryset, request.GET["format"])
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "coaching/programme_list.html",
        {
            "page": page,
            "filters": filters,
            "owner_levels": OwnerLevel.choices,
            "focus_choices": Focus.choices,
            "can_add": request.user.has_perm("coaching.add_programme"),
        },
    )


@login_required
def programme_detail(request, pk: int):
    programme = visible_programme(request, pk)
    centres = mark_visible(
        request.user,
        programme.centres.select_related("regency").order_by("regency_id", "name", "pk"),
    )
    activities = list(
        programme.activities.prefetch_related(
            Prefetch("centres", queryset=Centre.objects.order_by("name", "pk"))
        ).order_by("-starts_on", "title", "pk")
    )
    spent = sum(activity.cost or 0 for activity in activities)
    can_change = request.user.has_perm(CHANGE, programme)
    return render(
        request,
        "coaching/programme_detail.html",
        {
            "programme": programme,
            "centres": centres,
            "activities": activities,
            "focus": focus_labels(programme.focus),
            "principles": principle_labels(programme.principles),
            "spent": spent,
            "remaining": programme.budget - spent if programme.budget is not None else None,
            "participants_male": sum(a.participants_male for a in activities),
            "participants_female": sum(a.participants_female for a in activities),
            "can_change": can_change,
            "can_delete": can_change and not activities,
            "history": change_log(programme),
            **rollup_context(request.user, programme),
        },
    )


def _centres_from_query(request) -> list[Centre]:
    """The sentra named by ``?centre=ID`` (repeatable): a programme set up from their page."""
    ids = {int(value) for value in request.GET.getlist("centre") if value.isdigit()}
    if not ids:
        return []
    centres = list(centres_visible_to(request.user).filter(pk__in=ids).order_by("name"))
    if len(centres) != len(ids):
        raise Http404  # a sentra the user may not see does not exist for them
    return centres


def _save(request, form: ProgrammeForm) -> Programme | None:
    programme = form.instance
    programme.owner_region = form.cleaned_data["owner_region_code"]
    try:
        return save_programme(
            actor=request.user, programme=programme, centres=form.cleaned_data["centres"]
        )
    except ValidationError as error:
        form_errors_from(form, error, renamed={"owner_region": "owner_region_code"})
        return None


def _form_page(request, form: ProgrammeForm, programme=None, suggestion=None):
    return render(
        request,
        "coaching/programme_form.html",
        {
            "form": form,
            "programme": programme,
            "suggestion": suggestion,
        },
    )


@login_required
def programme_create(request):
    require(request.user, "coaching.add_programme")
    from_centres = _centres_from_query(request)
    level, region = initial_owner(request.user, from_centres)
    year = timezone.localdate().year
    form = ProgrammeForm(
        request.POST or None,
        initial={
            "owner_level": level,
            "owner_region_code": region or "",
            "year_start": year,
            "year_end": year,
        },
        actor=request.user,
        search_url=reverse("coaching:programme_centre_choices"),
        initial_centres=from_centres,
    )
    if request.method == "POST" and form.is_valid():
        programme = _save(request, form)
        if programme is not None:
            messages.success(request, _("%(name)s saved.") % {"name": programme.name})
            return redirect("coaching:programme_detail", pk=programme.pk)
    suggested = suggested_owner_level(from_centres)
    suggestion = OwnerLevel(suggested).label if suggested and suggested != level else None
    return _form_page(request, form, suggestion=suggestion)


@login_required
def programme_edit(request, pk: int):
    programme = changeable_programme(request, pk)
    form = ProgrammeForm(
        request.POST or None,
        instance=programme,
        actor=request.user,
        search_url=reverse("coaching:programme_centre_choices"),
    )
    if request.method == "POST" and form.is_valid() and _save(request, form) is not None:
        messages.success(request, _("Changes saved."))
        return redirect("coaching:programme_detail", pk=programme.pk)
    return _form_page(request, form, programme=programme)


@login_required
@require_POST
@refusal_shown("coaching:programme_detail")
def programme_delete(request, pk: int):
    programme = changeable_programme(request, pk)
    name = programme.name
    delete_programme(actor=request.user, programme=programme)
    messages.success(request, _("%(name)s deleted.") % {"name": name})
    return redirect("coaching:programme_list")


@login_required
@require_GET
def programme_centre_choices(request):
    """The target-sentra tick boxes for a search (htmx fragment of the programme form)."""
    require(request.user, "coaching.add_programme")
    user = request.user
    region = request.GET.get("owner_region_code", "").strip()
    if office_level(user) is not None:
        region = region_scope(user).code
    elif len(region) not in (2, 5):
        region = ""
    options, truncated = centre_options(
        actor=user,
        selected=request.GET.getlist("centres"),
        region=region,
        text=request.GET.get("centre_q", ""),
    )
    return render(
        request,
        "coaching/_programme_centre_options.html",
        {"options": options, "truncated": truncated, "name": "centres"},
    )
