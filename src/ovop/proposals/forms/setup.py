"""Forms for setting up a cycle (ministry) and a province's round (verifier)."""

import copy

from django import forms
from django.core.exceptions import ValidationError
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from ovop.proposals.models import ChecklistItem, Cycle, Round
from ovop.proposals.services.proposals import check_round
from ovop.proposals.signals import star_scale_changing

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
        if not self.instance.pk or scale == self.instance.star_scale:
            return scale
        # Evaluation refuses once decisions were counted on the cycle's star bands.
        responses = star_scale_changing.send(sender=Cycle, cycle=self.instance, star_scale=scale)
        refusals = [refusal for _receiver, refusal in responses if refusal]
        if refusals:
            raise forms.ValidationError(refusals)
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
