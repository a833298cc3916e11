"""Programmes and activities over HTTP (API.md), scoped like the screens.

Reads come from the visibility selectors (404 for what the caller may not see); every write
names ``coaching.change_programme`` (403) and goes through the services, whose Django
ValidationError becomes 400 ``{"field": ["message"]}`` in ``ovop.common.api``.
"""

from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, serializers, viewsets

from ovop.centres.models import Centre, Enterprise
from ovop.centres.selectors import centres_visible_to, enterprises_visible_to
from ovop.coaching.enums import Focus, OwnerLevel, Principle
from ovop.coaching.models import Activity, Evidence, Programme
from ovop.coaching.selectors.visibility import activities_visible_to, programmes_visible_to
from ovop.coaching.services.programme_owner import initial_owner
from ovop.coaching.services.programmes import save_activity, save_programme
from ovop.coaching.services.programmes_removal import delete_activity, delete_programme
from ovop.regions.enums import RegionLevel
from ovop.regions.models import Region

CHANGE = "coaching.change_programme"
# Focus aspects and principles are a handful of codes; a list may repeat one, not run long.
MAX_LIST_ITEMS = 20
MAX_DATABASE_INTEGER = 2**63 - 1


def _id_param(request, name: str) -> int | None:
    value = request.query_params.get(name, "").strip()
    if not value:
        return None
    if not value.isdigit():
        raise exceptions.ValidationError({name: [_("Give a whole number.")]})
    # No row has a larger id, and SQLite cannot even bind a number past 64 bits.
    if int(value) > MAX_DATABASE_INTEGER:
        raise exceptions.ValidationError(
            {name: [_("Give a whole number up to %(limit)s.") % {"limit": MAX_DATABASE_INTEGER}]}
        )
    return int(value)


def _require_change(request, programme) -> None:
    if not request.user.has_perm(CHANGE, programme):
        raise exceptions.PermissionDenied(_("You may not change this programme."))


class ProgrammeSerializer(serializers.ModelSerializer):
    owner_level = serializers.ChoiceField(choices=OwnerLevel.choices, required=False)
    owner_region = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Region.objects.filter(level__in=[RegionLevel.PROVINCE, RegionLevel.REGENCY]),
        required=False,
        allow_null=True,
    )
    focus = serializers.ListField(
        child=serializers.ChoiceField(choices=Focus.choices),
        max_length=MAX_LIST_ITEMS,
        required=False,
    )
    principles = serializers.ListField(
        child=serializers.ChoiceField(choices=Principle.choices),
        max_length=MAX_LIST_ITEMS,
        required=False,
    )
    centres = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Centre.objects.none(), required=False
    )
    activity_count = serializers.SerializerMethodField()

    class Meta:
        model = Programme
        fields = [
            "id",
            "name",
            "owner_level",
            "owner_region",
            "year_start",
            "year_end",
            "budget",
            "focus",
            "principles",
            "description",
            "centres",
            "activity_count",
        ]
        extra_kwargs = {"year_end": {"required": False}}
        validators: list = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            # A centre the caller may not see does not exist for them.
            self.fields["centres"].child_relation.queryset = centres_visible_to(request.user)

    def get_activity_count(self, programme) -> int:
        count = getattr(programme, "activity_count", None)
        return programme.activities.count() if count is None else count


PROGRAMME_FILTERS = [
    OpenApiParameter("centre", OpenApiTypes.INT, description="Programmes targeting this sentra"),
    OpenApiParameter("year", OpenApiTypes.INT, description="Programmes running in this year"),
]


@extend_schema_view(list=extend_schema(parameters=PROGRAMME_FILTERS))
class ProgrammeViewSet(viewsets.ModelViewSet):
    """Coaching programmes. Offices run their own; DELETE only while it has no activities."""

    serializer_class = ProgrammeSerializer
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        queryset = programmes_visible_to(self.request.user).annotate(
            activity_count=Count("activities")
        )
        centre = _id_param(self.request, "centre")
        if centre is not None:
            targeting = Programme.centres.through.objects.filter(centre_id=centre)
            queryset = queryset.filter(pk__in=targeting.values("programme_id"))
        year = _id_param(self.request, "year")
        if year is not None:
            queryset = queryset.filter(year_start__lte=year, year_end__gte=year)
        return (
            queryset.select_related("owner_region")
            .prefetch_related(
                Prefetch("centres", queryset=Centre.objects.only("pk").order_by("pk"))
            )
            .order_by("pk")
        )

    def create(self, request, *args, **kwargs):
        # 403 before the body is read: a role that never runs programmes learns nothing more.
        if not request.user.has_perm("coaching.add_programme"):
            raise exceptions.PermissionDenied(_("Your role does not run coaching programmes."))
        return super().create(request, *args, **kwargs)

    def update(self, request, *args, **kwargs):
        _require_change(request, self.get_object())  # 404, then 403, before validating
        return super().update(request, *args, **kwargs)

    def perform_create(self, serializer):
        user = self.request.user
        data = dict(serializer.validated_data)
        centres = data.pop("centres", [])
        level, region = initial_owner(user, centres)
        data.setdefault("owner_level", level)
        if "owner_region" not in data:
            data["owner_region_id"] = region if data["owner_level"] == level else None
        data.setdefault("year_end", data.get("year_start"))
        serializer.instance = save_programme(
            actor=user, programme=Programme(**data), centres=centres
        )

    def perform_update(self, serializer):
        programme = serializer.instance
        _require_change(self.request, programme)
        data = dict(serializer.validated_data)
        centres = data.pop("centres", None)
        if centres is None:
            centres = list(programme.centres.all())
        for field, value in data.items():
            setattr(programme, field, value)
        serializer.instance = save_programme(
            actor=self.request.user, programme=programme, centres=centres
        )

    def perform_destroy(self, instance):
        _require_change(self.request, instance)
        delete_programme(actor=self.request.user, programme=instance)


class EvidenceSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Evidence
        fields = ["id", "kind", "title", "url"]

    def get_url(self, evidence) -> str:
        # One reverse() per response, not per file (PERFORMANCE.md).
        context = cast(dict[str, Any], self.context)  # the one dict the whole response shares
        base = context.get("evidence_url")
        if base is None:
            base = reverse("coaching:evidence_file", kwargs={"pk": 0})[:-2]
            context["evidence_url"] = base
        path = f"{base}{evidence.pk}/"
        request = context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


class ActivitySerializer(serializers.ModelSerializer):
    programme = serializers.PrimaryKeyRelatedField(queryset=Programme.objects.none())
    focus = serializers.ListField(
        child=serializers.ChoiceField(choices=Focus.choices),
        max_length=MAX_LIST_ITEMS,
        required=False,
    )
    centres = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Centre.objects.none(), required=False
    )
    enterprises = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Enterprise.objects.none(), required=False
    )
    evidence = EvidenceSerializer(many=True, read_only=True)

    class Meta:
        model = Activity
        fields = [
            "id",
            "programme",
            "kind",
            "title",
            "starts_on",
            "ends_on",
            "place",
            "focus",
            "centres",
            "enterprises",
            "participants_male",
            "participants_female",
            "cost",
            "outcome",
            "evidence",
        ]
        extra_kwargs = {"ends_on": {"required": False}}
        validators: list = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            user = request.user
            self.fields["programme"].queryset = programmes_visible_to(user)
            self.fields["centres"].child_relation.queryset = centres_visible_to(user)
            self.fields["enterprises"].child_relation.queryset = enterprises_visible_to(user)


ACTIVITY_FILTERS = [
    OpenApiParameter("programme", OpenApiTypes.INT, description="Activities of this programme"),
    OpenApiParameter("centre", OpenApiTypes.INT, description="Activities this sentra joined"),
    OpenApiParameter("year", OpenApiTypes.INT, description="Activities starting in this year"),
]


@extend_schema_view(list=extend_schema(parameters=ACTIVITY_FILTERS))
class ActivityViewSet(viewsets.ModelViewSet):
    """Activities inside programmes, with their participants and evidence files."""

    serializer_class = ActivitySerializer
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        queryset = activities_visible_to(self.request.user)
        programme = _id_param(self.request, "programme")
        if programme is not None:
            queryset = queryset.filter(programme_id=programme)
        centre = _id_param(self.request, "centre")
        if centre is not None:
            joined = Activity.centres.through.objects.filter(centre_id=centre)
            queryset = queryset.filter(pk__in=joined.values("activity_id"))
        year = _id_param(self.request, "year")
        if year is not None:
            if not 1 <= year <= 9999:  # a date's year: anything else cannot match (nor query)
                raise exceptions.ValidationError({"year": [_("Give a year between 1 and 9999.")]})
            queryset = queryset.filter(starts_on__year=year)
        return (
            queryset.select_related("programme")
            .prefetch_related(
                Prefetch("centres", queryset=Centre.objects.only("pk").order_by("pk")),
                Prefetch("enterprises", queryset=Enterprise.objects.only("pk").order_by("pk")),
                Prefetch("evidence", queryset=Evidence.objects.order_by("kind", "pk")),
            )
            .order_by("pk")
        )

    def update(self, request, *args, **kwargs):
        _require_change(request, self.get_object().programme)  # 404, then 403
        return super().update(request, *args, **kwargs)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        _require_change(self.request, data["programme"])
        centres, enterprises = data.pop("centres", []), data.pop("enterprises", [])
        data.setdefault("ends_on", data.get("starts_on"))
        serializer.instance = save_activity(
            actor=self.request.user,
            activity=Activity(**data),
            centres=centres,
            enterprises=enterprises,
        )

    def perform_update(self, serializer):
        activity = serializer.instance
        _require_change(self.request, activity.programme)
        data = dict(serializer.validated_data)
        programme = data.pop("programme", activity.programme)
        if programme.pk != activity.programme_id:
            raise ValidationError({"programme": _("An activity cannot move to another programme.")})
        centres = data.pop("centres", None)
        enterprises = data.pop("enterprises", None)
        if centres is None:
            centres = list(activity.centres.all())
        if enterprises is None:
            enterprises = list(activity.enterprises.all())
        for field, value in data.items():
            setattr(activity, field, value)
        serializer.instance = save_activity(
            actor=self.request.user, activity=activity, centres=centres, enterprises=enterprises
        )

    def perform_destroy(self, instance):
        _require_change(self.request, instance.programme)
        delete_activity(actor=self.request.user, activity=instance)
