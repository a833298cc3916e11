"""Every URL pattern × every persona, so a new view cannot ship without a scoping decision.

Add a row to MATRIX for each new route. `test_matrix_covers_every_route` fails until you do.
Statuses are for GET: 302 = sent to sign-in (screens) or onward, 401 = API without
credentials, 403 = visible but not allowed, 404 = not visible, 405 = wrong method.
"""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from ovop.notifications.models import Notification
from ovop.proposals.models.letters import CoverLetter
from tests.conftest import PERSONAS, TINY_PDF

ALL = ["anonymous", *PERSONAS]


def everyone(status: int, **overrides: int) -> dict[str, int]:
    return {persona: overrides.get(persona, status) for persona in ALL}


SIGNED_IN = everyone(200, anonymous=302)
API = everyone(200, anonymous=401)
USER_MANAGERS = everyone(403, anonymous=302, admin=200, verifier=200, verifier_other=200)


# Who sees the Banjar (63.03) centre, and who may change it.
BANJAR_VISIBLE = everyone(404, anonymous=302, admin=200, operator=200, verifier=200, viewer=200)
BANJAR_CHANGE = everyone(404, anonymous=302, admin=200, operator=200, verifier=403, viewer=403)
BANJAR_API = {**BANJAR_VISIBLE, "anonymous": 401}
ROUND_63 = everyone(
    404, anonymous=401, admin=200, operator=200, operator_neighbour=200, verifier=200, viewer=200
)
OPERATORS = everyone(403, anonymous=302, operator=200, operator_neighbour=200)
PROPOSAL_EDIT = everyone(404, anonymous=302, admin=403, operator=200, verifier=403, viewer=403)
ADMIN_ONLY = everyone(403, anonymous=302, admin=200)
CENTRE_ADDERS = everyone(403, anonymous=302, admin=200, operator=200, operator_neighbour=200)


def banjar(key: str):
    return lambda world: {"pk": world[f"{key}_banjar"].pk}


def operator_notification(world):
    notification = Notification.objects.create(
        recipient=world["operator"],
        kind="verified",
        title="Usulan diverifikasi",
        url=f"/proposals/{world['proposal_banjar'].pk}/",
        proposal=world["proposal_banjar"],
    )
    return {"pk": notification.pk}


def cover_letter_63(world):
    letter = CoverLetter.objects.create(
        round=world["round"],
        province_id="63",
        year=2026,
        sequence=1,
        number="500.11/1/DISPERIN/2026",
        date=datetime.date(2026, 5, 21),
        created_by=world["verifier"],
    )
    letter.pdf.save("letter.pdf", ContentFile(TINY_PDF))
    return {"pk": letter.pk}


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
    "centres:list": (no_kwargs, SIGNED_IN),
    "centres:create": (no_kwargs, CENTRE_ADDERS),
    "centres:map": (no_kwargs, SIGNED_IN),
    "centres:map_data": (no_kwargs, SIGNED_IN),
    "centres:detail": (banjar("centre"), BANJAR_VISIBLE),
    "centres:edit": (banjar("centre"), BANJAR_CHANGE),
    "centres:delete": (banjar("centre"), BANJAR_CHANGE),
    "centres:enterprise_create": (
        lambda world: {"centre_pk": world["centre_banjar"].pk},
        BANJAR_CHANGE,
    ),
    "centres:enterprise_edit": (banjar("enterprise"), BANJAR_CHANGE),
    "centres:enterprise_delete": (banjar("enterprise"), BANJAR_CHANGE),
    "centres:commodity_list": (no_kwargs, ADMIN_ONLY),
    "centres:commodity_create": (no_kwargs, ADMIN_ONLY),
    "centres:commodity_edit": (
        lambda world: {"pk": world["centre_banjar"].commodity_id},
        ADMIN_ONLY,
    ),
    "centre-list": (no_kwargs, API),
    "centre-detail": (banjar("centre"), BANJAR_API),
    "enterprise-list": (no_kwargs, API),
    "enterprise-detail": (banjar("enterprise"), BANJAR_API),
    "centres:photo_upload": (
        lambda world: {"centre_pk": world["centre_banjar"].pk},
        BANJAR_CHANGE,
    ),
    "centres:photo_file": (banjar("photo"), BANJAR_VISIBLE),
    "centres:photo_thumbnail": (banjar("photo"), BANJAR_VISIBLE),
    "centres:photo_delete": (banjar("photo"), BANJAR_CHANGE),
    "centres:document_upload": (
        lambda world: {"centre_pk": world["centre_banjar"].pk},
        BANJAR_CHANGE,
    ),
    "centres:document_file": (banjar("document"), BANJAR_VISIBLE),
    "centres:document_delete": (banjar("document"), BANJAR_CHANGE),
    # Importers: operators (any regency) and admins; anyone signed in exports what they see
    # (an assessor or another province's verifier gets an empty file).
    "centres:import": (no_kwargs, CENTRE_ADDERS),
    "centres:template": (no_kwargs, CENTRE_ADDERS),
    "centres:export": (no_kwargs, SIGNED_IN),
    "centre-template": (
        no_kwargs,
        everyone(403, anonymous=401, admin=200, operator=200, operator_neighbour=200),
    ),
    "centre-export": (no_kwargs, API),
    "centre-import": (no_kwargs, everyone(405, anonymous=401)),
    "proposals:list": (no_kwargs, SIGNED_IN),
    "proposals:export": (no_kwargs, SIGNED_IN),
    "proposals:round_list": (no_kwargs, SIGNED_IN),
    "proposals:create": (no_kwargs, OPERATORS),
    "proposals:cycle_create": (no_kwargs, ADMIN_ONLY),
    "proposals:cycle_edit": (lambda world: {"pk": world["cycle"].pk}, ADMIN_ONLY),
    # The confirmation page of the cycle's next step (the test world's cycle is in setup).
    "proposals:cycle_advance": (
        lambda world: {"pk": world["cycle"].pk, "status": "proposal"},
        ADMIN_ONLY,
    ),
    # A verifier opens their province's round (redirected to it when it exists already).
    "proposals:round_create": (
        lambda world: {"cycle_pk": world["cycle"].pk},
        everyone(403, anonymous=302, verifier=302, verifier_other=200),
    ),
    "proposals:round_edit": (
        lambda world: {"pk": world["round"].pk},
        {**ROUND_63, "anonymous": 302, "operator": 403, "operator_neighbour": 403, "viewer": 403},
    ),
    "proposals:detail": (banjar("proposal"), BANJAR_VISIBLE),
    "proposals:edit": (banjar("proposal"), PROPOSAL_EDIT),
    # The move's confirmation page: its operator may submit the Banjar draft.
    "proposals:move": (
        lambda world: {"pk": world["proposal_banjar"].pk, "action": "submit"},
        PROPOSAL_EDIT,
    ),
    "proposals:document_upload": (banjar("proposal"), everyone(405, anonymous=302)),
    "proposals:document_file": (banjar("proposal_document"), BANJAR_VISIBLE),
    "proposals:document_check": (banjar("proposal_document"), everyone(405, anonymous=302)),
    "proposals:compliance": (
        lambda world: {"pk": world["round"].pk},
        {**ROUND_63, "anonymous": 302},
    ),
    "proposals:national_compliance": (
        lambda world: {"pk": world["cycle"].pk},
        everyone(403, anonymous=302, admin=200, viewer=200),
    ),
    "notifications:list": (no_kwargs, SIGNED_IN),
    "notifications:mark_all_read": (no_kwargs, everyone(405, anonymous=302)),
    # Only its recipient opens a notification (and is sent on to its page).
    "notifications:open": (operator_notification, everyone(404, anonymous=302, operator=302)),
    "letters:cover_letter_pdf": (cover_letter_63, {**ROUND_63, "anonymous": 302}),
    "letters:proposal_dossier_pdf": (banjar("proposal"), BANJAR_VISIBLE),
    # Only the province's verifier forwards; others who see the round get 403.
    "letters:round_forward": (
        lambda world: {"pk": world["round"].pk},
        everyone(403, anonymous=302, verifier=200, verifier_other=404, assessor=404),
    ),
    "letters:letterhead_edit": (
        no_kwargs,
        everyone(403, anonymous=302, admin=200, verifier=200, verifier_other=200),
    ),
    "round-forward": (lambda world: {"pk": world["round"].pk}, everyone(405, anonymous=401)),
    "proposal-dossier": (banjar("proposal"), BANJAR_API),
    "cycle-list": (no_kwargs, API),
    "cycle-detail": (lambda world: {"pk": world["cycle"].pk}, API),
    "cycle-advance": (lambda world: {"pk": world["cycle"].pk}, everyone(405, anonymous=401)),
    # Kalimantan Selatan's round: its province's people and national roles see it.
    "round-list": (no_kwargs, API),
    "round-detail": (lambda world: {"pk": world["round"].pk}, ROUND_63),
    "round-compliance": (lambda world: {"pk": world["round"].pk}, ROUND_63),
    "proposal-list": (no_kwargs, API),
    "proposal-detail": (banjar("proposal"), BANJAR_API),
    # Workflow moves are POST only: GET is 405 for anyone signed in.
    **{
        f"proposal-{move}": (banjar("proposal"), everyone(405, anonymous=401))
        for move in ("submit", "withdraw", "return", "verify", "forward", "screen")
    },
    "api-root": (no_kwargs, API),
    "api-token": (no_kwargs, everyone(405)),
    "api-schema": (no_kwargs, everyone(200)),
    "api-docs": (no_kwargs, everyone(200)),
    "region-list": (no_kwargs, API),
    "region-detail": (lambda personas: {"code": "63.03"}, API),
}


# The evaluation's rows live beside its tests, one file per part of the app.
for _part in ("setup", "scoring", "ranking"):
    MATRIX.update(__import__(f"tests.evaluation.matrix_{_part}", fromlist=["ROWS"]).ROWS)
# And coaching's, the same way.
for _part in ("programmes", "indicators", "bimtek"):
    MATRIX.update(__import__(f"tests.coaching.matrix_{_part}", fromlist=["ROWS"]).ROWS)
for _module in (
    "catalogue.matrix_public",
    "catalogue.matrix_manage",
    "reports.matrix_dashboards",
    "reports.matrix_annual",
    "reports.matrix_tasks",
    "common.matrix_exports",
):
    MATRIX.update(__import__(f"tests.{_module}", fromlist=["ROWS"]).ROWS)


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
def test_route_answers_persona_as_expected(persona_client, module_world, persona, url_name):
    kwargs_for, expected = MATRIX[url_name]
    client = persona_client(persona)
    response = client.get(reverse(url_name, kwargs=kwargs_for(module_world)))
    if response.streaming:
        # Read file downloads to the end: the test client then closes them while the
        # test's transaction is shielded (an unread one may close the DB connection later).
        b"".join(response.streaming_content)
    assert response.status_code == expected[persona], (
        f"{url_name} as {persona}: {response.status_code}, expected {expected[persona]}"
    )
    if (
        persona == "anonymous"
        and expected[persona] == 302
        and url_name not in ("set_language", "catalogue:root")
    ):
        assert response["Location"].startswith(reverse("accounts:login"))
