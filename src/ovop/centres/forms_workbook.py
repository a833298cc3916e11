"""The upload form shared by every all-or-nothing workbook import."""

from typing import TYPE_CHECKING

from django import forms
from django.utils.translation import gettext_lazy

from ovop.centres.workbook_reader import size_problem

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
