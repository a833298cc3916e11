"""Permission-matrix rows (reports/matrix_dashboards); merged into MATRIX.

Everyone with ``reports.view_dashboard`` opens the dashboard of their own scope (their
province, or the country); assessors hold no dashboard. Asking for another province is tested
in test_dashboards.py (404), as the matrix sends no query string.
"""

from tests.conftest import PERSONAS

ALL = ["anonymous", *PERSONAS]


def everyone(status: int, **overrides: int) -> dict[str, int]:
    return {persona: overrides.get(persona, status) for persona in ALL}


def no_kwargs(world) -> dict:
    return {}


DASHBOARD_HOLDERS = everyone(200, anonymous=302, assessor=403)

ROWS: dict = {
    "reports:dashboard": (no_kwargs, DASHBOARD_HOLDERS),
    # Without ?section= the export sends the first section (proposals) as xlsx.
    "reports:dashboard_export": (no_kwargs, DASHBOARD_HOLDERS),
}
