from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from ovop.notifications.enums import NotificationKind
from ovop.notifications.outputs import messages


class Notification(models.Model):
    """One message to one person, shown in their list and (when they have an address) e-mailed.

    What it says is stored as a message key with JSON parameters
    (``notifications.outputs.messages``) and written out in the reader's language when it is
    read. Title and body are stored too, as e-mailed (in the recipient's language at the
    time): the fallback for rows from before keys and for a key that is no longer known.
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
    message_key = models.CharField(_("message key"), max_length=40, blank=True)
    params = models.JSONField(_("message parameters"), default=dict, blank=True)
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
        return self.display_title

    @cached_property
    def _displayed(self) -> tuple[str, str]:
        return messages.render(self.message_key, self.params, title=self.title, body=self.body)

    @property
    def display_title(self) -> str:
        """The title in the active language (the stored one for a row without a key)."""
        return self._displayed[0]

    @property
    def display_body(self) -> str:
        """The body in the active language (the stored one for a row without a key)."""
        return self._displayed[1]

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
