"""Named permission predicates for the registry. Visibility itself is in selectors.py."""

import rules

from ovop.accounts.rules import is_admin, is_operator


@rules.predicate
def centre_in_users_regency(user, centre) -> bool:
    return (
        centre is not None and user.region_id is not None and (centre.regency_id == user.region_id)
    )


@rules.predicate
def enterprise_in_users_regency(user, enterprise) -> bool:
    return enterprise is not None and centre_in_users_regency(user, enterprise.centre)


can_add_centre = is_admin | is_operator
can_change_centre = is_admin | (is_operator & centre_in_users_regency)
can_change_enterprise = is_admin | (is_operator & enterprise_in_users_regency)

rules.add_perm("centres.add_centre", can_add_centre)
rules.add_perm("centres.change_centre", can_change_centre)
rules.add_perm("centres.delete_centre", can_change_centre)
rules.add_perm("centres.import_centres", can_add_centre)
rules.add_perm("centres.manage_commodities", is_admin)
# Changing anything inside a centre (units, certificates, photos, documents) follows the centre.
rules.add_perm("centres.change_enterprise", can_change_enterprise)
