"""The home page's named permissions (issue 16)."""

import pytest


@pytest.mark.parametrize(
    ("permission", "holders"),
    [
        (
            "reports.have_work_queue",
            {"admin", "operator", "operator_neighbour", "verifier", "verifier_other", "assessor"},
        ),
        (
            "reports.see_area_register",
            {"admin", "operator", "operator_neighbour", "verifier", "verifier_other", "viewer"},
        ),
    ],
)
def test_home_permissions(personas, permission, holders):
    assert {name for name, user in personas.items() if user.has_perm(permission)} == holders
