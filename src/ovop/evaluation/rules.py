"""Named permission predicates for the evaluation. Visibility is in selectors.py."""

import rules

from ovop.accounts.rules import is_admin, is_assessor, is_viewer


@rules.predicate
def is_national_viewer(user) -> bool:
    return user.region_id is None


@rules.predicate
def is_own_assignment(user, assignment) -> bool:
    return assignment is not None and assignment.assessor_id == user.pk


@rules.predicate
def assignment_is_active(user, assignment) -> bool:
    return assignment is not None and assignment.recused_at is None


can_score = is_assessor & is_own_assignment & assignment_is_active

rules.add_perm("evaluation.manage", is_admin)
rules.add_perm("evaluation.view_results", is_admin | (is_viewer & is_national_viewer))
rules.add_perm("evaluation.score", can_score)
rules.add_perm("evaluation.recuse", can_score)
rules.add_perm("evaluation.my_assignments", is_assessor)
rules.add_perm("evaluation.declare_conflict", is_admin | is_assessor)
