"""Permission-matrix rows (catalogue/matrix_manage); merged into MATRIX.

The QR codes are public: anyone, signed in or not, gets the code of a rated centre. The
office screens follow the registry: whoever sees a centre sees its entry in the list; only
its regency's operator and the admin change it (others who see it get 403).

Also the builders the catalogue's office tests share: ``publish`` makes a centre public.
"""

from django.utils import timezone

from ovop.evaluation.models import Decision
from ovop.proposals.models import Proposal
from tests.conftest import PERSONAS
from tests.factories import make_proposal

ALL = ["anonymous", *PERSONAS]


def everyone(status: int, **overrides: int) -> dict[str, int]:
    return {persona: overrides.get(persona, status) for persona in ALL}


SIGNED_IN = everyone(200, anonymous=302)
BANJAR_CHANGE = everyone(404, anonymous=302, admin=200, operator=200, verifier=403, viewer=403)


def publish(centre, *, world, stars: int = 3):
    """A published decision with ``stars`` on a rated proposal of ``centre`` (in the world's
    round), which is what puts a centre into ``public_centres``."""
    proposal = Proposal.objects.filter(centre=centre, round=world["round"]).first()
    proposal = proposal or make_proposal(round_=world["round"], centre=centre)
    proposal.state = "rated"
    proposal.save(update_fields=["state"])
    Decision.objects.update_or_create(
        proposal=proposal,
        defaults={
            "stars": stars,
            "computed_stars": stars,
            "status": "published",
            "decided_by": world["admin"],
            "published_at": timezone.now(),
        },
    )
    return centre


def public_banjar(lang: str):
    def kwargs(world) -> dict:
        publish(world["centre_banjar"], world=world)
        return {"lang": lang, "pk": world["centre_banjar"].pk}

    return kwargs


ROWS: dict = {
    "catalogue:qr_svg": (public_banjar("id"), everyone(200)),
    "catalogue:qr_png": (public_banjar("en"), everyone(200)),
    # Lists what each user sees (an assessor or another province's verifier: nothing).
    "catalogue:manage": (lambda world: {}, SIGNED_IN),
    "catalogue:manage_export": (lambda world: {}, SIGNED_IN),
    # The Banjar centre, not public yet: its operator prepares the entry before publication.
    "catalogue:entry_edit": (
        lambda world: {"centre_pk": world["centre_banjar"].pk},
        BANJAR_CHANGE,
    ),
}
