from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "ovop.evaluation"
    verbose_name = _("Evaluation")

    def ready(self) -> None:
        # Registers permissions, and joins the proposal workflow (its events and page panels),
        # once apps load.
        from ovop.evaluation import receivers, rules  # noqa: F401, PLC0415

        receivers.connect()
