"""Coaching's part of evaluation's events (``ovop.evaluation.signals``).

Evaluation may not import coaching, so coaching subscribes here; ``CoachingConfig.ready()``
connects the receivers once apps load.
"""

from typing import Any

from django.dispatch import receiver

from ovop.coaching.outputs.notes import BASELINE_AT_PUBLICATION
from ovop.coaching.services.indicators import capture_baselines
from ovop.evaluation.models import Decision
from ovop.evaluation.signals import decisions_published
from ovop.proposals.models import Cycle


@receiver(decisions_published, dispatch_uid="coaching.baselines_of_published_decisions")
def take_baselines_of_rated_centres(
    *, cycle: Cycle, decisions: list[Decision], **_kwargs: Any
) -> None:
    """Coaching measures each rated centre against where it stood when it was selected; the
    note is stored as a key, so each reader sees it in their language. Runs in the
    publication's transaction."""
    capture_baselines(
        centre_ids=[d.proposal.centre_id for d in decisions if d.stars is not None],
        year=cycle.year,
        note_key=BASELINE_AT_PUBLICATION,
        note_params={"cycle": cycle.name},
    )
