"""Results screens: the ranking with its stability, the decisions and their publication, and
the decision record (Berita Acara Penilaian).

Cycles are visible to everyone signed in, so an unknown cycle is the only 404 of a cycle
page; the named rules then answer 403 (``evaluation.view_results`` to read results,
``evaluation.manage`` to decide). Proposals are fetched through their visibility selector.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ovop.common.exports import export_source, replayed_request, saved_query
from ovop.common.history import change_log
from ovop.common.permissions import require
from ovop.common.refusals import Refused
from ovop.common.views.exports import download
from ovop.evaluation.enums import DecisionStatus, RankingMethod
from ovop.evaluation.forms.setup import OverrideForm
from ovop.evaluation.models import Decision
from ovop.evaluation.outputs.pdf import render_record
from ovop.evaluation.selectors.publication import publication_gaps
from ovop.evaluation.selectors.ranking_display import display_rows, proposal_url_pattern
from ovop.evaluation.selectors.results import Row, cycle_results
from ovop.evaluation.selectors.results_cache import ranked_results
from ovop.evaluation.services.decisions import (
    GapsOpen,
    fill_pending,
    publish_cycle,
    set_decision,
)
from ovop.evaluation.workbooks.ranking import RankingExport
from ovop.proposals.enums import ProposalState
from ovop.proposals.models import Cycle, Proposal, Round
from ovop.proposals.outputs.pdf import PdfUnavailable, pdf_response
from ovop.proposals.selectors import proposals_visible_to

PER_PAGE = 100


def _cycle(request, pk: int, permission: str) -> Cycle:
    cycle = get_object_or_404(Cycle, pk=pk)
    require(request.user, permission)
    return cycle


@dataclass(frozen=True)
class RankingFilters:
    method: str
    province: str
    disagreement: bool
    q: str
    per_page: str  # "100" or "all"

    @classmethod
    def from_request(cls, request) -> "RankingFilters":
        get = request.GET
        method = get.get("method", "")
        return cls(
            method=method if method in RankingMethod.values else RankingMethod.SAW,
            province=get.get("province", "").strip(),
            disagreement=get.get("disagreement") == "1",
            q=get.get("q", "").strip(),
            per_page="all" if get.get("per_page") == "all" else str(PER_PAGE),
        )

    def keep(self, rows: Sequence[Row]) -> Sequence[Row]:
        """Rows that match the search and the moderation filter; ranks stay as computed."""
        if self.disagreement:
            rows = [row for row in rows if row.disagreement]
        if self.q:
            needle = self.q.casefold()
            rows = [
                row
                for row in rows
                if needle in row.centre_name.casefold()
                or needle in row.regency_name.casefold()
                or needle in (row.commodity or "").casefold()
            ]
        return rows


def _filtered_results(request, cycle: Cycle):
    """The whole ranking (ranks need every row) and the rows the filters keep."""
    filters = RankingFilters.from_request(request)
    results = ranked_results(cycle=cycle, method=filters.method, province=filters.province or None)
    return results, filters, filters.keep(results.rows)


@login_required
@require_http_methods(["GET", "HEAD"])
def ranking(request, pk: int):
    """The ranked scored proposals with their stars, decision and stability."""
    cycle = _cycle(request, pk, "evaluation.view_results")
    results, filters, rows = _filtered_results(request, cycle)
    per_page = max(len(rows), 1) if filters.per_page == "all" else PER_PAGE
    page = Paginator(rows, per_page).get_page(request.GET.get("page"))
    return render(
        request,
        "evaluation/ranking.html",
        {
            "cycle": cycle,
            "results": results,
            "filters": filters,
            "page": page,
            "rows": display_rows(
                page.object_list,
                method=filters.method,
                scale=cycle.star_scale,
                moderation=filters.disagreement,
            ),
            "moderation_count": len(results.disagreements),
            "provinces": Round.objects.filter(cycle=cycle)
            .select_related("province")
            .order_by("province_id"),
            "methods": RankingMethod.choices,
            "topsis": filters.method == RankingMethod.TOPSIS,
            "top_n": results.rubric.top_n,
            "can_manage": request.user.has_perm("evaluation.manage"),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD"])
def ranking_export(request, pk: int):
    """The ranking as xlsx, with a second sheet of every assessor's levels."""
    cycle = _cycle(request, pk, "evaluation.view_results")
    return download(
        request,
        ranking_source,
        file_format="xlsx",
        title=_("Ranking %(year)s") % {"year": cycle.year},
        params={**saved_query(request), "cycle": [str(cycle.pk)]},
    )


@export_source
def ranking_source(*, user, params):
    """The ranking with the page's filters, for a user who may still see results."""
    request = replayed_request(user=user, params=params)
    cycle = _cycle(request, int(params["cycle"][0]), "evaluation.view_results")
    results, _filters, rows = _filtered_results(request, cycle)
    return RankingExport(results=results, rows=rows)


@login_required
@require_http_methods(["GET", "HEAD"])
def record_pdf(request, pk: int):
    """The Berita Acara Penilaian of the published decisions (409 until there are some)."""
    cycle = _cycle(request, pk, "evaluation.view_results")
    published = Decision.objects.filter(
        proposal__round__cycle=cycle, status=DecisionStatus.PUBLISHED
    )
    if not published.exists():
        return render(
            request, "evaluation/_ranking_record_unpublished.html", {"cycle": cycle}, status=409
        )
    try:
        content = render_record(cycle=cycle)
    except PdfUnavailable as error:
        return render(request, "proposals/pdf_unavailable.html", {"error": error}, status=503)
    return pdf_response(content, filename=f"berita-acara-penilaian-{cycle.year}-{cycle.pk}.pdf")


# Decisions ---------------------------------------------------------------------------------


def _decision_rows(cycle: Cycle, results) -> list[dict]:
    """Scored proposals in rank order, then decided or undecided unscored ones."""
    decisions = {
        decision.proposal_id: decision
        for decision in Decision.objects.filter(proposal__round__cycle=cycle).select_related(
            "decided_by"
        )
    }
    detail = proposal_url_pattern()
    decide = reverse("evaluation:decide", args=[0]).replace("/0/", "/{}/")

    def row(pk: int, **values) -> dict:
        return {
            "proposal_id": pk,
            "url": detail.format(pk),
            "decide_url": decide.format(pk),
            "decision": decisions.get(pk),
            **values,
        }

    rows = [
        row(
            r.proposal_id,
            rank=r.rank,
            centre_name=r.centre_name,
            regency_name=r.regency_name,
            province_name=r.province_name,
            score=r.score,
            stars=r.stars,
        )
        for r in results.rows
    ]
    rows += [
        row(
            fact["pk"],
            rank=None,
            centre_name=fact["centre__name"],
            regency_name=fact["regency__name"],
            province_name=fact["round__province__name"],
            score=None,
            stars=None,
        )
        for fact in results.unscored
    ]
    return rows


@login_required
@require_http_methods(["GET", "HEAD"])
def decisions(request, pk: int):
    """Every scored proposal with its computed stars and its (pending or published) decision."""
    cycle = _cycle(request, pk, "evaluation.manage")
    results = cycle_results(cycle=cycle, with_sensitivity=False)
    rows = _decision_rows(cycle, results)
    pending = sum(1 for r in rows if r["decision"] and r["decision"].status == "pending")
    undecided = sum(1 for r in rows if r["decision"] is None and r["rank"] is not None)
    query = request.GET.get("q", "").strip()
    if query:
        needle = query.casefold()
        rows = [
            r
            for r in rows
            if needle in r["centre_name"].casefold() or needle in r["regency_name"].casefold()
        ]
    per_page = max(len(rows), 1) if request.GET.get("per_page") == "all" else PER_PAGE
    page = Paginator(rows, per_page).get_page(request.GET.get("page"))
    history_of = _history_of(request, cycle)
    return render(
        request,
        "evaluation/decisions.html",
        {
            "cycle": cycle,
            "page": page,
            "query": query,
            "star_choices": range(cycle.star_scale, 0, -1),
            "pending": pending,
            "undecided": undecided,
            "history_of": history_of,
            "history": change_log(history_of) if history_of else None,
        },
    )


def _history_of(request, cycle: Cycle) -> Decision | None:
    wanted = request.GET.get("history", "")
    if not wanted.isdigit():
        return None
    return (
        Decision.objects.filter(proposal__round__cycle=cycle, proposal_id=int(wanted))
        .select_related("proposal__centre")
        .first()
    )


@login_required
@require_POST
def decisions_fill(request, pk: int):
    cycle = _cycle(request, pk, "evaluation.manage")
    try:
        count = fill_pending(cycle=cycle, actor=request.user)
    except Refused as error:
        _refused(request, error)
    else:
        messages.success(
            request,
            _("%(count)s pending decision(s) set from the computed stars.") % {"count": count},
        )
    return redirect("evaluation:decisions", pk=cycle.pk)


def _refused(request, error: Refused) -> None:
    if error.status == 403:
        raise PermissionDenied(error.message)
    messages.error(request, error.message)
    for field, problem in error.errors.items():
        messages.error(request, f"{field}: {problem}")


def _stars_from(value: str, scale: int) -> int | None:
    """Empty means not rated; anything but a whole number on the scale is refused."""
    value = (value or "").strip()
    if not value:
        return None
    if not value.isdigit() or not 1 <= int(value) <= scale:
        raise Refused(
            _("Stars must be a whole number from 1 to %(scale)s, or empty for not rated.")
            % {"scale": scale},
            status=400,
        )
    return int(value)


@login_required
@require_POST
def decide(request, pk: int):
    """Set or revise one proposal's decision, then return to the decisions page."""
    proposal = get_object_or_404(
        proposals_visible_to(request.user).select_related("round__cycle"), pk=pk
    )
    require(request.user, "evaluation.manage")
    cycle = proposal.round.cycle
    back = _back_to(request, cycle)
    try:
        stars = _stars_from(request.POST.get("stars", ""), cycle.star_scale)
        set_decision(
            proposal=proposal,
            actor=request.user,
            stars=stars,
            reason=request.POST.get("reason", ""),
        )
    except Refused as error:
        _refused(request, error)
    else:
        messages.success(request, _("Decision saved."))
    return redirect(back)


def _back_to(request, cycle: Cycle) -> str:
    """Where the form came from (same host only), else the cycle's decisions page."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("evaluation:decisions", kwargs={"pk": cycle.pk})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def publish(request, pk: int):
    """GET: what publishing would do, in counts; POST: publish every pending decision."""
    cycle = _cycle(request, pk, "evaluation.manage")
    form = OverrideForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            count = publish_cycle(
                cycle=cycle,
                actor=request.user,
                override_reason=form.cleaned_data["override_reason"],
            )
        except GapsOpen as error:
            form.add_error("override_reason", error.message)
        except Refused as error:
            _refused(request, error)
            return redirect("evaluation:publish", pk=cycle.pk)
        else:
            messages.success(request, _("%(count)s decision(s) published.") % {"count": count})
            return redirect("evaluation:decisions", pk=cycle.pk)
    context = {
        "cycle": cycle,
        "form": form,
        "gaps": publication_gaps(cycle),
        "publications": cycle.publications.select_related("published_by")[:5],
        **_publish_counts(cycle),
    }
    return render(request, "evaluation/publish_confirm.html", context)


def _publish_counts(cycle: Cycle) -> dict:
    pending = Decision.objects.filter(proposal__round__cycle=cycle, status=DecisionStatus.PENDING)
    by_stars = dict(pending.values_list("stars").annotate(count=Count("pk")).order_by())
    return {
        "rated": [(stars, by_stars.get(stars, 0)) for stars in range(cycle.star_scale, 0, -1)],
        "not_rated": by_stars.get(None, 0),
        "pending_total": sum(by_stars.values()),
        "stale": pending.exclude(proposal__state=ProposalState.ELIGIBLE).count(),
        "undecided": Proposal.objects.filter(
            round__cycle=cycle, state=ProposalState.ELIGIBLE, decision__isnull=True
        ).count(),
        "published": Decision.objects.filter(
            proposal__round__cycle=cycle, status=DecisionStatus.PUBLISHED
        ).count(),
    }
