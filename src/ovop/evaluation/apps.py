from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "ovop.evaluation"
    verbose_name = _("Evaluation")

    def ready(self) -> None:
        from ovop.evaluation import rules  # noqa: F401, PLC0415  (registers permissions once apps load)
