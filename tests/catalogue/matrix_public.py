"""Permission-matrix rows (catalogue/matrix_public); merged into MATRIX.

The public catalogue needs no login: every persona, anonymous included, gets the same answer.
The objects are the world's Banjar centre once a published decision rated it.
"""

from tests.catalogue.public_builders import publish_banjar
from tests.conftest import PERSONAS

ALL = ["anonymous", *PERSONAS]


def everyone(status: int, **overrides: int) -> dict[str, int]:
    return {persona: overrides.get(persona, status) for persona in ALL}


def no_kwargs(world) -> dict:
    return {}


def public_banjar_page(world) -> dict:
    centre = publish_banjar(world)["centre_banjar"]
    return {"lang": "en", "pk": centre.pk, "slug": "sentra-banjar"}


def public_banjar(world) -> dict:
    return {"pk": publish_banjar(world)["centre_banjar"].pk}


def public_banjar_photo(world) -> dict:
    return {"pk": publish_banjar(world)["photo_banjar"].pk}


ROWS: dict = {
    # Sent on to /catalogue/id/ (or /en/ with the language cookie) — not to the sign-in.
    "catalogue:root": (no_kwargs, everyone(302)),
    "catalogue:list": (lambda world: {"lang": "id"}, everyone(200)),
    "catalogue:detail": (public_banjar_page, everyone(200)),
    "catalogue:photo": (public_banjar_photo, everyone(200)),
    "catalogue:photo_thumbnail": (public_banjar_photo, everyone(200)),
    "catalogue-list": (no_kwargs, everyone(200)),
    "catalogue-detail": (public_banjar, everyone(200)),
    "sitemap": (no_kwargs, everyone(200)),
    "robots": (no_kwargs, everyone(200)),
}
