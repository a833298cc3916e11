"""Upload forms for a centre's photos and documents; the checks are in services/uploads.py."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ovop.centres.enums import DocumentKind
from ovop.centres.models import CentreDocument, CentrePhoto
from ovop.centres.services.uploads import clean_pdf, clean_photo, megabytes_label
from ovop.common.validators import single_line_text

# Only a hint for the browser's file picker; the server checks the content regardless.
PHOTO_ACCEPT = "image/jpeg,image/png,image/webp,.jpg,.jpeg,.png,.webp"
PDF_ACCEPT = "application/pdf,.pdf"


class PhotoForm(forms.Form):
    file = forms.FileField(
        label=_("Photo"),
        widget=forms.FileInput(attrs={"accept": PHOTO_ACCEPT}),
    )
    caption = forms.CharField(
        label=_("Caption"),
        max_length=CentrePhoto._meta.get_field("caption").max_length,
        required=False,
        validators=[single_line_text],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Built per form so the limit follows settings and the text the active language.
        self.fields["file"].help_text = gettext(
            "JPEG, PNG or WebP, at most %(size)s MB. Location data is removed from the photo."
        ) % {"size": megabytes_label(settings.OVOP_MAX_PHOTO_BYTES)}

    def clean_file(self):
        # The processed photo (re-encoded, with thumbnail) replaces the raw upload, so the
        # service does not decode it a second time.
        return clean_photo(self.cleaned_data["file"])


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=DocumentKind.choices)
    title = forms.CharField(
        label=_("Title"),
        max_length=CentreDocument._meta.get_field("title").max_length,
        validators=[single_line_text],
    )
    file = forms.FileField(
        label=_("File (PDF)"),
        widget=forms.FileInput(attrs={"accept": PDF_ACCEPT}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = gettext("A PDF of at most %(size)s MB.") % {
            "size": megabytes_label(settings.OVOP_MAX_PDF_BYTES)
        }

    def clean_file(self):
        upload = self.cleaned_data["file"]
        clean_pdf(upload)
        return upload
