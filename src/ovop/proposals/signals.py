"""What proposals tells the apps that build on it (evaluation, notifications).

Proposals sits below them and may not import them, so it announces its events here and
they subscribe in their ``AppConfig.ready()``. Every signal is sent *inside* the service's
transaction: a receiver that writes (the new cycle's rubric) stays all-or-nothing with the
move, and one that reaches outside (notifications, mail) defers its work with
``transaction.on_commit`` so nobody hears of a move that was rolled back.
"""

from django.dispatch import Signal

# A cycle was created (``previous_scale`` None) or edited (its star scale before the edit).
# Keyword arguments: ``cycle``, ``previous_scale``.
cycle_saved = Signal()

# The cycle form asks before a cycle's star scale changes. Keyword arguments: ``cycle``,
# ``star_scale`` (the new one). A receiver answers with the reason the scale may not change,
# or ``None``.
star_scale_changing = Signal()

# One proposal made one table move (``services.transition``). Keyword arguments:
# ``proposal``, ``action``, ``actor``, ``reason``.
proposal_transitioned = Signal()

# A province forwarded a batch of verified proposals with one cover letter
# (``forwarding.forward_round``), after each of them was sent as ``proposal_transitioned``.
# Keyword arguments: ``round_``, ``proposals``, ``actor``.
round_forwarded = Signal()
