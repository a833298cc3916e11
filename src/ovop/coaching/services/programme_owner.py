"""Who runs a new programme unless the person setting it up says otherwise.

A province's verifier or a kab/kota's operator can only run programmes for their own office,
so theirs is the answer. For the ministry the domain brief decides by the centres' stars:
the best centres are coached by the ministry, the middle by the province, the rest by their
kab/kota — and then the office is the centres' own province or kab/kota when they share one.
"""

from collections.abc import Iterable

from django.contrib.auth.models import AnonymousUser

from ovop.accounts.models import User
from ovop.accounts.scope import ScopeLevel, region_scope
from ovop.centres.models import Centre
from ovop.coaching.enums import OwnerLevel
from ovop.coaching.rules import runs_an_office
from ovop.coaching.services.programmes import default_owner_level


def office_level(user: User | AnonymousUser) -> str | None:
    """The level of the office a verifier or operator works for; None for everyone else."""
    if not runs_an_office(user):
        return None
    levels = {ScopeLevel.PROVINCE: OwnerLevel.PROVINCE, ScopeLevel.REGENCY: OwnerLevel.REGENCY}
    return levels.get(region_scope(user).level)


def suggested_owner_level(centres: Iterable[Centre]) -> str | None:
    """The level the centres' best published stars call for; None without centres."""
    centres = list(centres)
    return default_owner_level(centres) if centres else None


def initial_owner(user: User | AnonymousUser, centres: Iterable[Centre]) -> tuple[str, str | None]:
    """(owner level, owner region code) to prefill a new programme for ``centres``."""
    level = office_level(user)
    if level is not None:
        return level, region_scope(user).code
    centres = list(centres)
    if not centres:
        return OwnerLevel.MINISTRY, None
    level = default_owner_level(centres)
    if level == OwnerLevel.PROVINCE:
        regions = {centre.province_id for centre in centres}
    elif level == OwnerLevel.REGENCY:
        regions = {centre.regency_id for centre in centres}
    else:
        return OwnerLevel.MINISTRY, None
    return level, regions.pop() if len(regions) == 1 else None
