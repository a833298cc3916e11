"""API: assigning assessors to a proposal (an action of ``ovop.evaluation.api.router``)."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from ovop.accounts.models import User
from ovop.common.schema import FORBIDDEN
from ovop.evaluation.models import Assignment
from ovop.evaluation.selectors.setup import with_submitted_flag
from ovop.evaluation.services.assignment import assign


class AssignmentSerializer(serializers.ModelSerializer):
    assessor = serializers.CharField(source="assessor.username", read_only=True)
    submitted = serializers.BooleanField(read_only=True)

    class Meta:
        model = Assignment
        fields = [
            "id",
            "assessor",
            "method",
            "explanation",
            "recused_at",
            "recusal_reason",
            "submitted",
        ]
        read_only_fields = fields


class AssignRequestSerializer(serializers.Serializer):
    assessor = serializers.CharField(max_length=150, help_text="The assessor's username.")


class AssignmentActions:
    """``GET|POST /proposals/{id}/assessors/``: the ministry admin's view of who assesses."""

    @extend_schema(
        methods=["GET"],
        request=None,
        responses={200: AssignmentSerializer(many=True), 403: FORBIDDEN},
        description="The proposal's assignments, recused ones included (a few rows, unpaginated).",
    )
    @extend_schema(
        methods=["POST"],
        request=AssignRequestSerializer,
        responses={201: AssignmentSerializer},
        description="Assign an assessor by username; 409 names the conflict of interest.",
    )
    @action(detail=True, methods=["get", "post"], url_path="assessors", pagination_class=None)
    def assessors(self, request, pk=None):
        proposal = self.get_object()  # 404 when the caller cannot see it
        if not request.user.has_perm("evaluation.manage"):
            raise exceptions.PermissionDenied(_("Only the ministry admin assigns assessors."))
        if request.method == "POST":
            return self._assign(request, proposal)
        assignments = with_submitted_flag(
            Assignment.objects.filter(proposal=proposal)
            .select_related("assessor")
            .order_by("assessor__username")
        )
        return Response(AssignmentSerializer(assignments, many=True).data)

    def _assign(self, request, proposal):
        serializer = AssignRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        username = serializer.validated_data["assessor"].strip()
        assessor = User.objects.filter(username=username).first()
        if assessor is None:
            raise exceptions.ValidationError(
                {"assessor": [_("There is no user “%(name)s”.") % {"name": username}]}
            )
        assignment = assign(proposal=proposal, assessor=assessor, actor=request.user)
        assignment.submitted = False
        return Response(AssignmentSerializer(assignment).data, status=status.HTTP_201_CREATED)
