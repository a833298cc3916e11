from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoachingConfig(AppConfig):
    name = "ovop.coaching"
    verbose_name = _("Coaching")

    def ready(self) -> None:
        from ovop.coaching import rules  # noqa: F401, PLC0415  (registers permissions once apps load)
