"""Cycles, rounds and proposals over HTTP (API.md), scoped like the screens."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from ovop.centres.selectors import centres_visible_to
from ovop.common.api import reason_field
from ovop.proposals.api.letters import PDF_RENDERERS
from ovop.proposals.enums import Action
from ovop.proposals.models import Cycle, Proposal, Round, Transition
from ovop.proposals.outputs.pdf import PdfUnavailable, pdf_response, render_dossier
from ovop.proposals.rules import can_open_round_for
from ovop.proposals.selectors import proposals_visible_to, round_compliance, rounds_visible_to
from ovop.proposals.services.cycles import STEPS, advance_cycle
from ovop.proposals.services.forwarding import forward_proposal, forward_round
from ovop.proposals.services.proposals import (
    create_cycle,
    save_cycle,
    save_proposal,
    save_round,
    transition,
)
from ovop.regions.models import Region


def _require(request, permission: str, obj=None) -> None:
    if not request.user.has_perm(permission, obj):
        raise exceptions.PermissionDenied(_("Your role may not do this."))


def _unavailable(error: PdfUnavailable) -> Response:
    """503 when the PDF (a cover letter, a dossier) cannot be made now."""
    return Response({"detail": str(error)}, status=status.HTTP_503_SERVICE_UNAVAILABLE)


def _letter_url(request, letter) -> str:
    return request.build_absolute_uri(reverse("letters:cover_letter_pdf", kwargs={"pk": letter.pk}))


class CycleSerializer(serializers.ModelSerializer):
    class Meta:
        model = Cycle
        fields = [
            "id",
            "year",
            "name",
            "star_scale",
            "status",
            "proposal_deadline",
            "screening_by",
            "assessment_by",
            "decision_by",
        ]
        # The status moves only through POST /cycles/{id}/advance/ (ovop.proposals.services.cycles).
        read_only_fields = ["status"]


class AdvanceSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=sorted(STEPS), help_text="The cycle's next status.")
    reason = reason_field("A note for the cycle's history.")


# The ranking and publication are evaluation's routes on the same URLs (ovop.evaluation.api.router).
class CycleViewSet(viewsets.ModelViewSet):
    """National OVOP cycles: everyone signed in reads them, the ministry admin edits them."""

    serializer_class = CycleSerializer
    queryset = Cycle.objects.all()
    http_method_names = ["get", "post", "patch", "head", "options"]

    def perform_create(self, serializer):
        _require(self.request, "proposals.manage_cycles")
        data = serializer.validated_data
        serializer.instance = create_cycle(
            year=data["year"], name=data["name"], star_scale=data.get("star_scale", 5)
        )

    def perform_update(self, serializer):
        _require(self.request, "proposals.manage_cycles")
        serializer.instance = save_cycle(cycle=serializer.instance, data=serializer.validated_data)

    @extend_schema(request=AdvanceSerializer, responses={200: CycleSerializer})
    @action(detail=True, methods=["post"])
    def advance(self, request, pk=None):
        """Move the cycle one step on (setup → proposal → screening → assessment → decision →
        closed); 409 with the reason when the step cannot be taken yet."""
        cycle = self.get_object()
        serializer = AdvanceSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        cycle = advance_cycle(
            cycle=cycle,
            target=serializer.validated_data["status"],
            actor=request.user,
            reason=serializer.validated_data.get("reason", ""),
        )
        return Response(CycleSerializer(cycle, context={"request": request}).data)


class RoundSerializer(serializers.ModelSerializer):
    province = serializers.SlugRelatedField(
        slug_field="code", queryset=Region.objects.filter(level="province")
    )

    class Meta:
        model = Round
        fields = [
            "id",
            "cycle",
            "province",
            "opens_at",
            "deadline",
            "min_per_regency",
            "max_per_regency",
        ]


class RoundViewSet(viewsets.ModelViewSet):
    """A province's call for proposals; its verifier sets the deadline and quota."""

    serializer_class = RoundSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return rounds_visible_to(self.request.user).order_by("cycle_id", "province_id", "pk")

    def perform_create(self, serializer):
        _require(self.request, "proposals.add_round")
        province = serializer.validated_data["province"]
        if not can_open_round_for(self.request.user, province):
            raise exceptions.ValidationError(
                {"province": [_("A verifier opens rounds for their own province only.")]}
            )
        serializer.instance = save_round(round_=Round(), data=serializer.validated_data)

    def perform_update(self, serializer):
        _require(self.request, "proposals.change_round", serializer.instance)
        serializer.instance = save_round(round_=serializer.instance, data=serializer.validated_data)

    @extend_schema(
        responses={
            200: inline_serializer(
                "ComplianceRow",
                {
                    "regency": serializers.CharField(),
                    "name": serializers.CharField(),
                    "submitted": serializers.IntegerField(),
                    "verified": serializers.IntegerField(),
                    "required": serializers.IntegerField(),
                    "compliant": serializers.BooleanField(),
                    "days_left": serializers.IntegerField(),
                },
                many=True,
            )
        }
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def compliance(self, request, pk=None):
        """One row per kab/kota of the province: submitted / verified / required."""
        rows = round_compliance(round_=self.get_object())
        return Response([row.__dict__ for row in rows])

    @extend_schema(
        request=None,
        responses={
            200: inline_serializer(
                "ForwardAnswer",
                {
                    "forwarded": serializers.IntegerField(),
                    "cover_letter": serializers.URLField(),
                    "number": serializers.CharField(),
                },
            )
        },
    )
    @action(detail=True, methods=["post"])
    def forward(self, request, pk=None):
        """Forward every verified proposal of the round in one batch, with the cover letter."""
        round_ = self.get_object()
        try:
            letter = forward_round(round_=round_, actor=request.user)
        except PdfUnavailable as error:
            return _unavailable(error)
        return Response(
            {
                "forwarded": letter.proposals.count(),
                "cover_letter": _letter_url(request, letter),
                "number": letter.number,
            }
        )


class TransitionSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username")

    class Meta:
        model = Transition
        fields = ["action", "from_state", "to_state", "actor", "reason", "at"]


class ProposalSerializer(serializers.ModelSerializer):
    regency = serializers.CharField(source="regency_id", read_only=True)
    timeline = TransitionSerializer(many=True, read_only=True)

    class Meta:
        model = Proposal
        fields = [
            "id",
            "round",
            "centre",
            "regency",
            "state",
            "lead_enterprise",
            "featured_products",
            "local_yet_global",
            "self_reliance",
            "human_resources",
            "product_innovation",
            "market_access",
            "image",
            "contact_name",
            "contact_phone",
            "contact_email",
            "sample_received_on",
            "submitted_at",
            "timeline",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["state", "submitted_at", "created_at", "updated_at"]
        validators: list = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["centre"].queryset = centres_visible_to(request.user)
            self.fields["round"].queryset = rounds_visible_to(request.user)


class ReasonSerializer(serializers.Serializer):
    reason = reason_field()


class ScreenSerializer(ReasonSerializer):
    eligible = serializers.BooleanField()


class ForwardedProposalSerializer(ProposalSerializer):
    """A forwarded proposal with the cover letter that carried it to the ministry."""

    cover_letter = serializers.URLField(read_only=True)
    cover_letter_number = serializers.CharField(read_only=True)

    class Meta(ProposalSerializer.Meta):
        fields = [*ProposalSerializer.Meta.fields, "cover_letter", "cover_letter_number"]


def visible_proposals(user):
    """The proposals ``user`` may see, as the API lists and answers them (evaluation's
    routes on a proposal use it too, so they answer 404 alike)."""
    return (
        proposals_visible_to(user)
        .select_related("round")
        .prefetch_related("timeline__actor")
        .order_by("round_id", "regency_id", "pk")
    )


# Assessors, assessments and decisions are evaluation's routes on the same URLs
# (ovop.evaluation.api.router). The docstrings are the schema's descriptions.
class ProposalViewSet(viewsets.ModelViewSet):
    """Proposals (usulan). Workflow moves are POSTs to the action URLs; illegal ones get 409."""

    serializer_class = ProposalSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return visible_proposals(self.request.user)

    def _save(self, serializer, proposal=None):
        data = dict(serializer.validated_data)
        round_ = data.pop("round", None) or proposal.round
        centre = data.pop("centre", None) or proposal.centre
        try:
            serializer.instance = save_proposal(
                actor=self.request.user,
                round_=round_,
                centre=centre,
                data=data,
                proposal=proposal,
            )
        except DjangoValidationError as error:
            raise exceptions.ValidationError(error.message_dict) from error

    def perform_create(self, serializer):
        _require(self.request, "proposals.add_proposal")
        self._save(serializer)

    def perform_update(self, serializer):
        _require(self.request, "proposals.change_proposal", serializer.instance)
        self._save(serializer, serializer.instance)

    def _move(self, request, action_name: str, reason: str = ""):
        proposal = self.get_object()
        proposal = transition(
            proposal=proposal, action=action_name, actor=request.user, reason=reason
        )
        return Response(self.get_serializer(proposal).data, status=status.HTTP_200_OK)

    def _reason(self, request) -> str:
        serializer = ReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data.get("reason", "")

    @extend_schema(request=ReasonSerializer, responses={200: ProposalSerializer})
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._move(request, Action.SUBMIT)

    @extend_schema(request=ReasonSerializer, responses={200: ProposalSerializer})
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        return self._move(request, Action.WITHDRAW, self._reason(request))

    @extend_schema(request=ReasonSerializer, responses={200: ProposalSerializer})
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk=None):
        return self._move(request, Action.RETURN, self._reason(request))

    @extend_schema(request=ReasonSerializer, responses={200: ProposalSerializer})
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        return self._move(request, Action.VERIFY, self._reason(request))

    @extend_schema(request=None, responses={200: ForwardedProposalSerializer})
    @action(detail=True, methods=["post"])
    def forward(self, request, pk=None):
        """Forward this proposal through its round's forwarding: a cover letter for it alone."""
        proposal = self.get_object()
        try:
            letter = forward_proposal(proposal=proposal, actor=request.user)
        except PdfUnavailable as error:
            return _unavailable(error)
        proposal.refresh_from_db()
        return Response(
            {
                **self.get_serializer(proposal).data,
                "cover_letter": _letter_url(request, letter),
                "cover_letter_number": letter.number,
            }
        )

    @extend_schema(request=ScreenSerializer, responses={200: ProposalSerializer})
    @action(detail=True, methods=["post"])
    def screen(self, request, pk=None):
        serializer = ScreenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        eligible = serializer.validated_data["eligible"]
        name = Action.SCREEN_ELIGIBLE if eligible else Action.SCREEN_INELIGIBLE
        return self._move(request, name, serializer.validated_data.get("reason", ""))

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], renderer_classes=PDF_RENDERERS)
    def dossier(self, request, pk=None):
        """The proposal's dossier summary as PDF (centre, lead IKM, narrative, checks, timeline)."""
        proposal = self.get_object()
        try:
            content = render_dossier(proposal=proposal)
        except PdfUnavailable as error:
            return _unavailable(error)
        return pdf_response(content, filename=f"usulan-{proposal.pk}.pdf")
