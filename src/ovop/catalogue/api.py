"""The public catalogue over HTTP: anyone may read it, nothing private is in it.

The serializer names every field it sends (no ModelSerializer, no ``__all__``), so a field
added to Centre or CatalogueEntry can never reach the public by accident.
"""

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import exceptions, serializers, viewsets
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from ovop.catalogue.selectors import public
from ovop.centres.enums import CertificateKind


class PublicCertificateSerializer(serializers.Serializer):
    # A plain string in the schema: a second "kind" enum built from the same choices would
    # collide with the registry's certificate enum (drf-spectacular naming warning).
    kind = serializers.CharField(help_text="One of: " + ", ".join(CertificateKind.values) + ".")
    expires_on = serializers.DateField(allow_null=True)


class PublicContactSerializer(serializers.Serializer):
    whatsapp = serializers.CharField()
    phone = serializers.CharField()
    email = serializers.CharField()


def answer_language() -> str:
    """The API answers in Indonesian unless the caller asked for English."""
    return "en" if (translation.get_language() or "").startswith("en") else "id"


class PublicCentreSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField()
    main_product = serializers.CharField()
    commodity = serializers.CharField(source="commodity.code")
    commodity_name = serializers.SerializerMethodField()
    regency = serializers.CharField(source="regency_id")
    regency_name = serializers.CharField(source="regency.name")
    province = serializers.CharField(source="province_id")
    province_name = serializers.CharField(source="province.name")
    stars = serializers.IntegerField()
    star_scale = serializers.IntegerField()
    rated_year = serializers.IntegerField()
    story = serializers.SerializerMethodField()
    story_en = serializers.SerializerMethodField()
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, allow_null=True)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6, allow_null=True)
    certificates = PublicCertificateSerializer(source="public_certificates", many=True)
    photos = serializers.SerializerMethodField()
    order_links = serializers.SerializerMethodField()
    contact = PublicContactSerializer(source="public_contact", allow_null=True)
    url = serializers.SerializerMethodField()

    def get_commodity_name(self, centre) -> str:
        return public.commodity_name(centre.commodity, answer_language())

    def get_story(self, centre) -> str:
        entry = public.entry_of(centre)
        return entry.story if entry else ""

    def get_story_en(self, centre) -> str:
        entry = public.entry_of(centre)
        return entry.story_en if entry else ""

    @extend_schema_field({"type": "array", "items": {"type": "string", "format": "uri"}})
    def get_photos(self, centre) -> list[str]:
        request = self.context["request"]
        return [
            public.absolute_url(request, reverse("catalogue:photo", kwargs={"pk": pk}))
            for pk in centre.public_photo_ids
        ]

    @extend_schema_field({"type": "array", "items": {"type": "string", "format": "uri"}})
    def get_order_links(self, centre) -> list[str]:
        return [link["url"] for link in public.order_links(public.entry_of(centre))]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, centre) -> str:
        return public.absolute_url(
            self.context["request"], public.detail_path(centre, answer_language())
        )


def attach_public_extras(centres: list) -> list:
    """Certificates, photos and contacts for a page of centres in two queries, not 2 × N."""
    ids = [centre.pk for centre in centres]
    certificates = public.held_certificates(ids)
    photos = public.photo_ids(ids)
    for centre in centres:
        centre.public_certificates = certificates.get(centre.pk, [])
        centre.public_photo_ids = public.ordered_photo_ids(centre, photos.get(centre.pk, []))
        contact = public.public_contact(public.entry_of(centre))
        centre.public_contact = (
            {key: contact[key] for key in ("whatsapp", "phone", "email")} if contact else None
        )
    return centres


FILTERS = [
    OpenApiParameter("commodity", str, description="Commodity group code, e.g. kain-batik."),
    OpenApiParameter("province", str, description="Province code, e.g. 63."),
    OpenApiParameter("regency", str, description="Regency/city code, e.g. 63.03."),
    OpenApiParameter("stars", int, description="Exactly this many stars (1–5)."),
    OpenApiParameter("min_stars", int, description="At least this many stars (1–5)."),
    OpenApiParameter("search", str, description="Name, main product or story (either language)."),
]


@extend_schema_view(
    list=extend_schema(
        summary="Rated products of the public catalogue",
        parameters=FILTERS,
        auth=[],
    ),
    retrieve=extend_schema(summary="One rated product of the public catalogue", auth=[]),
)
class PublicCatalogueViewSet(viewsets.ReadOnlyModelViewSet):
    """Centres rated by a published decision; no login. Owner names, NIB, certificate numbers
    and unpublished contacts are never part of it."""

    serializer_class = PublicCentreSerializer
    permission_classes = [AllowAny]
    # Public data: a stale token or session must not turn a read into a 401.
    authentication_classes: list = []

    def get_queryset(self):
        params = self.request.query_params
        for name in ("stars", "min_stars"):
            value = params.get(name, "").strip()
            if value and public.star_count(value) is None:
                raise exceptions.ValidationError({name: [_("Give a whole number from 1 to 5.")]})
        filters = public.Filters.from_query(params)
        centres = public.filter_centres(public.catalogue_centres(), filters, include_english=True)
        return centres.select_related("catalogue_entry__cover_photo").order_by("pk")

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        serializer = self.get_serializer(attach_public_extras(list(page)), many=True)
        return self.get_paginated_response(serializer.data)

    def retrieve(self, request, *args, **kwargs):
        centre = attach_public_extras([self.get_object()])[0]
        return Response(self.get_serializer(centre).data)
