"""Permission-matrix rows for the annual report (reports/annual part); merged into MATRIX.

Every reader of dashboards chooses a report; an assessor reads none (403). The PDF of
Kalimantan Selatan (63) is for the national roles and the province's own people; another
province's verifier is answered 404, as if it did not exist.
"""

from tests.conftest import PERSONAS

ALL = ["anonymous", *PERSONAS]


def everyone(status: int, **overrides: int) -> dict[str, int]:
    return {persona: overrides.get(persona, status) for persona in ALL}


def no_kwargs(world):
    return {}


def kalimantan_selatan(world):
    return {"cycle_pk": world["cycle"].pk, "province": "63"}


ROWS: dict = {
    "reports:annual": (no_kwargs, everyone(200, anonymous=302, assessor=403)),
    "reports:annual_pdf": (
        kalimantan_selatan,
        everyone(200, anonymous=302, assessor=403, verifier_other=404),
    ),
}
