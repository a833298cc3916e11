"""Named permission predicates for the proposal cycle. The state table is in services.py.

Each region predicate is combined after a role predicate, so it sees a signed-in ``User``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ovop.accounts.rules import is_admin, is_operator, is_verifier, is_viewer
from ovop.common.predicates import add_perm, predicate

if TYPE_CHECKING:
    from ovop.accounts.models import User
    from ovop.proposals.models import Proposal, Round


@predicate
def proposal_in_users_regency(user: User, proposal: Proposal | None) -> bool:
    return proposal is not None and proposal.regency_id == user.region_id


@predicate
def proposal_in_users_province(user: User, proposal: Proposal | None) -> bool:
    return proposal is not None and proposal.round.province_id == user.region_id


@predicate
def round_in_users_province(user: User, round_: Round | None) -> bool:
    return round_ is not None and round_.province_id == user.region_id


can_edit_proposal = is_operator & proposal_in_users_regency
can_verify_proposal = is_verifier & proposal_in_users_province

add_perm("proposals.add_proposal", is_operator)
add_perm("proposals.change_proposal", can_edit_proposal)
add_perm("proposals.submit_proposal", can_edit_proposal)
add_perm("proposals.withdraw_proposal", can_edit_proposal)
add_perm("proposals.verify_proposal", can_verify_proposal)
add_perm("proposals.screen_proposal", is_admin)
add_perm("proposals.decide_proposal", is_admin)
add_perm("proposals.manage_cycles", is_admin)
add_perm("proposals.view_national", is_admin | is_viewer)
add_perm("proposals.add_round", is_admin | is_verifier)
add_perm("proposals.change_round", is_admin | (is_verifier & round_in_users_province))
