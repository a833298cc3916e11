from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ovop.notifications.enums import NotificationKind


class Notification(models.Model):
    """One message to one person, shown in their list and (when they have an address) e-mailed.

    Title and body are stored as rendered, in the recipient's language at the time: what
    they were told stays what they were told.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=NotificationKind.choices)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    url = models.CharField(_("link"), max_length=200, blank=True)
    proposal = models.ForeignKey(
        "proposals.Proposal",
        verbose_name=_("proposal"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    round = models.ForeignKey(
        "proposals.Round",
        verbose_name=_("round"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The unread badge and "mark all as read".
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
            # The list, newest first.
            models.Index(fields=["recipient", "-created_at"], name="notification_newest"),
        ]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
