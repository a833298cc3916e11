"""Forms for setting up a cycle (ministry) and a province's round (verifier)."""

import copy

from django import forms
from django.core.exceptions import ValidationError
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from ovop.evaluation.models import Decision
from ovop.proposals.models import ChecklistItem, Cycle, Round
from ovop.proposals.services import check_round

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class CycleForm(forms.ModelForm):
    class Meta:
        model = Cycle
        fields = [
            "year",
            "name",
            "star_scale",
            "commodities",
            "proposal_deadline",
            "screening_by",
            "assessment_by",
            "decision_by",
        ]
        widgets = {
            "commodities": forms.CheckboxSelectMultiple,
            "proposal_deadline": DATE,
            "screening_by": DATE,
            "assessment_by": DATE,
            "decision_by": DATE,
        }

    def clean_star_scale(self):
        scale = self.cleaned_data["star_scale"]
        changed = self.instance.pk and scale != self.instance.star_scale
        if (
            changed
            and self.instance.star_bands.exists()
            and Decision.objects.filter(proposal__round__cycle=self.instance).exists()
        ):
            raise forms.ValidationError(
                _("Decisions already exist in this cycle; its star scale can no longer change.")
            )
        return scale


ChecklistFormSet = inlineformset_factory(
    Cycle,
    ChecklistItem,
    fields=["code", "label", "required", "food_only", "position"],
    extra=2,
    can_delete=True,
)


class RoundForm(forms.ModelForm):
    class Meta:
        model = Round
        fields = ["opens_at", "deadline", "min_per_regency", "max_per_regency"]
        widgets = {"opens_at": DATETIME, "deadline": DATETIME}
        help_texts = {"deadline": _("Local time (WITA for Kalimantan Selatan).")}

    def clean(self):
        cleaned = super().clean()
        # The service's rules, on a copy: the instance keeps its values until it is saved.
        probe = copy.copy(self.instance)
        for name in self.Meta.fields:
            if name in cleaned:
                setattr(probe, name, cleaned[name])
        try:
            check_round(probe)
        except ValidationError as error:
            self.add_error(None, error)
        return cleaned
