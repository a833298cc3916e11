from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "ovop.notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        # Subscribes to the proposal workflow's events once apps load.
        from ovop.notifications import receivers  # noqa: F401, PLC0415
