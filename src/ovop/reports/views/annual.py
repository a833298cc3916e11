"""The annual report of a province: choose it, then print it as PDF.

Who may read reports at all is ``reports.view_dashboard`` (403 otherwise, e.g. an assessor);
which province is then a matter of scope: a verifier's or operator's own only, another
province answering 404 as if it did not exist.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.views.decorators.http import require_http_methods

from ovop.common.permissions import require
from ovop.proposals.models import Cycle
from ovop.proposals.outputs.pdf import (
    DOCUMENT_LANGUAGE,
    PdfUnavailable,
    html_to_pdf,
    indonesian_date,
    pdf_response,
    render_document,
)
from ovop.regions.enums import RegionLevel
from ovop.regions.models import Region
from ovop.reports.forms import AnnualReportForm
from ovop.reports.outputs.pdf_charts import report_charts
from ovop.reports.selectors.annual import annual_report, fixed_province

TEMPLATE = "reports/pdf/annual.html"


@login_required
@require_http_methods(["GET", "HEAD"])
def annual_form(request):
    """The choice of cycle and province; a valid choice is sent on to its PDF."""
    require(request.user, "reports.view_dashboard")
    fixed = fixed_province(request.user)
    form = AnnualReportForm(request.GET or None, fixed_province=fixed)
    if form.is_bound and form.is_valid():
        url = reverse(
            "reports:annual_pdf",
            kwargs={
                "cycle_pk": form.cleaned_data["cycle"].pk,
                "province": form.cleaned_data["province"].code,
            },
        )
        return redirect(url + ("?lang=en" if form.cleaned_data["language"] == "en" else ""))
    return render(request, "reports/annual_form.html", {"form": form, "fixed": fixed})


@login_required
@require_http_methods(["GET", "HEAD"])
def annual_pdf(request, cycle_pk: int, province: str):
    require(request.user, "reports.view_dashboard")
    fixed = fixed_province(request.user)
    if fixed is not None and fixed != province:
        raise Http404
    cycle = get_object_or_404(Cycle, pk=cycle_pk)
    region = get_object_or_404(Region, code=province, level=RegionLevel.PROVINCE)
    # An official document: Indonesian, unless an English reading copy is asked for.
    language = "en" if request.GET.get("lang") == "en" else DOCUMENT_LANGUAGE
    try:
        content = render_annual_report(cycle=cycle, province=region, language=language)
    except PdfUnavailable as error:
        return render(request, "proposals/pdf_unavailable.html", {"error": error}, status=503)
    suffix = "-en" if language == "en" else ""
    return pdf_response(
        content, filename=f"laporan-tahunan-ovop-{region.code}-{cycle.year}{suffix}.pdf"
    )


def render_annual_report(*, cycle: Cycle, province: Region, language: str) -> bytes:
    """The report as PDF bytes; its figures and labels are made in ``language``."""
    today = timezone.localdate()
    with translation.override(language):
        report = annual_report(cycle=cycle, province=province, today=today)
        context = {
            "report": report,
            "charts": report_charts(report),
            "language": language,
            "printed_on": (
                indonesian_date(today)
                if language == DOCUMENT_LANGUAGE
                else date_format(today, "DATE_FORMAT")
            ),
        }
        if language == DOCUMENT_LANGUAGE:
            return render_document(TEMPLATE, context)
        return html_to_pdf(render_to_string(TEMPLATE, context))
