"""The 2026 cycle and Kalimantan Selatan's round, with proposals in every workflow state.

Each proposal reaches its state through ``transition`` with the right people, so its
timeline reads like the real thing; those that went to the ministry went together under
the province's cover letter. Some kab/kota meet the quota of two, some do not.
"""

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from ovop.accounts.models import User
from ovop.centres.models import Centre, CommodityGroup
from ovop.proposals.enums import Action, CycleStatus, DocumentCheck
from ovop.proposals.models import Cycle, Proposal, ProposalDocument, Round
from ovop.proposals.services.cycles import advance_cycle
from ovop.proposals.services.forwarding import forward_round
from ovop.proposals.services.proposals import create_cycle, save_proposal, transition

DEMO_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"

# regency: the workflow path of its first and second centre ("" = not proposed)
PATHS = {
    "63.01": ("submitted", "submitted"),
    "63.02": ("verified", "forwarded"),
    "63.03": ("draft", "returned"),
    "63.04": ("submitted", "verified"),
    "63.05": ("withdrawn", ""),
    "63.06": ("forwarded", "eligible"),
    "63.07": ("ineligible", "forwarded"),
    "63.08": ("eligible", "eligible"),
    "63.09": ("draft", ""),
    "63.10": ("submitted", "submitted"),
    "63.11": ("", ""),
    "63.71": ("verified", "forwarded"),
    "63.72": ("submitted", ""),
}

# The moves (action, who, reason) that lead from draft to each state.
SUBMIT = (Action.SUBMIT, "operator", "")
VERIFY = (Action.VERIFY, "verifier", "")
FORWARD = (Action.FORWARD, "verifier", "")  # made by the round's forwarding, with its letter
STEPS = {
    "draft": [],
    "submitted": [SUBMIT],
    "returned": [
        SUBMIT,
        (
            Action.RETURN,
            "verifier",
            "SK penetapan sentra belum ditandatangani bupati; unggah ulang.",
        ),
    ],
    "withdrawn": [(Action.WITHDRAW, "operator", "Sentra belum siap tahun ini.")],
    "verified": [SUBMIT, VERIFY],
    "forwarded": [SUBMIT, VERIFY, FORWARD],
    "eligible": [SUBMIT, VERIFY, FORWARD, (Action.SCREEN_ELIGIBLE, "admin", "")],
    "ineligible": [
        SUBMIT,
        VERIFY,
        FORWARD,
        (Action.SCREEN_INELIGIBLE, "admin", "Unit IKM penghela belum memiliki NIB."),
    ],
}


def _cycle() -> Cycle:
    cycle = Cycle.objects.filter(year=2026).first()
    if cycle is None:
        cycle = create_cycle(
            year=2026,
            name="Penilaian OVOP 2026",
            star_scale=5,
            commodities=CommodityGroup.objects.all(),
        )
        cycle.proposal_deadline = datetime.date(2026, 12, 31)
        cycle.save()
        advance_cycle(
            cycle=cycle, target=CycleStatus.PROPOSAL, actor=User.objects.get(username="admin")
        )
    return cycle


def _attach_documents(proposal: Proposal, *, checked: bool) -> None:
    for item in proposal.round.cycle.checklist.all():
        document = ProposalDocument(
            proposal=proposal,
            item=item,
            check_result=DocumentCheck.OK if checked else DocumentCheck.PENDING,
        )
        document.file.save(f"{item.code}.pdf", ContentFile(DEMO_PDF), save=False)
        document.save()


def seed_proposals() -> int:
    """Create the demo round and its proposals once; returns how many proposals were made."""
    cycle = _cycle()
    if Round.objects.filter(cycle=cycle, province_id="63").exists():
        return 0
    now = timezone.now()
    round_ = Round.objects.create(
        cycle=cycle,
        province_id="63",
        opens_at=now - datetime.timedelta(days=30),
        deadline=now + datetime.timedelta(days=21),
        min_per_regency=2,
    )
    people = {
        "verifier": User.objects.get(username="verifikator-63"),
        "admin": User.objects.get(username="admin"),
    }
    created = 0
    after_forwarding: list[tuple[Proposal, list]] = []
    for regency, paths in PATHS.items():
        operator = User.objects.get(username=f"operator-{regency.replace('.', '')}")
        centres = list(Centre.objects.filter(regency_id=regency).order_by("pk")[:2])
        for centre, target in zip(centres, paths, strict=False):
            if not target:
                continue
            lead = centre.enterprises.order_by("pk").first()
            proposal = save_proposal(
                actor=operator,
                round_=round_,
                centre=centre,
                data={
                    "lead_enterprise": lead,
                    "featured_products": centre.main_product,
                    "local_yet_global": f"{centre.main_product} khas Kalimantan Selatan dari "
                    "bahan baku lokal, dipasarkan hingga luar daerah.",
                    "contact_name": operator.get_full_name(),
                    "contact_phone": "0511-4772010",
                },
            )
            _attach_documents(proposal, checked=target not in ("draft", "submitted"))
            steps = STEPS[target]
            if FORWARD in steps:
                after_forwarding.append((proposal, steps[steps.index(FORWARD) + 1 :]))
                steps = steps[: steps.index(FORWARD)]
            for action, who, reason in steps:
                actor = operator if who == "operator" else people[who]
                proposal = transition(proposal=proposal, action=action, actor=actor, reason=reason)
            created += 1
    forward_round(
        round_=round_,
        actor=people["verifier"],
        proposal_ids=[proposal.pk for proposal, _steps in after_forwarding],
    )
    advance_cycle(cycle=cycle, target=CycleStatus.SCREENING, actor=people["admin"])
    for proposal, steps in after_forwarding:
        proposal.refresh_from_db()
        for action, who, reason in steps:
            proposal = transition(
                proposal=proposal, action=action, actor=people[who], reason=reason
            )
    return created
