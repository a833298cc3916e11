"""Programmes and activities over HTTP (API.md), scoped like the screens."""

from rest_framework import viewsets

from ovop.coaching.selectors import activities_visible_to, programmes_visible_to


class ProgrammeViewSet(viewsets.ReadOnlyModelViewSet):
    def get_queryset(self):
        return programmes_visible_to(self.request.user).order_by("pk")


class ActivityViewSet(viewsets.ReadOnlyModelViewSet):
    def get_queryset(self):
        return activities_visible_to(self.request.user).order_by("pk")
