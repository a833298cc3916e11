"""The assessor's screens: my assignments, the scoring screen, recusal and score sheets."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ovop.common.exports import export_response
from ovop.common.permissions import require
from ovop.common.refusals import Refused, refusal_shown
from ovop.common.workbooks.forms import result_context
from ovop.evaluation.forms.scoring import (
    RecuseForm,
    ScoreEntry,
    ScoreSheetImportForm,
    rubric_groups,
)
from ovop.evaluation.models import Assessment
from ovop.evaluation.selectors.scoring import (
    ScoringStatus,
    assignment_rows,
    criterion_totals,
    dossier_for,
    own_assignments,
)
from ovop.evaluation.selectors.visibility import assignments_visible_to
from ovop.evaluation.services.assignment import recuse as recuse_assignment
from ovop.evaluation.services.rubric import ensure_rubric, subcriteria_of
from ovop.evaluation.services.scoring import save_assessment, suggestions_for, weighted_total
from ovop.evaluation.workbooks.score_sheet import write_score_sheet
from ovop.evaluation.workbooks.score_sheet_import import import_score_sheet
from ovop.proposals.enums import ProposalState

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def my_assignments(request):
    """The signed-in assessor's assignments, newest cycle first; CSV/XLSX with ?format=."""
    require(request.user, "evaluation.my_assignments")
    filters = {"q": request.GET.get("q", "").strip(), "status": request.GET.get("status", "")}
    queryset = own_assignments(request.user, search=filters["q"], status=filters["status"])
    if request.GET.get("format") in ("csv", "xlsx"):
        return _export(queryset, file_format=request.GET["format"])
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "evaluation/my_assignments.html",
        {
            "page": page,
            "rows": assignment_rows(page.object_list),
            "filters": filters,
            "statuses": ScoringStatus.choices,
        },
    )


def _export(queryset, *, file_format: str):
    def rows():
        # Rows are read in chunks; each chunk costs one extra query for the rubric weights.
        chunk = []
        for assignment in queryset.iterator(chunk_size=500):
            chunk.append(assignment)
            if len(chunk) == 500:
                yield from _export_rows(chunk)
                chunk = []
        yield from _export_rows(chunk)

    headers = [
        _("Assignment ID"),
        _("Proposal ID"),
        _("Year"),
        _("Sentra"),
        _("Regency/city"),
        _("Province"),
        _("Commodity group"),
        _("Assess by"),
        _("Status"),
        _("Running total"),
    ]
    return export_response(
        file_format=file_format, base_name="penugasan-penilaian", headers=headers, rows=rows()
    )


def _export_rows(assignments):
    for row in assignment_rows(assignments):
        proposal = row.proposal
        cycle = proposal.round.cycle
        yield (
            row.assignment.pk,
            proposal.pk,
            cycle.year,
            proposal.centre.name,
            proposal.regency.name,
            proposal.round.province.name,
            proposal.centre.commodity.name,
            cycle.assessment_by or "",
            str(row.status.label),
            round(row.total, 2) if row.total is not None else "",
        )


def _assignment(request, pk: int, permission: str):
    """The caller's assignment: 404 when not visible, 403 when they may not score it."""
    assignment = get_object_or_404(
        assignments_visible_to(request.user).select_related(
            "proposal__round__cycle",
            "proposal__centre",
            "proposal__regency",
            "proposal__lead_enterprise",
        ),
        pk=pk,
    )
    require(request.user, permission, assignment)
    return assignment


@login_required
@require_http_methods(["GET", "POST"])
def score(request, pk: int):
    """The dossier beside the rubric; save a draft or submit (final) the caller's levels."""
    assignment = _assignment(request, pk, "evaluation.score")
    proposal = assignment.proposal
    subcriteria = subcriteria_of(ensure_rubric(proposal.round.cycle))
    suggestions = suggestions_for(centre=proposal.centre, subcriteria=subcriteria)
    assessment = Assessment.objects.filter(assignment=assignment).first()
    entry = ScoreEntry.initial(assessment, suggestions)
    refusal = None
    if request.method == "POST":
        entry = ScoreEntry.from_post(request.POST, subcriteria)
        refusal = _save(request, assignment, entry)
        if refusal is None:
            return redirect("evaluation:score", pk=assignment.pk)
        assessment = Assessment.objects.filter(assignment=assignment).first()
        if assessment is not None and assessment.is_submitted:
            entry = ScoreEntry.initial(assessment, suggestions)
    groups = rubric_groups(
        subcriteria, entry=entry, suggestions=suggestions, errors=refusal.errors if refusal else {}
    )
    return render(
        request,
        "evaluation/score.html",
        {
            "assignment": assignment,
            "proposal": proposal,
            "dossier": dossier_for(proposal),
            "assessment": assessment,
            "groups": groups,
            "entry": entry,
            "refusal": refusal,
            **_panel_totals(entry, assessment, subcriteria),
            "submitted": assessment is not None and assessment.is_submitted,
            # Scoring is open while the proposal is being evaluated (screened eligible).
            "closed": proposal.state != ProposalState.ELIGIBLE,
            "read_only": (assessment is not None and assessment.is_submitted)
            or proposal.state != ProposalState.ELIGIBLE,
            "recuse_form": RecuseForm(),
        },
    )


def _panel_totals(entry: ScoreEntry, assessment: Assessment | None, subcriteria) -> dict:
    """The side panel's numbers, computed as scoring.js recomputes them while typing."""
    chosen = entry.chosen_levels()
    return {
        "total": weighted_total(chosen, subcriteria),
        "criterion_totals": criterion_totals(subcriteria, chosen),
        # What the last save holds, to tell it apart from levels not saved yet.
        "saved_total": weighted_total(assessment.levels, subcriteria) if assessment else None,
        "chosen_count": len(chosen),
        "subcriteria_count": len(subcriteria),
    }


def _save(request, assignment, entry: ScoreEntry) -> Refused | None:
    """Save the entry as a draft or submission; the refusal to show, or None when saved."""
    if entry.submit and not entry.confirmed:
        return Refused(
            _("Tick “I have checked every level” to submit; nothing was saved."), status=400
        )
    try:
        saved = save_assessment(
            assignment=assignment,
            actor=request.user,
            levels=entry.levels,
            comments=entry.comments,
            general_comment=entry.general_comment,
            submit=entry.submit,
        )
    except Refused as error:
        if error.status == 403:
            raise PermissionDenied from error
        return error
    if saved.is_submitted:
        messages.success(request, _("Assessment submitted. Thank you; it can no longer change."))
    else:
        when = formats.time_format(timezone.localtime(saved.updated_at), "TIME_FORMAT")
        messages.success(request, _("Draft saved at %(time)s.") % {"time": when})
    return None


@login_required
@require_POST
@refusal_shown("evaluation:score")
def recuse(request, pk: int):
    """Step back from an assignment, with the reason; the ministry sees it."""
    assignment = _assignment(request, pk, "evaluation.recuse")
    form = RecuseForm(request.POST)
    recuse_assignment(
        assignment=assignment, actor=request.user, reason=form.data.get("reason", "")[:300]
    )
    messages.success(
        request, _("You recused from %(centre)s.") % {"centre": assignment.proposal.centre.name}
    )
    return redirect("evaluation:my_assignments")


@login_required
def sheet_export(request):
    """The assessor's open assignments as an Excel score sheet to fill in offline."""
    require(request.user, "evaluation.my_assignments")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return FileResponse(
        write_score_sheet(assessor=request.user),
        as_attachment=True,
        filename=f"lembar-penilaian-{request.user.username}-{stamp}.xlsx",
        content_type=XLSX_TYPE,
    )


@login_required
@require_http_methods(["GET", "POST"])
def sheet_import(request):
    """Upload a filled-in score sheet; every row is checked and all or none are saved."""
    require(request.user, "evaluation.my_assignments")
    if request.method == "GET":
        return render(request, "evaluation/sheet_import.html", {"form": ScoreSheetImportForm()})
    form = ScoreSheetImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "evaluation/sheet_import.html", {"form": form})
    result = import_score_sheet(
        actor=request.user, file=form.cleaned_data["file"], dry_run=form.cleaned_data["dry_run"]
    )
    return render(request, "evaluation/sheet_import.html", result_context(result=result, form=form))
