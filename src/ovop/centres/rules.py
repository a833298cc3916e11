"""Named permission predicates for the registry. Visibility itself is in selectors.py.

Each region predicate is combined after a role predicate, so it sees a signed-in ``User``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ovop.accounts.rules import is_admin, is_operator
from ovop.accounts.scope import region_scope
from ovop.common.predicates import add_perm, predicate

if TYPE_CHECKING:
    from ovop.accounts.models import User
    from ovop.centres.models import Centre, Enterprise
    from ovop.regions.models import Region


@predicate
def centre_in_users_regency(user: User, centre: Centre | None) -> bool:
    regency = region_scope(user).regency_code
    return centre is not None and regency is not None and centre.regency_id == regency


@predicate
def region_in_users_regency(user: User, region: Region | None) -> bool:
    """The district or village lies in the regency the user works for."""
    regency = region_scope(user).regency_code
    return region is not None and regency is not None and region.code[:5] == regency


@predicate
def enterprise_in_users_regency(user: User, enterprise: Enterprise | None) -> bool:
    return enterprise is not None and centre_in_users_regency(user, enterprise.centre)


can_add_centre = is_admin | is_operator
can_change_centre = is_admin | (is_operator & centre_in_users_regency)
can_change_enterprise = is_admin | (is_operator & enterprise_in_users_regency)

add_perm("centres.add_centre", can_add_centre)
add_perm("centres.change_centre", can_change_centre)
add_perm("centres.delete_centre", can_change_centre)
add_perm("centres.import_centres", can_add_centre)
add_perm("centres.manage_commodities", is_admin)
# Changing anything inside a centre (units, certificates, photos, documents) follows the centre.
add_perm("centres.change_enterprise", can_change_enterprise)
