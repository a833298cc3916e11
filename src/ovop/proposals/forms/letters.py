from django import forms

from ovop.proposals.models.letters import Letterhead


class LetterheadForm(forms.ModelForm):
    class Meta:
        model = Letterhead
        fields = [
            "office_name",
            "address",
            "phone",
            "email",
            "website",
            "city",
            "signer_name",
            "signer_title",
            "signer_nip",
            "number_pattern",
        ]
        widgets = {"address": forms.Textarea(attrs={"rows": 3})}
