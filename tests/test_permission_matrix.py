"""Every URL pattern × every persona, so a new view cannot ship without a scoping decision.

Add a row to MATRIX for each new route. `test_matrix_covers_every_route` fails until you do.
Statuses are for GET: 302 = sent to sign-in (screens) or onward, 401 = API without
credentials, 403 = visible but not allowed, 404 = not visible, 405 = wrong method.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import PERSONAS

ALL = ["anonymous", *PERSONAS]


def everyone(status: int, **overrides: int) -> dict[str, int]:
    return {persona: overrides.get(persona, status) for persona in ALL}


SIGNED_IN = everyone(200, anonymous=302)
API = everyone(200, anonymous=401)
USER_MANAGERS = everyone(403, anonymous=302, admin=200, verifier=200, verifier_other=200)


def no_kwargs(personas):
    return {}


def operator_pk(personas):
    return {"pk": personas["operator"].pk}


# url name → (kwargs builder, expected status per persona)
MATRIX = {
    "home": (no_kwargs, SIGNED_IN),
    "healthz": (no_kwargs, everyone(200)),
    "set_language": (no_kwargs, everyone(302)),
    "accounts:login": (no_kwargs, everyone(302, anonymous=200)),
    "accounts:logout": (no_kwargs, everyone(405)),
    "accounts:password_change": (no_kwargs, SIGNED_IN),
    "accounts:password_change_done": (no_kwargs, SIGNED_IN),
    "accounts:password_reset": (no_kwargs, everyone(200)),
    "accounts:password_reset_done": (no_kwargs, everyone(200)),
    "accounts:password_reset_confirm": (
        lambda personas: {"uidb64": "MQ", "token": "set-password"},
        everyone(200),
    ),
    "accounts:password_reset_complete": (no_kwargs, everyone(200)),
    "accounts:user_list": (no_kwargs, USER_MANAGERS),
    "accounts:user_export": (no_kwargs, USER_MANAGERS),
    "accounts:user_create": (no_kwargs, USER_MANAGERS),
    # The operator of 63.03: seen by admin, their province's verifier and themselves only.
    "accounts:user_detail": (
        operator_pk,
        everyone(404, anonymous=302, admin=200, verifier=200, operator=200),
    ),
    "accounts:user_edit": (
        operator_pk,
        everyone(404, anonymous=302, admin=200, verifier=200, operator=403),
    ),
    "regions:list": (no_kwargs, SIGNED_IN),
    "regions:detail": (lambda personas: {"code": "63.03"}, SIGNED_IN),
    "regions:export": (no_kwargs, SIGNED_IN),
    "api-root": (no_kwargs, API),
    "api-token": (no_kwargs, everyone(405)),
    "api-schema": (no_kwargs, everyone(200)),
    "api-docs": (no_kwargs, everyone(200)),
    "region-list": (no_kwargs, API),
    "region-detail": (lambda personas: {"code": "63.03"}, API),
}


def route_names(patterns=None, namespace: str = "") -> set[str]:
    names = set()
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= route_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            assert pattern.name, f"route {pattern.pattern} has no name"
            names.add(f"{namespace}{pattern.name}")
    return names


def test_matrix_covers_every_route():
    routes = route_names()
    assert routes - MATRIX.keys() == set(), "add these routes to MATRIX"
    assert MATRIX.keys() - routes == set(), "these MATRIX rows name no route"


@pytest.mark.parametrize("persona", ALL)
@pytest.mark.parametrize("url_name", sorted(MATRIX))
def test_route_answers_persona_as_expected(client, personas, persona, url_name):
    kwargs_for, expected = MATRIX[url_name]
    if persona != "anonymous":
        client.force_login(personas[persona])
    response = client.get(reverse(url_name, kwargs=kwargs_for(personas)))
    assert response.status_code == expected[persona], (
        f"{url_name} as {persona}: {response.status_code}, expected {expected[persona]}"
    )
    if persona == "anonymous" and expected[persona] == 302 and url_name != "set_language":
        assert response["Location"].startswith(reverse("accounts:login"))
