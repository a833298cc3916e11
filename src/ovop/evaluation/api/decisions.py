"""API: decisions on proposals and a cycle's ranking and publication (actions).

``ovop.evaluation.api.router`` routes ``DecisionActions`` under the proposals' URLs and
``CycleResultActions`` under the cycles'; ``self.get_object()`` there answers 404 for what
the caller may not see.
"""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import exceptions, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from ovop.common.api import reason_field
from ovop.common.schema import FORBIDDEN
from ovop.evaluation.enums import RankingMethod
from ovop.evaluation.selectors.results import Row
from ovop.evaluation.selectors.results_cache import ranked_results
from ovop.evaluation.services.decisions import publish_cycle, set_decision


def _require(request, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise exceptions.PermissionDenied(_("Your role may not do this."))


class RankingRowSerializer(serializers.Serializer):
    """One ranked proposal (documentation only: rows are built as plain dicts for speed)."""

    rank = serializers.IntegerField()
    proposal = serializers.IntegerField()
    centre = serializers.IntegerField()
    centre_name = serializers.CharField()
    regency = serializers.CharField(help_text="Kab/kota code, e.g. 63.03")
    province = serializers.CharField(help_text="Province code, e.g. 63")
    score = serializers.FloatField(help_text="Official score 0–100 (2 decimals)")
    method_score = serializers.FloatField(help_text="What the method ranks by (TOPSIS: 0–1)")
    stars = serializers.IntegerField(help_text="Computed from the official score")
    decision_stars = serializers.IntegerField(allow_null=True)
    decision_status = serializers.CharField(help_text="pending, published or empty")
    disagreement = serializers.BooleanField()
    keeps_band = serializers.FloatField(help_text="Share (0–1) of weight perturbations")
    keeps_top = serializers.FloatField(help_text="Share (0–1) of weight perturbations")


PaginatedRankingSerializer = inline_serializer(
    "PaginatedRanking",
    {
        "count": serializers.IntegerField(),
        "next": serializers.URLField(allow_null=True),
        "previous": serializers.URLField(allow_null=True),
        "results": RankingRowSerializer(many=True),
    },
)


def ranking_item(row: Row) -> dict:
    return {
        "rank": row.rank,
        "proposal": row.proposal_id,
        "centre": row.centre_id,
        "centre_name": row.centre_name,
        "regency": row.regency,
        "province": row.province,
        "score": round(row.score, 2),
        "method_score": round(row.method_score, 6),
        "stars": row.stars,
        "decision_stars": row.decision_stars,
        "decision_status": row.decision_status,
        "disagreement": row.disagreement,
        "keeps_band": row.keeps_band,
        "keeps_top": row.keeps_top,
    }


class PublishSerializer(serializers.Serializer):
    override_reason = reason_field("Why to publish although something is unfinished (recorded).")


class CycleResultActions:
    """``GET /cycles/{id}/ranking/`` and ``POST /cycles/{id}/publish/``."""

    @extend_schema(
        parameters=[
            OpenApiParameter("method", str, enum=RankingMethod.values, description="saw (default)"),
            OpenApiParameter("province", str, description="Province code, e.g. 63"),
            OpenApiParameter("page", int),
            OpenApiParameter("page_size", int, description="Up to 500"),
        ],
        responses={200: PaginatedRankingSerializer, 403: FORBIDDEN},
    )
    @action(detail=True, methods=["get"])
    def ranking(self, request, pk=None):
        """The cycle's scored proposals in rank order (results, not raw assessments)."""
        cycle = self.get_object()
        _require(request, "evaluation.view_results")
        method = request.query_params.get("method", RankingMethod.SAW)
        if method not in RankingMethod.values:
            raise exceptions.ValidationError(
                {"method": [_("Choose saw or topsis, not “%(method)s”.") % {"method": method}]}
            )
        province = request.query_params.get("province", "").strip() or None
        results = ranked_results(cycle=cycle, method=method, province=province)
        page = self.paginate_queryset(results.rows)
        return self.get_paginated_response([ranking_item(row) for row in page])

    @extend_schema(
        request=PublishSerializer,
        responses={
            200: inline_serializer("PublishAnswer", {"published": serializers.IntegerField()})
        },
    )
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        """Make every pending decision of the cycle final at once (409 when none is pending).

        While something is unfinished (assessments missing, a disagreement without a note, a
        departure from the computed stars without a reason) the answer is 409 with ``gaps``,
        one per item; ``override_reason`` publishes anyway and is recorded with the gaps."""
        cycle = self.get_object()
        serializer = PublishSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        count = publish_cycle(
            cycle=cycle,
            actor=request.user,
            override_reason=serializer.validated_data.get("override_reason", ""),
        )
        return Response({"published": count})


class DecideSerializer(serializers.Serializer):
    stars = serializers.IntegerField(
        allow_null=True, min_value=1, max_value=5, help_text="Empty (null) means not rated."
    )
    reason = reason_field(default="")


class DecisionActions:
    """``POST /proposals/{id}/decide/``: set or revise the proposal's (pending) decision."""

    @extend_schema(request=DecideSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        """Stars (or null for not rated) and a reason when departing from the computed stars
        or changing a published decision. Answers the proposal's representation."""
        proposal = self.get_object()
        _require(request, "evaluation.manage")
        serializer = DecideSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        stars = serializer.validated_data["stars"]
        scale = proposal.round.cycle.star_scale
        if stars is not None and stars > scale:
            raise exceptions.ValidationError(
                {"stars": [_("This cycle rates from 1 to %(scale)s stars.") % {"scale": scale}]}
            )
        set_decision(
            proposal=proposal,
            actor=request.user,
            stars=stars,
            reason=serializer.validated_data["reason"],
        )
        # Read again: publishing a revision may have moved it between rated and not rated.
        return Response(self.get_serializer(self.get_queryset().get(pk=proposal.pk)).data)
