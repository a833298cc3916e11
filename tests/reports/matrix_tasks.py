"""Permission-matrix row for the work queue API (reports/queues); merged into MATRIX.

Everyone signed in has a queue (possibly empty), scoped to what they may see; no
credentials → 401.
"""

from tests.conftest import PERSONAS

ALL = ["anonymous", *PERSONAS]

ROWS: dict = {
    "me-tasks": (
        lambda world: {},
        {persona: 401 if persona == "anonymous" else 200 for persona in ALL},
    ),
}
