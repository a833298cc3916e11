from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    SUBMITTED = "submitted", _("Proposal submitted")
    RETURNED = "returned", _("Proposal returned")
    VERIFIED = "verified", _("Proposal verified")
    FORWARDED = "forwarded", _("Proposals forwarded")
    SCREENED = "screened", _("Screening result")
    DEADLINE = "deadline", _("Deadline reminder")
    DECIDED = "decided", _("Decisions published")
    # Stored as "expiry": the kind column holds 10 characters.
    CERTIFICATE_EXPIRY = "expiry", _("Certificates expiring")
