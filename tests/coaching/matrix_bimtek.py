"""Permission-matrix rows for the coaching routes (bimtek part); merged into MATRIX."""

import datetime

from ovop.coaching.models import BimtekAttendance, BimtekEvent
from tests.conftest import PERSONAS

ALL = ["anonymous", *PERSONAS]


def everyone(status: int, **overrides: int) -> dict[str, int]:
    return {persona: overrides.get(persona, status) for persona in ALL}


def _event_63(world):
    return BimtekEvent.objects.create(
        title="Bimtek penyusunan usulan OVOP",
        province_id="63",
        held_on=datetime.date(2026, 3, 10),
        place="Banjarbaru",
        created_by=world["verifier"],
    )


def event_63(world):
    return {"pk": _event_63(world).pk}


def attendee_63(world):
    attendance = BimtekAttendance.objects.create(
        event=_event_63(world),
        name="Rahmadi",
        position="Kabid Perindustrian",
        regency_id="63.03",
    )
    return {"pk": attendance.pk}


# Kalimantan Selatan's event: its province's people and the national roles see it; only the
# ministry and the province's verifier change it. Assessors see no Bimtek.
EVENT_63 = everyone(
    404, anonymous=302, admin=200, operator=200, operator_neighbour=200, verifier=200, viewer=200
)
EVENT_63_CHANGE = {**EVENT_63, "operator": 403, "operator_neighbour": 403, "viewer": 403}
ORGANISERS = everyone(403, anonymous=302, admin=200, verifier=200, verifier_other=200)
POST_ONLY = everyone(405, anonymous=302)

ROWS: dict = {
    "coaching:bimtek_list": (lambda world: {}, everyone(200, anonymous=302)),
    "coaching:bimtek_create": (lambda world: {}, ORGANISERS),
    "coaching:bimtek_detail": (event_63, EVENT_63),
    "coaching:bimtek_edit": (event_63, EVENT_63_CHANGE),
    "coaching:bimtek_attendee_add": (event_63, POST_ONLY),
    "coaching:bimtek_attendee_remove": (attendee_63, POST_ONLY),
}
