"""Who sees which dashboard. The figures themselves are scoped by each app's selectors."""

from ovop.accounts.rules import is_admin, is_assessor, is_operator, is_verifier, is_viewer
from ovop.common.predicates import add_perm

add_perm("reports.view_dashboard", is_admin | is_viewer | is_verifier | is_operator)
add_perm("reports.view_national", is_admin | is_viewer)
# The home page: a queue of open work for those who act (a viewer only glances), and the card
# of the sentra in one's area (an assessor reads only the centres of assigned proposals).
add_perm("reports.have_work_queue", is_admin | is_operator | is_verifier | is_assessor)
add_perm("reports.see_area_register", is_admin | is_verifier | is_operator | is_viewer)
