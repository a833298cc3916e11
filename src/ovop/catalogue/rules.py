"""Who may edit a centre's catalogue entry: whoever may change the centre."""

from ovop.accounts.rules import is_admin, is_operator, is_verifier, is_viewer
from ovop.centres.rules import can_change_centre
from ovop.common.predicates import add_perm

add_perm("catalogue.change_entry", can_change_centre)
add_perm("catalogue.view_entries", is_admin | is_verifier | is_operator | is_viewer)
