"""The changes after which `make bench` times every page again: PERFORMANCE.md's cold figure.

During an assessment week, between two page views somebody scores, the ministry sets a
decision, an operator edits a centre. ``Changes()`` makes all three at once, so every page
is timed right after a change that concerns it:

- a score submitted: one submitted assessment of the newest cycle gets other levels and is
  saved, which rewrites its proposal's stored result exactly as a submission does (a
  submitted assessment is final in the app; the bench alternates two sets of levels so the
  dataset stays the same from run to run);
- a decision set: one decision of the decided cycle changes its reason (the dashboards and
  the public catalogue read that cycle);
- a centre edited: a centre (in the bench, a rated one, shown in the catalogue and the
  rankings) changes its address.

Each is a ``save()``, so history, receivers and ``updated_at`` behave as they do for users.
"""

from django.db.models import QuerySet

from ovop.centres.models import Centre
from ovop.evaluation.models import Assessment, Decision

MARK = " (bench)"


class Changes:
    """Call to make the next change of each kind (alternating, so a run leaves no trace)."""

    def __init__(self, *, score_cycle, centres: QuerySet[Centre], decision_cycle=None) -> None:
        """A score of ``score_cycle``, a decision of ``decision_cycle`` (none: no decision
        changes) and the first of ``centres`` change."""
        self.assessment = (
            Assessment.objects.filter(
                assignment__proposal__round__cycle=score_cycle, submitted_at__isnull=False
            )
            .order_by("pk")
            .first()
        )
        self.decision = (
            Decision.objects.filter(proposal__round__cycle=decision_cycle).order_by("pk").first()
            if decision_cycle is not None
            else None
        )
        self.centre = centres.order_by("pk").first()
        if self.assessment is None or self.centre is None:
            raise RuntimeError("the bench dataset lacks a submitted score or a centre")
        if decision_cycle is not None and self.decision is None:
            raise RuntimeError("the decided cycle has no decision")
        # Turn 0 is the dataset as found, turn 1 the changed values.
        self.levels = [dict(self.assessment.levels), self._other(self.assessment.levels)]
        reason = self.decision.reason if self.decision else ""
        self.reasons = [reason, reason + MARK]
        self.addresses = [self.centre.address, self.centre.address + MARK]
        self.count = 0

    @staticmethod
    def _other(levels: dict) -> dict:
        """The same levels with the first one moved by one step (still 1–5)."""
        changed = dict(levels)
        code = sorted(changed)[0]
        changed[code] = changed[code] + 1 if changed[code] < 5 else changed[code] - 1
        return changed

    def __call__(self) -> None:
        self.count += 1
        turn = self.count % 2
        self.assessment.levels = self.levels[turn]
        self.assessment.save()
        if self.decision is not None:
            self.decision.reason = self.reasons[turn]
            self.decision.save()
        Centre.objects.get(pk=self.centre.pk)  # as an edit form reads it first
        self.centre.address = self.addresses[turn]
        self.centre.save()

    def restore(self) -> None:
        """Leave the dataset as it was found (after an even number of changes it is)."""
        if self.count % 2:
            self()
