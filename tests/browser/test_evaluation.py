import io

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from ovop.evaluation.models import Assessment
from tests.browser.conftest import screenshot
from tests.browser.test_proposals import sign_out
from tests.browser.test_sign_in import sign_in
from tests.conftest import make_persona
from tests.evaluation.helpers import assign_directly, make_assessor, make_eligible
from tests.factories import CentreFactory, CertificateFactory, EnterpriseFactory, make_proposal

pytestmark = pytest.mark.browser


def test_assessor_scores_with_a_suggestion_and_admin_publishes_the_stars(page, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    admin = make_persona("admin")
    assessor = make_assessor("penilai-jatim", home="64")
    centre = CentreFactory(
        name="Sentra Sasirangan Martapura",
        market_reach="national",
        workers_male=20,
        workers_female=40,
    )
    enterprise = EnterpriseFactory(centre=centre)
    CertificateFactory(enterprise=enterprise, kind="halal")
    CertificateFactory(enterprise=enterprise, kind="brand")
    proposal = make_eligible(make_proposal(centre=centre, checked=True))
    assignment = assign_directly(proposal, assessor, by=admin)

    # The assessor finds the proposal in their list and opens the scoring screen.
    sign_in(page, assessor.username)
    page.goto(page.base_url + "/evaluation/assignments/")
    page.get_by_role("link", name="Sentra Sasirangan Martapura").first.click()
    market = page.locator("#sub-k31")
    # K3.1 is suggested from the registry's market reach (national → level 4), preselected.
    expect(market).to_have_attribute("data-suggested", "4")
    expect(market.locator("input[type=radio][value='4']")).to_be_checked()
    expect(market).to_contain_text("Nasional")
    # Every other level: the assessor chooses 4 unless a suggestion is already chosen.
    for fieldset in page.locator("fieldset.subcriterion").all():
        if fieldset.get_attribute("data-suggested") is None:
            fieldset.locator("input[type=radio][value='4']").check()
    expect(page.locator("#running-total")).not_to_have_text("0,0")
    screenshot(page, "evaluation-score")
    page.locator("#confirmed").check()
    page.locator("button[name=action][value=submit]").click()
    expect(page.locator("#submitted-notice")).to_be_visible()
    assessment = Assessment.objects.get(assignment=assignment)
    assert assessment.submitted_at is not None
    assert assessment.levels["K3.1"] == 4
    sign_out(page)

    # The admin sees the ranking, sets the pending decision and publishes it.
    sign_in(page, admin.username)
    cycle = proposal.round.cycle
    page.goto(f"{page.base_url}/evaluation/cycles/{cycle.pk}/ranking/")
    row = page.locator("table.ranking tbody tr").filter(has_text="Sentra Sasirangan Martapura")
    expect(row).to_contain_text("★★★★")
    screenshot(page, "evaluation-ranking")
    page.goto(f"{page.base_url}/evaluation/cycles/{cycle.pk}/decisions/")
    page.locator(f"form[action$='/cycles/{cycle.pk}/decisions/fill/'] button").click()
    expect(page.locator(f"#decision-{proposal.pk}")).to_contain_text("★★★★")
    page.goto(f"{page.base_url}/evaluation/cycles/{cycle.pk}/publish/")
    page.locator("main form[method=post] button[type=submit]").click()
    expect(page.locator(f"#decision-{proposal.pk} .badge-ok")).to_be_visible()  # published
    proposal.refresh_from_db()
    assert proposal.state == "rated"
    screenshot(page, "evaluation-decisions-published")

    record = page.request.get(f"{page.base_url}/evaluation/cycles/{cycle.pk}/record.pdf")
    assert record.headers["content-type"] == "application/pdf"
    pages = PdfReader(io.BytesIO(record.body())).pages
    text = " ".join(" ".join(p.extract_text() for p in pages).split())
    assert "Sentra Sasirangan Martapura" in text
    assert "★★★★" in text
