"""The evaluation story: a finished 2025 cycle with published stars, and the 2026 cycle's
assessment under way (assignments, drafts, submissions, one conflict declared).

Everything goes through the evaluation services, so the demo obeys the same rules as users.
Levels are derived from the centre's own registry data and a fixed per-centre quality, so
the result is the same on every machine.
"""

import datetime
import hashlib

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from ovop.accounts.models import User
from ovop.centres.models import Centre, CommodityGroup
from ovop.demo.proposals import _attach_documents
from ovop.evaluation.models import Assessment, Assignment, Decision
from ovop.evaluation.services.assignment import (
    assign,
    auto_assign,
    declare_conflict,
    save_profile,
)
from ovop.evaluation.services.decisions import fill_pending, publish_cycle, set_decision
from ovop.evaluation.services.rubric import ensure_rubric, subcriteria_of
from ovop.evaluation.services.scoring import save_assessment, suggestions_for
from ovop.proposals.enums import Action, CycleStatus, ProposalState
from ovop.proposals.models import Cycle, Proposal, Round, Transition
from ovop.proposals.models.letters import format_letter_number
from ovop.proposals.outputs.pdf import render_cover_letter
from ovop.proposals.services.cycles import advance_cycle
from ovop.proposals.services.forwarding import forward_round, letterhead_for
from ovop.proposals.services.proposals import create_cycle, save_proposal, transition

EXPERTISE = {
    "penilai-1": ["makanan-minuman"],
    "penilai-2": ["makanan-minuman"],
    "penilai-3": ["kain-batik", "anyaman"],
    "penilai-4": ["anyaman", "gerabah", "kayu"],
    "penilai-5": ["makanan-minuman", "anyaman"],
}
ASSESSORS_2025 = ["penilai-2", "penilai-3", "penilai-4"]
# The first centre of these kab/kota was proposed, screened eligible and rated in 2025.
REGENCIES_2025 = [
    "63.01",
    "63.02",
    "63.03",
    "63.04",
    "63.06",
    "63.07",
    "63.08",
    "63.09",
    "63.10",
    "63.71",
]
PUBLISHED_2025 = timezone.make_aware(datetime.datetime(2025, 10, 14, 10, 0))


@transaction.atomic
def seed_evaluation() -> bool:
    """Create the evaluation story once; answers whether anything was created."""
    if Cycle.objects.filter(year=2025).exists():
        return False
    admin = User.objects.get(username="admin")
    for username, codes in EXPERTISE.items():
        user = User.objects.get(username=username)
        save_profile(
            user=user,
            organisation=user.organisation,
            expertise=CommodityGroup.objects.filter(code__in=codes),
        )
    _cycle_2025(admin)
    _cycle_2026(admin)
    return True


def _quality(centre: Centre) -> int:
    """A stable 0–3 quality bonus per centre, so the ranking has a spread."""
    return int(hashlib.sha256(centre.name.encode()).hexdigest(), 16) % 4


def _levels_for(proposal: Proposal, subcriteria, assessor: User) -> tuple[dict, dict]:
    suggested = suggestions_for(centre=proposal.centre, subcriteria=subcriteria)
    base = 2 + _quality(proposal.centre)
    # Each assessor leans a little differently; penilai-4 is the strict one.
    lean = {"penilai-4": -1, "penilai-5": 1}.get(assessor.username, 0)
    levels, comments = {}, {}
    for index, sub in enumerate(subcriteria):
        if sub.code in suggested:
            levels[sub.code] = suggested[sub.code].level
            continue
        levels[sub.code] = max(1, min(5, base + (index % 3 == 0) + lean))
    comments["K2.3"] = "Kemasan sudah berlabel; perlu desain yang lebih menonjolkan ciri khas."
    return levels, comments


def _verified_proposal(round_, centre, operator, verifier) -> Proposal:
    proposal = save_proposal(
        actor=operator,
        round_=round_,
        centre=centre,
        data={
            "lead_enterprise": centre.enterprises.order_by("pk").first(),
            "featured_products": centre.main_product,
            "local_yet_global": f"{centre.main_product} dari bahan baku lokal Kalimantan "
            "Selatan, dipasarkan hingga luar daerah.",
            "contact_name": operator.get_full_name(),
        },
    )
    _attach_documents(proposal, checked=True)
    for action, actor in ((Action.SUBMIT, operator), (Action.VERIFY, verifier)):
        proposal = transition(proposal=proposal, action=action, actor=actor)
    return proposal


def _forward_and_screen(round_: Round, proposals: list[Proposal], verifier, admin) -> None:
    """The province's cover letter takes them to the ministry, which finds them eligible."""
    forward_round(round_=round_, actor=verifier, proposal_ids=[p.pk for p in proposals])
    advance_cycle(cycle=round_.cycle, target=CycleStatus.SCREENING, actor=admin)
    for proposal in proposals:
        proposal.refresh_from_db()
        transition(proposal=proposal, action=Action.SCREEN_ELIGIBLE, actor=admin)


def _cycle_2025(admin: User) -> None:
    cycle = create_cycle(
        year=2025,
        name="Penilaian OVOP 2025",
        star_scale=5,
        commodities=CommodityGroup.objects.all(),
    )
    advance_cycle(cycle=cycle, target=CycleStatus.PROPOSAL, actor=admin)
    now = timezone.now()
    round_ = Round.objects.create(
        cycle=cycle,
        province_id="63",
        opens_at=now - datetime.timedelta(days=1),
        deadline=now + datetime.timedelta(days=1),
    )
    verifier = User.objects.get(username="verifikator-63")
    subcriteria = subcriteria_of(ensure_rubric(cycle))
    assessors = list(User.objects.filter(username__in=ASSESSORS_2025).order_by("username"))
    proposals = []
    for regency in REGENCIES_2025:
        operator = User.objects.get(username=f"operator-{regency.replace('.', '')}")
        centre = Centre.objects.filter(regency_id=regency).order_by("pk").first()
        proposals.append(_verified_proposal(round_, centre, operator, verifier))
    _forward_and_screen(round_, proposals, verifier, admin)
    advance_cycle(cycle=cycle, target=CycleStatus.ASSESSMENT, actor=admin)
    for proposal in proposals:
        for assessor in assessors:
            assignment = assign(
                proposal=proposal,
                assessor=assessor,
                actor=admin,
                explanation="Penugasan panitia penilaian 2025.",
            )
            levels, comments = _levels_for(proposal, subcriteria, assessor)
            save_assessment(
                assignment=assignment, actor=assessor, levels=levels, comments=comments, submit=True
            )
    advance_cycle(cycle=cycle, target=CycleStatus.DECISION, actor=admin)
    fill_pending(cycle=cycle, actor=admin)
    # One deliberate deviation, with its reason, as a decision-maker would record it.
    lowest = Decision.objects.filter(proposal__round=round_).order_by("score", "pk")[0]
    set_decision(
        proposal=lowest.proposal,
        actor=admin,
        stars=None,
        reason="Produk belum memiliki izin edar yang masih berlaku saat verifikasi "
        "lapangan; diusulkan kembali tahun depan.",
    )
    publish_cycle(cycle=cycle, actor=admin)
    advance_cycle(cycle=cycle, target=CycleStatus.CLOSED, actor=admin)
    _backdate_2025(cycle, round_)


def _backdate_2025(cycle: Cycle, round_: Round) -> None:
    """Put the 2025 cycle's dates in 2025, where they belong."""
    opened = timezone.make_aware(datetime.datetime(2025, 3, 3, 8, 0))
    Round.objects.filter(pk=round_.pk).update(
        opens_at=opened, deadline=timezone.make_aware(datetime.datetime(2025, 5, 30, 16, 0))
    )
    Cycle.objects.filter(pk=cycle.pk).update(decision_by=PUBLISHED_2025.date())
    _backdate_letters(round_, opened + datetime.timedelta(days=92))
    proposals = Proposal.objects.filter(round=round_)
    proposals.update(submitted_at=timezone.make_aware(datetime.datetime(2025, 5, 20, 9, 0)))
    moves = Transition.objects.filter(proposal__round=round_).order_by("pk")
    days_after_opening: dict[str, int] = {
        Action.SUBMIT: 78,
        Action.VERIFY: 85,
        Action.FORWARD: 92,
        Action.SCREEN_ELIGIBLE: 120,
    }
    for step, move in enumerate(moves):
        days = days_after_opening.get(move.action, 225)
        at = opened + datetime.timedelta(days=days, minutes=step)
        Transition.objects.filter(pk=move.pk).update(at=at)
    Assessment.objects.filter(assignment__proposal__round=round_).update(
        submitted_at=timezone.make_aware(datetime.datetime(2025, 9, 15, 11, 0))
    )
    Decision.objects.filter(proposal__round=round_).update(published_at=PUBLISHED_2025)
    cycle.rubric.__class__.objects.filter(pk=cycle.rubric.pk).update(
        locked_at=timezone.make_aware(datetime.datetime(2025, 9, 15, 11, 0))
    )


def _backdate_letters(round_: Round, forwarded: datetime.datetime) -> None:
    """The 2025 cover letter: dated and numbered in 2025, and its PDF says so."""
    day = timezone.localdate(forwarded)
    for sequence, letter in enumerate(round_.cover_letters.order_by("pk"), start=1):
        letterhead = letterhead_for(round_.province)
        letter.date, letter.year, letter.sequence = day, day.year, sequence
        letter.number = format_letter_number(letterhead.number_pattern, sequence=sequence, date=day)
        letter.save(update_fields=["date", "year", "sequence", "number"])
        letter.pdf.save(
            f"{letter.pk}.pdf",
            ContentFile(render_cover_letter(letter=letter, letterhead=letterhead)),
            save=True,
        )


def _cycle_2026(admin: User) -> None:
    """Assessment under way for Kalimantan Selatan's eligible 2026 proposals."""
    cycle = Cycle.objects.get(year=2026)
    advance_cycle(cycle=cycle, target=CycleStatus.ASSESSMENT, actor=admin)
    penilai_1 = User.objects.get(username="penilai-1")
    amuntai = Centre.objects.filter(name="Sentra Anyaman Eceng Gondok Amuntai").first()
    if amuntai is not None:
        declare_conflict(
            assessor=penilai_1,
            actor=penilai_1,
            centre=amuntai,
            note="Kerabat pemilik salah satu unit IKM di sentra ini.",
        )
    auto_assign(cycle=cycle, actor=admin, per_proposal=3)
    subcriteria = subcriteria_of(ensure_rubric(cycle))
    eligible = Proposal.objects.filter(round__cycle=cycle, state=ProposalState.ELIGIBLE)
    assignments = (
        Assignment.objects.filter(proposal__in=eligible)
        .select_related("proposal__centre", "assessor")
        .order_by("proposal_id", "pk")
    )
    for index, assignment in enumerate(assignments):
        levels, comments = _levels_for(assignment.proposal, subcriteria, assignment.assessor)
        if index % 3 == 2:
            continue  # not started yet
        save_assessment(
            assignment=assignment,
            actor=assignment.assessor,
            levels=levels,
            comments=comments,
            submit=index % 3 == 0,
        )
    # Pending decisions from the stars computed so far: publishing them now is refused
    # until the missing assessments and the open drafts are dealt with (issue 15).
    fill_pending(cycle=cycle, actor=admin)
