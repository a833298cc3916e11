from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Aggregation(models.TextChoices):
    MEAN = "mean", _("Mean of the assessors' levels")
    MEDIAN = "median", _("Median of the assessors' levels")


class SuggestFrom(models.TextChoices):
    """Registry data that implies a level for a sub-criterion (the assessor confirms it)."""

    NONE = "", _("No suggestion")
    MARKET_REACH = "market_reach", _("The centre's market reach level")
    CERTIFICATES = "certificates", _("Permits and certificates held")
    WORKERS = "workers", _("Number of workers")


class AssignmentMethod(models.TextChoices):
    MANUAL = "manual", _("Manual")
    AUTOMATIC = "automatic", _("Automatic")


class DecisionStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("decision status", "Pending")
    PUBLISHED = "published", pgettext_lazy("decision status", "Published")


class RankingMethod(models.TextChoices):
    SAW = "saw", _("SAW (official score)")
    TOPSIS = "topsis", _("TOPSIS (closeness to the ideal)")
