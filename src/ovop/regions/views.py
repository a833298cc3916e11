from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from ovop.common.exports import export_response
from ovop.regions.enums import RegionLevel
from ovop.regions.models import Region
from ovop.regions.selectors import get_region, regions_visible_to, search_regions


def _filtered(request):
    level = request.GET.get("level", "")
    if level not in RegionLevel.values:
        level = ""
    parent = request.GET.get("parent", "").strip()
    text = request.GET.get("q", "").strip()
    if not (parent or text or level):
        level = RegionLevel.PROVINCE  # the country at a glance, not 91,000 rows
    queryset = search_regions(
        queryset=regions_visible_to(request.user).select_related("parent"),
        parent=parent or None,
        level=level or None,
        text=text or None,
    )
    return queryset, {"level": level, "parent": parent, "q": text}


@login_required
def region_list(request):
    """Browse and search the official region codes (provinces first)."""
    queryset, filters = _filtered(request)
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "regions/list.html",
        {"page": page, "filters": filters, "levels": RegionLevel.choices},
    )


@login_required
def region_detail(request, code: str):
    region = get_region(code)
    if region is None:
        raise Http404
    ancestors: list[Region] = []
    parent = region.parent
    while parent is not None:
        ancestors.insert(0, parent)
        parent = parent.parent
    children = Paginator(region.children.all(), 100).get_page(request.GET.get("page"))
    return render(
        request,
        "regions/detail.html",
        {"region": region, "ancestors": ancestors, "page": children},
    )


@login_required
def region_export(request):
    queryset, _filters = _filtered(request)
    file_format = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    levels = dict(RegionLevel.choices)
    rows = (
        (region.code, region.name, str(levels[region.level]), region.parent_id or "")
        for region in queryset.iterator(chunk_size=2000)
    )
    return export_response(
        file_format=file_format,
        base_name="wilayah",
        headers=[_("Code"), _("Name"), _("Level"), _("Parent code")],
        rows=rows,
    )
