"""Work for every persona, with counts known by heart (see ``queue_world``)."""

import datetime
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from ovop.evaluation.models import Assessment, Decision
from ovop.proposals.models import Transition
from ovop.regions.models import Region
from tests.evaluation.helpers import assign_directly, levels
from tests.factories import CentreFactory, CertificateFactory, make_proposal, make_round

RETURN_REASON = "SK penetapan sentra belum ditandatangani bupati."


def add_proposal(world, district: str, state: str, *, round_=None):
    return make_proposal(
        round_=round_ or world["round"], centre=CentreFactory(region_id=district), state=state
    )


def add_returned(world, district: str):
    proposal = add_proposal(world, district, "returned")
    Transition.objects.create(
        proposal=proposal,
        action="return",
        from_state="submitted",
        to_state="returned",
        actor=world["verifier"],
        reason=RETURN_REASON,
    )
    return proposal


def queue_world(world) -> dict:
    """On top of ``build_world`` (whose Banjar proposal is a draft), in the open round of 63:

    63.03 Banjar (operator):        1 draft, 1 returned (with RETURN_REASON), 0 of 2 submitted,
                                    1 certificate expiring in 10 days
    63.04 Barito Kuala (neighbour): 2 drafts, 1 returned, 1 verified (1 of 2 submitted)
    63.05 Tapin:                    1 submitted, 1 forwarded, 3 eligible (compliant)
    64 Kalimantan Timur:            its own open round, 1 submitted
    Eligible (Tapin): one assigned to the persona assessor and not started, one with the
    assessor's draft, one with a pending decision.
    """
    add_returned(world, "63.03.01")
    for _ in range(2):
        add_proposal(world, "63.04.01", "draft")
    world["returned_neighbour"] = add_returned(world, "63.04.01")
    world["verified_neighbour"] = add_proposal(world, "63.04.01", "verified")
    world["submitted_tapin"] = add_proposal(world, "63.05.01", "submitted")
    world["forwarded_tapin"] = add_proposal(world, "63.05.01", "forwarded")
    not_started, drafted, decided = (add_proposal(world, "63.05.01", "eligible") for _ in range(3))
    assign_directly(not_started, world["assessor"], by=world["admin"])
    draft = assign_directly(drafted, world["assessor"], by=world["admin"])
    Assessment.objects.create(assignment=draft, levels=levels(3))
    Decision.objects.create(
        proposal=decided,
        score=Decimal("72.00"),
        computed_stars=4,
        stars=4,
        decided_by=world["admin"],
    )
    round_64 = make_round(cycle=world["cycle"], province="64")
    district_64 = Region.objects.filter(parent_id="64.01").order_by("code").first()
    add_proposal(world, district_64.code, "submitted", round_=round_64)
    CertificateFactory(
        enterprise=world["enterprise_banjar"],
        number="BANJAR-SOON",
        expires_on=timezone.localdate() + datetime.timedelta(days=10),
    )
    return world


def proposals(**filters) -> str:
    query = "&".join(f"{key}={value}" for key, value in filters.items())
    return f"{reverse('proposals:list')}?{query}"


def expected(world) -> dict[str, dict[str, tuple[int, str]]]:
    """persona → task key → (count, url); see ``queue_world`` for where the counts come from."""
    round_63 = world["round"].pk
    cycle = world["cycle"].pk
    assignments = reverse("evaluation:my_assignments")
    return {
        "operator": {
            "certificates": (1, f"{reverse('home')}#expiry-title"),
            "drafts": (1, proposals(state="draft")),
            "returned": (1, proposals(state="returned")),
            "quota": (2, proposals(round=round_63)),
        },
        "operator_neighbour": {
            "drafts": (2, proposals(state="draft")),
            "returned": (1, proposals(state="returned")),
            "quota": (1, proposals(round=round_63)),
        },
        "verifier": {
            "to_verify": (1, proposals(state="submitted")),
            "to_forward": (1, reverse("letters:round_forward", kwargs={"pk": round_63})),
            "below_quota": (12, reverse("proposals:compliance", kwargs={"pk": round_63})),
        },
        "admin": {
            "to_screen": (1, proposals(state="forwarded")),
            "assessments_outstanding": (2, reverse("evaluation:cycle", kwargs={"pk": cycle})),
            "decisions_to_publish": (1, reverse("evaluation:decisions", kwargs={"pk": cycle})),
        },
        "assessor": {
            "to_score": (1, f"{assignments}?status=not_started"),
            "drafts_to_submit": (1, f"{assignments}?status=draft"),
        },
        "viewer": {
            "proposals_in_progress": (7, reverse("reports:dashboard")),
            "rated": (0, reverse("reports:annual")),
        },
    }
