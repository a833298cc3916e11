"""Writing proposals. Every state change goes through ``transition`` and its table."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from ovop.accounts.models import User
from ovop.accounts.scope import region_scope
from ovop.centres.models import Centre, CommodityGroup
from ovop.common.refusals import Refused
from ovop.proposals.enums import (
    EDITABLE_STATES,
    SUBMITTED_STATES,
    Action,
    DocumentCheck,
    ProposalState,
)
from ovop.proposals.models import (
    ChecklistItem,
    Cycle,
    Proposal,
    ProposalDocument,
    Round,
    Transition,
)
from ovop.proposals.signals import cycle_saved as cycle_saved_signal
from ovop.proposals.signals import proposal_transitioned

S = ProposalState

DEFAULT_CHECKLIST = [
    ("decree", "SK penetapan sentra (bupati/wali kota)", True, False),
    ("nib", "NIB unit IKM penghela", True, False),
    ("permit", "Izin edar (SPP-IRT atau BPOM MD)", True, True),
    ("halal", "Sertifikat halal", True, True),
    ("photos", "Foto produk dan proses produksi", True, False),
    ("profile", "Profil sentra dan IKM penghela", False, False),
]


# The services that alone make some moves; screens and the API never offer those moves.
FORWARDING = "forwarding"  # with the round's cover letter (ovop.proposals.services.forwarding)
DECISIONS = "decisions"  # following the decision (ovop.evaluation.services.decisions)


@dataclass(frozen=True)
class Move:
    sources: frozenset[str]
    target: str
    permission: str
    needs_reason: bool = False
    owner: str = ""  # the service that alone makes this move; "" = anyone permitted


def offered(move: Move) -> bool:
    """Whether a screen or the API may offer this move as a button or an action of its own."""
    return not move.owner


# The whole workflow. Anything not in this table is refused.
MOVES: dict[str, Move] = {
    Action.SUBMIT: Move(frozenset({S.DRAFT, S.RETURNED}), S.SUBMITTED, "proposals.submit_proposal"),
    Action.WITHDRAW: Move(
        frozenset({S.DRAFT, S.SUBMITTED, S.RETURNED}), S.WITHDRAWN, "proposals.withdraw_proposal"
    ),
    Action.RETURN: Move(
        frozenset({S.SUBMITTED}), S.RETURNED, "proposals.verify_proposal", needs_reason=True
    ),
    Action.VERIFY: Move(frozenset({S.SUBMITTED}), S.VERIFIED, "proposals.verify_proposal"),
    Action.FORWARD: Move(
        frozenset({S.VERIFIED}), S.FORWARDED, "proposals.verify_proposal", owner=FORWARDING
    ),
    Action.SCREEN_ELIGIBLE: Move(frozenset({S.FORWARDED}), S.ELIGIBLE, "proposals.screen_proposal"),
    Action.SCREEN_INELIGIBLE: Move(
        frozenset({S.FORWARDED}), S.INELIGIBLE, "proposals.screen_proposal", needs_reason=True
    ),
    # Decisions: made in ovop.evaluation.services.decisions, which checks the Decision first.
    Action.PUBLISH_RATED: Move(
        frozenset({S.ELIGIBLE}), S.RATED, "proposals.decide_proposal", owner=DECISIONS
    ),
    Action.PUBLISH_NOT_RATED: Move(
        frozenset({S.ELIGIBLE}), S.NOT_RATED, "proposals.decide_proposal", owner=DECISIONS
    ),
    Action.REVISE_RATED: Move(
        frozenset({S.NOT_RATED}),
        S.RATED,
        "proposals.decide_proposal",
        needs_reason=True,
        owner=DECISIONS,
    ),
    Action.REVISE_NOT_RATED: Move(
        frozenset({S.RATED}),
        S.NOT_RATED,
        "proposals.decide_proposal",
        needs_reason=True,
        owner=DECISIONS,
    ),
}


def _owner_refusal(owner: str) -> str:
    if owner == FORWARDING:
        return _(
            "A proposal goes to the ministry only with the province's cover letter; forward "
            "it from the round's forwarding page."
        )
    return _(
        "This move follows the ministry's decision; decide on the cycle's ranking page and "
        "publish the cycle's decisions there."
    )


def missing_documents(proposal: Proposal) -> list[ChecklistItem]:
    """Required checklist items without a document (food-only items for food centres)."""
    food = proposal.centre.commodity.code == "makanan-minuman"
    have = set(proposal.documents.values_list("item_id", flat=True))
    return [
        item
        for item in proposal.round.cycle.checklist.filter(required=True)
        if item.pk not in have and (food or not item.food_only)
    ]


def _check_guards(proposal: Proposal, action: str, now: datetime) -> None:
    """Conditions beyond the state table, each refused with what to do about it."""
    if action == Action.SUBMIT:
        if now > proposal.round.deadline:
            raise Refused(
                _("The round's deadline (%(deadline)s) has passed; ask the province to extend it.")
                % {
                    "deadline": timezone.localtime(proposal.round.deadline).strftime(
                        "%d/%m/%Y %H.%M"
                    )
                }
            )
        if now < proposal.round.opens_at:
            raise Refused(_("The round is not open yet."))
        missing = missing_documents(proposal)
        if missing:
            raise Refused(
                _("Upload these documents first: %(items)s.")
                % {"items": ", ".join(item.label for item in missing)}
            )
        _check_maximum(proposal)
    if action == Action.VERIFY:
        unchecked = proposal.documents.exclude(check_result=DocumentCheck.OK).count()
        if unchecked:
            raise Refused(
                _(
                    "%(count)s document(s) are not checked OK yet; check each one, or return the "
                    "proposal with a reason."
                )
                % {"count": unchecked}
            )


def _check_maximum(proposal: Proposal) -> None:
    # Lock the round so two submits of one round count one after the other (and see a
    # maximum the verifier is changing at that moment only once it is saved); the lock
    # lasts until the transition's transaction ends.
    maximum = (
        Round.objects.select_for_update(no_key=True)
        .values_list("max_per_regency", flat=True)
        .get(pk=proposal.round_id)
    )
    if maximum is None:
        return
    others = Proposal.objects.filter(
        round=proposal.round, regency_id=proposal.regency_id, state__in=SUBMITTED_STATES
    ).exclude(pk=proposal.pk)
    if others.count() >= maximum:
        raise Refused(
            _("This regency/city has already submitted the round's maximum of %(max)s.")
            % {"max": maximum}
        )


def _checked_move(
    *, proposal: Proposal, action: str, actor: User, reason: str, now: datetime, by: str
) -> Move:
    """The table's move for ``action``, or ``Refused`` saying why it may not happen."""
    move = MOVES.get(action)
    if move is None:
        raise Refused(_("Unknown action %(action)s.") % {"action": action})
    if not actor.has_perm(move.permission, proposal):
        raise Refused(_("Your role may not do this."), status=403)
    if move.owner and by != move.owner:
        raise Refused(_owner_refusal(move.owner))
    if proposal.state not in move.sources:
        raise Refused(
            _("A proposal that is “%(state)s” cannot be given “%(action)s”.")
            % {"state": ProposalState(proposal.state).label, "action": Action(action).label}
        )
    if move.needs_reason and not reason:
        raise Refused(_("Give a reason; the operator will see it."), status=400, field="reason")
    _check_guards(proposal, action, now)
    return move


@transaction.atomic
def preview_transition(*, proposal: Proposal, action: str, actor: User) -> str:
    """Why ``action`` could not be made now ("" if it could), without making it: the
    confirmation page says so before anyone types a reason. A reason is asked there."""
    try:
        _checked_move(
            proposal=proposal, action=action, actor=actor, reason="?", now=timezone.now(), by=""
        )
    except Refused as error:
        if error.status == 403:
            raise
        return error.message
    return ""


@transaction.atomic
def transition(
    *, proposal: Proposal, action: str, actor: User, reason: str = "", by: str = ""
) -> Proposal:
    """Make one workflow move, or raise ``Refused`` saying why not.

    The caller has already established that ``actor`` may see the proposal (else 404).
    ``by`` names the owning service (``FORWARDING``, ``DECISIONS``) for the moves only that
    service makes; nobody else passes it.
    Two people acting at once: the move applies only to the version the caller loaded, so
    exactly one succeeds and the other is told.
    """
    reason = (reason or "").strip()
    now = timezone.now()
    move = _checked_move(
        proposal=proposal, action=action, actor=actor, reason=reason, now=now, by=by
    )
    changes: dict[str, Any] = {"state": move.target, "version": F("version") + 1, "updated_at": now}
    if action == Action.SUBMIT:
        changes["submitted_at"] = now
    updated = Proposal.objects.filter(
        pk=proposal.pk, state=proposal.state, version=proposal.version
    ).update(**changes)
    if not updated:
        raise Refused(
            _("Someone else changed this proposal a moment ago; reload it and try again.")
        )
    Transition.objects.create(
        proposal=proposal,
        action=action,
        from_state=proposal.state,
        to_state=move.target,
        actor=actor,
        reason=reason,
        at=now,
    )
    # Notifications subscribe (ovop.notifications.receivers) and wait for the commit.
    proposal_transitioned.send(
        sender=Proposal, proposal=proposal, action=action, actor=actor, reason=reason
    )
    proposal.refresh_from_db()
    return proposal


@transaction.atomic
def transition_many(*, moves: list[tuple[Proposal, str, str]], actor: User, by: str = "") -> int:
    """Make many table moves at once (a cycle-wide publication), all or none.

    Each move is checked exactly as ``transition`` checks it; the caller notifies once for
    the batch instead of once per proposal.
    """
    now = timezone.now()
    groups: dict[tuple[str, str, str], list[int]] = {}
    for proposal, action, reason in moves:
        move = _checked_move(
            proposal=proposal, action=action, actor=actor, reason=reason.strip(), now=now, by=by
        )
        groups.setdefault((proposal.state, move.target, action), []).append(proposal.pk)
    for (source, target, _action), ids in groups.items():
        updated = Proposal.objects.filter(pk__in=ids, state=source).update(
            state=target, version=F("version") + 1, updated_at=now
        )
        if updated != len(ids):
            raise Refused(
                _("Someone else changed these proposals a moment ago; reload and try again.")
            )
    Transition.objects.bulk_create(
        Transition(
            proposal=proposal,
            action=action,
            from_state=proposal.state,
            to_state=MOVES[action].target,
            actor=actor,
            reason=reason.strip(),
            at=now,
        )
        for proposal, action, reason in moves
    )
    return len(moves)


@transaction.atomic
def create_cycle(
    *,
    year: int,
    name: str,
    star_scale: int = 5,
    commodities: Iterable[CommodityGroup] | None = None,
) -> Cycle:
    """A cycle with the default document checklist (editable afterwards), and whatever the
    apps above add to a new cycle (its rubric and star bands), all or nothing."""
    cycle = Cycle(year=year, name=name, star_scale=star_scale)
    cycle.full_clean()
    cycle.save()
    if commodities is not None:
        cycle.commodities.set(commodities)
    for position, (code, label, required, food_only) in enumerate(DEFAULT_CHECKLIST):
        ChecklistItem.objects.create(
            cycle=cycle,
            code=code,
            label=label,
            required=required,
            food_only=food_only,
            position=position,
        )
    cycle_saved(cycle=cycle, previous_scale=None)
    return cycle


def cycle_saved(*, cycle: Cycle, previous_scale: int | None) -> None:
    """Announce a saved cycle: evaluation gives a new cycle its rubric and bands, and a new
    star scale that scale's bands (ovop.evaluation.receivers). Call it in the save's
    transaction."""
    cycle_saved_signal.send(sender=Cycle, cycle=cycle, previous_scale=previous_scale)


def check_round(round_: Round) -> None:
    """Refuse, field by field, dates or a quota that no kab/kota could comply with."""
    errors: dict[str, str] = {}
    if round_.opens_at and round_.deadline and round_.deadline <= round_.opens_at:
        errors["deadline"] = _("The deadline must come after the opening.")
    minimum, maximum = round_.min_per_regency, round_.max_per_regency
    if minimum is not None and maximum is not None and maximum < minimum:
        errors["max_per_regency"] = _("The maximum cannot be below the minimum.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def save_round(*, round_: Round, data: dict[str, Any] | None = None) -> Round:
    """Open a province's round or change its dates and quota (the verifier's set-up).

    Fields not in ``data`` keep their values, so a change of the maximum alone is checked
    against the stored minimum (the screen's form has already set its fields on ``round_``).
    """
    for field, value in (data or {}).items():
        setattr(round_, field, value)
    round_.full_clean()
    check_round(round_)
    round_.save()
    return round_


@transaction.atomic
def save_proposal(
    *,
    actor: User,
    round_: Round,
    centre: Centre,
    data: dict[str, Any],
    proposal: Proposal | None = None,
) -> Proposal:
    """Create or edit a proposal; operators edit only drafts and returned proposals."""
    if proposal is not None and proposal.state not in EDITABLE_STATES:
        raise Refused(
            _("Only drafts and returned proposals can be edited; this one is “%(state)s”.")
            % {"state": ProposalState(proposal.state).label}
        )
    if centre.regency_id != region_scope(actor).regency_code:
        raise ValidationError({"centre": _("Choose a sentra of your own regency/city.")})
    if centre.province_id != round_.province_id:
        raise ValidationError({"round": _("This round is for another province.")})
    cycle_groups = set(round_.cycle.commodities.values_list("pk", flat=True))
    if cycle_groups and centre.commodity_id not in cycle_groups:
        raise ValidationError(
            {
                "centre": _("This cycle does not take the commodity group %(group)s.")
                % {"group": centre.commodity}
            }
        )
    proposal = proposal or Proposal(round=round_)
    proposal.centre = centre
    proposal.regency_id = centre.regency_id
    for field, value in data.items():
        setattr(proposal, field, value)
    lead = proposal.lead_enterprise  # None, without a query, when lead_enterprise_id is None
    if lead is not None and lead.centre_id != centre.pk:
        raise ValidationError({"lead_enterprise": _("The lead IKM must belong to this sentra.")})
    proposal.full_clean(exclude=["regency"], validate_constraints=False)
    # Lock the centre so two requests proposing it at once check one after the other: the
    # second sees the first's proposal and is told, instead of failing on the constraint.
    # NO KEY: rows that merely point at the centre are not held up.
    if not Centre.objects.select_for_update(no_key=True).filter(pk=centre.pk).values("pk"):
        raise ValidationError(
            {"centre": _("This sentra was deleted a moment ago; choose another.")}
        )
    duplicate = Proposal.objects.filter(round=round_, centre=centre).exclude(pk=proposal.pk)
    if duplicate.exists():
        raise ValidationError({"centre": _("This sentra is already proposed in this round.")})
    proposal.save()
    return proposal


@transaction.atomic
def save_cycle(
    *,
    cycle: Cycle,
    data: dict[str, Any] | None = None,
    commodities: Iterable[CommodityGroup] | None = None,
    checklist: Iterable[ChecklistItem] = (),
    removed: Iterable[ChecklistItem] = (),
) -> Cycle:
    """Create (``cycle`` unsaved) or edit a cycle from already-validated values.

    ``data`` sets fields (the API's); the screen's form has set its fields on ``cycle``
    already. ``checklist`` are its new or changed document items, ``removed`` the deleted
    ones. A new star scale gets its bands (``cycle_saved``).
    """
    previous_scale = (
        Cycle.objects.values_list("star_scale", flat=True).get(pk=cycle.pk) if cycle.pk else None
    )
    for field, value in (data or {}).items():
        setattr(cycle, field, value)
    cycle.full_clean()
    cycle.save()
    if commodities is not None:
        cycle.commodities.set(commodities)
    for item in removed:
        item.delete()
    for item in checklist:
        item.cycle = cycle
        item.save()
    cycle_saved(cycle=cycle, previous_scale=previous_scale)
    return cycle


def _refuse_new_documents(proposal: Proposal) -> None:
    if proposal.state not in EDITABLE_STATES:
        raise Refused(_("Only drafts and returned proposals take new documents."))


@transaction.atomic
def upload_document(
    *, proposal: Proposal, item: ChecklistItem, file: File[bytes]
) -> ProposalDocument:
    """Store the proposal's document for one checklist item, replacing an earlier one.

    The caller has checked that the actor may change the proposal and that ``file`` is a PDF.
    A new file waits for the verifier's check again.
    """
    _refuse_new_documents(proposal)
    document, created = ProposalDocument.objects.get_or_create(
        proposal=proposal, item=item, defaults={"file": file}
    )
    if not created:
        document.file = file
    document.check_result, document.note, document.checked_by = DocumentCheck.PENDING, "", None
    document.save()
    return document


@transaction.atomic
def check_document(
    *, document: ProposalDocument, result: str, note: str, actor: User
) -> ProposalDocument:
    """Record the verifier's check of one document (the caller has checked ``actor`` may
    verify its proposal)."""
    document.check_result = result
    document.note = note
    document.checked_by = actor
    document.save()
    return document
