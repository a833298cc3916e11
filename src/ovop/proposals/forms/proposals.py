from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from ovop.accounts.scope import region_scope
from ovop.centres.models import Centre, Enterprise
from ovop.centres.services.uploads import clean_pdf
from ovop.common.fields import reason_form_field
from ovop.common.validators import single_line_text
from ovop.proposals.enums import DocumentCheck
from ovop.proposals.models import ChecklistItem, Proposal

NARRATIVE = {"rows": 3}


class ProposalForm(forms.ModelForm):
    class Meta:
        model = Proposal
        fields = [
            "centre",
            "lead_enterprise",
            "featured_products",
            "local_yet_global",
            "self_reliance",
            "human_resources",
            "product_innovation",
            "market_access",
            "image",
            "contact_name",
            "contact_phone",
            "contact_email",
            "sample_received_on",
        ]
        widgets = {
            "local_yet_global": forms.Textarea(attrs=NARRATIVE),
            "self_reliance": forms.Textarea(attrs=NARRATIVE),
            "human_resources": forms.Textarea(attrs=NARRATIVE),
            "product_innovation": forms.Textarea(attrs=NARRATIVE),
            "market_access": forms.Textarea(attrs=NARRATIVE),
            "image": forms.Textarea(attrs=NARRATIVE),
            "sample_received_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {
            "lead_enterprise": _("The IKM that pulls the others along (penghela)."),
            "local_yet_global": _(
                "Principle 1: what is local about the product, and how it "
                "reaches beyond the region."
            ),
            "self_reliance": _("Principle 2: the centre's own initiative and creativity."),
            "human_resources": _("Principle 3: skills and training of the people."),
        }

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        regency = region_scope(actor).regency_code  # the operator's own kab/kota
        self.fields["centre"].queryset = Centre.objects.filter(regency_id=regency).order_by("name")
        self.fields["lead_enterprise"].queryset = Enterprise.objects.filter(
            centre__regency_id=regency
        ).select_related("centre")
        self.fields["lead_enterprise"].label_from_instance = lambda enterprise: (
            f"{enterprise.name} — {enterprise.centre.name}"
        )


class DocumentUploadForm(forms.Form):
    item = forms.ModelChoiceField(label=_("Document"), queryset=ChecklistItem.objects.none())
    file = forms.FileField(
        label=_("File (PDF, at most 10 MB)"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )

    def __init__(self, *args, proposal: Proposal, **kwargs):
        super().__init__(*args, **kwargs)
        item = cast("forms.ModelChoiceField[ChecklistItem]", self.fields["item"])
        item.queryset = proposal.round.cycle.checklist.all()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        clean_pdf(upload)
        return upload


class DocumentCheckForm(forms.Form):
    check_result = forms.ChoiceField(label=_("Check"), choices=DocumentCheck.choices)
    note = forms.CharField(
        label=_("Note"), max_length=300, required=False, validators=[single_line_text]
    )


class ReasonForm(forms.Form):
    reason = reason_form_field(_("Reason"))
