"""Background work of notifications: sending the e-mails (SMTP is the slow part).

With the default immediate task backend the e-mails go out at once, as before; with
``OVOP_TASKS_BACKEND=database`` they are queued and the worker (``python -m ovop db_worker``,
the ovop-worker unit) sends them, so a workflow move never waits on a mail server.
Arguments are plain JSON: the e-mails are written (in the recipient's language) before they
are queued.
"""

import logging

from django.core.mail import EmailMessage, get_connection
from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def send_notification_emails(*, emails: list[dict[str, str]]) -> int:
    """Send prepared e-mails, each ``{"subject", "body", "to"}``; returns how many were sent."""
    messages = [
        EmailMessage(subject=email["subject"], body=email["body"], to=[email["to"]])
        for email in emails
    ]
    if not messages:
        return 0
    try:
        return get_connection().send_messages(messages) or 0
    except Exception:
        # The move is saved and the in-app entries exist; a mail outage must not undo either.
        logger.exception("Could not send %s notification e-mail(s)", len(messages))
        return 0
