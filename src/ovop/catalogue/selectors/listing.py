"""The public list's order at national scale without a subquery per centre.

Ordering every public centre by its latest stars through ``public_centres()`` evaluates
three correlated subqueries per centre (~300 ms for 3,000 centres on PostgreSQL under load).
Instead the latest public rating of every centre is read once from the decisions
(``ratings``: one query, kept while the decisions do not change), the visitor's filters
select candidate ids in SQL, and the order and the star filters are applied here; only the
24 centres of the page are then read with their cards' details.
"""

from dataclasses import replace

from ovop.catalogue.selectors.gate import public_centres_plain
from ovop.catalogue.selectors.public import Filters, filter_centres
from ovop.catalogue.selectors.ratings import ratings


def listed_ids(filters: Filters, *, include_english: bool) -> list[int]:
    """The ids of the public centres matching ``filters``, best stars first, then the most
    recently rated, then by name."""
    known = ratings()
    textual = replace(filters, stars=None, min_stars=None)
    candidates = filter_centres(public_centres_plain(), textual, include_english=include_english)
    ordered: list[tuple[int, int, str, int]] = []
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
