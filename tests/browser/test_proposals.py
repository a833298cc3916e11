import io

import pytest
from django.core.files.base import ContentFile
from playwright.sync_api import expect
from pypdf import PdfReader

from ovop.proposals.models import Proposal, ProposalDocument
from tests.browser.conftest import screenshot
from tests.browser.test_sign_in import sign_in
from tests.conftest import TINY_PDF, make_persona
from tests.factories import CentreFactory, make_round

pytestmark = pytest.mark.browser


def sign_out(page) -> None:
    page.locator("form[action$='/accounts/logout/'] button").click()


def move(page, action: str, reason: str = "") -> None:
    """Press the move's button, read what it will do, give its reason, confirm."""
    page.locator(f".workflow-actions a[href$='/move/{action}/']").click()
    expect(page.locator("#move-summary")).to_be_visible()
    form = page.locator("form.move-confirm")
    if reason:
        form.locator("textarea").fill(reason)
    form.locator("button[type=submit]").click()


def test_submit_return_resubmit_verify_forward_and_cover_letter(page, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    operator, verifier = make_persona("operator"), make_persona("verifier")
    round_ = make_round()
    centre = CentreFactory(name="Sentra Sasirangan Martapura")
    proposal = Proposal.objects.create(
        round=round_, centre=centre, regency_id="63.03", featured_products="Kain sasirangan"
    )
    for item in round_.cycle.checklist.all():
        document = ProposalDocument(proposal=proposal, item=item)
        document.file.save(f"{item.code}.pdf", ContentFile(TINY_PDF))
    detail = f"{page.base_url}/proposals/{proposal.pk}/"

    sign_in(page, operator.username)
    page.goto(detail)
    move(page, "submit")
    expect(page.locator("#proposal-state")).to_have_text("Diajukan")
    sign_out(page)

    sign_in(page, verifier.username)
    page.goto(detail)
    move(page, "return", "SK penetapan belum ditandatangani bupati")
    expect(page.locator("#proposal-state")).to_have_text("Dikembalikan untuk perbaikan")
    sign_out(page)

    sign_in(page, operator.username)
    page.goto(detail)
    expect(page.get_by_role("status").filter(has_text="SK penetapan belum")).to_be_visible()
    move(page, "submit")
    expect(page.locator("#proposal-state")).to_have_text("Diajukan")
    sign_out(page)

    sign_in(page, verifier.username)
    page.goto(detail)
    count = page.locator("form.check-form").count()
    for index in range(count):
        form = page.locator("form.check-form").nth(index)
        form.locator("select").select_option("ok")
        form.locator("button").click()
    move(page, "verify")
    expect(page.locator("#proposal-state")).to_have_text("Terverifikasi")
    screenshot(page, "proposal-verified")

    # The proposal reaches the ministry through the round's forwarding, with the letter.
    page.get_by_role("button", name="Teruskan dengan surat pengantar").click()
    expect(page).to_have_url(f"{page.base_url}/rounds/{round_.pk}/forward/?proposal={proposal.pk}")
    page.locator("#forward-form button[type=submit]").click()
    letter_link = page.locator("a.cover-letter-link")
    expect(letter_link).to_have_count(1)
    screenshot(page, "round-after-forward")
    pdf = page.request.get(page.base_url + letter_link.get_attribute("href"))
    assert pdf.headers["content-type"] == "application/pdf"
    pages = PdfReader(io.BytesIO(pdf.body())).pages
    text = " ".join(" ".join(p.extract_text() for p in pages).split())  # table cells wrap
    assert "Sentra Sasirangan Martapura" in text
    assert "Kabupaten Banjar" in text
    proposal.refresh_from_db()
    assert proposal.state == "forwarded"
