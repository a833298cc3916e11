from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "ovop.proposals"
    verbose_name = _("Proposals")

    def ready(self) -> None:
        from ovop.proposals import rules  # noqa: F401, PLC0415  registers permissions in ready()
