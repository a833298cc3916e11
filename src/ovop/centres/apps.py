from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CentresConfig(AppConfig):
    name = "ovop.centres"
    verbose_name = _("Sentra IKM registry")

    def ready(self) -> None:
        from ovop.centres import rules  # noqa: F401, PLC0415  registers permissions in ready()
