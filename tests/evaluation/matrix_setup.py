"""Permission-matrix rows for the evaluation routes (setup part); merged into MATRIX."""

from ovop.evaluation.models import ConflictDeclaration
from tests.conftest import PERSONAS
from tests.evaluation.helpers import assigned_world

ALL = ["anonymous", *PERSONAS]


def everyone(status: int, **overrides: int) -> dict[str, int]:
    return {persona: overrides.get(persona, status) for persona in ALL}


def cycle_pk(world):
    return {"pk": world["cycle"].pk}


def assessor_pk(world):
    return {"user_pk": world["assessor"].pk}


def banjar_proposal(world):
    return {"pk": world["proposal_banjar"].pk}


def assignment_pk(world):
    return {"pk": assigned_world(world)["assignment"].pk}


def assigned_proposal(world):
    return {"pk": assigned_world(world)["proposal"].pk}


def declaration_pk(world):
    declaration = ConflictDeclaration.objects.create(
        assessor=world["assessor"],
        centre=world["centre_banjar"],
        note="Pembina sentra",
        declared_by=world["assessor"],
    )
    return {"pk": declaration.pk}


ADMIN_ONLY = everyone(403, anonymous=302, admin=200)
# The ministry admin manages; the national viewer reads.
RESULTS = everyone(403, anonymous=302, admin=200, viewer=200)
POST_ONLY = everyone(405, anonymous=302)
# The Banjar proposal: visible to the admin, Banjar's operator, the province's verifier and
# the national viewer; the evaluation panel is for the admin and the national viewer.
BANJAR_PANEL = everyone(404, anonymous=302, admin=200, viewer=200, operator=403, verifier=403)

ROWS: dict = {
    "evaluation:index": (lambda world: {}, {**RESULTS, "assessor": 302}),
    "evaluation:cycle": (cycle_pk, RESULTS),
    "evaluation:auto_assign": (cycle_pk, POST_ONLY),
    "evaluation:rubric_edit": (cycle_pk, ADMIN_ONLY),
    "evaluation:bands_edit": (cycle_pk, ADMIN_ONLY),
    "evaluation:proposal": (banjar_proposal, BANJAR_PANEL),
    "evaluation:assign": (banjar_proposal, POST_ONLY),
    "evaluation:unassign": (assignment_pk, POST_ONLY),
    "evaluation:assessor_list": (lambda world: {}, ADMIN_ONLY),
    "evaluation:assessor_edit": (assessor_pk, ADMIN_ONLY),
    "evaluation:conflict_add": (assessor_pk, POST_ONLY),
    "evaluation:conflict_delete": (declaration_pk, POST_ONLY),
    "evaluation:my_conflicts": (lambda world: {}, everyone(403, anonymous=302, assessor=200)),
    # Admin only; others who see the proposal get 403, the rest 404.
    "proposal-assessors": (
        assigned_proposal,
        {**BANJAR_PANEL, "anonymous": 401, "viewer": 403},
    ),
}
