from django.db import models
from django.utils.translation import gettext_lazy as _

from ovop.regions.enums import RegionLevel


class Region(models.Model):
    """A province, regency/city, district or village, keyed by its Kepmendagri code.

    Reference data loaded from idn-area-data (see regions/data/SOURCE.md); the code with dots
    is the key every other model uses.
    """

    code = models.CharField(_("code"), max_length=13, primary_key=True)
    name = models.CharField(_("name"), max_length=100, db_index=True)
    level = models.CharField(_("level"), max_length=8, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        indexes = [models.Index(fields=["level", "code"])]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def province_code(self) -> str:
        return self.code[:2]

    @property
    def regency_code(self) -> str | None:
        return self.code[:5] if self.level != RegionLevel.PROVINCE else None

    @property
    def is_city(self) -> bool:
        """Regency codes 71–99 are kota (cities), 01–69 kabupaten."""
        return self.level == RegionLevel.REGENCY and int(self.code[3:5]) >= 71

    def contains(self, other: "Region") -> bool:
        return other.code == self.code or other.code.startswith(self.code + ".")
