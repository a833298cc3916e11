"""API: the caller's own assessment of a proposal (an action of ``ovop.evaluation.api.router``)."""

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from ovop.common.validators import (
    COMMENT_MAX_LENGTH,
    GENERAL_COMMENT_MAX_LENGTH,
    multi_line_text,
)
from ovop.evaluation.models import Assessment, Assignment
from ovop.evaluation.services.rubric import ensure_rubric, subcriteria_of
from ovop.evaluation.services.scoring import save_assessment, suggestions_for, weighted_total
from ovop.proposals.models import Proposal


class SuggestionSerializer(serializers.Serializer):
    level = serializers.IntegerField(min_value=1, max_value=5)
    reason = serializers.CharField()


class AssessmentSerializer(serializers.Serializer):
    """The caller's assessment; ``levels`` and ``comments`` are keyed by sub-criterion code."""

    levels = serializers.DictField(child=serializers.IntegerField(min_value=1, max_value=5))
    comments = serializers.DictField(child=serializers.CharField())
    general_comment = serializers.CharField(allow_blank=True)
    submitted = serializers.BooleanField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    total = serializers.FloatField(help_text="Σ weight × level / 5 over the levels given (0–100).")
    suggested = serializers.DictField(
        child=SuggestionSerializer(),
        help_text="Levels the registry implies (market reach, certificates, workers), with the "
        "reason; choosing another level needs a comment on submission.",
    )


class AssessmentInputSerializer(serializers.Serializer):
    """PUT body. ``submit: true`` makes the assessment final (and locks the cycle's rubric)."""

    levels = serializers.DictField(
        child=serializers.IntegerField(min_value=1, max_value=5), required=False
    )
    comments = serializers.DictField(
        child=serializers.CharField(
            allow_blank=True, max_length=COMMENT_MAX_LENGTH, validators=[multi_line_text]
        ),
        required=False,
    )
    general_comment = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=GENERAL_COMMENT_MAX_LENGTH,
        validators=[multi_line_text],
    )
    submit = serializers.BooleanField(required=False, default=False)


class _LenientInput(AssessmentInputSerializer):
    # Levels pass through as sent so that the scoring service names each bad one:
    # 400 {"K1.1": ["..."]} rather than a nested serializer error.
    levels = serializers.DictField(child=serializers.JSONField(), required=False, default=dict)
    comments = serializers.DictField(
        child=serializers.CharField(
            allow_blank=True, max_length=COMMENT_MAX_LENGTH, validators=[multi_line_text]
        ),
        required=False,
        default=dict,
    )


EXAMPLE = {
    "levels": {"K1.1": 4, "K3.1": 4},
    "comments": {"K1.1": "Bahan baku kain dari pengrajin lokal"},
    "general_comment": "",
    "submit": False,
}


class AssessmentActions:
    """``GET|PUT /proposals/{id}/assessment/``: the caller's own assessment."""

    if TYPE_CHECKING:  # provided by the viewset of ovop.evaluation.api.router

        def get_object(self) -> Proposal: ...

    def _own_assignment(self, request) -> Assignment:
        proposal = self.get_object()  # 404 when the caller cannot see the proposal
        assignment = (
            Assignment.objects.filter(proposal=proposal, assessor=request.user)
            .select_related("proposal__round__cycle", "proposal__centre")
            .first()
        )
        if assignment is None or not request.user.has_perm("evaluation.score", assignment):
            raise exceptions.PermissionDenied(_("You are not an assessor of this proposal."))
        return assignment

    def _assessment_answer(self, assignment: Assignment) -> dict:
        subcriteria = subcriteria_of(ensure_rubric(assignment.proposal.round.cycle))
        assessment = Assessment.objects.filter(assignment=assignment).first()
        levels = assessment.levels if assessment else {}
        suggestions = suggestions_for(centre=assignment.proposal.centre, subcriteria=subcriteria)
        return {
            "levels": levels,
            "comments": assessment.comments if assessment else {},
            "general_comment": assessment.general_comment if assessment else "",
            "submitted": bool(assessment and assessment.is_submitted),
            "submitted_at": assessment.submitted_at if assessment else None,
            "total": round(weighted_total(levels, subcriteria), 2),
            "suggested": {
                code: {"level": suggestion.level, "reason": suggestion.reason}
                for code, suggestion in suggestions.items()
            },
        }

    @extend_schema(
        methods=["GET"],
        summary="The caller's own assessment of the proposal",
        description="Levels and comments by sub-criterion code, the running total and the "
        "levels the registry suggests. Only the proposal's active assessor may read it.",
        responses={
            200: AssessmentSerializer,
            403: OpenApiResponse(description="Visible, but the caller is not its assessor."),
            404: OpenApiResponse(description="The proposal is not visible to the caller."),
        },
    )
    @extend_schema(
        methods=["PUT"],
        summary="Save the caller's levels as a draft, or submit them (final)",
        description="Replaces the draft with the levels and comments sent. With submit=true "
        "every sub-criterion needs a level, a level other than the suggested one needs a "
        "comment, and the assessment becomes final; the first submission locks the rubric.",
        request=AssessmentInputSerializer,
        examples=[OpenApiExample("Draft", value=EXAMPLE, request_only=True)],
        responses={
            200: AssessmentSerializer,
            400: OpenApiResponse(description='Bad levels, by code: {"K1.1": ["message"]}.'),
            403: OpenApiResponse(description="Visible, but the caller is not its assessor."),
            404: OpenApiResponse(description="The proposal is not visible to the caller."),
            409: OpenApiResponse(
                description="Already submitted, or the proposal is not being assessed."
            ),
        },
    )
    @action(
        detail=True,
        methods=["get", "put"],
        url_path="assessment",
        # The proposal routes answer no PUT elsewhere; this route alone takes it.
        http_method_names=["get", "put", "head", "options"],
    )
    def assessment(self, request, pk=None):
        assignment = self._own_assignment(request)
        if request.method == "PUT":
            body = _LenientInput(data=request.data)
            body.is_valid(raise_exception=True)
            data = body.validated_data
            # A refusal answers itself (ovop.common.api): 400 is {"K1.1": ["message"]}.
            save_assessment(
                assignment=assignment,
                actor=request.user,
                levels=data["levels"],
                comments=data["comments"],
                general_comment=data["general_comment"],
                submit=data["submit"],
            )
        return Response(AssessmentSerializer(self._assessment_answer(assignment)).data)
