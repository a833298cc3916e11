from typing import TYPE_CHECKING

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ovop.accounts.enums import Role
from ovop.accounts.scope import region_allowed_for_role
from ovop.common.validators import single_line_text
from ovop.regions.enums import RegionLevel

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise  # typing only: django-stubs is a dev dependency


class User(AbstractUser):
    """A person using ovop: one role, and the one region that role is scoped to.

    operator → a regency/city; verifier → a province; assessor → optional home province
    (used for conflicts of interest); viewer → optional province or regency (national when
    empty); admin → national.
    """

    # AbstractUser's names, refusing invisible and control characters (common.validators).
    first_name = models.CharField(
        _("first name"), max_length=150, blank=True, validators=[single_line_text]
    )
    last_name = models.CharField(
        _("last name"), max_length=150, blank=True, validators=[single_line_text]
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.VIEWER)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    organisation = models.CharField(
        _("organisation"), max_length=150, blank=True, validators=[single_line_text]
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    history = HistoricalRecords(excluded_fields=["password", "last_login"])
    # Read by django-simple-history when the row is saved (an attribute, not a field).
    _change_reason: str

    class Meta:
        ordering = ["username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def clean(self) -> None:
        super().clean()
        region = self.region  # None, without a query, when region_id is None
        level = region.level if region is not None else None
        if not region_allowed_for_role(role=self.role, level=level):
            raise ValidationError({"region": role_region_message(self.role)})

    @property
    def province_code(self) -> str | None:
        return self.region_id[:2] if self.region_id else None

    @property
    def scope_label(self) -> str:
        """The region a person works for, as shown on screens."""
        region = self.region  # None, without a query, when region_id is None
        if region is None:
            return str(_("National"))
        if region.level == RegionLevel.PROVINCE:
            return str(_("Province %(name)s") % {"name": region.name})
        return region.name


def role_region_message(role: str) -> "StrOrPromise":
    return {
        Role.ADMIN: _("An administrator works nationally: leave the region empty."),
        Role.OPERATOR: _("An operator needs one regency/city code, e.g. 63.03."),
        Role.VERIFIER: _("A verifier needs one province code, e.g. 63."),
        Role.ASSESSOR: _("An assessor's home region must be a province code, e.g. 63."),
        Role.VIEWER: _("A viewer's region must be a province or regency/city code, or empty."),
    }[Role(role)]
