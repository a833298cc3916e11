"""Permission-matrix rows for the evaluation routes (ranking part); merged into MATRIX.

Results (ranking, export, record) are for the ministry admin and national viewers; decisions
for the admin only. Cycles are visible to everyone signed in, so a cycle page answers 403,
never 404, to other roles. POST-only routes answer 405 to a GET from anyone signed in.
"""

from ovop.evaluation.services.decisions import fill_pending, publish_cycle
from tests.conftest import PERSONAS
from tests.evaluation.helpers import assigned_world, submit_directly

ALL = ["anonymous", *PERSONAS]


def everyone(status: int, **overrides: int) -> dict[str, int]:
    return {persona: overrides.get(persona, status) for persona in ALL}


RESULTS = everyone(403, anonymous=302, admin=200, viewer=200)
ADMIN_ONLY = everyone(403, anonymous=302, admin=200)
POST_ONLY = everyone(405, anonymous=302)
API_RESULTS = everyone(403, anonymous=401, admin=200, viewer=200)
API_POST_ONLY = everyone(405, anonymous=401)


def cycle(world) -> dict:
    return {"pk": world["cycle"].pk}


def scored_cycle(world) -> dict:
    """The Banjar proposal eligible, assigned and scored by an assessor from province 64."""
    submit_directly(assigned_world(world)["assignment"])
    return cycle(world)


def published_cycle(world) -> dict:
    """As ``scored_cycle``, with its decision set from the computed stars and published."""
    scored_cycle(world)
    fill_pending(cycle=world["cycle"], actor=world["admin"])
    publish_cycle(cycle=world["cycle"], actor=world["admin"])
    return cycle(world)


def banjar_proposal(world) -> dict:
    return {"pk": world["proposal_banjar"].pk}


ROWS: dict = {
    "evaluation:ranking": (scored_cycle, RESULTS),
    "evaluation:ranking_export": (scored_cycle, RESULTS),
    "evaluation:record_pdf": (published_cycle, RESULTS),
    "evaluation:decisions": (scored_cycle, ADMIN_ONLY),
    "evaluation:decisions_fill": (cycle, POST_ONLY),
    "evaluation:publish": (scored_cycle, ADMIN_ONLY),
    "evaluation:decide": (banjar_proposal, POST_ONLY),
    "cycle-ranking": (scored_cycle, API_RESULTS),
    "cycle-publish": (cycle, API_POST_ONLY),
    "proposal-decide": (banjar_proposal, API_POST_ONLY),
}
