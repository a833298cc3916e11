"""Permission-matrix rows for the coaching routes (programmes part); merged into MATRIX.

The world's programme is run by Banjar's office (63.03) for the Banjar sentra: Banjar's
operator and the admin change it; the province's verifier and the national viewer only see
it (through the sentra); the neighbouring operator, another province and an assessor
without assignments do not see it at all.
"""

from tests.coaching.programmes_builders import banjar_activity, banjar_programme, make_evidence
from tests.conftest import PERSONAS

ALL = ["anonymous", *PERSONAS]


def everyone(status: int, **overrides: int) -> dict[str, int]:
    return {persona: overrides.get(persona, status) for persona in ALL}


def banjar_evidence(world):
    return make_evidence(activity=banjar_activity(world), actor=world["operator"])


def programme_pk(world):
    return {"pk": banjar_programme(world).pk}


def activity_pk(world):
    return {"pk": banjar_activity(world).pk}


def evidence_pk(world):
    return {"pk": banjar_evidence(world).pk}


SIGNED_IN = everyone(200, anonymous=302)
API = everyone(200, anonymous=401)
ADDERS = everyone(
    403,
    anonymous=302,
    admin=200,
    operator=200,
    operator_neighbour=200,
    verifier=200,
    verifier_other=200,
)
VISIBLE = everyone(404, anonymous=302, admin=200, operator=200, verifier=200, viewer=200)
CHANGE = {**VISIBLE, "verifier": 403, "viewer": 403}
VISIBLE_API = {**VISIBLE, "anonymous": 401}
POST_ONLY = everyone(405, anonymous=302)

ROWS: dict = {
    "coaching:programme_list": (lambda world: {}, SIGNED_IN),
    "coaching:programme_create": (lambda world: {}, ADDERS),
    "coaching:programme_centre_choices": (lambda world: {}, ADDERS),
    "coaching:programme_detail": (programme_pk, VISIBLE),
    "coaching:programme_edit": (programme_pk, CHANGE),
    "coaching:programme_delete": (programme_pk, POST_ONLY),
    "coaching:activity_create": (lambda world: {"programme_pk": programme_pk(world)["pk"]}, CHANGE),
    "coaching:activity_detail": (activity_pk, VISIBLE),
    "coaching:activity_edit": (activity_pk, CHANGE),
    "coaching:activity_delete": (activity_pk, POST_ONLY),
    "coaching:evidence_upload": (activity_pk, POST_ONLY),
    "coaching:evidence_file": (evidence_pk, VISIBLE),
    "coaching:evidence_delete": (evidence_pk, POST_ONLY),
    "programme-list": (lambda world: {}, API),
    "programme-detail": (programme_pk, VISIBLE_API),
    "activity-list": (lambda world: {}, API),
    "activity-detail": (activity_pk, VISIBLE_API),
}
