"""Named permission predicates for the proposal cycle. The state table is in services.py."""

import rules

from ovop.accounts.rules import is_admin, is_operator, is_verifier, is_viewer


@rules.predicate
def proposal_in_users_regency(user, proposal) -> bool:
    return proposal is not None and proposal.regency_id == user.region_id


@rules.predicate
def proposal_in_users_province(user, proposal) -> bool:
    return proposal is not None and proposal.round.province_id == user.region_id


@rules.predicate
def round_in_users_province(user, round_) -> bool:
    return round_ is not None and round_.province_id == user.region_id


can_edit_proposal = is_operator & proposal_in_users_regency
can_verify_proposal = is_verifier & proposal_in_users_province

rules.add_perm("proposals.add_proposal", is_operator)
rules.add_perm("proposals.change_proposal", can_edit_proposal)
rules.add_perm("proposals.submit_proposal", can_edit_proposal)
rules.add_perm("proposals.withdraw_proposal", can_edit_proposal)
rules.add_perm("proposals.verify_proposal", can_verify_proposal)
rules.add_perm("proposals.screen_proposal", is_admin)
rules.add_perm("proposals.decide_proposal", is_admin)
rules.add_perm("proposals.manage_cycles", is_admin)
rules.add_perm("proposals.view_national", is_admin | is_viewer)
rules.add_perm("proposals.add_round", is_admin | is_verifier)
rules.add_perm("proposals.change_round", is_admin | (is_verifier & round_in_users_province))
