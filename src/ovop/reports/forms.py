"""Choosing the annual report to print: a cycle, a province and the language."""

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from ovop.proposals.models import Cycle
from ovop.regions.enums import RegionLevel
from ovop.regions.models import Region

LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
PROVINCES = Region.objects.filter(level=RegionLevel.PROVINCE).order_by("code")


class AnnualReportForm(forms.Form):
    cycle = forms.ModelChoiceField(
        label=_("Cycle"), queryset=Cycle.objects.order_by("-year", "-pk"), empty_label=None
    )
    province = forms.ModelChoiceField(
        label=_("Province"),
        queryset=PROVINCES,
        to_field_name="code",
    )
    language = forms.ChoiceField(
        label=_("Language of the report"),
        choices=LANGUAGES,
        initial="id",
        required=False,  # Indonesian unless English is asked for
        help_text=_("The official report is in Indonesian."),
    )

    def __init__(self, *args, fixed_province: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if fixed_province is not None:
            # A province's own people print their province's report and no other.
            field = cast(forms.ModelChoiceField, self.fields["province"])
            field.queryset = PROVINCES.filter(code=fixed_province)
            field.initial = fixed_province
            field.disabled = True
            field.empty_label = None
