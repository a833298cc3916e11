from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "ovop.accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from ovop.accounts import rules  # noqa: F401, PLC0415  registers permissions in ready()
