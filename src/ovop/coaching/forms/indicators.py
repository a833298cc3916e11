"""The form for one year's figures of a centre (actual or target; a baseline is corrected)."""

from django import forms
from django.core.validators import MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ovop.centres.enums import SalesChannel
from ovop.coaching.enums import IndicatorKind
from ovop.coaching.models import Indicator
from ovop.coaching.services.indicators import INDICATOR_FIELDS
from ovop.common.workbooks.forms import WorkbookUploadForm

NEW_KINDS = [
    (IndicatorKind.ACTUAL.value, IndicatorKind.ACTUAL.label),
    (IndicatorKind.TARGET.value, IndicatorKind.TARGET.label),
]


class IndicatorForm(forms.ModelForm):
    """A new year (``instance`` without pk) chooses year and kind; an existing one keeps them.

    Saving goes through ``save_indicator``; the form only reads and checks the figures.
    """

    sales_channels = forms.MultipleChoiceField(
        label=_("Sales channels"),
        choices=SalesChannel.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    reason = forms.CharField(
        label=_("Reason for the change"),
        max_length=100,
        required=False,
        help_text=_("Kept in the history. Required when correcting a baseline."),
    )

    class Meta:
        model = Indicator
        fields = ["year", "kind", *INDICATOR_FIELDS]
        widgets = {"note": forms.TextInput()}
        help_texts = {
            "capacity_value": _("Per the unit below, e.g. 1.200 lembar per month."),
            "production_value": _("In rupiah per year."),
            "export_value": _("In rupiah per year; 0 when nothing was exported."),
            "export_destinations": _("Countries, separated by commas."),
            "certificates_held": _("Valid permits and certificates (SPP-IRT, halal, BPOM, SNI…)."),
        }

    def __init__(self, *args, centre, **kwargs):
        super().__init__(*args, **kwargs)
        self.centre = centre
        self.fields["capacity_value"].validators.append(MinValueValidator(0))
        for name in (
            "capacity_value",
            "production_value",
            "workers_male",
            "workers_female",
            "certificates_held",
            "export_value",
        ):
            self.fields[name].widget.attrs.update({"min": 0, "inputmode": "numeric"})
        self.fields["capacity_value"].widget.attrs["inputmode"] = "decimal"
        if self.is_new:
            self.fields["kind"].choices = NEW_KINDS
            self.fields["kind"].help_text = _(
                "The baseline is taken from the registry when a decision is published."
            )
            if not self.is_bound and self.initial.get("year") is None:
                self.initial["year"] = timezone.localdate().year
        else:
            # Year and kind name the row; a figure for another year is a new row.
            self.fields["year"].disabled = True
            self.fields["kind"].disabled = True
            if not self.is_bound and self.instance.note_key:
                self.initial["note"] = self.instance.display_note  # in the editor's language
        if self.is_baseline:
            self.fields["reason"].required = True
            self.fields["reason"].help_text = _(
                "A baseline is corrected only with a reason, kept in the history."
            )

    @property
    def is_new(self) -> bool:
        return self.instance.pk is None

    @property
    def is_baseline(self) -> bool:
        return not self.is_new and self.instance.kind == IndicatorKind.BASELINE

    def clean(self):
        cleaned = super().clean()
        year, kind = cleaned.get("year"), cleaned.get("kind")
        if self.is_new and year and kind:
            taken = Indicator.objects.filter(centre=self.centre, year=year, kind=kind).exists()
            if taken:
                self.add_error(
                    "year",
                    _("Figures for %(year)s (%(kind)s) are recorded already; edit those instead.")
                    % {"year": year, "kind": IndicatorKind(kind).label},
                )
        return cleaned

    def _post_clean(self):
        # The unique checks need the centre, which is not a field: clean() checks instead.
        self.instance.centre = self.centre
        super()._post_clean()

    def figures(self) -> dict:
        """The cleaned figures as ``save_indicator`` takes them."""
        data = {name: self.cleaned_data[name] for name in INDICATOR_FIELDS}
        order = list(SalesChannel.values)
        data["sales_channels"] = sorted(set(data["sales_channels"]), key=order.index)
        return data


class IndicatorImportForm(WorkbookUploadForm):
    file_help = _("The filled-in indicators template or an edited export.")
