"""The public list's order at national scale without a subquery per centre.

Ordering every public centre by its latest stars through ``public_centres()`` evaluates
three correlated subqueries per centre (~300 ms for 3,000 centres on PostgreSQL under load).
Instead the latest public rating of every centre is read once from the decisions (one
query, kept while the decisions do not change), the visitor's filters select candidate ids
in SQL, and the order and the star filters are applied here; only the 24 centres of the page
are then read with their cards' details.
"""

from dataclasses import dataclass, replace
from typing import cast

from ovop.catalogue.public import filter_centres
from ovop.catalogue.selectors import public_centres_plain, public_decisions, rating_sources
from ovop.common.freshness import Fingerprint, cached


@dataclass(frozen=True)
class Rating:
    stars: int
    year: int
    scale: int


_stamp = Fingerprint(rating_sources)


def _read_ratings() -> dict[int, Rating]:
    rows = (
        public_decisions()
        .order_by("proposal__round__cycle__year", "published_at", "pk")
        .values_list(
            "proposal__centre_id",
            "stars",
            "proposal__round__cycle__year",
            "proposal__round__cycle__star_scale",
        )
    )
    # Oldest first, so each centre ends with its latest rating (as ``public_centres``).
    # Stars are never None: public_decisions() keeps rated decisions only.
    return {centre: Rating(cast(int, stars), year, scale) for centre, stars, year, scale in rows}


def ratings() -> dict[int, Rating]:
    """Centre id → its latest public rating, for every public centre."""
    return cached("catalogue-ratings", _stamp(), _read_ratings)


def listed_ids(filters, *, include_english: bool) -> list[int]:
    """The ids of the public centres matching ``filters``, best stars first, then the most
    recently rated, then by name."""
    known = ratings()
    textual = replace(filters, stars=None, min_stars=None)
    candidates = filter_centres(public_centres_plain(), textual, include_english=include_english)
    ordered = []
    for pk, name in candidates.values_list("pk", "name"):
        rating = known.get(pk)
        if rating is None:
            continue
        if filters.stars and rating.stars != filters.stars:
            continue
        if filters.min_stars and rating.stars < filters.min_stars:
            continue
        ordered.append((-rating.stars, -rating.year, name.casefold(), pk))
    ordered.sort()
    return [row[-1] for row in ordered]
