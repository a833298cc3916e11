"""Who may edit a centre's catalogue entry: whoever may change the centre."""

import rules

from ovop.centres.rules import can_change_centre

rules.add_perm("catalogue.change_entry", can_change_centre)
