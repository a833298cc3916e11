"""Named permission predicates for coaching. Visibility is in selectors.py.

Each region predicate is combined after a role predicate, so it sees a signed-in ``User``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ovop.accounts.rules import is_admin, is_operator, is_verifier, is_viewer
from ovop.common.predicates import add_perm, predicate

if TYPE_CHECKING:
    from ovop.accounts.models import User
    from ovop.centres.models import Centre
    from ovop.coaching.models import BimtekEvent, Programme


@predicate
def owns_programme(user: User, programme: Programme | None) -> bool:
    """The office that runs it: the province's verifier or the kab/kota's operator."""
    return programme is not None and programme.owner_region_id == user.region_id


@predicate
def owns_bimtek(user: User, event: BimtekEvent | None) -> bool:
    return event is not None and event.province_id == user.region_id


@predicate
def centre_in_users_region(user: User, centre: Centre | None) -> bool:
    if centre is None or not user.region_id:
        return False
    return user.region_id in (centre.regency_id, centre.province_id)


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
