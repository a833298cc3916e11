from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ovop.accounts.scope import region_scope
from ovop.centres.enums import CertificateKind, MarketReach, SizeClass
from ovop.centres.forms.centres import CentreForm
from ovop.centres.models import Certificate, CommodityGroup, Enterprise
from ovop.centres.panels import panels_for
from ovop.centres.selectors import centres_visible_to, search_centres
from ovop.centres.services.centres import centre_deletion_refusal, delete_centre, save_centre
from ovop.centres.views.common import changeable_centre, delete_refused, require, visible_centre
from ovop.common.history import change_log
from ovop.common.refusals import Refused
from ovop.regions.enums import RegionLevel
from ovop.regions.models import Region

SORTS = {
    "name": "name",
    "-name": "-name",
    "regency": "regency_id",
    "-regency": "-regency_id",
    "units": "unit_count",
    "-units": "-unit_count",
    "updated": "updated_at",
    "-updated": "-updated_at",
}


def list_filters(request) -> dict:
    """The list's filters from the query string; unknown values are dropped, not errors."""
    get = request.GET
    filters = {
        "q": get.get("q", "").strip(),
        "regency": get.get("regency", "").strip(),
        "commodity": get.get("commodity", "").strip(),
        "market_reach": get.get("market_reach", ""),
        "certificate": get.get("certificate", ""),
        "size": get.get("size", ""),
    }
    if filters["market_reach"] not in MarketReach.values:
        filters["market_reach"] = ""
    if filters["certificate"] not in CertificateKind.values:
        filters["certificate"] = ""
    if filters["size"] not in SizeClass.values:
        filters["size"] = ""
    return filters


def filtered_centres(request):
    filters = list_filters(request)
    queryset = search_centres(
        queryset=centres_visible_to(request.user),
        text=filters["q"],
        regency=filters["regency"],
        commodity=filters["commodity"],
        market_reach=filters["market_reach"],
        certificate_kind=filters["certificate"],
        size_class=filters["size"],
    )
    return queryset, filters


def _regency_choices(user):
    """The regencies a user may filter by, from their scope (not by scanning centres)."""
    regencies = Region.objects.filter(level=RegionLevel.REGENCY).order_by("code")
    scope = region_scope(user)
    if scope.is_regency:
        return regencies.filter(code=scope.code)
    if scope.is_province:
        return regencies.filter(parent_id=scope.code)
    return regencies


def _with_enterprise_counts(page) -> None:
    """Recorded IKM units per centre of one page: one grouped query, not a join on every row."""
    counts = dict(
        Enterprise.objects.filter(centre_id__in=[centre.pk for centre in page])
        .values_list("centre_id")
        .annotate(total=Count("pk"))
    )
    for centre in page:
        centre.enterprise_count = counts.get(centre.pk, 0)


@login_required
def centre_list(request):
    queryset, filters = filtered_centres(request)
    sort = request.GET.get("sort", "regency")
    queryset = queryset.order_by(SORTS.get(sort, "regency_id"), "name", "pk").select_related(
        "commodity", "regency", "region"
    )
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    _with_enterprise_counts(page)
    return render(
        request,
        "centres/list.html",
        {
            "page": page,
            "filters": filters,
            "sort": sort,
            "regencies": _regency_choices(request.user).values_list("code", "name"),
            "commodities": CommodityGroup.objects.all(),
            "market_reaches": MarketReach.choices,
            "certificate_kinds": CertificateKind.choices,
            "size_classes": SizeClass.choices,
            "can_add": request.user.has_perm("centres.add_centre"),
        },
    )


@login_required
def centre_detail(request, pk: int):
    centre = visible_centre(request, pk)
    enterprises = centre.enterprises.prefetch_related(
        Prefetch("certificates", queryset=Certificate.objects.order_by("kind"))
    )
    # Coaching and the OVOP story come from the apps above the registry (``centres.panels``).
    panels, panel_context = panels_for(centre=centre, user=request.user, request=request)
    return render(
        request,
        "centres/detail.html",
        {
            "centre": centre,
            "enterprises": enterprises,
            "documents": centre.documents.all(),
            "photos": centre.photos.all(),
            "history": change_log(centre),
            "can_change": request.user.has_perm("centres.change_centre", centre),
            "panels": panels,
            **panel_context,
        },
    )


def _save_from_form(form: CentreForm, *, actor, centre=None, reason: str):
    data = {field: form.cleaned_data[field] for field in form.Meta.fields if field != "region_code"}
    data["region"] = form.cleaned_data["region_code"]
    try:
        return save_centre(actor=actor, data=data, centre=centre, reason=reason)
    except ValidationError as error:
        for field, field_errors in error.message_dict.items():
            target = "region_code" if field == "region" else field
            form.add_error(target if target in form.fields else None, field_errors)
        return None


@login_required
def centre_create(request):
    require(request.user, "centres.add_centre")
    form = CentreForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        centre = _save_from_form(form, actor=request.user, reason=_("created on screen"))
        if centre is not None:
            messages.success(request, _("%(name)s saved.") % {"name": centre.name})
            return redirect("centres:detail", pk=centre.pk)
    return render(request, "centres/form.html", {"form": form, "centre": None})


@login_required
def centre_edit(request, pk: int):
    centre = changeable_centre(request, pk)
    form = CentreForm(request.POST or None, instance=centre, actor=request.user)
    saved = (
        request.method == "POST"
        and form.is_valid()
        and _save_from_form(form, actor=request.user, centre=centre, reason=_("changed on screen"))
    )
    if saved:
        messages.success(request, _("Changes saved."))
        return redirect("centres:detail", pk=centre.pk)
    return render(request, "centres/form.html", {"form": form, "centre": centre})


@login_required
@require_http_methods(["GET", "POST"])
def centre_delete(request, pk: int):
    centre = changeable_centre(request, pk)
    refusal = centre_deletion_refusal(centre)  # said before the question, not after
    if request.method == "POST" and refusal is None:
        name = centre.name
        try:
            delete_centre(centre=centre, reason=_("deleted on screen"))
        except Refused as refused:  # proposed a moment ago
            refusal = refused
        else:
            messages.success(request, _("%(name)s deleted.") % {"name": name})
            return redirect("centres:list")
    if refusal is not None:
        return delete_refused(
            request,
            refusal,
            record=centre,
            edit_url=reverse("centres:edit", kwargs={"pk": centre.pk}),
            back_url=reverse("centres:detail", kwargs={"pk": centre.pk}),
        )
    return render(
        request,
        "centres/confirm_delete.html",
        {"object": centre, "cancel_url": reverse("centres:detail", kwargs={"pk": centre.pk})},
    )


@login_required
def centre_map(request):
    queryset, filters = filtered_centres(request)
    centres = queryset.select_related("regency").order_by("regency_id", "name", "pk")
    return render(
        request,
        "centres/map.html",
        {
            "page": Paginator(centres, 100).get_page(request.GET.get("page")),
            "filters": filters,
            "tile_url": settings.OVOP_MAP_TILE_URL,
            "tile_attribution": settings.OVOP_MAP_ATTRIBUTION,
        },
    )


@login_required
def centre_map_data(request):
    """GeoJSON of the visible centres that have coordinates (read by the map script)."""
    queryset, _filters = filtered_centres(request)
    rows = queryset.filter(latitude__isnull=False, longitude__isnull=False).values(
        "pk", "name", "main_product", "latitude", "longitude", "regency__name", "market_reach"
    )
    # One reverse() for the whole map: detail URLs differ only in the id (PERFORMANCE.md).
    detail_url = reverse("centres:detail", kwargs={"pk": 0})[:-2]
    features = [
        {
            "type": "Feature",
            "geometry": {
                "type": "Point",
                "coordinates": [float(row["longitude"]), float(row["latitude"])],
            },
            "properties": {
                "name": row["name"],
                "product": row["main_product"],
                "regency": row["regency__name"],
                "url": f"{detail_url}{row['pk']}/",
            },
        }
        for row in rows.iterator(chunk_size=2000)
    ]
    return JsonResponse({"type": "FeatureCollection", "features": features})
