from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from ovop.accounts.scope import region_scope
from ovop.common.exports import export_response
from ovop.common.permissions import require
from ovop.common.refusals import Refused
from ovop.proposals.enums import EDITABLE_STATES, Action, DocumentCheck, ProposalState
from ovop.proposals.forms.proposals import (
    DocumentCheckForm,
    DocumentUploadForm,
    ProposalForm,
    ReasonForm,
)
from ovop.proposals.models import Cycle, ProposalDocument
from ovop.proposals.panels import panels_for
from ovop.proposals.selectors import (
    national_compliance,
    proposals_visible_to,
    round_compliance,
    rounds_visible_to,
)
from ovop.proposals.services.forwarding import may_forward
from ovop.proposals.services.proposals import (
    MOVES,
    check_document,
    offered,
    preview_transition,
    save_proposal,
    transition,
    upload_document,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise  # typing only: a dev dependency


def _filtered(request):
    get = request.GET
    filters = {
        "q": get.get("q", "").strip(),
        "state": get.get("state", ""),
        "round": get.get("round", ""),
        "regency": get.get("regency", "").strip(),
    }
    queryset = proposals_visible_to(request.user).select_related(
        "centre", "centre__commodity", "regency", "round__cycle", "round__province"
    )
    if filters["q"]:
        queryset = queryset.filter(
            Q(centre__name__icontains=filters["q"]) | Q(featured_products__icontains=filters["q"])
        )
    if filters["state"] in ProposalState.values:
        queryset = queryset.filter(state=filters["state"])
    if filters["round"].isdigit():
        queryset = queryset.filter(round_id=int(filters["round"]))
    if filters["regency"]:
        queryset = queryset.filter(regency_id=filters["regency"])
    return queryset.order_by("round_id", "regency_id", "centre__name", "pk"), filters


@login_required
def proposal_list(request):
    queryset, filters = _filtered(request)
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "proposals/list.html",
        {
            "page": page,
            "filters": filters,
            "states": ProposalState.choices,
            "rounds": [
                (pk, f"{year} · {province}")
                for pk, year, province in rounds_visible_to(request.user).values_list(
                    "pk", "cycle__year", "province__name"
                )
            ],
            "can_add": request.user.has_perm("proposals.add_proposal"),
        },
    )


@login_required
def proposal_export(request):
    queryset, _filters = _filtered(request)
    rows = (
        (
            p.pk,
            p.round.cycle.year,
            p.round.province.name,
            p.regency_id,
            p.regency.name,
            p.centre.name,
            p.centre.commodity.name,
            p.featured_products,
            str(ProposalState(p.state).label),
            p.submitted_at.date() if p.submitted_at else "",
        )
        for p in queryset.iterator(chunk_size=1000)
    )
    headers = [
        _("ID"),
        _("Year"),
        _("Province"),
        _("Regency/city code"),
        _("Regency/city"),
        _("Sentra"),
        _("Commodity group"),
        _("Featured products"),
        _("State"),
        _("Submitted on"),
    ]
    file_format = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    return export_response(file_format=file_format, base_name="usulan", headers=headers, rows=rows)


def _visible(request, pk: int):
    return get_object_or_404(
        proposals_visible_to(request.user).select_related("round__cycle", "centre__commodity"),
        pk=pk,
    )


def _available_actions(user, proposal) -> list[dict]:
    actions = []
    for name, move in MOVES.items():
        if not offered(move):
            continue  # forwarding and decisions have their own pages
        if proposal.state in move.sources and user.has_perm(move.permission, proposal):
            actions.append(
                {"name": name, "label": Action(name).label, "needs_reason": move.needs_reason}
            )
    return actions


@login_required
def proposal_detail(request, pk: int):
    proposal = _visible(request, pk)
    documents = {d.item_id: d for d in proposal.documents.select_related("checked_by")}
    food = proposal.centre.commodity.code == "makanan-minuman"
    checklist = [
        {"item": item, "document": documents.get(item.pk), "applies": food or not item.food_only}
        for item in proposal.round.cycle.checklist.all()
    ]
    can_edit = proposal.state in EDITABLE_STATES and request.user.has_perm(
        "proposals.change_proposal", proposal
    )
    return render(
        request,
        "proposals/detail.html",
        {
            "proposal": proposal,
            "checklist": checklist,
            "timeline": proposal.timeline.select_related("actor"),
            "actions": _available_actions(request.user, proposal),
            "can_edit": can_edit,
            "can_check": proposal.state == ProposalState.SUBMITTED
            and request.user.has_perm("proposals.verify_proposal", proposal),
            # A proposal reaches the ministry only with the round's cover letter.
            "can_forward": proposal.state == ProposalState.VERIFIED
            and may_forward(request.user, proposal.round),
            "upload_form": DocumentUploadForm(proposal=proposal) if can_edit else None,
            "check_choices": DocumentCheck.choices,
            # The apps above proposals add their sections (evaluation: the decision).
            "panels": panels_for(proposal, request.user),
        },
    )


def _open_round_for(user):
    return (
        rounds_visible_to(user)
        .filter(province_id=region_scope(user).province_code or "")
        .order_by("-deadline")
        .first()
    )


@login_required
def proposal_create(request):
    require(request.user, "proposals.add_proposal")
    round_ = _open_round_for(request.user)
    if round_ is None:
        messages.error(request, _("Your province has not opened a round yet."))
        return redirect("proposals:list")
    form = ProposalForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "centre"}
        proposal = _save(
            request, form, round_=round_, centre=form.cleaned_data["centre"], data=data
        )
        if proposal:
            return redirect("proposals:detail", pk=proposal.pk)
    return render(request, "proposals/form.html", {"form": form, "round": round_})


@login_required
def proposal_edit(request, pk: int):
    proposal = _visible(request, pk)
    require(request.user, "proposals.change_proposal", proposal)
    form = ProposalForm(request.POST or None, instance=proposal, actor=request.user)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "centre"}
        saved = _save(
            request,
            form,
            round_=proposal.round,
            centre=form.cleaned_data["centre"],
            data=data,
            proposal=proposal,
        )
        if saved:
            return redirect("proposals:detail", pk=proposal.pk)
    return render(
        request,
        "proposals/form.html",
        {"form": form, "round": proposal.round, "proposal": proposal},
    )


def _save(request, form, **kwargs):
    try:
        proposal = save_proposal(actor=request.user, **kwargs)
    except ValidationError as error:
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        return None
    except Refused as error:
        form.add_error(None, error.message)
        return None
    messages.success(request, _("Proposal saved."))
    return proposal


# What each move does, said on its confirmation page before it is made.
MOVE_SUMMARIES: dict[str, "StrOrPromise"] = {
    Action.SUBMIT: gettext_lazy(
        "The proposal goes to the province's verifier, who is notified. You cannot change it "
        "again unless the province returns it."
    ),
    Action.WITHDRAW: gettext_lazy(
        "The proposal leaves the round for good and no longer counts towards the quota."
    ),
    Action.RETURN: gettext_lazy(
        "The proposal goes back to the regency/city with your reason; its operator is notified "
        "and may correct and resubmit it before the round's deadline."
    ),
    Action.VERIFY: gettext_lazy(
        "Every document is checked OK. The proposal then waits to go to the ministry with the "
        "province's cover letter; the regency/city is notified."
    ),
    Action.SCREEN_ELIGIBLE: gettext_lazy(
        "The proposal enters the assessment: assessors can be assigned to score it. The "
        "province and the regency/city are notified."
    ),
    Action.SCREEN_INELIGIBLE: gettext_lazy(
        "The proposal leaves the cycle with your reason; the province and the regency/city are "
        "notified. This cannot be undone."
    ),
}


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def proposal_move(request, pk: int, action: str):
    """GET: what the move will do, and its reason box if it needs one; POST: make it."""
    proposal = _visible(request, pk)
    if action not in MOVES or not offered(MOVES[action]):
        raise Http404
    move = MOVES[action]
    if not request.user.has_perm(move.permission, proposal):
        raise PermissionDenied
    form = ReasonForm(request.POST if request.method == "POST" else None)
    form.fields["reason"].required = move.needs_reason
    form.fields["reason"].error_messages["required"] = _("Give a reason; the operator will see it.")
    if request.method == "POST" and form.is_valid():
        try:
            transition(
                proposal=proposal,
                action=action,
                actor=request.user,
                reason=form.cleaned_data["reason"],
            )
        except Refused as error:
            if error.status == 403:
                raise PermissionDenied from error
            form.add_error("reason" if error.status == 400 else None, error.message)
        else:
            messages.success(
                request,
                _("%(centre)s is now “%(state)s”.")
                % {"centre": proposal.centre.name, "state": ProposalState(move.target).label},
            )
            return redirect("proposals:detail", pk=proposal.pk)
    context = {
        "proposal": proposal,
        "action": action,
        "action_label": Action(action).label,
        "target_label": ProposalState(move.target).label,
        "summary": MOVE_SUMMARIES.get(action, ""),
        "blocker": preview_transition(proposal=proposal, action=action, actor=request.user),
        "needs_reason": move.needs_reason,
        "form": form,
    }
    return render(request, "proposals/move_confirm.html", context)


@login_required
@require_POST
def document_upload(request, pk: int):
    proposal = _visible(request, pk)
    require(request.user, "proposals.change_proposal", proposal)
    if proposal.state not in EDITABLE_STATES:  # said before reading the upload
        messages.error(request, _("Only drafts and returned proposals take new documents."))
        return redirect("proposals:detail", pk=pk)
    form = DocumentUploadForm(request.POST, request.FILES, proposal=proposal)
    if form.is_valid():
        try:
            upload_document(
                proposal=proposal, item=form.cleaned_data["item"], file=form.cleaned_data["file"]
            )
        except Refused as refused:  # submitted a moment ago
            messages.error(request, refused.message)
        else:
            messages.success(request, _("Document uploaded."))
    else:
        for errors in form.errors.values():
            for error in errors:  # an ErrorList yields its messages as text
                messages.error(request, str(error))
    return redirect("proposals:detail", pk=pk)


@login_required
def document_file(request, pk: int):
    document = get_object_or_404(
        ProposalDocument.objects.filter(proposal__in=proposals_visible_to(request.user)), pk=pk
    )
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"{document.item.code}-{document.proposal_id}.pdf",
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def document_check(request, pk: int):
    document = get_object_or_404(
        ProposalDocument.objects.filter(proposal__in=proposals_visible_to(request.user)), pk=pk
    )
    require(request.user, "proposals.verify_proposal", document.proposal)
    form = DocumentCheckForm(request.POST)
    if form.is_valid():
        check_document(
            document=document,
            result=form.cleaned_data["check_result"],
            note=form.cleaned_data["note"],
            actor=request.user,
        )
        messages.success(request, _("Check saved."))
    return redirect("proposals:detail", pk=document.proposal_id)


@login_required
def round_list(request):
    rounds = rounds_visible_to(request.user).select_related("cycle", "province")
    return render(
        request,
        "proposals/round_list.html",
        {
            "rounds": rounds.order_by("-cycle__year", "province_id"),
            "cycles": Cycle.objects.all(),
        },
    )


@login_required
def round_compliance_view(request, pk: int):
    round_ = get_object_or_404(rounds_visible_to(request.user).select_related("cycle"), pk=pk)
    rows = round_compliance(round_=round_)
    if request.GET.get("format") in ("xlsx", "csv"):
        return export_response(
            file_format=request.GET["format"],
            base_name=f"kepatuhan-{round_.province_id}",
            headers=[
                _("Code"),
                _("Regency/city"),
                _("Submitted"),
                _("Verified"),
                _("Required"),
                _("Compliant"),
                _("Days to the deadline"),
            ],
            rows=(
                (
                    r.regency,
                    r.name,
                    r.submitted,
                    r.verified,
                    r.required,
                    _("yes") if r.compliant else _("no"),
                    r.days_left,
                )
                for r in rows
            ),
        )
    return render(
        request,
        "proposals/compliance.html",
        {
            "round": round_,
            "rows": rows,
            "letters": round_.cover_letters.order_by("-date", "-pk"),
            "can_forward": may_forward(request.user, round_),
        },
    )


@login_required
def national_compliance_view(request, pk: int):
    require(request.user, "proposals.view_national")
    cycle = get_object_or_404(Cycle, pk=pk)
    rows = national_compliance(cycle=cycle)
    if request.GET.get("format") in ("xlsx", "csv"):
        labels = {True: _("yes"), False: _("no"), None: _("no round yet")}
        return export_response(
            file_format=request.GET["format"],
            base_name=f"kepatuhan-nasional-{cycle.year}",
            headers=[
                _("Province"),
                _("Code"),
                _("Regency/city"),
                _("Submitted"),
                _("Verified"),
                _("Required"),
                _("Compliant"),
            ],
            rows=(
                (
                    r.province_name,
                    r.regency,
                    r.name,
                    r.submitted,
                    r.verified,
                    r.required if r.required is not None else "",
                    labels[r.compliant],
                )
                for r in rows
            ),
        )
    return render(
        request,
        "proposals/national_compliance.html",
        {
            "cycle": cycle,
            "rows": rows,
            "body": _national_rows_html(rows),
        },
    )


def _national_rows_html(rows) -> str:
    """514 table rows in one pass (a template loop over them costs ~40 ms)."""
    compliant = {
        None: format_html('<span class="muted">{}</span>', _("no round yet")),
        True: format_html('<span class="badge badge-ok">{}</span>', _("yes")),
        False: format_html('<span class="badge badge-off">{}</span>', _("not yet")),
    }
    return format_html_join(
        "\n",
        "<tr><td>{}</td><td>{} {}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
        (
            (
                r.province_name,
                r.regency,
                r.name,
                r.submitted,
                r.verified,
                "–" if r.required is None else r.required,
                compliant[r.compliant],
            )
            for r in rows
        ),
    )
