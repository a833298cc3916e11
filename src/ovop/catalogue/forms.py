"""The office's form for a centre's catalogue entry."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from ovop.catalogue.models import CatalogueEntry
from ovop.centres.models import CentrePhoto

MAX_LINKS = 5


class CoverPhotoField(forms.ModelChoiceField):
    def label_from_instance(self, obj: CentrePhoto) -> str:
        return obj.caption or str(_("Photo without caption"))


class CatalogueEntryForm(forms.ModelForm):
    order_links = forms.CharField(
        label=_("Marketplace and shop links"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false", "autocapitalize": "off"}),
        help_text=_(
            "One full address per line, at most five, e.g. "
            "https://www.tokopedia.com/… or https://shopee.co.id/…"
        ),
    )
    cover_photo = CoverPhotoField(
        label=_("Cover photo"),
        queryset=CentrePhoto.objects.none(),
        required=False,
        empty_label=_("None chosen (the newest photo is used)"),
        widget=forms.RadioSelect,
        blank=True,  # a radio list offers "none" only when told so
    )

    class Meta:
        model = CatalogueEntry
        fields = [
            "story",
            "story_en",
            "order_links",
            "whatsapp",
            "phone",
            "email",
            "contact_public",
            "cover_photo",
        ]
        widgets = {
            "story": forms.Textarea(attrs={"rows": 6, "lang": "id"}),
            "story_en": forms.Textarea(attrs={"rows": 6, "lang": "en"}),
            "whatsapp": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
            "phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
        }
        labels = {
            "story": _("In Indonesian"),
            "story_en": _("In English"),
        }
        help_texts = {
            "story": _(
                "What makes the product special: its origin, materials and makers. "
                "Plain text, shown on the public page."
            ),
            "story_en": _("The same story for English-speaking visitors and buyers."),
            "whatsapp": _("With the country code, e.g. +62 812 5000 1234."),
        }

    def __init__(self, *args, centre, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cover_photo"].queryset = centre.photos.all()
        self.initial["order_links"] = "\n".join(self.instance.order_links or [])

    def clean_order_links(self) -> list[str]:
        """One link per line; an address typed without https:// gets it."""
        check = URLValidator(schemes=["https", "http"])
        links: list[str] = []
        errors = []
        for number, line in enumerate(self.cleaned_data["order_links"].splitlines(), start=1):
            typed = line.strip()
            if not typed:
                continue
            link = typed if "://" in typed else f"https://{typed}"
            try:
                check(link)
            except ValidationError:
                errors.append(
                    _("Line %(number)s is not a web address: %(link)s")
                    % {"number": number, "link": typed}
                )
            if link not in links:  # the same link twice is one link
                links.append(link)
        if len(links) > MAX_LINKS:
            errors.append(_("Give at most five links (%(count)s given).") % {"count": len(links)})
        if errors:
            raise ValidationError(errors)
        return links
