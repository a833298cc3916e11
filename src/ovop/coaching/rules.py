"""Named permission predicates for coaching. Visibility is in selectors.py."""

import rules

from ovop.accounts.rules import is_admin, is_operator, is_verifier, is_viewer


@rules.predicate
def owns_programme(user, programme) -> bool:
    """The office that runs it: the province's verifier or the kab/kota's operator."""
    return programme is not None and programme.owner_region_id == user.region_id


@rules.predicate
def owns_bimtek(user, event) -> bool:
    return event is not None and event.province_id == user.region_id


@rules.predicate
def centre_in_users_region(user, centre) -> bool:
    if centre is None or not user.region_id:
        return False
    return user.region_id in (centre.regency_id, centre.province_id)


can_run_programme = is_admin | ((is_verifier | is_operator) & owns_programme)

rules.add_perm("coaching.view", is_admin | is_verifier | is_operator | is_viewer)
rules.add_perm("coaching.add_programme", is_admin | is_verifier | is_operator)
rules.add_perm("coaching.change_programme", can_run_programme)
rules.add_perm("coaching.add_bimtek", is_admin | is_verifier)
rules.add_perm("coaching.change_bimtek", is_admin | (is_verifier & owns_bimtek))
rules.add_perm(
    "coaching.change_indicators", is_admin | ((is_verifier | is_operator) & centre_in_users_region)
)
rules.add_perm("coaching.import_indicators", is_admin | is_verifier | is_operator)
