"""Who scores what: conflicts as hard rules, manual and automatic assignment, recusal."""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ovop.accounts.enums import Role
from ovop.accounts.models import User
from ovop.accounts.rules import is_assessor
from ovop.centres.models import Centre, CommodityGroup, Enterprise
from ovop.common.refusals import Refused
from ovop.evaluation.enums import AssignmentMethod
from ovop.evaluation.models import Assessment, AssessorProfile, Assignment, ConflictDeclaration
from ovop.evaluation.services.rubric import ensure_rubric
from ovop.proposals.enums import ProposalState
from ovop.proposals.models import Cycle, Proposal

# Proposals that are being evaluated: screened eligible and not yet decided.
ASSIGNABLE_STATES = {ProposalState.ELIGIBLE}


def active_assessors() -> QuerySet[User]:
    return User.objects.filter(role=Role.ASSESSOR, is_active=True).order_by("username")


def declared_centres(assessor_ids: Iterable[int]) -> dict[int, set[int]]:
    """assessor id → centres they declared a link to, directly or through an enterprise."""
    linked: dict[int, set[int]] = defaultdict(set)
    rows = ConflictDeclaration.objects.filter(assessor_id__in=assessor_ids).values_list(
        "assessor_id", "centre_id", "enterprise__centre_id"
    )
    for assessor_id, centre_id, enterprise_centre_id in rows:
        linked[assessor_id].update(pk for pk in (centre_id, enterprise_centre_id) if pk)
    return linked


def conflicts_for(*, assessor: User, proposal: Proposal) -> list[str]:
    """Every hard conflict between an assessor and a proposal, as sentences; [] when none."""
    reasons = []
    if assessor.province_code == proposal.round.province_id:
        reasons.append(
            _("%(assessor)s's home province is %(province)s, the proposal's province.")
            % {
                "assessor": assessor.get_full_name() or assessor.username,
                "province": proposal.round.province.name,
            }
        )
    declarations = ConflictDeclaration.objects.filter(assessor=assessor).select_related(
        "centre", "enterprise"
    )
    for declaration in declarations:
        if declaration.centre_id == proposal.centre_id:
            reasons.append(_("Declared link to the sentra: %(note)s") % {"note": declaration.note})
        elif (
            enterprise := declaration.enterprise
        ) is not None and enterprise.centre_id == proposal.centre_id:
            reasons.append(
                _("Declared link to %(enterprise)s: %(note)s")
                % {"enterprise": enterprise.name, "note": declaration.note}
            )
    recused = Assignment.objects.filter(
        proposal=proposal, assessor=assessor, recused_at__isnull=False
    ).first()
    if recused:
        reasons.append(
            _("Recused from this proposal: %(reason)s") % {"reason": recused.recusal_reason}
        )
    return reasons


def _check_assignable(proposal: Proposal) -> None:
    if proposal.state not in ASSIGNABLE_STATES:
        raise Refused(
            _("Only proposals screened eligible are assessed; this one is “%(state)s”.")
            % {"state": ProposalState(proposal.state).label}
        )


@transaction.atomic
def assign(*, proposal: Proposal, assessor: User, actor: User, explanation: str = "") -> Assignment:
    """Assign by hand; refused (409) with the conflict named, or when already assigned."""
    _check_assignable(proposal)
    if not is_assessor(assessor) or not assessor.is_active:
        raise Refused(
            _("%(user)s is not an active assessor.") % {"user": assessor.username}, status=400
        )
    conflicts = conflicts_for(assessor=assessor, proposal=proposal)
    if conflicts:
        raise Refused(_("Conflict of interest: %(conflicts)s") % {"conflicts": " ".join(conflicts)})
    if Assignment.objects.filter(proposal=proposal, assessor=assessor).exists():
        raise Refused(
            _("%(user)s is already assigned to this proposal.") % {"user": assessor.username}
        )
    try:
        with transaction.atomic():
            return Assignment.objects.create(
                proposal=proposal,
                assessor=assessor,
                method=AssignmentMethod.MANUAL,
                explanation=explanation or _("Assigned by %(actor)s.") % {"actor": actor.username},
                assigned_by=actor,
            )
    except IntegrityError as error:  # a concurrent identical assignment
        raise Refused(
            _("%(user)s is already assigned to this proposal.") % {"user": assessor.username}
        ) from error


@transaction.atomic
def unassign(*, assignment: Assignment, actor: User) -> None:
    """Remove an assignment that has no submitted assessment."""
    submitted = Assessment.objects.filter(assignment=assignment, submitted_at__isnull=False)
    if submitted.exists():
        raise Refused(
            _(
                "This assessor has already submitted a score; it cannot be removed. "
                "The assessor may recuse instead."
            )
        )
    assignment.delete()


@transaction.atomic
def recuse(*, assignment: Assignment, actor: User, reason: str) -> Assignment:
    """The assessor steps back; the row stays for the record and blocks re-assignment."""
    reason = (reason or "").strip()
    if not reason:
        raise Refused(_("Say why you recuse; the ministry will see it."), status=400)
    if assignment.recused_at is not None:
        raise Refused(_("You have already recused from this proposal."))
    if Assessment.objects.filter(assignment=assignment, submitted_at__isnull=False).exists():
        raise Refused(
            _("Your assessment is already submitted; ask the ministry admin to set it aside.")
        )
    assignment.recused_at = timezone.now()
    assignment.recusal_reason = reason
    assignment._change_reason = reason
    assignment.save()
    return assignment


def save_profile(
    *, user: User, organisation: str, expertise: Iterable[CommodityGroup | int]
) -> AssessorProfile:
    """An assessor's organisation (kept on the account) and expertise."""
    if user.organisation != organisation:
        user.organisation = organisation
        user._change_reason = _("Assessor profile")
        user.full_clean()
        user.save()
    profile, _created = AssessorProfile.objects.get_or_create(user=user)
    profile.expertise.set(expertise)
    return profile


def declare_conflict(
    *,
    assessor: User,
    actor: User,
    note: str,
    centre: Centre | None = None,
    enterprise: Enterprise | None = None,
) -> ConflictDeclaration:
    if centre is None and enterprise is None:
        raise Refused(_("Name the sentra or the IKM unit the link is with."), status=400)
    declaration = ConflictDeclaration(
        assessor=assessor,
        declared_by=actor,
        note=note.strip(),
        centre=centre,
        enterprise=enterprise,
    )
    declaration.full_clean()
    declaration.save()
    return declaration


@dataclass
class AutoResult:
    created: list[Assignment] = field(default_factory=list)
    short: dict[int, int] = field(default_factory=dict)  # proposal id → seats left unfilled


@dataclass
class _Candidate:
    user: User
    province: str
    expertise: set[int]
    load: int


def auto_assign(*, cycle: Cycle, actor: User, per_proposal: int | None = None) -> AutoResult:
    """Fill every eligible proposal up to N assessors, balanced and never conflicted.

    Deterministic: proposals are taken with the fewest possible assessors first (then by id);
    each seat goes to the least-loaded unconflicted assessor, an expertise match breaking
    load ties, then the username. A final pass moves seats from the most to the least loaded
    assessor while that is possible without a conflict, so max − min load ≤ 1 where feasible.
    """
    per_proposal = per_proposal or ensure_rubric(cycle).assessors_per_proposal
    proposals = list(
        Proposal.objects.filter(round__cycle=cycle, state__in=ASSIGNABLE_STATES)
        .select_related("round", "centre")
        .order_by("pk")
    )
    candidates = _candidates(cycle)
    linked = declared_centres(candidates)
    seats: dict[int, set[int]] = defaultdict(set)  # proposal → assessors (active or recused)
    for proposal_id, assessor_id in Assignment.objects.filter(
        proposal__round__cycle=cycle
    ).values_list("proposal_id", "assessor_id"):
        seats[proposal_id].add(assessor_id)
    active_counts: dict[int, int] = defaultdict(int)
    for proposal_id in Assignment.objects.filter(
        proposal__round__cycle=cycle, recused_at__isnull=True
    ).values_list("proposal_id", flat=True):
        active_counts[proposal_id] += 1

    def allowed(candidate: _Candidate, proposal: Proposal) -> bool:
        return (
            candidate.province != proposal.round.province_id
            and proposal.centre_id not in linked.get(candidate.user.pk, ())
            and candidate.user.pk not in seats[proposal.pk]
        )

    options = {p.pk: sum(allowed(c, p) for c in candidates.values()) for p in proposals}
    proposals.sort(key=lambda p: (options[p.pk], p.pk))
    plan: dict[int, list[tuple[_Candidate, bool]]] = defaultdict(list)
    result = AutoResult()
    for proposal in proposals:
        needed = per_proposal - active_counts[proposal.pk]
        for _seat in range(max(needed, 0)):
            eligible = [c for c in candidates.values() if allowed(c, proposal)]
            if not eligible:
                result.short[proposal.pk] = per_proposal - active_counts[proposal.pk]
                break
            chosen = min(
                eligible,
                key=lambda c: (
                    c.load,
                    proposal.centre.commodity_id not in c.expertise,
                    c.user.username,
                ),
            )
            chosen.load += 1
            seats[proposal.pk].add(chosen.user.pk)
            active_counts[proposal.pk] += 1
            plan[proposal.pk].append((chosen, proposal.centre.commodity_id in chosen.expertise))
    _rebalance(plan, proposals, candidates, allowed, seats)
    with transaction.atomic():
        for proposal in proposals:
            for candidate, match in plan.get(proposal.pk, []):
                result.created.append(
                    Assignment(
                        proposal=proposal,
                        assessor=candidate.user,
                        method=AssignmentMethod.AUTOMATIC,
                        explanation=_explain(candidate, match, proposal),
                        assigned_by=actor,
                    )
                )
        Assignment.objects.bulk_create(result.created)
    return result


def _candidates(cycle: Cycle) -> dict[int, _Candidate]:
    loads: dict[int, int] = defaultdict(int)
    for assessor_id in Assignment.objects.filter(
        proposal__round__cycle=cycle, recused_at__isnull=True
    ).values_list("assessor_id", flat=True):
        loads[assessor_id] += 1
    expertise: dict[int, set[int]] = defaultdict(set)
    through = AssessorProfile.expertise.through
    for user_id, group_id in through.objects.values_list(
        "assessorprofile__user_id", "commoditygroup_id"
    ):
        expertise[user_id].add(group_id)
    return {
        user.pk: _Candidate(user, user.province_code or "", expertise[user.pk], loads[user.pk])
        for user in active_assessors()
    }


def _rebalance(
    plan: dict[int, list[tuple[_Candidate, bool]]],
    proposals: list[Proposal],
    candidates: dict[int, _Candidate],
    allowed: Callable[[_Candidate, Proposal], bool],
    seats: dict[int, set[int]],
) -> None:
    """Move new seats from the busiest to the least busy assessor while it helps."""
    by_id = {p.pk: p for p in proposals}
    for _round in range(10 * max(len(candidates), 1)):
        if not candidates:
            return
        ordered = sorted(candidates.values(), key=lambda c: (c.load, c.user.username))
        low, high = ordered[0], ordered[-1]
        if high.load - low.load <= 1:
            return
        moved = False
        for proposal_id in sorted(plan):
            proposal = by_id[proposal_id]
            for index, (candidate, _match) in enumerate(plan[proposal_id]):
                if candidate is high and allowed(low, proposal):
                    plan[proposal_id][index] = (low, proposal.centre.commodity_id in low.expertise)
                    seats[proposal_id].discard(high.user.pk)
                    seats[proposal_id].add(low.user.pk)
                    high.load -= 1
                    low.load += 1
                    moved = True
                    break
            if moved:
                break
        if not moved:
            return


def _explain(candidate: _Candidate, match: bool, proposal: Proposal) -> str:
    parts = [
        _("expertise matches %(group)s") % {"group": proposal.centre.commodity}
        if match
        else _("no assessor with matching expertise was less loaded"),
        _("total load %(load)s assessment(s), balanced across assessors")
        % {"load": candidate.load},
        _("no conflict: home province %(home)s, no declared link")
        % {"home": candidate.province or "—"},
    ]
    return "; ".join(parts)[:400]
