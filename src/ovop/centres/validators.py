from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

kbli_validator = RegexValidator(r"^\d{5}$", _("A KBLI 2020 code has exactly 5 digits, e.g. 10792."))
nib_validator = RegexValidator(r"^\d{13}$", _("An NIB has exactly 13 digits, as printed by OSS."))
