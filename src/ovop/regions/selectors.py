"""Reading regions. Regions are public reference data: every signed-in user may read all."""

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from ovop.regions.models import Region


def regions_visible_to(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Region]:
    return Region.objects.all()


def search_regions(
    *,
    queryset: QuerySet[Region],
    parent: str | None = None,
    level: str | None = None,
    text: str | None = None,
) -> QuerySet[Region]:
    if parent:
        queryset = queryset.filter(parent_id=parent)
    if level:
        queryset = queryset.filter(level=level)
    if text:
        text = text.strip()
        queryset = queryset.filter(Q(name__icontains=text) | Q(code__startswith=text))
    return queryset


def get_region(code: str) -> Region | None:
    return Region.objects.filter(code=code).first()
