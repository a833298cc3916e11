from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class OwnerLevel(models.TextChoices):
    """Who runs a programme. By default it follows the centre's stars (domain brief)."""

    MINISTRY = "ministry", _("Ministry (Kemenperin)")
    PROVINCE = "province", _("Province (Disperin)")
    REGENCY = "regency", _("Regency/city (Dinas)")


class Focus(models.TextChoices):
    PRODUCT_INNOVATION = "product_innovation", _("Market-driven product innovation")
    MARKET_ACCESS = "market_access", _("Wider market access")
    IMAGE = "image", _("Image and branding")
    HR_DEVELOPMENT = "hr_development", _("Human resource development")


class Principle(models.TextChoices):
    LOCAL_YET_GLOBAL = "local_yet_global", _("Local yet global")
    SELF_RELIANCE = "self_reliance", _("Self-reliance and creativity")
    HUMAN_RESOURCES = "human_resources", _("Human resource development")


class ActivityKind(models.TextChoices):
    TRAINING = "training", _("Bimtek / training")
    DESIGN_CLINIC = "design_clinic", _("Design & packaging clinic")
    CERTIFICATION = "certification", _("Certification facilitation")
    EQUIPMENT = "equipment", _("Equipment aid")
    EXHIBITION = "exhibition", _("Exhibition / business matching")
    PROMOTION = "promotion", _("Promotion")
    MENTORING = "mentoring", _("Mentoring")


class EvidenceKind(models.TextChoices):
    PHOTO = "photo", _("Photo")
    ATTENDANCE = "attendance", _("Attendance sheet (PDF)")
    REPORT = "report", _("Report (PDF)")


class IndicatorKind(models.TextChoices):
    BASELINE = "baseline", pgettext_lazy("indicator", "Baseline")
    ACTUAL = "actual", pgettext_lazy("indicator", "Actual")
    TARGET = "target", pgettext_lazy("indicator", "Target")


# Owner level by the centre's stars when a programme is set up for a rated centre: the best
# centres are coached by the ministry towards export, the rest closer to home.
OWNER_BY_STARS = {
    5: OwnerLevel.MINISTRY,
    4: OwnerLevel.MINISTRY,
    3: OwnerLevel.PROVINCE,
    2: OwnerLevel.REGENCY,
    1: OwnerLevel.REGENCY,
}
