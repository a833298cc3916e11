from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from ovop.centres.enums import SalesChannel

kbli_validator = RegexValidator(r"^\d{5}$", _("A KBLI 2020 code has exactly 5 digits, e.g. 10792."))
nib_validator = RegexValidator(r"^\d{13}$", _("An NIB has exactly 13 digits, as printed by OSS."))

# More than there are channels: a list may repeat one, never run to thousands of items.
MAX_SALES_CHANNELS = 20


def validate_sales_channels(value: object) -> None:
    """A list of sales channel codes (``SalesChannel``), at most ``MAX_SALES_CHANNELS``."""
    codes = ", ".join(SalesChannel.values)
    if not isinstance(value, list):
        raise ValidationError(
            _("Give the sales channels as a list of codes: %(codes)s.") % {"codes": codes},
            code="invalid",
        )
    if len(value) > MAX_SALES_CHANNELS:
        raise ValidationError(
            _("Give at most %(limit)s sales channels.") % {"limit": MAX_SALES_CHANNELS},
            code="max_length",
        )
    unknown = [str(item)[:40] for item in value if item not in SalesChannel.values]
    if unknown:
        raise ValidationError(
            _("Unknown sales channel “%(value)s”; use these codes: %(codes)s.")
            % {"value": ", ".join(unknown[:3]), "codes": codes},
            code="invalid_choice",
        )
