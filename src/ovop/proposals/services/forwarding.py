"""The province forwards its verified proposals to the ministry in one batch, with a letter.

This is the only way a proposal reaches the ministry: the forward move belongs to this
module (``FORWARDING`` in the state table). Each proposal still moves through
``services.transition`` (so the table, its permission and the timeline apply); this module
adds the batch, the letter's number and its PDF, and the province's letterhead.
"""

from datetime import date

from django.contrib.auth.models import AnonymousUser
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ovop.accounts.models import User
from ovop.common.refusals import Refused
from ovop.proposals.enums import Action, ProposalState
from ovop.proposals.models import Proposal, Round
from ovop.proposals.models.letters import CoverLetter, Letterhead, format_letter_number
from ovop.proposals.outputs.pdf import render_cover_letter
from ovop.proposals.rules import can_edit_letterhead, can_forward_round
from ovop.proposals.services.proposals import FORWARDING, transition
from ovop.proposals.signals import round_forwarded
from ovop.regions.models import Region

FORWARDED_WITH_LETTER = gettext_noop("Forwarded with cover letter %(number)s.")


def may_forward(actor: User | AnonymousUser, round_: Round) -> bool:
    """Only the province's own verifier speaks for it: a ministry admin may change a round,
    but a letter from the province is not theirs to send."""
    return can_forward_round(actor, round_)


def may_edit_letterhead(actor: User | AnonymousUser, province: Region) -> bool:
    return can_edit_letterhead(actor, province)


def letterhead_for(province: Region) -> Letterhead:
    """The province's letterhead, or an unsaved default until its verifier sets one."""
    letterhead = Letterhead.objects.filter(province=province).first()
    if letterhead is not None:
        return letterhead
    return Letterhead(
        province=province,
        office_name=f"DINAS PERINDUSTRIAN PROVINSI {province.name.upper()}",
        signer_title=f"Kepala Dinas Perindustrian Provinsi {province.name}",
    )


def forwardable_proposals(round_: Round) -> QuerySet[Proposal]:
    return (
        Proposal.objects.filter(round=round_, state=ProposalState.VERIFIED)
        .select_related("round", "regency", "centre__commodity", "lead_enterprise")
        .order_by("regency_id", "centre__name", "pk")
    )


def _require_forwarder(actor: User, round_: Round) -> None:
    if not may_forward(actor, round_):
        raise Refused(
            _("Only the province's verifier forwards its proposals to the ministry."), status=403
        )


@transaction.atomic
def forward_round(
    *, round_: Round, actor: User, proposal_ids: list[int] | None = None
) -> CoverLetter:
    """Forward the round's verified proposals (all, or those of ``proposal_ids``) and write
    their cover letter.

    All or nothing: if any proposal cannot move (someone changed it a moment ago) or the
    PDF cannot be made, nothing is forwarded and no number is used.
    """
    _require_forwarder(actor, round_)
    proposals = list(forwardable_proposals(round_))
    if proposal_ids is not None:
        chosen = set(proposal_ids)
        if not chosen:
            raise Refused(_("Choose at least one proposal to forward."), status=400, field="reason")
        if chosen - {proposal.pk for proposal in proposals}:
            raise Refused(
                _(
                    "Only verified proposals of this round can be forwarded; one you chose is "
                    "not (any more). Reload the page and choose again."
                )
            )
        proposals = [proposal for proposal in proposals if proposal.pk in chosen]
    if not proposals:
        raise Refused(_("This round has no verified proposal to forward."))
    letterhead = letterhead_for(round_.province)
    letter = _new_letter(
        round_=round_, letterhead=letterhead, actor=actor, today=timezone.localdate()
    )
    # Stored as the system's sentence (its msgid), shown in the reader's language.
    reason = FORWARDED_WITH_LETTER % {"number": letter.number}
    for proposal in proposals:
        transition(
            proposal=proposal, action=Action.FORWARD, actor=actor, reason=reason, by=FORWARDING
        )
    letter.proposals.set(proposals)
    pdf = render_cover_letter(letter=letter, letterhead=letterhead)
    letter.pdf.save(f"{letter.pk}.pdf", ContentFile(pdf), save=True)
    # The ministry hears once per batch (ovop.notifications.receivers, after the commit);
    # each kab/kota already hears per proposal.
    round_forwarded.send(sender=Round, round_=round_, proposals=proposals, actor=actor)
    return letter


def forward_proposal(*, proposal: Proposal, actor: User) -> CoverLetter:
    """Forward one proposal through its round's forwarding: a cover letter for it alone."""
    _require_forwarder(actor, proposal.round)
    if proposal.state != ProposalState.VERIFIED:
        raise Refused(
            _("Only a verified proposal can be forwarded; this one is “%(state)s”.")
            % {"state": ProposalState(proposal.state).label}
        )
    return forward_round(round_=proposal.round, actor=actor, proposal_ids=[proposal.pk])


def _next_sequence(*, province_id: str, year: int) -> int:
    last = CoverLetter.objects.filter(province_id=province_id, year=year).aggregate(
        last=Max("sequence")
    )["last"]
    return (last or 0) + 1


def next_letter_number(*, province: Region, letterhead: Letterhead, today: date) -> str:
    """The number the province's next letter would get (shown before forwarding)."""
    sequence = _next_sequence(province_id=province.code, year=today.year)
    return format_letter_number(letterhead.number_pattern, sequence=sequence, date=today)


def _new_letter(*, round_: Round, letterhead: Letterhead, actor: User, today: date) -> CoverLetter:
    # Lock the province row so two letters of one province never draw the same number.
    Region.objects.select_for_update().get(pk=round_.province_id)
    sequence = _next_sequence(province_id=round_.province_id, year=today.year)
    letter = CoverLetter(
        round=round_,
        province_id=round_.province_id,
        year=today.year,
        sequence=sequence,
        number=format_letter_number(letterhead.number_pattern, sequence=sequence, date=today),
        date=today,
        signer_name=letterhead.signer_name,
        signer_title=letterhead.signer_title,
        signer_nip=letterhead.signer_nip,
        created_by=actor,
    )
    letter.full_clean(exclude=["pdf"])
    letter.save()
    return letter


@transaction.atomic
def save_letterhead(*, letterhead: Letterhead, actor: User) -> Letterhead:
    """Save a province's letterhead (a form's unsaved instance); the caller checked
    ``may_edit_letterhead``."""
    if not may_edit_letterhead(actor, letterhead.province):
        raise Refused(_("Your role may not do this."), status=403)
    letterhead.full_clean()
    letterhead.save()
    return letterhead
