"""Evaluation's part of the proposal workflow, joined through proposals' events and panels.

Proposals may not import evaluation; it announces a saved cycle and asks before a star scale
changes (ovop.proposals.signals), and shows the panels registered with it
(ovop.proposals.panels). ``EvaluationConfig.ready()`` connects these once apps load.
"""

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils.translation import gettext as _

from ovop.accounts.models import User
from ovop.evaluation.models import Assessment, Assignment, Decision, StarBand
from ovop.evaluation.selectors.visibility import decisions_visible_to
from ovop.evaluation.services.results import refresh_result
from ovop.evaluation.services.rubric import ensure_rubric, reset_bands
from ovop.proposals.models import Cycle, Proposal
from ovop.proposals.panels import register_panel
from ovop.proposals.signals import cycle_saved, star_scale_changing


@receiver(cycle_saved, dispatch_uid="evaluation.rubric_of_saved_cycle")
def give_cycle_its_rubric(*, cycle: Cycle, previous_scale: int | None, **_kwargs: Any) -> None:
    """A new cycle gets its rubric (the previous cycle's copy) and bands; a new star scale
    gets that scale's bands. Runs in the save's transaction, so all or nothing with it."""
    ensure_rubric(cycle)
    if previous_scale is not None and previous_scale != cycle.star_scale:
        reset_bands(cycle=cycle)


@receiver(star_scale_changing, dispatch_uid="evaluation.star_scale_after_decisions")
def refuse_scale_after_decisions(*, cycle: Cycle, star_scale: int, **_kwargs: Any) -> str | None:
    """The stars of existing decisions were counted on the cycle's bands; keep its scale."""
    if (
        StarBand.objects.filter(cycle=cycle).exists()
        and Decision.objects.filter(proposal__round__cycle=cycle).exists()
    ):
        return _("Decisions already exist in this cycle; its star scale can no longer change.")
    return None


@receiver(post_save, sender=Assessment, dispatch_uid="evaluation.result_of_submitted")
def store_result_of_submitted(*, instance: Assessment, raw: bool, **_kwargs: Any) -> None:
    """A submitted assessment rewrites its proposal's stored result, whoever saved it (the
    scoring service, a score sheet import, the demo), in the same transaction. A restore
    (``raw``) loads the stored results with the rest and is left alone."""
    if instance.submitted_at is not None and not raw:
        refresh_result(proposal_id=instance.assignment.proposal_id)


@receiver(post_save, sender=Assignment, dispatch_uid="evaluation.result_of_recused")
def store_result_of_recused(*, instance: Assignment, raw: bool, **_kwargs: Any) -> None:
    """A recused assessor's submitted levels no longer count."""
    if instance.recused_at is not None and not raw:
        refresh_result(proposal_id=instance.proposal_id)


def proposal_section(proposal: Proposal, user: User) -> dict[str, Any] | None:
    """The evaluation's part of a proposal's page: the result, and each role's way in."""
    # Pending decisions stay inside the ministry until published.
    decision = decisions_visible_to(user).filter(proposal=proposal).first()
    assignment = Assignment.objects.filter(
        proposal=proposal, assessor=user, recused_at__isnull=True
    ).first()
    can_view_evaluation = user.has_perm("evaluation.view_results")
    if not (decision or assignment or can_view_evaluation):
        return None
    return {
        "decision": decision,
        "my_assignment": assignment,
        "can_view_evaluation": can_view_evaluation,
    }


def connect() -> None:
    """Register the panels (the receivers above connect when this module is imported)."""
    register_panel(template="evaluation/_proposal_section.html", context=proposal_section)
