"""Who sees which dashboard. The figures themselves are scoped by each app's selectors."""

import rules

from ovop.accounts.rules import is_admin, is_operator, is_verifier, is_viewer

rules.add_perm("reports.view_dashboard", is_admin | is_viewer | is_verifier | is_operator)
rules.add_perm("reports.view_national", is_admin | is_viewer)
