from typing import cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ovop.accounts.enums import Role
from ovop.accounts.models import User
from ovop.accounts.rules import is_verifier
from ovop.accounts.scope import region_scope
from ovop.accounts.services import check_role_and_region
from ovop.common.validators import single_line_text
from ovop.regions.enums import RegionLevel
from ovop.regions.models import Region


class UserForm(forms.Form):
    """Create or edit an account. A verifier may only manage operators of their province."""

    username = forms.RegexField(
        label=_("Username"),
        max_length=150,
        regex=r"^[\w.@+-]+$",
        help_text=_("Letters, digits and . @ + - _ only, e.g. operator-6303."),
    )
    first_name = forms.CharField(
        label=_("First name"), max_length=150, required=False, validators=[single_line_text]
    )
    last_name = forms.CharField(
        label=_("Last name"), max_length=150, required=False, validators=[single_line_text]
    )
    email = forms.EmailField(
        label=_("E-mail"),
        required=True,
        help_text=_("The link to set a password is sent here."),
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    region = forms.CharField(
        label=_("Region code"),
        required=False,
        help_text=_(
            "Regency/city code for an operator (63.03), province code for a verifier (63)."
        ),
    )
    organisation = forms.CharField(
        label=_("Organisation"), max_length=150, required=False, validators=[single_line_text]
    )
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, actor: User, instance: User | None = None, **kwargs):
        self.actor = actor
        self.instance = instance
        if instance is not None:
            kwargs.setdefault(
                "initial",
                {
                    "username": instance.username,
                    "first_name": instance.first_name,
                    "last_name": instance.last_name,
                    "email": instance.email,
                    "role": instance.role,
                    "region": instance.region_id or "",
                    "organisation": instance.organisation,
                    "phone": instance.phone,
                    "is_active": instance.is_active,
                },
            )
        super().__init__(*args, **kwargs)
        if instance is not None:
            self.fields["username"].disabled = True
        if is_verifier(actor):
            # A province's verifier provisions the operators of its kab/kota only.
            cast(forms.ChoiceField, self.fields["role"]).choices = [
                (Role.OPERATOR, Role.OPERATOR.label)
            ]
            regencies = Region.objects.filter(
                parent_id=region_scope(actor).code, level=RegionLevel.REGENCY
            ).order_by("code")
            self.fields["region"] = forms.ChoiceField(
                label=_("Regency/city"),
                choices=[(r.code, f"{r.code} {r.name}") for r in regencies],
            )
            if instance is not None:
                self.initial["region"] = instance.region_id

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        if self.instance is None and User.objects.filter(username__iexact=username).exists():
            raise ValidationError(_("This username is taken; choose another."))
        return username

    def clean(self):
        cleaned = super().clean()
        role, region = cleaned.get("role"), cleaned.get("region") or None
        if role:
            try:
                check_role_and_region(role=role, region_code=region)
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    self.add_error(field if field in self.fields else None, messages)
        return cleaned
