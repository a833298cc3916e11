from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionLevel(models.TextChoices):
    PROVINCE = "province", _("Province")
    REGENCY = "regency", _("Regency/city")
    DISTRICT = "district", _("District")
    VILLAGE = "village", _("Village")


# Depth of each level in the code: "63" / "63.03" / "63.03.01" / "63.03.01.2001".
LEVEL_BY_PARTS = {
    1: RegionLevel.PROVINCE,
    2: RegionLevel.REGENCY,
    3: RegionLevel.DISTRICT,
    4: RegionLevel.VILLAGE,
}
