"""Writing for the set-up screens: the whole rubric in one step, removing an assignment or a
declared conflict.

The rubric's checks (lock, weights summing to 100, unique codes) stay in
``services.rubric.save_rubric``; this adds what one screen edits around it — level
descriptors, new and removed sub-criteria — inside the same transaction, so a refusal
anywhere leaves the rubric exactly as it was.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from ovop.accounts.models import User
from ovop.common.refusals import Refused
from ovop.evaluation.models import (
    Assignment,
    ConflictDeclaration,
    Criterion,
    Level,
    Rubric,
    SubCriterion,
)
from ovop.evaluation.services.assignment import unassign
from ovop.evaluation.services.rubric import check_editable, save_rubric


@transaction.atomic
def save_whole_rubric(
    *,
    rubric: Rubric,
    criteria: list[Criterion],
    subcriteria: list[SubCriterion],
    removed: list[SubCriterion],
    levels: list[Level],
    settings: dict[str, object],
) -> Rubric:
    """Save an edited rubric: all or nothing.

    ``subcriteria`` is every sub-criterion kept or added (new ones unsaved), ``removed`` those
    to delete, ``levels`` every edited or new level (a new level may point at a new, still
    unsaved sub-criterion). Raises ``Refused`` when locked, ``ValidationError`` otherwise.
    """
    check_editable(rubric)
    save_rubric(rubric=rubric, subcriteria=subcriteria, criteria=criteria, settings=settings)
    removed_ids = [sub.pk for sub in removed if sub.pk]
    if removed_ids:
        SubCriterion.objects.filter(pk__in=removed_ids, criterion__rubric=rubric).delete()
    for level in levels:
        if level.subcriterion.pk in removed_ids:
            continue
        # A new sub-criterion got its key in save_rubric; point the level at it.
        level.subcriterion = level.subcriterion
        level.full_clean()
        level.save()
    return rubric


@transaction.atomic
def delete_conflict(*, declaration: ConflictDeclaration, actor: User) -> None:
    """The ministry admin removes a declared link (the history keeps it)."""
    if not actor.has_perm("evaluation.manage"):
        raise Refused(_("Only the ministry admin removes a declared conflict."), status=403)
    declaration._change_reason = _("Removed by %(actor)s") % {"actor": actor.username}
    declaration.delete()


@transaction.atomic
def remove_assignment(*, assignment: Assignment, actor: User) -> None:
    """Remove an assignment by hand; a recusal stays on record (it blocks re-assignment)."""
    if assignment.recused_at is not None:
        raise Refused(
            _(
                "%(user)s recused from this proposal; the recusal stays on record and "
                "cannot be removed."
            )
            % {"user": assignment.assessor.username}
        )
    unassign(assignment=assignment, actor=actor)
