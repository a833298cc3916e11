from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoachingConfig(AppConfig):
    name = "ovop.coaching"
    verbose_name = _("Coaching")

    def ready(self) -> None:
        # Imported once apps load: the rules register permissions, the receivers join
        # evaluation's events and the panels the centre page (centres.panels).
        from ovop.centres.panels import register_panel  # noqa: PLC0415
        from ovop.coaching import receivers, rules  # noqa: F401, PLC0415
        from ovop.coaching.panels.activities import activities_panel  # noqa: PLC0415
        from ovop.coaching.panels.indicators import indicators_panel  # noqa: PLC0415

        # Its indicators, then the coaching it received, after the registry's records.
        register_panel("coaching-indicators", 10, indicators_panel)
        register_panel("coaching-activities", 20, activities_panel)
