"""The latest public rating of every public centre, read once from the decisions.

One query, kept while the decisions do not change (``common.freshness``). The public list
orders and filters by it (``listing``) and its star choices come from it (``public``).
"""

from dataclasses import dataclass
from typing import cast

from ovop.catalogue.selectors.gate import public_decisions, rating_sources
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
    return cast(dict[int, Rating], cached("catalogue-ratings", _stamp(), _read_ratings))
