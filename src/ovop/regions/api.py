from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from ovop.regions.enums import RegionLevel
from ovop.regions.models import Region
from ovop.regions.selectors import regions_visible_to, search_regions


class RegionSerializer(serializers.ModelSerializer):
    # DRF moves declared fields off the class, so ``parent`` clashes with ``Field.parent``
    # only in the stubs; the API has always named the parent's code ``parent``.
    parent = serializers.CharField(  # type: ignore[assignment]
        source="parent_id", allow_null=True, read_only=True
    )

    class Meta:
        model = Region
        fields = ["code", "name", "level", "parent"]


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("parent", OpenApiTypes.STR, description=_("parent region code")),
            OpenApiParameter("level", OpenApiTypes.STR, enum=RegionLevel.values),
            OpenApiParameter("search", OpenApiTypes.STR, description=_("name or code prefix")),
        ]
    )
)
class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    """Official regions of Indonesia (Kepmendagri 300.2.2-2138/2025)."""

    serializer_class = RegionSerializer
    lookup_field = "code"
    lookup_value_regex = r"[0-9]{2}(\.[0-9]{2}(\.[0-9]{2}(\.[0-9]{4})?)?)?"

    def get_queryset(self):
        params = self.request.query_params
        level = params.get("level") or None
        if level and level not in RegionLevel.values:
            raise serializers.ValidationError(
                {
                    "level": [
                        _("Unknown level %(level)s; use one of: %(levels)s.")
                        % {"level": level, "levels": ", ".join(RegionLevel.values)}
                    ]
                }
            )
        return search_regions(
            queryset=regions_visible_to(self.request.user),
            parent=params.get("parent") or None,
            level=level,
            text=params.get("search") or None,
        )
