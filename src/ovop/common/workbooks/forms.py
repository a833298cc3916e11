"""The upload form shared by every all-or-nothing workbook import."""

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy

from ovop.common.workbooks.reader import size_problem

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise  # typing only: django-stubs is a dev dependency

XLSX_ACCEPT = ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class WorkbookUploadForm(forms.Form):
    """A workbook and a dry-run box; subclasses set the labels their screen needs."""

    file_label: "StrOrPromise" = gettext_lazy("Workbook (.xlsx)")
    file_help: "StrOrPromise" = ""
    dry_run_label: "StrOrPromise" = gettext_lazy("Dry run: show what would change, save nothing")

    file = forms.FileField(widget=forms.ClearableFileInput(attrs={"accept": XLSX_ACCEPT}))
    dry_run = forms.BooleanField(required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].label = self.file_label
        self.fields["file"].help_text = self.file_help
        self.fields["dry_run"].label = self.dry_run_label

    def clean_file(self):
        upload = self.cleaned_data["file"]
        problem = size_problem(upload.size)
        if problem:
            raise forms.ValidationError(problem)
        return upload


# The result page lists planned changes; past this many it says how many more there are.
SHOWN_CHANGES = 200


def result_context(*, result, form: WorkbookUploadForm) -> dict[str, Any]:
    """What ``common/workbooks/_result.html`` shows for ``result`` of the upload in ``form``."""
    changes = getattr(result, "changes", [])
    return {
        "result": result,
        "file_name": form.cleaned_data["file"].name,
        "changes": changes[:SHOWN_CHANGES],
        "more_changes": max(len(changes) - SHOWN_CHANGES, 0),
        # After a good dry run the form offers the real import (dry run unticked); after a
        # refused file it keeps the choice the user made.
        "form": type(form)(initial={"dry_run": result.dry_run and not result.ok}),
    }
