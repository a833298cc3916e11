"""Who sees which dashboard. The figures themselves are scoped by each app's selectors."""

from ovop.accounts.rules import is_admin, is_operator, is_verifier, is_viewer
from ovop.common.predicates import add_perm

add_perm("reports.view_dashboard", is_admin | is_viewer | is_verifier | is_operator)
add_perm("reports.view_national", is_admin | is_viewer)
