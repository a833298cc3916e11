"""API: a centre's indicators (``/centres/{id}/indicators/``, URL name ``centre-indicators``).

GET lists the centre's yearly figures (baseline, actuals, targets) with the change per metric;
POST records one year's figures, creating (201) or replacing (200) the row of that centre,
year and kind. The centre comes from the viewset's visibility-scoped queryset (404); recording
needs ``coaching.change_indicators`` on it (403).

Coaching routes it itself (``router`` below, included by ``ovop.urls``) beside the centres
viewset, which may not import coaching (the layer contract in pyproject.toml).
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from ovop.centres.enums import SalesChannel
from ovop.centres.selectors import centres_visible_to
from ovop.centres.validators import MAX_SALES_CHANNELS
from ovop.coaching.enums import IndicatorKind
from ovop.coaching.models import Indicator
from ovop.coaching.selectors.indicators import centre_indicators
from ovop.coaching.services.indicators import changes_for, save_indicator


class IndicatorSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=IndicatorKind.choices, default=IndicatorKind.ACTUAL)
    capacity_value = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, allow_null=True, required=False
    )
    worker_count = serializers.IntegerField(read_only=True, allow_null=True)
    sales_channels = serializers.ListField(
        child=serializers.ChoiceField(choices=SalesChannel.choices),
        max_length=MAX_SALES_CHANNELS,
        required=False,
    )
    reason = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=100,
        help_text="Why the figures change; required to correct a baseline.",
    )

    class Meta:
        model = Indicator
        fields = [
            "id",
            "year",
            "kind",
            "capacity_value",
            "capacity_unit",
            "production_value",
            "worker_count",
            "workers_male",
            "workers_female",
            "market_reach",
            "certificates_held",
            "export_value",
            "export_destinations",
            "sales_channels",
            "note",
            "reason",
        ]
        read_only_fields = ["id"]
        # One row per centre, year and kind is the upsert's key, not a validation error.
        validators: list = []

    def to_representation(self, instance: Indicator) -> dict:
        data = super().to_representation(instance)
        data["note"] = instance.display_note  # a system note in the caller's language
        return data


class ChangeSerializer(serializers.Serializer):
    metric = serializers.CharField(source="field")
    # A declared field leaves the class (DRF's metaclass), so it does not replace Field.label.
    label = serializers.CharField()  # type: ignore[assignment]
    baseline = serializers.FloatField(allow_null=True)
    latest = serializers.FloatField(allow_null=True)
    latest_year = serializers.IntegerField(allow_null=True)
    delta = serializers.FloatField(allow_null=True)
    percent = serializers.FloatField(allow_null=True)
    target = serializers.FloatField(allow_null=True)


_LIST = inline_serializer(
    "CentreIndicators",
    {
        "count": serializers.IntegerField(),
        "results": IndicatorSerializer(many=True),
        "changes": ChangeSerializer(many=True),
    },
)


class CentreIndicatorViewSet(viewsets.GenericViewSet):
    """``/centres/{id}/indicators/`` only: the centres viewset answers the rest of the path."""

    def get_queryset(self):
        # The centre as the centres viewset reads it: the same visibility, the same 404.
        return centres_visible_to(self.request.user).select_related("commodity", "region")

    @extend_schema(methods=["GET"], responses={200: _LIST})
    @extend_schema(
        methods=["POST"],
        request=IndicatorSerializer,
        responses={200: IndicatorSerializer, 201: IndicatorSerializer},
    )
    @action(
        detail=True,
        methods=["get", "post"],
        url_path="indicators",
        url_name="indicators",
        serializer_class=IndicatorSerializer,
        pagination_class=None,
    )
    def indicators(self, request, pk=None):
        """A centre's figures per year and kind, and the change of each metric since the
        baseline; POST records one year (``year``, ``kind`` actual|target, figures)."""
        centre = self.get_object()
        if request.method == "POST":
            return _record(request, centre)
        rows = centre_indicators(user=request.user, centre=centre)
        return Response(
            {
                "count": len(rows),
                "results": IndicatorSerializer(rows, many=True).data,
                "changes": ChangeSerializer(changes_for(rows), many=True).data,
            }
        )


def _record(request, centre) -> Response:
    if not request.user.has_perm("coaching.change_indicators", centre):
        raise exceptions.PermissionDenied(_("You may not record figures of this sentra."))
    serializer = IndicatorSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    data = dict(serializer.validated_data)
    year, kind = data.pop("year"), data.pop("kind")
    reason = data.pop("reason", "").strip()
    if "sales_channels" in data:
        order = list(SalesChannel.values)
        data["sales_channels"] = sorted(set(data["sales_channels"]), key=order.index)
    if kind == IndicatorKind.BASELINE and not reason:
        raise exceptions.ValidationError(
            {"reason": [_("A baseline is changed only with a reason.")]}
        )
    existed = Indicator.objects.filter(centre=centre, year=year, kind=kind).exists()
    try:
        indicator = save_indicator(
            actor=request.user,
            centre=centre,
            year=year,
            kind=kind,
            data=data,
            reason=reason or "API",
        )
    except DjangoValidationError as error:
        detail = error.message_dict if hasattr(error, "error_dict") else {"detail": error.messages}
        raise exceptions.ValidationError(detail) from error
    return Response(
        IndicatorSerializer(indicator).data,
        status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED,
    )


# Its own router: the root one already holds the basename "centre" (the centres viewset), and
# this adds ``centre-indicators`` under the same prefix.
router = SimpleRouter()
router.register("centres", CentreIndicatorViewSet, basename="centre")
