"""Named permission predicates for the evaluation. Visibility is in selectors/visibility.py.

Each predicate below is combined after a role predicate, so it sees a signed-in ``User``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ovop.accounts.rules import is_admin, is_assessor, is_viewer
from ovop.accounts.scope import region_scope
from ovop.common.predicates import add_perm, predicate

if TYPE_CHECKING:
    from ovop.accounts.models import User
    from ovop.evaluation.models import Assignment


@predicate
def is_national_viewer(user: User) -> bool:
    return region_scope(user).is_national


@predicate
def is_own_assignment(user: User, assignment: Assignment | None) -> bool:
    return assignment is not None and assignment.assessor_id == user.pk


@predicate
def assignment_is_active(user: User, assignment: Assignment | None) -> bool:
    return assignment is not None and assignment.recused_at is None


can_score = is_assessor & is_own_assignment & assignment_is_active

add_perm("evaluation.manage", is_admin)
add_perm("evaluation.view_results", is_admin | (is_viewer & is_national_viewer))
add_perm("evaluation.score", can_score)
add_perm("evaluation.recuse", can_score)
add_perm("evaluation.my_assignments", is_assessor)
add_perm("evaluation.declare_conflict", is_admin | is_assessor)
