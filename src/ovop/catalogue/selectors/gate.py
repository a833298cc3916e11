"""The one gate to the public: what the catalogue may show, and nothing else.

A centre is public when a published decision rated it (stars, proposal state "rated"). Drafts,
pending or unpublished decisions, not-rated, returned and withdrawn proposals never count.
Every public page, the public API, search and the sitemap read through ``public_centres``.
"""

from typing import TYPE_CHECKING, TypedDict

from django.db.models import Model, OuterRef, QuerySet, Subquery

from ovop.catalogue.models import CatalogueEntry
from ovop.centres.models import Centre, CentrePhoto, CommodityGroup
from ovop.common.freshness import Fingerprint
from ovop.evaluation.enums import DecisionStatus
from ovop.evaluation.models import Decision
from ovop.proposals.enums import ProposalState
from ovop.proposals.models import Cycle, Proposal

# What a fingerprint reads (``common.freshness``): a queryset, or one with the path to the
# ``updated_at`` whose newest value counts.
Source = QuerySet[Model] | tuple[QuerySet[Model], str]


class PublicRating(TypedDict):
    """What ``public_centres`` annotates each centre with: its latest public rating."""

    stars: int
    rated_year: int


if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations  # typing only: a dev dependency

    RatedCentre = WithAnnotations[Centre, PublicRating]


def public_decisions() -> QuerySet[Decision]:
    return Decision.objects.filter(
        status=DecisionStatus.PUBLISHED,
        stars__isnull=False,
        proposal__state=ProposalState.RATED,
    )


def public_centres_plain() -> QuerySet[Centre]:
    """The same centres as ``public_centres``, without the per-centre stars annotations
    (a subquery per row): for filters, counts and choices."""
    return Centre.objects.filter(pk__in=public_decisions().values("proposal__centre_id"))


def public_centres() -> "QuerySet[RatedCentre]":
    """Rated centres, each annotated with its latest public ``stars`` and ``rated_year``."""
    latest = (
        public_decisions()
        .filter(proposal__centre=OuterRef("pk"))
        .order_by("-proposal__round__cycle__year", "-published_at")
    )
    return (
        public_centres_plain()
        .annotate(
            stars=Subquery(latest.values("stars")[:1]),
            rated_year=Subquery(latest.values("proposal__round__cycle__year")[:1]),
        )
        .select_related("commodity", "regency", "province", "region")
    )


def public_photos() -> QuerySet[CentrePhoto]:
    return CentrePhoto.objects.filter(centre__in=public_centres().values("pk"))


def rating_sources() -> list[Source]:
    """What decides which centres are public and their stars: decisions, proposals moving
    into or out of "rated", cycles (year, star scale)."""
    decided = (ProposalState.RATED, ProposalState.NOT_RATED)
    return [
        Decision.objects.all(),
        (Proposal.objects.filter(state__in=decided), "updated_at"),
        Cycle.objects.all(),
    ]


def _catalogue_sources() -> list[Source]:
    return [
        *rating_sources(),
        # Rated centres only: registry edits elsewhere leave the public pages cached (centres
        # behind a decision are never deleted).
        (Decision.objects.all(), "proposal__centre__updated_at"),
        CatalogueEntry.objects.all(),
        CentrePhoto.objects.all(),
        CommodityGroup.objects.all(),
    ]


# A fingerprint of everything the public list shows (``common.freshness``), in one query.
# Region names (loaded from the dataset) are not in it: a renamed region shows within the
# cache timeout.
catalogue_stamp = Fingerprint(_catalogue_sources)
