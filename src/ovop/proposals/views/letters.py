"""The province's batch forward, its letterhead, and the official PDFs.

Every object is looked up through its visibility selector first: not visible answers 404,
visible but not the caller's to act on answers 403.
"""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ovop.accounts.rules import is_admin, is_verifier
from ovop.accounts.scope import region_scope
from ovop.common.refusals import refusal_shown
from ovop.proposals.forms.letters import LetterheadForm
from ovop.proposals.models.letters import CoverLetter
from ovop.proposals.outputs.pdf import (
    PDF_CONTENT_TYPE,
    PdfUnavailable,
    indonesian_date,
    pdf_response,
    render_dossier,
)
from ovop.proposals.selectors import proposals_visible_to, rounds_visible_to
from ovop.proposals.services.forwarding import (
    forward_round,
    forwardable_proposals,
    letterhead_for,
    may_edit_letterhead,
    may_forward,
    next_letter_number,
    save_letterhead,
)
from ovop.regions.enums import RegionLevel
from ovop.regions.models import Region


def _download_name(number: str) -> str:
    # "500.11/7/DISPERIN/2026" → "surat-pengantar-500.11-7-DISPERIN-2026.pdf"
    return "surat-pengantar-" + re.sub(r"[^0-9A-Za-z.]+", "-", number).strip("-") + ".pdf"


@login_required
@require_http_methods(["GET", "HEAD"])
def cover_letter_pdf(request, pk: int):
    letter = get_object_or_404(
        CoverLetter.objects.filter(round__in=rounds_visible_to(request.user)), pk=pk
    )
    try:
        handle = letter.pdf.open("rb")
    except (FileNotFoundError, ValueError) as error:
        # The row outlived its file (restored database, lost disk): nothing to serve.
        raise Http404 from error
    response = FileResponse(
        handle, content_type=PDF_CONTENT_TYPE, filename=_download_name(letter.number)
    )
    response["X-Content-Type-Options"] = "nosniff"
    # A letter never changes once written, but it sits behind a login: no shared caches.
    patch_cache_control(response, private=True, max_age=3600)
    return response


@login_required
@require_http_methods(["GET", "HEAD"])
def proposal_dossier_pdf(request, pk: int):
    proposal = get_object_or_404(proposals_visible_to(request.user), pk=pk)
    try:
        content = render_dossier(proposal=proposal)
    except PdfUnavailable as error:
        return render(request, "proposals/pdf_unavailable.html", {"error": error}, status=503)
    return pdf_response(content, filename=f"usulan-{proposal.pk}.pdf")


@login_required
@require_http_methods(["GET", "POST"])
@refusal_shown("letters:round_forward")
def round_forward(request, pk: int):
    """GET: what would be forwarded and how the letter will look; POST: forward it."""
    round_ = get_object_or_404(
        rounds_visible_to(request.user).select_related("cycle", "province"), pk=pk
    )
    if not may_forward(request.user, round_):
        raise PermissionDenied
    if request.method == "POST":
        try:
            letter = forward_round(
                round_=round_, actor=request.user, proposal_ids=_chosen(request.POST)
            )
        except PdfUnavailable as error:
            messages.error(request, str(error))
            return redirect("letters:round_forward", pk=round_.pk)
        messages.success(
            request,
            _("%(count)s proposal(s) forwarded to the ministry with cover letter %(number)s.")
            % {"count": letter.proposals.count(), "number": letter.number},
        )
        # Back to the round's page, which lists its cover letters for download.
        return redirect("proposals:compliance", pk=round_.pk)
    letterhead = letterhead_for(round_.province)
    today = timezone.localdate()
    # From a proposal's page (?proposal=ID) only that proposal is ticked; otherwise all.
    preselected = _chosen(request.GET) or None
    proposals = list(forwardable_proposals(round_))
    for proposal in proposals:
        # A flag for the template only, not a field of the model.
        proposal.chosen = preselected is None or proposal.pk in preselected  # type: ignore[attr-defined]
    context = {
        "round": round_,
        "proposals": proposals,
        "letterhead": letterhead,
        "next_number": next_letter_number(
            province=round_.province, letterhead=letterhead, today=today
        ),
        "date_text": indonesian_date(today),
        "letters": round_.cover_letters.order_by("-pk"),
    }
    return render(request, "proposals/round_forward.html", context)


def _chosen(data) -> list[int]:
    """The proposal ids ticked in a form (ignoring anything that is not a number)."""
    return [int(value) for value in data.getlist("proposal") if value.isdigit()]


def _letterhead_province(request) -> Region | None:
    """The province whose letterhead the caller edits; None asks an admin to choose one."""
    user = request.user
    code = request.GET.get("province", "")
    if is_admin(user):
        if not code:
            return None
        return get_object_or_404(Region, code=code, level=RegionLevel.PROVINCE)
    province = region_scope(user).code if is_verifier(user) else None
    if province is None or (code and code != province):
        raise PermissionDenied
    return user.region


@login_required
@require_http_methods(["GET", "POST"])
def letterhead_edit(request):
    province = _letterhead_province(request)
    if province is None:
        provinces = Region.objects.filter(level=RegionLevel.PROVINCE).order_by("code")
        return render(request, "proposals/letterhead_provinces.html", {"provinces": provinces})
    if not may_edit_letterhead(request.user, province):
        raise PermissionDenied
    letterhead = letterhead_for(province)
    form = LetterheadForm(request.POST or None, instance=letterhead)
    if request.method == "POST" and form.is_valid():
        save_letterhead(letterhead=form.instance, actor=request.user)
        messages.success(request, _("Letterhead saved."))
        return redirect(f"{reverse('letters:letterhead_edit')}?province={province.code}")
    return render(
        request,
        "proposals/letterhead_form.html",
        {"form": form, "province": province, "is_default": letterhead.pk is None},
    )
