"""A whole cycle by clicking only (issue 15): each persona starts at their home page.

Operator submits, verifier checks, verifies and forwards with the cover letter, admin
screens and assigns, the assessor scores, admin opens the ranking, decides and publishes,
and the public catalogue shows the centre. No ``goto`` after signing in.
"""

import pytest
from playwright.sync_api import expect

from ovop.proposals.models import Proposal
from ovop.proposals.models.letters import CoverLetter
from tests.browser.conftest import screenshot
from tests.browser.test_proposals import move, sign_out
from tests.browser.test_sign_in import sign_in
from tests.conftest import make_persona
from tests.evaluation.helpers import make_assessor
from tests.factories import CentreFactory, make_proposal, make_round

pytestmark = pytest.mark.browser

CENTRE = "Sentra Sasirangan Kampung Sasirangan"


def task(page, key: str):
    """The home page's queue entry ``key`` (reports.queues), by clicking its link."""
    return page.locator(f"section.task-queue li[data-task={key}] a").first


def menu(page, label: str) -> None:
    page.locator("header nav").get_by_role("link", name=label, exact=True).first.click()


def test_a_full_cycle_by_clicking_only(page, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    operator = make_persona("operator")
    verifier = make_persona("verifier")
    admin = make_persona("admin")
    assessor = make_assessor("penilai-luar", home="64")
    round_ = make_round()
    centre = CentreFactory(name=CENTRE, region_id="63.03.01", market_reach="national")
    round_.cycle.commodities.add(centre.commodity)
    make_proposal(round_=round_, centre=centre)  # a draft with every document uploaded

    # The operator: home → drafts to finish → the proposal → submit (confirmed).
    sign_in(page, operator.username)
    task(page, "drafts").click()
    page.locator("main table").get_by_role("link", name=CENTRE).click()
    move(page, "submit")
    expect(page.locator("#proposal-state")).to_have_text("Diajukan")
    sign_out(page)

    # The verifier: home → proposals to check → checks each document → verifies → forwards.
    sign_in(page, verifier.username)
    task(page, "to_verify").click()
    page.locator("main table").get_by_role("link", name=CENTRE).click()
    for index in range(page.locator("form.check-form").count()):
        form = page.locator("form.check-form").nth(index)
        form.locator("select").select_option("ok")
        form.locator("button").click()
    move(page, "verify")
    expect(page.locator("#proposal-state")).to_have_text("Terverifikasi")
    page.get_by_role("button", name="Teruskan dengan surat pengantar").click()
    page.locator("#forward-form button[type=submit]").click()
    expect(page.locator("a.cover-letter-link")).to_have_count(1)
    sign_out(page)

    # The admin: home → forwarded proposals awaiting screening → eligible; then assigns.
    sign_in(page, admin.username)
    task(page, "to_screen").click()
    page.locator("main table").get_by_role("link", name=CENTRE).click()
    move(page, "screen_eligible")
    expect(page.locator("#proposal-state")).to_have_text("Lolos seleksi administrasi")
    menu(page, "Penilaian")
    page.locator("main table").get_by_role("link", name=round_.cycle.name).click()
    assign = page.locator("form[action$='/assign/']")
    assign.locator("input[name=per_proposal]").fill("1")
    assign.locator("button[type=submit]").click()
    expect(page.locator(".message-success, [role=status]").first).to_be_visible()
    sign_out(page)

    # The assessor: home → assigned proposals not scored yet → scores → submits.
    sign_in(page, assessor.username)
    task(page, "to_score").click()
    page.locator("main table").get_by_role("link", name=CENTRE).click()
    for fieldset in page.locator("fieldset.subcriterion").all():
        if fieldset.get_attribute("data-suggested") is None:
            fieldset.locator("input[type=radio][value='4']").check()
    page.locator("#confirmed").check()
    page.locator("button[name=action][value=submit]").click()
    expect(page.locator("#submitted-notice")).to_be_visible()
    sign_out(page)

    # The admin: evaluation → cycle → ranking → decisions → pending from computed → publish.
    sign_in(page, admin.username)
    menu(page, "Penilaian")
    page.locator("main table").get_by_role("link", name=round_.cycle.name).click()
    page.locator("main .page-actions").get_by_role("button", name="Peringkat").click()
    expect(page.locator("table.ranking tbody tr").filter(has_text=CENTRE)).to_contain_text("★")
    page.locator("main").get_by_role("button", name="Penetapan", exact=True).click()
    page.locator("form[action$='/decisions/fill/'] button").click()
    page.get_by_role("button", name="Terbitkan…").click()
    expect(page.locator("#publication-gaps")).to_have_count(0)  # nothing unfinished
    page.locator("main form[method=post] button[type=submit]").click()
    proposal = Proposal.objects.get(centre=centre)
    expect(page.locator(f"#decision-{proposal.pk} .badge-ok")).to_be_visible()
    assert proposal.state == "rated"
    assert CoverLetter.objects.get().proposals.get() == proposal
    screenshot(page, "full-cycle-published")

    # Anyone: the footer's public catalogue lists the rated centre.
    page.get_by_role("link", name="Katalog publik").click()
    expect(page.get_by_role("link", name=CENTRE).first).to_be_visible()
