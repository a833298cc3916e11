from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """Dashboards and the annual report: read-only views across the programme's apps."""

    name = "ovop.reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        # Imported once apps load: the rules register permissions; the OVOP story joins the
        # centre page (centres.panels), right under its facts.
        from ovop.centres.panels import AFTER_FACTS, register_panel  # noqa: PLC0415
        from ovop.reports import rules  # noqa: F401, PLC0415
        from ovop.reports.panels import story_panel  # noqa: PLC0415

        register_panel("ovop-story", 10, story_panel, slot=AFTER_FACTS)
