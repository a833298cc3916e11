"""The ranking page is reached by clicking: from the evaluation index and the cycle page,
and its breadcrumbs lead back up (evaluation → cycle → ranking)."""

import pytest
from django.urls import reverse

from tests.evaluation.helpers import make_eligible
from tests.factories import make_cycle

pytestmark = pytest.mark.django_db


def html(client, user, url: str) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def ranking(cycle) -> str:
    return reverse("evaluation:ranking", kwargs={"pk": cycle.pk})


def test_index_links_the_ranking_of_cycles_in_evaluation_only(client, world):
    make_eligible(world["proposal_banjar"])
    idle = make_cycle(year=2027, name="OVOP 2027")
    page = html(client, world["admin"], reverse("evaluation:index"))
    assert f'href="{ranking(world["cycle"])}"' in page
    assert f'href="{ranking(idle)}"' not in page


def test_cycle_page_links_its_ranking_once_proposals_are_in_evaluation(client, world):
    cycle_url = reverse("evaluation:cycle", kwargs={"pk": world["cycle"].pk})
    assert f'href="{ranking(world["cycle"])}"' not in html(client, world["admin"], cycle_url)
    make_eligible(world["proposal_banjar"])
    assert f'href="{ranking(world["cycle"])}"' in html(client, world["admin"], cycle_url)
    assert f'href="{ranking(world["cycle"])}"' in html(client, world["viewer"], cycle_url)


def test_ranking_breadcrumbs_go_up_to_the_cycle_and_the_evaluation(client, world):
    make_eligible(world["proposal_banjar"])
    page = html(client, world["admin"], ranking(world["cycle"]))
    start = page.index('class="breadcrumb"')
    breadcrumb = page[start : page.index("</nav>", start)]
    index_link = f'href="{reverse("evaluation:index")}"'
    cycle_link = f'href="{reverse("evaluation:cycle", kwargs={"pk": world["cycle"].pk})}"'
    assert breadcrumb.index(index_link) < breadcrumb.index(cycle_link)
    assert breadcrumb.rstrip().endswith("<li>Peringkat</li></ul>")
