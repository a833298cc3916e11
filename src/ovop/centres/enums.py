from django.db import models
from django.utils.translation import gettext_lazy as _


class MarketReach(models.TextChoices):
    """Ordered from smallest to widest reach (domain brief)."""

    LOCAL = "local", _("Local (village/district)")
    REGENCY = "regency", _("Regency/city")
    PROVINCE = "province", _("Regional/province")
    NATIONAL = "national", _("National")
    EXPORT = "export", _("Export")


MARKET_REACH_ORDER = [choice.value for choice in MarketReach]


class CapacityPeriod(models.TextChoices):
    DAY = "day", _("per day")
    WEEK = "week", _("per week")
    MONTH = "month", _("per month")
    YEAR = "year", _("per year")


class SizeClass(models.TextChoices):
    SMALL = "small", _("Small")
    MEDIUM = "medium", _("Medium")


class CertificateKind(models.TextChoices):
    SPP_IRT = "spp_irt", _("SPP-IRT")
    HALAL = "halal", _("Halal")
    BPOM_MD = "bpom_md", _("BPOM MD")
    SNI = "sni", _("SNI")
    BRAND = "brand", _("Trademark/IPR (merek/HKI)")
    OTHER = "other", _("Other")


class SalesChannel(models.TextChoices):
    DIRECT = "direct", _("Direct/shop")
    RESELLER = "reseller", _("Resellers/distributors")
    MARKETPLACE = "marketplace", _("Online marketplace")
    SOCIAL = "social", _("Social media")
    EXHIBITION = "exhibition", _("Exhibitions")
    EXPORTER = "exporter", _("Exporter/buyer")


class DocumentKind(models.TextChoices):
    DECREE = "decree", _("Decree (SK penetapan sentra)")
    PERMIT = "permit", _("Permit or certificate")
    OTHER = "other", _("Other document")
