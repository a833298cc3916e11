"""Screens to set up cycles (ministry admin) and rounds (each province's verifier)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ovop.accounts.scope import region_scope
from ovop.common.permissions import require
from ovop.common.refusals import refusal_shown
from ovop.proposals.enums import CycleStatus
from ovop.proposals.forms.proposals import ReasonForm
from ovop.proposals.forms.setup import ChecklistFormSet, CycleForm, RoundForm
from ovop.proposals.models import Cycle, Round
from ovop.proposals.selectors import rounds_visible_to
from ovop.proposals.services.cycles import (
    MEANING,
    STEPS,
    advance_cycle,
    status_context,
    step_refusal,
)
from ovop.proposals.services.proposals import DEFAULT_CHECKLIST, save_cycle, save_round


@login_required
def cycle_edit(request, pk: int | None = None):
    require(request.user, "proposals.manage_cycles")
    cycle = get_object_or_404(Cycle, pk=pk) if pk else None
    form = CycleForm(request.POST or None, instance=cycle)
    initial = (
        [
            {
                "code": code,
                "label": label,
                "required": required,
                "food_only": food_only,
                "position": position,
            }
            for position, (code, label, required, food_only) in enumerate(DEFAULT_CHECKLIST)
        ]
        if cycle is None
        else []
    )
    formset = ChecklistFormSet(
        request.POST or None, instance=cycle or Cycle(), prefix="checklist", initial=initial
    )
    if cycle is None:
        formset.extra = len(initial) + 1
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        # The forms have set the values on their instances; the service saves them.
        items = formset.save(commit=False)
        saved = save_cycle(
            cycle=form.instance,
            commodities=form.cleaned_data["commodities"],
            checklist=items,
            removed=formset.deleted_objects,
        )
        messages.success(request, _("%(name)s saved.") % {"name": saved.name})
        return redirect("proposals:round_list")
    context = {"form": form, "formset": formset, "cycle": cycle}
    if cycle is not None:
        context |= status_context(cycle, request.user)
    return render(request, "proposals/cycle_form.html", context)


def _verifier_province(user) -> str:
    """The province whose round ``user`` opens: their own (``proposals.add_round``)."""
    require(user, "proposals.add_round")
    province = region_scope(user).code
    if province is None:  # a superuser holds every permission but works for no province
        raise PermissionDenied
    return province


@login_required
def round_create(request, cycle_pk: int):
    province = _verifier_province(request.user)
    cycle = get_object_or_404(Cycle, pk=cycle_pk)
    existing = Round.objects.filter(cycle=cycle, province_id=province).first()
    if existing:
        return redirect("proposals:round_edit", pk=existing.pk)
    form = RoundForm(request.POST or None, instance=Round(cycle=cycle, province_id=province))
    if request.method == "POST" and form.is_valid():
        saved = save_round(round_=form.instance)  # the form has set its fields on it
        messages.success(
            request, _("Round opened for %(province)s.") % {"province": saved.province.name}
        )
        return redirect("proposals:compliance", pk=saved.pk)
    return render(request, "proposals/round_form.html", {"form": form, "cycle": cycle})


@login_required
def round_edit(request, pk: int):
    round_ = get_object_or_404(rounds_visible_to(request.user), pk=pk)
    require(request.user, "proposals.change_round", round_)
    form = RoundForm(request.POST or None, instance=round_)
    if request.method == "POST" and form.is_valid():
        save_round(round_=form.instance)
        messages.success(request, _("Changes saved."))
        return redirect("proposals:compliance", pk=round_.pk)
    return render(
        request, "proposals/round_form.html", {"form": form, "cycle": round_.cycle, "round": round_}
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@refusal_shown("proposals:cycle_advance")
def cycle_advance(request, pk: int, status: str):
    """GET: what the cycle's next step means and whether it may be taken; POST: take it."""
    require(request.user, "proposals.manage_cycles")
    cycle = get_object_or_404(Cycle, pk=pk)
    step = STEPS.get(status)
    if step is None:
        raise Http404
    if request.method == "POST":
        form = ReasonForm(request.POST)
        if not form.is_valid():
            messages.error(request, " ".join(str(m) for m in form.errors["reason"]))
            return redirect("proposals:cycle_advance", pk=cycle.pk, status=status)
        advance_cycle(
            cycle=cycle, target=status, actor=request.user, reason=form.cleaned_data["reason"]
        )
        messages.success(
            request,
            _("%(name)s is now “%(status)s”.")
            % {"name": cycle.name, "status": CycleStatus(status).label},
        )
        return redirect("evaluation:cycle", pk=cycle.pk)
    blocker = step_refusal(cycle, step)
    context = {
        "cycle": cycle,
        "step": step,
        "target_label": CycleStatus(status).label,
        "meaning": MEANING[status],
        "blocker": blocker,
    }
    return render(request, "proposals/cycle_advance.html", context)
