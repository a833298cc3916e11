"""Permission-matrix rows for the coaching routes (indicators part); merged into MATRIX."""

from ovop.coaching.models import Indicator
from tests.conftest import PERSONAS

ALL = ["anonymous", *PERSONAS]


def everyone(status: int, **overrides: int) -> dict[str, int]:
    return {persona: overrides.get(persona, status) for persona in ALL}


def banjar_centre(world):
    return {"centre_pk": world["centre_banjar"].pk}


def banjar_centre_pk(world):
    return {"pk": world["centre_banjar"].pk}


def banjar_indicator(world):
    indicator = Indicator.objects.create(
        centre=world["centre_banjar"], year=2026, kind="actual", production_value=1_000_000
    )
    return {"pk": indicator.pk}


def no_kwargs(world):
    return {}


# The Banjar centre is seen by the admin, Banjar's operator, the province's verifier and the
# national viewer; its figures are recorded by the admin, the operator and the verifier.
BANJAR_FIGURES = everyone(404, anonymous=302, admin=200, operator=200, verifier=200, viewer=403)
# Operators, verifiers and admins import (each for the centres they may change).
IMPORTERS = everyone(
    403,
    anonymous=302,
    admin=200,
    operator=200,
    operator_neighbour=200,
    verifier=200,
    verifier_other=200,
)

ROWS: dict = {
    "coaching:indicator_create": (banjar_centre, BANJAR_FIGURES),
    "coaching:indicator_edit": (banjar_indicator, BANJAR_FIGURES),
    # Anyone signed in exports the figures of the centres they see (maybe none).
    "coaching:indicator_export": (no_kwargs, everyone(200, anonymous=302)),
    "coaching:indicator_template": (no_kwargs, IMPORTERS),
    "coaching:indicator_import": (no_kwargs, IMPORTERS),
    "centre-indicators": (
        banjar_centre_pk,
        everyone(404, anonymous=401, admin=200, operator=200, verifier=200, viewer=200),
    ),
}
