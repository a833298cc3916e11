"""Centres and enterprises over HTTP (API.md), scoped exactly like the screens."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from rest_framework import exceptions, serializers, viewsets

from ovop.centres.api.workbook import CentreWorkbookActions
from ovop.centres.enums import CertificateKind, SalesChannel
from ovop.centres.models import Centre, Certificate, CommodityGroup, Enterprise
from ovop.centres.selectors import centres_visible_to, enterprises_visible_to
from ovop.centres.services.centres import (
    delete_centre,
    delete_enterprise,
    save_centre,
    save_enterprise,
)
from ovop.centres.validators import MAX_SALES_CHANNELS
from ovop.common.api import ViewSetMixinBase
from ovop.regions.models import Region

# As many as the screen's certificate rows (forms.CertificateFormSet).
MAX_CERTIFICATES = 20


class CentreSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", queryset=Region.objects.all())
    regency = serializers.CharField(source="regency_id", read_only=True)
    commodity = serializers.SlugRelatedField(
        slug_field="code", queryset=CommodityGroup.objects.all()
    )
    worker_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Centre
        fields = [
            "id",
            "name",
            "region",
            "regency",
            "commodity",
            "main_product",
            "kbli",
            "unit_count",
            "worker_count",
            "workers_male",
            "workers_female",
            "capacity_value",
            "capacity_unit",
            "capacity_period",
            "production_value",
            "investment_value",
            "market_reach",
            "decree_number",
            "decree_date",
            "decree_signer",
            "latitude",
            "longitude",
            "address",
            "raw_material",
            "local_material_share",
            "institutions",
            "facilities",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        # Uniqueness is checked by the service with a message that says what to fix.
        validators: list = []


class CertificateSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=CertificateKind.choices)

    class Meta:
        model = Certificate
        fields = ["id", "kind", "number", "issued_on", "expires_on"]
        extra_kwargs = {"id": {"read_only": False, "required": False}}


class EnterpriseSerializer(serializers.ModelSerializer):
    centre = serializers.PrimaryKeyRelatedField(queryset=Centre.objects.all())
    # DRF passes max_length to the list (many=True); the type stubs do not know it.
    certificates = CertificateSerializer(
        many=True,
        required=False,
        max_length=MAX_CERTIFICATES,  # type: ignore[call-arg]
    )
    # A list of known codes, never null or free JSON (the model's validator says the same).
    sales_channels = serializers.ListField(
        child=serializers.ChoiceField(choices=SalesChannel.choices),
        max_length=MAX_SALES_CHANNELS,
        required=False,
    )

    class Meta:
        model = Enterprise
        fields = [
            "id",
            "centre",
            "name",
            "owner",
            "nib",
            "kbli",
            "founded_year",
            "worker_count",
            "investment_value",
            "size_class",
            "capacity_installed",
            "capacity_realised",
            "markets",
            "sales_channels",
            "export_destinations",
            "certificates",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["size_class", "created_at", "updated_at"]
        validators: list = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            # A centre the caller may not see does not exist for them.
            self.fields["centre"].queryset = centres_visible_to(request.user)


def _as_api_error(error: DjangoValidationError) -> exceptions.ValidationError:
    if hasattr(error, "error_dict"):
        return exceptions.ValidationError(error.message_dict)
    return exceptions.ValidationError({"detail": error.messages})


class ScopedPermissionMixin(ViewSetMixinBase):
    """Objects come from the visibility selector (404); changes need the named rule (403)."""

    change_permission = ""

    def check_change(self, obj=None) -> None:
        if not self.request.user.has_perm(self.change_permission, obj):
            raise exceptions.PermissionDenied(_("You may not change this."))


class CentreViewSet(CentreWorkbookActions, ScopedPermissionMixin, viewsets.ModelViewSet):
    """Sentra IKM. Operators see and change their regency only; verifiers read their province."""

    serializer_class = CentreSerializer
    change_permission = "centres.change_centre"

    def get_queryset(self):
        return (
            centres_visible_to(self.request.user)
            .select_related("commodity", "region")
            .order_by("regency_id", "name", "pk")
        )

    def perform_create(self, serializer):
        if not self.request.user.has_perm("centres.add_centre"):
            raise exceptions.PermissionDenied(_("Only operators and administrators add sentra."))
        try:
            serializer.instance = save_centre(
                actor=self.request.user, data=serializer.validated_data, reason="API"
            )
        except (DjangoValidationError, PermissionDenied) as error:
            raise _as_api_error(error) from error

    def perform_update(self, serializer):
        self.check_change(serializer.instance)
        try:
            serializer.instance = save_centre(
                actor=self.request.user,
                data=serializer.validated_data,
                centre=serializer.instance,
                reason="API",
            )
        except DjangoValidationError as error:
            raise _as_api_error(error) from error

    def perform_destroy(self, instance):
        self.check_change(instance)
        delete_centre(centre=instance, reason="API")


class EnterpriseViewSet(ScopedPermissionMixin, viewsets.ModelViewSet):
    """IKM units with their certificates; `?centre=ID` lists one centre's units."""

    serializer_class = EnterpriseSerializer
    change_permission = "centres.change_enterprise"

    def get_queryset(self):
        queryset = (
            enterprises_visible_to(self.request.user)
            .prefetch_related(Prefetch("certificates", queryset=Certificate.objects.order_by("pk")))
            .order_by("centre_id", "name", "pk")
        )
        centre = self.request.query_params.get("centre")
        if centre:
            if not centre.isdigit():
                raise exceptions.ValidationError({"centre": [_("Give a sentra id number.")]})
            queryset = queryset.filter(centre_id=int(centre))
        return queryset

    def _save(self, serializer, enterprise=None):
        data = dict(serializer.validated_data)
        centre = data.pop("centre", None) or enterprise.centre
        certificates = data.pop("certificates", None)
        probe = enterprise or Enterprise(centre=centre)
        if enterprise is not None and centre.pk != enterprise.centre_id:
            probe = Enterprise(centre=centre)
            self.check_change(enterprise)
        self.check_change(probe)
        try:
            serializer.instance = save_enterprise(
                centre=centre,
                data=data,
                certificates=certificates,
                enterprise=enterprise,
                reason="API",
            )
        except DjangoValidationError as error:
            raise _as_api_error(error) from error

    def perform_create(self, serializer):
        self._save(serializer)

    def perform_update(self, serializer):
        self._save(serializer, enterprise=serializer.instance)

    def perform_destroy(self, instance):
        self.check_change(instance)
        delete_enterprise(enterprise=instance, reason="API")
