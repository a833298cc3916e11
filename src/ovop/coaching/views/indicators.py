"""Screens for a centre's yearly figures: add and edit, and the Excel template, export and import.

Scoping: the centre (or the indicator) is fetched through the visibility selector, so a user
who may not see it gets 404; ``coaching.change_indicators`` on the centre then answers 403.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ovop.centres.selectors import centres_visible_to
from ovop.coaching.forms.indicators import IndicatorForm, IndicatorImportForm
from ovop.coaching.models import Indicator
from ovop.coaching.selectors.indicators import indicator_history
from ovop.coaching.selectors.visibility import indicators_visible_to
from ovop.coaching.services.indicators import registry_snapshot, save_indicator
from ovop.coaching.workbooks.indicators import indicators_table, template_workbook
from ovop.coaching.workbooks.indicators_import import import_indicators
from ovop.common.exports import export_source, replayed_request
from ovop.common.permissions import require
from ovop.common.views.exports import download
from ovop.common.workbooks.forms import result_context

PREFILL = "registry"


def _changeable_centre(request, centre_pk: int):
    centre = get_object_or_404(centres_visible_to(request.user), pk=centre_pk)
    require(request.user, "coaching.change_indicators", centre)
    return centre


def _prefill(request, centre) -> dict:
    """``?prefill=registry`` fills the form with the registry's figures of today."""
    if request.method != "GET" or request.GET.get("prefill") != PREFILL:
        return {}
    snapshot = registry_snapshot(centre)
    snapshot["note"] = _("Prefilled from the registry on %(date)s") % {
        "date": timezone.localdate().strftime("%d/%m/%Y")
    }
    return snapshot


def _save(request, form: IndicatorForm, centre) -> Indicator | None:
    """Save through the service; its refusals land on the form's fields, nothing is saved."""
    instance = form.instance
    year = instance.year if not form.is_new else form.cleaned_data["year"]
    kind = instance.kind if not form.is_new else form.cleaned_data["kind"]
    try:
        return save_indicator(
            actor=request.user,
            centre=centre,
            year=year,
            kind=kind,
            data=form.figures(),
            reason=form.cleaned_data["reason"] or _("changed on screen"),
        )
    except ValidationError as error:
        for field, field_errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, field_errors)
        return None


def _form_page(request, form: IndicatorForm, centre, indicator=None):
    prefilled = request.method == "GET" and request.GET.get("prefill") == PREFILL
    return render(
        request,
        "coaching/indicator_form.html",
        {
            "form": form,
            "centre": centre,
            "indicator": indicator,
            "prefilled": prefilled,
            "prefill_url": f"{request.path}?prefill={PREFILL}",
            "history": indicator_history(indicator) if indicator else [],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def indicator_create(request, centre_pk: int):
    centre = _changeable_centre(request, centre_pk)
    form = IndicatorForm(
        request.POST or None,
        instance=Indicator(centre=centre),
        centre=centre,
        initial=_prefill(request, centre),
    )
    if request.method == "POST" and form.is_valid() and _save(request, form, centre):
        messages.success(request, _("The figures are saved."))
        return redirect(f"{reverse('centres:detail', kwargs={'pk': centre.pk})}#indicators")
    return _form_page(request, form, centre)


@login_required
@require_http_methods(["GET", "POST"])
def indicator_edit(request, pk: int):
    indicator = get_object_or_404(
        indicators_visible_to(request.user).select_related("centre"), pk=pk
    )
    centre = indicator.centre
    require(request.user, "coaching.change_indicators", centre)
    form = IndicatorForm(
        request.POST or None, instance=indicator, centre=centre, initial=_prefill(request, centre)
    )
    if request.method == "POST" and form.is_valid() and _save(request, form, centre):
        messages.success(request, _("The figures are saved."))
        return redirect(f"{reverse('centres:detail', kwargs={'pk': centre.pk})}#indicators")
    return _form_page(request, form, centre, indicator)


def _year(value: str) -> int | None:
    value = (value or "").strip()
    if value.isdigit() and 2000 <= int(value) <= 2100:
        return int(value)
    return None


@login_required
def indicator_export(request):
    """Every indicator row of the centres the user sees; ``?year=``, ``?regency=``,
    ``?centre=`` narrow it. The columns are the ones the import reads."""
    file_format = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    return download(
        request, indicators_source, file_format=file_format, title=_("Sentra indicators")
    )


@export_source
def indicators_source(*, user, params):
    """The export's filters and the user's scope, again (also in the background worker)."""
    query = replayed_request(user=user, params=params).GET
    centre = query.get("centre", "").strip()
    return indicators_table(
        user=user,
        year=_year(query.get("year", "")),
        regency=query.get("regency", "").strip(),
        centre=int(centre) if centre.isdigit() else None,
    )


@login_required
def indicator_template(request):
    """The workbook to fill in: one row per centre the user may change, for ``?year=``."""
    require(request.user, "coaching.import_indicators")
    year = _year(request.GET.get("year", "")) or timezone.localdate().year
    return template_workbook(user=request.user, year=year)


@login_required
@require_http_methods(["GET", "POST"])
def indicator_import(request):
    """Upload a workbook; every row is checked, and nothing is saved unless all are valid."""
    require(request.user, "coaching.import_indicators")
    context = {"year": timezone.localdate().year}
    if request.method == "GET":
        return render(
            request, "coaching/indicator_import.html", {**context, "form": IndicatorImportForm()}
        )
    form = IndicatorImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "coaching/indicator_import.html", {**context, "form": form})
    result = import_indicators(
        actor=request.user, file=form.cleaned_data["file"], dry_run=form.cleaned_data["dry_run"]
    )
    return render(
        request,
        "coaching/indicator_import.html",
        {**context, **result_context(result=result, form=form)},
    )
