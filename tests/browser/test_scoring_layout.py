"""The scoring screen on a laptop and on a phone: the panel with the running total stays in
sight while the assessor scores, and folds away on a phone."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.browser.test_sign_in import sign_in
from tests.conftest import ensure_regions, make_persona
from tests.evaluation.helpers import assign_directly, make_assessor, make_eligible
from tests.factories import CentreFactory, CertificateFactory, EnterpriseFactory, make_proposal

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def score_path(transactional_db):
    ensure_regions()  # transactional tests start from flushed tables
    admin = make_persona("admin")
    assessor = make_assessor("penilai-layar", home="64")
    centre = CentreFactory(name="Sentra Sasirangan Martapura", market_reach="national")
    CertificateFactory(enterprise=EnterpriseFactory(centre=centre), kind="halal")
    proposal = make_eligible(make_proposal(centre=centre, checked=True))
    proposal.featured_products = "Kain sasirangan motif gigi haruan"
    proposal.save(update_fields=["featured_products"])
    assignment = assign_directly(proposal, assessor, by=admin)
    return assessor.username, f"/evaluation/assignments/{assignment.pk}/score/"


def open_screen(page, score_path, viewport) -> None:
    username, path = score_path
    page.set_viewport_size(viewport)
    sign_in(page, username)
    page.goto(page.base_url + path)


def shown(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")  # the screen is in Indonesian


def inside_viewport(box, viewport) -> bool:
    return (
        box is not None
        and box["y"] >= 0
        and box["y"] + box["height"] <= viewport["height"]
        and box["x"] >= 0
        and box["x"] + box["width"] <= viewport["width"]
    )


def test_laptop_panel_stays_in_view_and_the_total_follows_the_levels(page, score_path):
    open_screen(page, score_path, LAPTOP)
    panel = page.locator("#scoring-panel")
    total = page.locator("#running-total")
    # The script's total on load is the server's: Σ weight × level / 5 of the suggestions.
    server_total = float(total.get_attribute("data-server-total"))
    assert server_total > 0
    expect(total).to_have_text(shown(server_total))
    # On a laptop the dossier's essentials are open beside the rubric.
    expect(page.locator("#panel-details")).to_have_attribute("open", "")
    expect(panel.get_by_text("Kain sasirangan motif gigi haruan")).to_be_visible()
    expect(panel.get_by_role("link", name="Ringkasan berkas usulan (PDF)")).to_be_visible()

    last = page.locator("fieldset.subcriterion").last
    last.scroll_into_view_if_needed()
    assert page.evaluate("window.scrollY") > LAPTOP["height"]  # really scrolled down
    assert inside_viewport(panel.bounding_box(), LAPTOP)
    expect(total).to_be_in_viewport()
    screenshot(page, "scoring-laptop-last-criterion")

    # Choosing a level moves the total by weight × (new − old) / 5, without a reload.
    weight = int(last.locator("input[type=radio]").first.get_attribute("data-weight"))
    checked = last.locator("input[type=radio]:checked")
    before = int(checked.get_attribute("value")) if checked.count() else 0
    chosen = 1 if before != 1 else 5
    last.locator(f"input[type=radio][value='{chosen}']").check()
    expect(total).to_have_text(shown(server_total + weight * (chosen - before) / 5))
    criterion = last.get_attribute("data-criterion")
    expect(page.locator(f"output[data-criterion-total='{criterion}']")).not_to_have_text("")
    expect(page.locator("#unsaved-note")).to_be_visible()
    assert inside_viewport(panel.bounding_box(), LAPTOP)

    # The panel's own button saves the draft from down here; the saved total then agrees.
    panel.get_by_role("button", name="Simpan draf").click()
    expect(page.locator(".message-success")).to_be_visible()
    expect(page.locator("#saved-total")).to_contain_text(
        shown(server_total + weight * (chosen - before) / 5)
    )


def test_phone_panel_is_folded_with_the_total_in_sight_and_opens(page, score_path):
    open_screen(page, score_path, PHONE)
    details = page.locator("#panel-details")
    facts = page.locator("#scoring-panel .panel-facts")
    expect(details).not_to_have_attribute("open", "")
    expect(facts).to_be_hidden()
    total = page.locator("#running-total")
    expect(total).to_be_visible()

    # Scrolled down to the last criterion, the folded bar with the total stays on screen.
    page.locator("fieldset.subcriterion").last.scroll_into_view_if_needed()
    assert inside_viewport(page.locator("#scoring-panel").bounding_box(), PHONE)
    expect(total).to_be_in_viewport()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "scoring-phone-folded")

    details.locator("> summary").click()
    expect(details).to_have_attribute("open", "")
    expect(facts).to_be_visible()
    expect(
        page.locator("#scoring-panel").get_by_text("Kain sasirangan motif gigi haruan")
    ).to_be_visible()
    # Open, the bar scrolls inside itself instead of running off the bottom of the screen.
    assert inside_viewport(page.locator("#scoring-panel").bounding_box(), PHONE)
    screenshot(page, "scoring-phone-open")
    details.locator("> summary").click()
    expect(facts).to_be_hidden()


def test_phone_panel_opens_without_javascript(browser, live_server, score_path):
    context = browser.new_context(java_script_enabled=False, viewport=PHONE, locale="en-US")
    page = context.new_page()
    page.base_url = live_server.url
    try:
        open_screen(page, score_path, PHONE)
        details = page.locator("#panel-details")
        expect(page.locator("#running-total")).to_be_visible()
        expect(details.locator(".panel-facts")).to_be_hidden()
        details.locator("> summary").click()
        expect(details.locator(".panel-facts")).to_be_visible()
    finally:
        context.close()
