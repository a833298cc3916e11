from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """Dashboards and the annual report: read-only views across the programme's apps."""

    name = "ovop.reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from ovop.reports import rules  # noqa: F401, PLC0415  (registers permissions once apps load)
