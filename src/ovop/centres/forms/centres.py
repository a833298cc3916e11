from django import forms
from django.core.exceptions import ValidationError
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from ovop.accounts.scope import region_scope
from ovop.centres.enums import CertificateKind, SalesChannel
from ovop.centres.models import Centre, CommodityGroup, Enterprise
from ovop.centres.services.centres import CENTRE_FIELDS, check_centre_region
from ovop.common.validators import single_line_text
from ovop.regions.models import Region

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CentreForm(forms.ModelForm):
    """The centre's facts. The region is typed as a code, so 83,762 villages need no dropdown."""

    region_code = forms.CharField(
        label=_("District or village code"),
        max_length=13,
        help_text=_("e.g. 63.03.01 (district) or 63.03.01.2001 (village); see Regions."),
    )

    class Meta:
        model = Centre
        # The service's editable fields, with the region typed as a code.
        fields = [("region_code" if name == "region" else name) for name in CENTRE_FIELDS]
        widgets = {
            "decree_date": DATE_WIDGET,
            "address": forms.Textarea(attrs={"rows": 2}),
            "institutions": forms.Textarea(attrs={"rows": 2}),
            "facilities": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "kbli": _("5 digits, e.g. 10792 for traditional cakes."),
            "unit_count": _("At least 5 (PP 29/2018)."),
            "latitude": _("Decimal degrees, e.g. -3.4417 (south is negative)."),
            "longitude": _("Decimal degrees, e.g. 114.8327."),
        }

    def __init__(self, *args, actor, **kwargs):
        self.actor = actor
        super().__init__(*args, **kwargs)
        self.fields["commodity"].queryset = CommodityGroup.objects.filter(is_active=True)
        if self.instance.pk:
            self.initial["region_code"] = self.instance.region_id
        elif regency := region_scope(actor).regency_code:
            self.initial["region_code"] = regency + "."

    def clean_region_code(self) -> Region:
        code = self.cleaned_data["region_code"].strip()
        region = Region.objects.filter(code=code).first()
        if region is None:
            raise ValidationError(_("Unknown region code %(code)s.") % {"code": code})
        try:
            check_centre_region(actor=self.actor, region=region)
        except ValidationError as error:
            raise ValidationError(error.messages) from error
        return region

    def clean_name(self) -> str:
        return " ".join(self.cleaned_data["name"].split())


class EnterpriseForm(forms.ModelForm):
    sales_channels = forms.MultipleChoiceField(
        label=_("Sales channels"),
        choices=SalesChannel.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Enterprise
        fields = [
            "name",
            "owner",
            "nib",
            "kbli",
            "founded_year",
            "worker_count",
            "investment_value",
            "capacity_installed",
            "capacity_realised",
            "markets",
            "sales_channels",
            "export_destinations",
        ]
        help_texts = {
            "nib": _("13 digits from OSS."),
            "investment_value": _(
                "The size class (small/medium) is derived from this and the number of workers."
            ),
        }


class CertificateForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    kind = forms.ChoiceField(
        label=_("Certificate"), choices=[("", "—"), *CertificateKind.choices], required=False
    )
    number = forms.CharField(
        label=_("Number"), max_length=100, required=False, validators=[single_line_text]
    )
    issued_on = forms.DateField(label=_("Issued on"), required=False, widget=DATE_WIDGET)
    expires_on = forms.DateField(label=_("Expires on"), required=False, widget=DATE_WIDGET)

    def clean(self):
        cleaned = super().clean()
        filled = any(cleaned.get(f) for f in ("kind", "number", "issued_on", "expires_on"))
        if filled and not cleaned.get("kind"):
            self.add_error("kind", _("Choose the kind of certificate."))
        if filled and not cleaned.get("number"):
            self.add_error("number", _("Give the certificate number."))
        issued, expires = cleaned.get("issued_on"), cleaned.get("expires_on")
        if issued and expires and expires < issued:
            self.add_error("expires_on", _("The expiry date is before the issue date."))
        cleaned["filled"] = filled
        return cleaned


CertificateFormSet = formset_factory(CertificateForm, extra=2, max_num=20)
