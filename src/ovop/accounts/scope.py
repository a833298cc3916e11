"""The one place that derives a person's regional scope from their role and region.

Every selector maps the returned :class:`RegionScope` to its own fields (a centre's
``regency_id``/``province_id``, a round's ``province_id``, …); no other code reads a user's
role and region to decide what they may see.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ovop.accounts.enums import ROLE_REGION_LEVELS, Role
from ovop.regions.enums import LEVEL_BY_PARTS, RegionLevel

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from ovop.accounts.models import User


class ScopeLevel(enum.StrEnum):
    NATIONAL = "national"
    PROVINCE = "province"
    REGENCY = "regency"
    # Nothing by region: signed out, inactive, an assessor (who sees what is assigned to them)
    # or an account without the region its role needs.
    NONE = "none"


@dataclass(frozen=True, slots=True)
class RegionScope:
    level: ScopeLevel
    code: str | None = None  # the province or regency code; None unless level is one of them

    @property
    def is_national(self) -> bool:
        return self.level == ScopeLevel.NATIONAL

    @property
    def is_none(self) -> bool:
        return self.level == ScopeLevel.NONE

    @property
    def is_province(self) -> bool:
        return self.level == ScopeLevel.PROVINCE

    @property
    def is_regency(self) -> bool:
        return self.level == ScopeLevel.REGENCY

    @property
    def is_regional(self) -> bool:
        return self.code is not None

    @property
    def province_code(self) -> str | None:
        """The province the scope lies in (a regency's own province), or None."""
        return self.code[:2] if self.code is not None else None

    @property
    def regency_code(self) -> str | None:
        return self.code if self.level == ScopeLevel.REGENCY else None


NATIONAL = RegionScope(ScopeLevel.NATIONAL)
NOWHERE = RegionScope(ScopeLevel.NONE)


def _level_of(code: str) -> ScopeLevel:
    # From the code's depth ("63" / "63.03"), so no query for the region row.
    level = LEVEL_BY_PARTS.get(code.count(".") + 1)
    return ScopeLevel.PROVINCE if level == RegionLevel.PROVINCE else ScopeLevel.REGENCY


def region_scope(user: User | AnonymousUser) -> RegionScope:
    """admin (or superuser): national; operator: their regency; verifier: their province;
    viewer: their province or regency, national without one; assessor and anyone else: none.
    """
    if not user.is_authenticated or not user.is_active:
        return NOWHERE
    if user.is_superuser or user.role == Role.ADMIN:
        return NATIONAL
    code = user.region_id
    if user.role == Role.VIEWER:
        return NATIONAL if code is None else RegionScope(_level_of(code), code)
    if code is None:
        return NOWHERE
    if user.role == Role.OPERATOR:
        return RegionScope(ScopeLevel.REGENCY, code)
    if user.role == Role.VERIFIER:
        return RegionScope(ScopeLevel.PROVINCE, code)
    return NOWHERE


def region_allowed_for_role(*, role: str, level: str | None) -> bool:
    """Whether an account of ``role`` may be tied to a region of ``level`` (None: no region)."""
    levels, required = ROLE_REGION_LEVELS[role]
    if level is None:
        return not required
    return level in levels
