from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """Base for every domain model: when a row was made and last changed.

    Who changed what (old and new values, and why) is recorded by django-simple-history:
    each concrete model declares ``history = HistoricalRecords()``.
    """

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True
