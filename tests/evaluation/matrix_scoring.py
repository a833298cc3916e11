"""Permission-matrix rows for the evaluation routes (scoring part); merged into MATRIX."""

from tests.conftest import PERSONAS
from tests.evaluation.helpers import assigned_world

ALL = ["anonymous", *PERSONAS]


def everyone(status: int, **overrides: int) -> dict[str, int]:
    return {persona: overrides.get(persona, status) for persona in ALL}


def no_kwargs(world):
    return {}


def outsider_assignment(world):
    """An assignment of an assessor from province 64: none of the personas holds it."""
    return {"pk": assigned_world(world)["assignment"].pk}


def outsider_proposal(world):
    return {"pk": assigned_world(world)["proposal"].pk}


# Only assessors have assignments; the persona "assessor" has none, so its lists are empty.
ASSESSORS_ONLY = everyone(403, anonymous=302, assessor=200)

ROWS: dict = {
    "evaluation:my_assignments": (no_kwargs, ASSESSORS_ONLY),
    "evaluation:sheet_export": (no_kwargs, ASSESSORS_ONLY),
    "evaluation:sheet_import": (no_kwargs, ASSESSORS_ONLY),
    # The admin sees every assignment but scores none (403); nobody else sees this one.
    "evaluation:score": (outsider_assignment, everyone(404, anonymous=302, admin=403)),
    # POST only: 405 for anyone signed in.
    "evaluation:recuse": (outsider_assignment, everyone(405, anonymous=302)),
    # The Banjar proposal: its viewers see it but are not its assessor (403); the persona
    # assessor, from province 63, is not assigned and sees no proposal (404).
    "proposal-assessment": (
        outsider_proposal,
        everyone(403, anonymous=401, operator_neighbour=404, verifier_other=404, assessor=404),
    ),
}
