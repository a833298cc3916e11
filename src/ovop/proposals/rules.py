"""Named permission predicates for the proposal cycle. The state table is in services/proposals.py.

Each region predicate is combined after a role predicate, so it sees a signed-in ``User``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ovop.accounts.rules import is_admin, is_operator, is_verifier, is_viewer, works_in_a_province
from ovop.accounts.scope import region_scope
from ovop.common.predicates import add_perm, predicate

if TYPE_CHECKING:
    from ovop.accounts.models import User
    from ovop.proposals.models import Proposal, Round
    from ovop.regions.models import Region


@predicate
def proposal_in_users_regency(user: User, proposal: Proposal | None) -> bool:
    return proposal is not None and proposal.regency_id == region_scope(user).regency_code


@predicate
def proposal_in_users_province(user: User, proposal: Proposal | None) -> bool:
    return proposal is not None and proposal.round.province_id == _users_province(user)


@predicate
def round_in_users_province(user: User, round_: Round | None) -> bool:
    return round_ is not None and round_.province_id == _users_province(user)


@predicate
def is_users_province(user: User, province: Region | None) -> bool:
    return province is not None and province.code == _users_province(user)


def _users_province(user: User) -> str | None:
    """The province a verifier works for (their scope); None for a national or regency one."""
    scope = region_scope(user)
    return scope.code if scope.is_province else None


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
# The province's Disperin opens its own round (domain: "sets the province's round"), on the
# screen and through the API alike; the ministry changes rounds once they exist.
can_open_round = is_verifier & works_in_a_province
can_open_round_for = is_verifier & is_users_province
# A letter from the province is not the ministry's to send, though the ministry may change it.
can_forward_round = is_verifier & round_in_users_province
can_edit_letterhead = is_admin | (is_verifier & is_users_province)

add_perm("proposals.add_round", can_open_round)
add_perm("proposals.change_round", is_admin | (is_verifier & round_in_users_province))
add_perm("proposals.forward_round", can_forward_round)
add_perm("proposals.edit_letterhead", can_edit_letterhead)
