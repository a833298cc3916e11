"""Named permission predicates for coaching. Visibility is in selectors/visibility.py.

Each region predicate is combined after a role predicate, so it sees a signed-in ``User``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ovop.accounts.rules import is_admin, is_operator, is_verifier, is_viewer, works_in_a_region
from ovop.accounts.scope import region_scope
from ovop.common.predicates import add_perm, predicate

if TYPE_CHECKING:
    from ovop.accounts.models import User
    from ovop.centres.models import Centre
    from ovop.coaching.models import BimtekEvent, Programme
    from ovop.regions.models import Region


@predicate
def owns_programme(user: User, programme: Programme | None) -> bool:
    """The office that runs it: the province's verifier or the kab/kota's operator."""
    code = region_scope(user).code
    return programme is not None and code is not None and programme.owner_region_id == code


@predicate
def owns_bimtek(user: User, event: BimtekEvent | None) -> bool:
    code = region_scope(user).code
    return event is not None and code is not None and event.province_id == code


@predicate
def centre_in_users_region(user: User, centre: Centre | None) -> bool:
    code = region_scope(user).code
    if centre is None or code is None:
        return False
    return code in (centre.regency_id, centre.province_id)


@predicate
def regency_is_users(user: User, regency: Region | None) -> bool:
    return regency is not None and region_scope(user).regency_code == regency.code


# A province's or kab/kota's office (its verifier or operator) runs programmes for itself.
runs_an_office = is_verifier | is_operator
# An attendee's linked account is an operator of the kab/kota they came from.
is_operator_of_regency = is_operator & regency_is_users
can_run_programme = is_admin | ((is_verifier | is_operator) & owns_programme)

add_perm("coaching.view", is_admin | is_verifier | is_operator | is_viewer)
add_perm("coaching.add_programme", is_admin | is_verifier | is_operator)
add_perm("coaching.change_programme", can_run_programme)
add_perm("coaching.add_bimtek", is_admin | is_verifier)
add_perm("coaching.change_bimtek", is_admin | (is_verifier & owns_bimtek))
add_perm(
    "coaching.change_indicators", is_admin | ((is_verifier | is_operator) & centre_in_users_region)
)
add_perm("coaching.import_indicators", is_admin | is_verifier | is_operator)
# The dashboard's list of the area's expiring certificates (the ministry sees counts only).
add_perm("coaching.watch_certificates", (is_verifier | is_operator) & works_in_a_region)
