"""Province and national dashboards: charts, the tables behind them, xlsx/CSV and a map.

Who sees what: ``reports.view_dashboard`` (else 403); then ``dashboard_province`` — a
verifier, an operator or a viewer of a region sees their own province, admins and national
viewers the country or any ``?province=`` (another province → 404).
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ovop.centres.selectors import scope_key
from ovop.common.exports import export_response
from ovop.common.freshness import cached
from ovop.common.permissions import require
from ovop.proposals.models import Cycle
from ovop.regions.models import Region
from ovop.reports.outputs import charts, tables
from ovop.reports.selectors import dashboards as figures
from ovop.reports.selectors.dashboards import OutOfScopeError


@dataclass
class Scope:
    province: Region | None  # None: the whole country
    cycle: Cycle | None  # None before the first cycle exists
    cycles: list[Cycle]

    @property
    def national(self) -> bool:
        return self.province is None

    @property
    def slug(self) -> str:
        return "nasional" if self.province is None else self.province.code

    @property
    def shown_cycle(self) -> Cycle:
        """The cycle the sections show: they are built only once a cycle exists."""
        if self.cycle is None:
            raise Http404
        return self.cycle


@dataclass
class Section:
    key: str
    title: str
    summary: str  # the chart's text alternative; the table carries the numbers
    table: tables.Table
    chart: dict | None = None
    empty: bool = False
    note: str = ""
    map: dict | None = None
    legend: list[dict] = field(default_factory=list)
    png_name: str = ""


def _scope(request) -> Scope:
    try:
        requested_province = request.GET.get("province", "")
        province = figures.dashboard_province(user=request.user, requested=requested_province)
    except OutOfScopeError as error:
        raise Http404 from error
    cycles = figures.dashboard_cycles()
    requested = request.GET.get("cycle", "").strip()
    if requested:
        cycle = next((c for c in cycles if str(c.pk) == requested), None)
        if cycle is None:
            raise Http404
    else:
        cycle = cycles[0] if cycles else None
    return Scope(province=province, cycle=cycle, cycles=cycles)


def _proposals(scope: Scope, user) -> Section:
    data = figures.proposals_by_area(cycle=scope.shown_cycle, province=scope.province)
    return Section(
        key="proposals",
        title=_("Proposals per province and state")
        if scope.national
        else _("Proposals per regency/city and state"),
        summary=_("Stacked bar chart: each bar is an area, each segment a proposal state."),
        table=tables.proposals_table(data, national=scope.national),
        chart=charts.proposals_chart(data, national=scope.national),
        empty=not any(row.total for row in data.rows),
    )


def _compliance(scope: Scope, user) -> Section:
    data = figures.compliance(cycle=scope.shown_cycle, province=scope.province)
    note = ""
    if not scope.national:
        note = (
            _("At least %(minimum)d proposals per regency/city.")
            % {"minimum": data.round.min_per_regency}
            if data.round
            else _("The province has not opened a round in this cycle yet.")
        )
    rows = data.provinces or data.regencies
    return Section(
        key="compliance",
        title=_("Quota compliance"),
        summary=_("Bar chart: regencies/cities meeting the quota, per province.")
        if scope.national
        else _("Bar chart: proposals submitted and verified against the required minimum."),
        table=tables.compliance_table(data),
        chart=charts.compliance_chart(data),
        empty=not rows,
        note=note,
    )


def _stars(scope: Scope, user) -> Section:
    data = figures.stars_by_commodity(cycle=scope.shown_cycle, province=scope.province)
    return Section(
        key="stars",
        title=_("Stars by commodity group"),
        summary=_(
            "Stacked bar chart: rated sentra per commodity group, one segment per star "
            "count. Only published decisions count."
        ),
        table=tables.stars_table(data),
        chart=charts.stars_chart(data),
        empty=not data.rows,
    )


def _trends(scope: Scope, user) -> Section:
    rows = figures.trends(cycles=scope.cycles, until=scope.shown_cycle, province=scope.province)
    return Section(
        key="trends",
        title=_("Trends across cycles"),
        summary=_(
            "Line chart per cycle year: proposals submitted, eligible and rated, and the "
            "mean official score of the published decisions (right axis)."
        ),
        table=tables.trends_table(rows),
        chart=charts.trends_chart(rows),
        empty=not any(r.submitted or r.eligible or r.rated for r in rows),
    )


def _map(scope: Scope, user) -> Section:
    if scope.province is None:  # national
        centres = figures.national_map(cycle=scope.shown_cycle)
    else:
        centres = figures.province_map(user=user, cycle=scope.shown_cycle, province=scope.province)
    categories = charts.map_categories(
        national=scope.national,
        scale=scope.shown_cycle.star_scale,
        statuses=[c.status for c in centres],
    )
    counts: dict[str, int] = {}
    for centre in centres:
        counts[centre.status] = counts.get(centre.status, 0) + 1
    legend = [{**category, "count": counts.get(category["key"], 0)} for category in categories]
    labels = {category["key"]: category["label"] for category in categories}
    placed = sum(1 for c in centres if c.latitude is not None and c.longitude is not None)
    return Section(
        key="map",
        title=_("Map of rated sentra") if scope.national else _("Map of sentra by status"),
        summary=_("Map: each marker is a sentra, coloured by its stars.")
        if scope.national
        else _("Map: each marker is a sentra, coloured by its proposal state in the cycle."),
        table=tables.map_table(centres, national=scope.national, labels=labels),
        map=charts.map_data(
            centres=centres,
            categories=categories,
            tile_url=settings.OVOP_MAP_TILE_URL,
            attribution=settings.OVOP_MAP_ATTRIBUTION,
        ),
        legend=legend,
        empty=not centres,
        note=_("%(placed)d of %(total)d sentra have coordinates and appear on the map.")
        % {"placed": placed, "total": len(centres)},
    )


BUILDERS = {
    "proposals": _proposals,
    "compliance": _compliance,
    "stars": _stars,
    "map": _map,
    "trends": _trends,
}


def _section(key: str, scope: Scope, user) -> Section:
    section = BUILDERS[key](scope, user)
    section.png_name = f"{tables.FILE_NAMES[key]}-{scope.slug}-{scope.shown_cycle.year}.png"
    return section


@login_required
def dashboard(request):
    require(request.user, "reports.view_dashboard")
    scope = _scope(request)
    sections, sections_html, export_query = [], "", ""
    if scope.cycle is not None:
        province_code = "" if scope.national else scope.province.code
        export_query = urlencode({"cycle": scope.cycle.pk, "province": province_code})

        def build() -> tuple[list[Section], str]:
            built = [_section(key, scope, request.user) for key in tables.SECTIONS]
            html = render_to_string(
                "reports/_dashboard_sections.html",
                {
                    "sections": built,
                    "scope": scope,
                    "export_query": export_query,
                },
            )
            return built, str(html)

        # Figures and their tables are reused while nothing behind them changes: one
        # fingerprint query instead of ~12 queries and thousands of table cells.
        sections, sections_html = cached(
            f"dashboard:{scope.cycle.pk}:{scope.slug}:{scope_key(request.user)}:{get_language()}",
            figures.dashboard_stamp(),
            build,
        )
    return render(
        request,
        "reports/dashboard.html",
        {
            # sections_html was rendered (and escaped) by our template above.
            "scope": scope,
            "sections": sections,
            "sections_html": mark_safe(sections_html),  # noqa: S308  # nosec B308 B703
            "provinces": figures.provinces() if figures.sees_country(request.user) else [],
        },
    )


@login_required
def dashboard_export(request):
    """One section's table as xlsx (default) or CSV, with the dashboard's own scoping."""
    require(request.user, "reports.view_dashboard")
    scope = _scope(request)
    key = request.GET.get("section") or tables.SECTIONS[0]
    if key not in tables.SECTIONS or scope.cycle is None:
        raise Http404
    section = BUILDERS[key](scope, request.user)
    return export_response(
        file_format="csv" if request.GET.get("format") == "csv" else "xlsx",
        base_name=f"{tables.FILE_NAMES[key]}-{scope.slug}-{scope.cycle.year}",
        headers=section.table.headers,
        rows=section.table.rows,
        sheet_name=tables.FILE_NAMES[key],
    )
