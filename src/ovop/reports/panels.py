"""A centre's OVOP story for its registry page: proposals across cycles, stars per cycle and
its public catalogue page. (The coaching it received comes from the page's coaching panel,
``ovop.coaching.panels.activities``; the story's template only summarises it.)

It lives in reports because it reads proposals, evaluation and the catalogue, all above the
centres app; it reaches the centre page as a panel (``centres.panels``, registered in
``ReportsConfig.ready()``), since centres may not import it (the layer contract in
pyproject.toml). Three queries whatever the number of cycles: the centre's proposals, the
ones the reader may open, and its public ratings.
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import get_language

from ovop.accounts.models import User
from ovop.catalogue.selectors.gate import public_decisions
from ovop.catalogue.selectors.public import detail_path, stars_glyphs, stars_label
from ovop.centres.models import Centre
from ovop.centres.panels import Panel
from ovop.proposals.models import Proposal
from ovop.proposals.selectors import proposals_visible_to


@dataclass(frozen=True)
class Rating:
    """The stars of one cycle's published decision."""

    year: int
    cycle: str
    stars: int
    scale: int
    published_at: datetime.datetime | None

    @property
    def glyphs(self) -> str:
        return stars_glyphs(self.stars, self.scale)

    @property
    def label(self) -> str:
        return stars_label(self.stars, self.scale)


@dataclass(frozen=True)
class ProposalRow:
    """One proposal of the centre; ``url`` is empty when the reader may not open it."""

    year: int
    cycle: str
    state: str
    state_label: str
    url: str
    rating: Rating | None


@dataclass(frozen=True)
class CentreStory:
    proposals: list[ProposalRow]
    # The current rating first: the newest cycle's published stars (as in the catalogue).
    ratings: list[Rating]
    catalogue_url: str

    @property
    def current_rating(self) -> Rating | None:
        return self.ratings[0] if self.ratings else None

    @property
    def earlier_ratings(self) -> list[Rating]:
        return self.ratings[1:]


def _public_ratings(centre: Centre) -> dict[int, Rating]:
    """Published, rated decisions only, by proposal: a pending decision is not a rating yet,
    and the catalogue's gate (``public_decisions``) decides what counts."""
    decisions = (
        public_decisions()
        .filter(proposal__centre=centre)
        .select_related("proposal__round__cycle")
        .order_by("-proposal__round__cycle__year", "-published_at", "-pk")
    )
    ratings = {}
    for decision in decisions:
        cycle = decision.proposal.round.cycle
        ratings[decision.proposal_id] = Rating(
            year=cycle.year,
            cycle=cycle.name,
            stars=decision.stars or 0,
            scale=cycle.star_scale,
            published_at=decision.published_at,
        )
    return ratings


def centre_story(*, user: User | AnonymousUser, centre: Centre) -> CentreStory:
    """What the centre went through in OVOP, for a reader who may see the centre."""
    proposals = (
        Proposal.objects.filter(centre=centre)
        .select_related("round__cycle")
        .order_by("-round__cycle__year", "-pk")
    )
    # The proposals app's own scoping decides which rows link (one place, one rule).
    openable = set(proposals_visible_to(user).filter(centre=centre).values_list("pk", flat=True))
    ratings = _public_ratings(centre)
    # One reverse() for the table: proposal URLs differ only in the id (PERFORMANCE.md).
    proposal_url = reverse("proposals:detail", kwargs={"pk": 0}).replace("/0/", "/{}/")
    rows = [
        ProposalRow(
            year=proposal.round.cycle.year,
            cycle=proposal.round.cycle.name,
            state=proposal.state,
            state_label=proposal.get_state_display(),
            url=proposal_url.format(proposal.pk) if proposal.pk in openable else "",
            rating=ratings.get(proposal.pk),
        )
        for proposal in proposals
    ]
    # A centre is in the public catalogue exactly when it has a public rating.
    lang = "en" if (get_language() or "id").startswith("en") else "id"
    return CentreStory(
        proposals=rows,
        ratings=list(ratings.values()),
        catalogue_url=detail_path(centre, lang) if ratings else "",
    )


def story_panel(centre: Centre, user: User | AnonymousUser, request: HttpRequest) -> Panel:
    """The story's section of the centre page, right under its facts."""
    return Panel("reports/_centre_story.html", {"story": centre_story(user=user, centre=centre)})
