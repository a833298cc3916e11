from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Demo data for Kalimantan Selatan that walks the whole OVOP cycle.

    An app of its own because it spans every other app; nothing imports it.
    """

    name = "ovop.demo"
    verbose_name = _("Demo data")
