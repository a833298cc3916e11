"""Evaluation set-up screens (ministry admin; national viewers read): cycles, rubric, bands,
and a proposal's assessors. Assessor profiles and conflicts: views/assessors.py."""

from collections.abc import Mapping
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ovop.accounts.models import User
from ovop.common.exports import export_response
from ovop.common.permissions import require
from ovop.common.refusals import Refused, refusal_shown
from ovop.evaluation.forms.setup import AssignForm, AutoAssignForm, BandsForm, RubricForm
from ovop.evaluation.models import Decision, Rubric
from ovop.evaluation.selectors.results import cycle_results
from ovop.evaluation.selectors.setup import (
    assessor_choices,
    assignments_of_proposal,
    bands_locked,
    cycle_progress,
    cycle_proposals,
)
from ovop.evaluation.selectors.visibility import assignments_visible_to
from ovop.evaluation.services.assignment import assign, auto_assign
from ovop.evaluation.services.defaults import DEFAULT_BANDS
from ovop.evaluation.services.rubric import (
    bands_of,
    check_editable,
    ensure_rubric,
    save_bands,
    subcriteria_of,
)
from ovop.evaluation.services.scoring import weighted_total
from ovop.evaluation.services.setup import remove_assignment, save_whole_rubric
from ovop.proposals.enums import ProposalState
from ovop.proposals.models import Cycle
from ovop.proposals.selectors import proposals_visible_to
from ovop.proposals.services.cycles import status_context


@login_required
def index(request):
    """Every cycle with its evaluation progress; assessors go to their own list instead."""
    user = request.user
    if not user.has_perm("evaluation.view_results"):
        if user.has_perm("evaluation.my_assignments"):
            return redirect("evaluation:my_assignments")
        raise PermissionDenied
    cycles = list(Cycle.objects.order_by("-year", "-pk"))
    progress = cycle_progress(cycles)
    return render(
        request,
        "evaluation/index.html",
        {
            "rows": [(cycle, progress[cycle.pk]) for cycle in cycles],
            "can_manage": user.has_perm("evaluation.manage"),
        },
    )


def _rubric_outline(rubric: Rubric) -> list[dict]:
    """Criteria with their sub-criteria and levels (3 queries), for read-only display."""
    subs = subcriteria_of(rubric)
    outline = []
    for criterion in rubric.criteria.order_by("position", "code"):
        mine = [sub for sub in subs if sub.criterion_id == criterion.pk]
        outline.append(
            {"criterion": criterion, "subs": mine, "weight": sum(sub.weight for sub in mine)}
        )
    return outline


def _bands_display(cycle) -> list[tuple[str, float]]:
    return [("★" * stars, low) for stars, low in bands_of(cycle)]


def _lock_reason(rubric: Rubric) -> str:
    try:
        check_editable(rubric)
    except Refused as error:
        return error.message
    return ""


@login_required
def cycle_hub(request, pk: int):
    cycle = get_object_or_404(Cycle, pk=pk)
    require(request.user, "evaluation.view_results")
    rubric = ensure_rubric(cycle)
    filters = {"q": request.GET.get("q", "").strip(), "short": request.GET.get("short") == "1"}
    queryset = cycle_proposals(
        cycle=cycle,
        text=filters["q"],
        short_of=rubric.assessors_per_proposal if filters["short"] else None,
    )
    if request.GET.get("format") in ("csv", "xlsx"):
        return _export_cycle_proposals(request, cycle, rubric, queryset)
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "evaluation/cycle.html",
        {
            "cycle": cycle,
            "rubric": rubric,
            "outline": _rubric_outline(rubric),
            "lock_reason": _lock_reason(rubric),
            "bands": _bands_display(cycle),
            "progress": cycle_progress([cycle])[cycle.pk],
            "page": page,
            "filters": filters,
            "can_manage": request.user.has_perm("evaluation.manage"),
            "assign_form": AutoAssignForm(initial={"per_proposal": rubric.assessors_per_proposal}),
            **status_context(cycle, request.user),
        },
    )


def _export_cycle_proposals(request, cycle, rubric, queryset):
    headers = [
        _("ID"),
        _("Province"),
        _("Regency/city"),
        _("Sentra"),
        _("Commodity group"),
        _("State"),
        _("Active assessors"),
        _("Needed"),
        _("Submitted"),
        _("Recused"),
        _("Assessors"),
    ]
    rows = (
        (
            p.pk,
            p.round.province.name,
            p.regency.name,
            p.centre.name,
            p.centre.commodity.name,
            str(ProposalState(p.state).label),
            p.active,
            rubric.assessors_per_proposal,
            p.submitted,
            p.recused,
            ", ".join(a.assessor.username for a in p.assignments.all() if a.recused_at is None),
        )
        for p in queryset.iterator(chunk_size=500)
    )
    return export_response(
        file_format=request.GET["format"],
        base_name=f"penugasan-penilai-{cycle.year}",
        headers=headers,
        rows=rows,
    )


@login_required
@require_POST
def auto_assign_view(request, pk: int):
    cycle = get_object_or_404(Cycle, pk=pk)
    require(request.user, "evaluation.manage")
    form = AutoAssignForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(str(error) for error in errors))
        return redirect("evaluation:cycle", pk=cycle.pk)
    per_proposal = form.cleaned_data["per_proposal"]
    result = auto_assign(cycle=cycle, actor=request.user, per_proposal=per_proposal)
    messages.success(
        request, _("%(count)s assignment(s) created.") % {"count": len(result.created)}
    )
    if result.short:
        messages.warning(
            request,
            _(
                "%(count)s proposal(s) are still short of %(needed)s assessors (%(seats)s seat(s) "
                "unfilled): not enough assessors without a conflict. Proposal numbers: %(ids)s."
            )
            % {
                "count": len(result.short),
                "needed": per_proposal,
                "seats": sum(result.short.values()),
                "ids": ", ".join(str(pk) for pk in sorted(result.short)),
            },
        )
    return redirect("evaluation:cycle", pk=cycle.pk)


@login_required
def rubric_edit(request, pk: int):
    cycle = get_object_or_404(Cycle, pk=pk)
    require(request.user, "evaluation.manage")
    rubric = ensure_rubric(cycle)
    lock_reason = _lock_reason(rubric)
    if lock_reason:
        # Locked: read-only, and a POST is refused with the reason (nothing changes).
        return render(
            request,
            "evaluation/rubric_form.html",
            {
                "cycle": cycle,
                "rubric": rubric,
                "lock_reason": lock_reason,
                "outline": _rubric_outline(rubric),
            },
            status=409 if request.method == "POST" else 200,
        )
    form = RubricForm(request.POST or None, rubric=rubric, subcriteria=subcriteria_of(rubric))
    if request.method == "POST" and form.is_valid():
        try:
            save_whole_rubric(rubric=rubric, **form.changes())
        except ValidationError as error:
            form.add_error(None, error.messages)
        except Refused as error:  # locked meanwhile by a first submission
            form.add_error(None, error.message)
        else:
            messages.success(
                request, _("The rubric of %(cycle)s is saved.") % {"cycle": cycle.name}
            )
            return redirect("evaluation:cycle", pk=cycle.pk)
    return render(
        request,
        "evaluation/rubric_form.html",
        {
            "cycle": cycle,
            "rubric": rubric,
            "form": form,
            "sections": form.sections(),
            "weight_total": form.weight_total(),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def bands_edit(request, pk: int):
    cycle = get_object_or_404(Cycle, pk=pk)
    require(request.user, "evaluation.manage")
    form = BandsForm(request.POST or None, scale=cycle.star_scale, bands=bands_of(cycle))
    context = {"cycle": cycle, "form": form, "locked": bands_locked(cycle)}
    if request.method != "POST":
        return render(request, "evaluation/bands_form.html", context)
    cutoffs: Mapping[int, Decimal | int]
    if "reset" in request.POST:
        cutoffs = {stars: low for stars, low in DEFAULT_BANDS[cycle.star_scale] if stars > 1}
    elif form.is_valid():
        cutoffs = form.cutoffs()
    else:
        return render(request, "evaluation/bands_form.html", context, status=400)
    try:
        save_bands(cycle=cycle, cutoffs=cutoffs)
    except ValidationError as error:
        form.add_error(None, error.messages)
        return render(request, "evaluation/bands_form.html", context, status=400)
    except Refused as error:
        context["refusal"] = error.message
        return render(request, "evaluation/bands_form.html", context, status=409)
    messages.success(request, _("Star bands saved."))
    return redirect("evaluation:cycle", pk=cycle.pk)


def _visible_proposal(request, pk: int):
    return get_object_or_404(
        proposals_visible_to(request.user).select_related(
            "round__cycle", "round__province", "regency", "centre__commodity", "lead_enterprise"
        ),
        pk=pk,
    )


def _assessment_table(subs, assignments) -> tuple[list, list]:
    """Sub-criteria × submitted assessments: (level, comment) cells and each total."""
    scored = [a for a in assignments if a.recused_at is None and a.assessment_done]
    rows = [
        {
            "sub": sub,
            "cells": [
                (a.assessment.levels.get(sub.code), a.assessment.comments.get(sub.code, ""))
                for a in scored
            ],
        }
        for sub in subs
    ]
    totals = [(a, weighted_total(a.assessment.levels, subs)) for a in scored]
    return rows, totals


@login_required
def proposal_panel(request, pk: int):
    proposal = _visible_proposal(request, pk)
    require(request.user, "evaluation.view_results")
    cycle = proposal.round.cycle
    rubric = ensure_rubric(cycle)
    assignments = assignments_of_proposal(proposal)
    subs = subcriteria_of(rubric)
    table, totals = _assessment_table(subs, assignments)
    results = cycle_results(cycle=cycle, proposal_ids=[proposal.pk], with_sensitivity=False)
    can_manage = request.user.has_perm("evaluation.manage")
    return render(
        request,
        "evaluation/proposal_panel.html",
        {
            "proposal": proposal,
            "centre": proposal.centre,
            "cycle": cycle,
            "rubric": rubric,
            "assignments": assignments,
            "table": table,
            "totals": totals,
            "official": results.rows[0] if results.rows else None,
            "decision": Decision.objects.filter(proposal=proposal).first(),
            "can_manage": can_manage,
            "assignable": proposal.state == ProposalState.ELIGIBLE,
            "assign_form": AssignForm() if can_manage else None,
            "choices": assessor_choices(proposal) if can_manage else [],
        },
    )


@login_required
@require_POST
@refusal_shown("evaluation:proposal")
def assign_view(request, pk: int):
    proposal = _visible_proposal(request, pk)
    require(request.user, "evaluation.manage")
    form = AssignForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the assessor's username."))
        return redirect("evaluation:proposal", pk=proposal.pk)
    username = form.cleaned_data["assessor"].strip()
    assessor = User.objects.filter(username=username).first()
    if assessor is None:
        messages.error(request, _("There is no user “%(name)s”.") % {"name": username})
        return redirect("evaluation:proposal", pk=proposal.pk)
    assign(proposal=proposal, assessor=assessor, actor=request.user)
    messages.success(request, _("%(name)s is assigned.") % {"name": assessor})
    return redirect("evaluation:proposal", pk=proposal.pk)


@login_required
@require_POST
def unassign_view(request, pk: int):
    assignment = get_object_or_404(
        assignments_visible_to(request.user).select_related("assessor"), pk=pk
    )
    require(request.user, "evaluation.manage")
    proposal_pk = assignment.proposal_id
    try:
        remove_assignment(assignment=assignment, actor=request.user)
    except Refused as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("%(name)s is no longer assigned.") % {"name": assignment.assessor}
        )
    return redirect("evaluation:proposal", pk=proposal_pk)
