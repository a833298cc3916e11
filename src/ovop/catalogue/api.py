"""The public catalogue over HTTP: anyone may read it, nothing private is in it."""

from rest_framework import viewsets

from ovop.catalogue.selectors import public_centres


class PublicCatalogueViewSet(viewsets.ReadOnlyModelViewSet):
    def get_queryset(self):
        return public_centres().order_by("pk")
