"""Screens for the centres workbook: upload (with dry run), template and export downloads."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from ovop.centres.views.centres import filtered_centres
from ovop.centres.views.common import require
from ovop.centres.workbooks.exports import centres_table, template_workbook
from ovop.centres.workbooks.imports import import_centres
from ovop.common.exports import export_source, replayed_request
from ovop.common.views.exports import download
from ovop.common.workbooks.forms import WorkbookUploadForm, result_context


class CentreImportForm(WorkbookUploadForm):
    file_help = gettext_lazy("The filled-in template or an edited export.")


@login_required
@require_http_methods(["GET", "POST"])
def centre_import(request):
    """Upload a workbook; every row is checked, and nothing is saved unless all are valid."""
    require(request.user, "centres.import_centres")
    if request.method == "GET":
        return render(request, "centres/import.html", {"form": CentreImportForm()})
    form = CentreImportForm(request.POST, request.FILES)
    if form.is_valid():
        result = import_centres(
            actor=request.user,
            file=form.cleaned_data["file"],
            dry_run=form.cleaned_data["dry_run"],
        )
        return render(
            request, "centres/import_result.html", result_context(result=result, form=form)
        )
    return render(request, "centres/import.html", {"form": form})


@login_required
def centre_template(request):
    require(request.user, "centres.import_centres")
    return template_workbook(user=request.user)


@login_required
def centre_export(request):
    """The centres the list shows (same filters), with the columns the import reads."""
    file_format = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    return download(request, centres_source, file_format=file_format, title=_("Sentra IKM"))


@export_source
def centres_source(*, user, params):
    """The list's filters and the user's scope, again (also in the background worker)."""
    queryset, _filters = filtered_centres(replayed_request(user=user, params=params))
    return centres_table(user=user, queryset=queryset)
