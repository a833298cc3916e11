"""The scoring screen's side panel: the running total and the dossier's essentials."""

from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.formats import number_format

from ovop.evaluation.models import Assessment
from ovop.evaluation.services.rubric import ensure_rubric, subcriteria_of
from ovop.evaluation.services.scoring import save_assessment, weighted_total
from tests.evaluation.helpers import assigned_world, levels, submit_directly
from tests.factories import CertificateFactory, EnterpriseFactory


class _Elements(HTMLParser):
    """Every element's attributes and text content, by id (or by a data- attribute)."""

    VOID = {"input", "br", "img", "link", "meta", "hr", "source", "wbr"}

    def __init__(self):
        super().__init__()
        self.open: list[tuple[str, dict, list[str]]] = []
        self.found: list[tuple[str, dict, str]] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            self.found.append((tag, dict(attrs), ""))
            return
        self.open.append((tag, dict(attrs), []))

    def handle_endtag(self, tag):
        while self.open:
            name, attrs, text = self.open.pop()
            self.found.append((name, attrs, "".join(text)))
            if self.open:
                self.open[-1][2].extend(text)
            if name == tag:
                return

    def handle_data(self, data):
        if self.open:
            self.open[-1][2].append(data)


def elements(html: str) -> list[tuple[str, dict, str]]:
    parser = _Elements()
    parser.feed(html)
    return parser.found


def by_id(html: str, element_id: str) -> tuple[str, dict, str]:
    matches = [found for found in elements(html) if found[1].get("id") == element_id]
    assert len(matches) == 1, element_id
    return matches[0]


def panel_of(html: str) -> str:
    start = html.index('<aside class="scoring-panel"')
    return html[start : html.index("</aside>", start)]


def shown(value: float) -> str:
    """A total as the template shows it: one decimal, Indonesian comma."""
    return number_format(round(value, 1), 1, use_l10n=True)


@pytest.fixture
def setup(world):
    return assigned_world(world)


def score_url(assignment) -> str:
    return reverse("evaluation:score", kwargs={"pk": assignment.pk})


def subcriteria(setup):
    return subcriteria_of(ensure_rubric(setup["proposal"].round.cycle))


def test_panel_total_on_load_is_the_servers_weighted_total_of_the_suggestions(client, setup):
    client.force_login(setup["assessor"])
    html = client.get(score_url(setup["assignment"])).content.decode()
    # Nothing saved: the suggested levels K2.2 = 2, K3.1 = 4, K4.2 = 3 are preselected.
    expected = weighted_total({"K2.2": 2, "K3.1": 4, "K4.2": 3}, subcriteria(setup))
    assert expected == pytest.approx(19.0)
    tag, attrs, text = by_id(html, "running-total")
    assert tag == "output"
    assert text == shown(expected) == "19,0"
    # The exact figure for the script to be checked against, whatever the language.
    assert float(attrs["data-server-total"]) == pytest.approx(expected)
    assert by_id(html, "chosen-count")[2] == "3"
    # The total sits in the panel, with the per-criterion subtotals out of each weight.
    panel = panel_of(html)
    assert 'id="running-total"' in panel
    cells = {
        attrs["data-criterion-total"]: text
        for tag, attrs, text in elements(panel)
        if "data-criterion-total" in attrs
    }
    assert cells == {"K1": "0,0", "K2": "4,0", "K3": "12,0", "K4": "3,0"}
    assert "saved-total" not in panel  # nothing saved yet


def test_panel_total_follows_a_saved_draft_and_shows_what_is_saved(client, setup):
    assignment, assessor = setup["assignment"], setup["assessor"]
    save_assessment(assignment=assignment, actor=assessor, levels={"K1.1": 5, "K2.1": 3})
    client.force_login(assessor)
    html = client.get(score_url(assignment)).content.decode()
    subs = subcriteria(setup)
    # The draft's levels plus the suggestions for what the draft leaves open.
    chosen = {"K1.1": 5, "K2.1": 3, "K2.2": 2, "K3.1": 4, "K4.2": 3}
    expected = weighted_total(chosen, subs)
    assert by_id(html, "running-total")[2] == shown(expected)
    assert float(by_id(html, "running-total")[1]["data-server-total"]) == pytest.approx(expected)
    saved = weighted_total({"K1.1": 5, "K2.1": 3}, subs)
    assert shown(saved) in by_id(html, "saved-total")[2]
    # A draft exists: the full dossier starts folded, so the rubric is in sight at once.
    assert "open" not in by_id(html, "dossier")[1]


def test_panel_total_after_a_refused_post_is_the_posted_levels(client, setup):
    client.force_login(setup["assessor"])
    # K2.2 = 4 overrides the suggestion 2 without a comment: refused, the entry redisplayed.
    data = {"level-K1.1": "5", "level-K2.2": "4", "action": "submit", "confirmed": "1"}
    response = client.post(score_url(setup["assignment"]), data)
    assert response.status_code == 200
    assert not Assessment.objects.filter(assignment=setup["assignment"]).exists()
    expected = weighted_total({"K1.1": 5, "K2.2": 4}, subcriteria(setup))
    assert response.context["total"] == pytest.approx(expected)
    assert by_id(response.content.decode(), "running-total")[2] == shown(expected)


def test_panel_holds_the_dossier_essentials_and_links(client, world, setup):
    proposal = setup["proposal"]
    proposal.featured_products = "Kain sasirangan motif gigi haruan"
    proposal.save(update_fields=["featured_products"])
    client.force_login(setup["assessor"])
    panel = panel_of(client.get(score_url(setup["assignment"])).content.decode())
    centre = world["centre_banjar"]
    assert centre.regency.name in panel
    assert centre.commodity.name in panel
    assert "Kain sasirangan motif gigi haruan" in panel
    assert "1.200 lembar" in panel  # production capacity, Indonesian grouping
    assert "Rp\xa01.250.000.000" in panel
    assert "Nasional" in panel  # market reach
    assert reverse("letters:proposal_dossier_pdf", args=[proposal.pk]) in panel
    assert reverse("proposals:document_file", args=[world["proposal_document_banjar"].pk]) in panel
    assert reverse("centres:document_file", args=[world["document_banjar"].pk]) in panel
    assert 'href="#dossier"' in panel
    # The draft can be saved from the panel, wherever the assessor has scrolled to.
    assert 'form="score-form" name="action" value="draft"' in panel


def test_panel_folds_on_a_phone_without_script_and_loads_its_own_assets(client, setup):
    client.force_login(setup["assessor"])
    html = client.get(score_url(setup["assignment"])).content.decode()
    tag, attrs, _text = by_id(html, "panel-details")
    # Closed in the markup: a phone shows it folded; scoring.js opens it on a wide screen.
    assert tag == "details"
    assert "open" not in attrs
    assert "data-scoring-panel" in attrs
    assert 'href="/static/evaluation/scoring.css"' in html
    assert '<script src="/static/evaluation/scoring.js" defer></script>' in html
    # Nothing saved yet: the full dossier starts open, to be read before scoring.
    assert "open" in by_id(html, "dossier")[1]
    # Strict CSP: no inline code or style.
    assert "<script>" not in html
    assert "style=" not in html
    assert " onclick=" not in html
    assert " onchange=" not in html


def test_panel_of_a_submitted_assessment_shows_the_total_without_a_save_button(client, setup):
    submit_directly(setup["assignment"], levels(4))
    client.force_login(setup["assessor"])
    html = client.get(score_url(setup["assignment"])).content.decode()
    assert by_id(html, "running-total")[2] == "80,0"
    assert "80,0" in by_id(html, "saved-total")[2]
    assert 'form="score-form"' not in panel_of(html)


def test_panel_counts_certificates_without_a_query_per_unit(
    client, world, setup, django_assert_num_queries
):
    client.force_login(setup["assessor"])
    url = score_url(setup["assignment"])
    client.get(url)  # warm the session and the translation caches
    with CaptureQueriesContext(connection) as one_unit:
        client.get(url)
    centre = world["centre_banjar"]  # one unit with one halal certificate so far
    for _ in range(5):
        CertificateFactory(enterprise=EnterpriseFactory(centre=centre), kind="halal")
    with django_assert_num_queries(len(one_unit)):
        html = client.get(url).content.decode()
    assert "Halal × 6" in panel_of(html)
