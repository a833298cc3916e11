"""Forms for Bimtek events and their attendees; the rules live in services/bimtek.py."""

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from ovop.accounts.models import User
from ovop.accounts.rules import is_admin
from ovop.coaching.models import BimtekEvent
from ovop.coaching.services.bimtek import operators_for, regencies_for
from ovop.common.validators import single_line_text
from ovop.regions.enums import RegionLevel
from ovop.regions.models import Region

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class BimtekForm(forms.ModelForm):
    """Title, date, place, topic; the ministry also picks the province (or none)."""

    class Meta:
        model = BimtekEvent
        fields = ["title", "held_on", "place", "topic", "province"]
        widgets = {"held_on": DATE, "topic": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        if is_admin(actor):
            province = self.fields["province"]
            province.queryset = Region.objects.filter(level=RegionLevel.PROVINCE).order_by("code")
            province.empty_label = _("None — a national event")
            province.label_from_instance = lambda region: region.name
        else:
            # A verifier's events are always their own province's (the service sets it).
            del self.fields["province"]


class RegencyField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Region) -> str:
        return obj.name


class OperatorField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.get_full_name() or obj.username} ({obj.region_id})"


class AttendeeForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150, validators=[single_line_text])
    position = forms.CharField(
        label=_("Position"), max_length=150, required=False, validators=[single_line_text]
    )
    regency = RegencyField(label=_("Regency/city"), queryset=Region.objects.none())
    user = OperatorField(
        label=_("Operator account"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("None"),
        help_text=_("Optional: the attendee's own ovop account."),
    )

    def __init__(self, *args, event: BimtekEvent, **kwargs):
        super().__init__(*args, **kwargs)
        cast(RegencyField, self.fields["regency"]).queryset = regencies_for(event)
        cast(OperatorField, self.fields["user"]).queryset = operators_for(event)

    def clean(self):
        cleaned = super().clean()
        regency, user = cleaned.get("regency"), cleaned.get("user")
        if regency and user and user.region_id != regency.code:
            self.add_error("user", _("This account belongs to another regency/city."))
        return cleaned
