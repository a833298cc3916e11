"""A visitor of the public catalogue: opens it, switches to English, filters by a commodity,
opens a product and downloads its QR code, which decodes to that very page."""

import io
import re

import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.catalogue.public_builders import showcase
from tests.conftest import ensure_regions

pytestmark = pytest.mark.browser


def decode_qr(png: bytes) -> str:
    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    assert len(found) == 1, f"{len(found)} codes found"
    return found[0].text


def test_visitor_filters_in_english_opens_a_product_and_scans_its_qr_code(page, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    centres = showcase()

    # The catalogue opens in Indonesian although the browser prefers English.
    page.goto(page.base_url + "/catalogue/")
    expect(page).to_have_url(re.compile(r"/catalogue/id/$"))
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page.locator(".catalogue-card")).to_have_count(3)
    screenshot(page, "catalogue-list-id")

    page.get_by_role("link", name="English").click()
    expect(page).to_have_url(re.compile(r"/catalogue/en/$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("OVOP product catalogue")

    page.get_by_label("Commodity group").select_option(label="Food & beverages")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"/catalogue/en/\?.*commodity=makanan-minuman"))
    expect(page.locator(".catalogue-card")).to_have_count(1)
    expect(page.locator(".result-count")).to_have_text("1 product")
    screenshot(page, "catalogue-list-en-filtered")

    page.get_by_role("link", name="Sentra Amplang Kotabaru").click()
    amplang = centres["amplang"]
    expect(page).to_have_url(re.compile(rf"/catalogue/en/{amplang.pk}-sentra-amplang-kotabaru/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sentra Amplang Kotabaru")
    expect(page.locator(".stars-line .visually-hidden")).to_have_text("4 of 5 stars")
    expect(page.locator(".story")).to_have_attribute("lang", "id")  # not translated yet
    # The QR code shows on the page, and its PNG download decodes to this page's address.
    expect(page.locator("img.qr-image")).to_be_visible()
    screenshot(page, "catalogue-detail-en")
    link = page.locator("a.qr-download-png")
    download = page.request.get(page.base_url + link.get_attribute("href"))
    assert download.ok
    assert download.headers["content-type"] == "image/png"
    assert decode_qr(download.body()) == page.url

    # Back in Indonesian, the same page, and its own code points at the Indonesian page.
    page.get_by_role("link", name="Bahasa Indonesia").click()
    expect(page).to_have_url(re.compile(rf"/catalogue/id/{amplang.pk}-sentra-amplang-kotabaru/$"))
    download = page.request.get(page.base_url + link.get_attribute("href"))
    assert decode_qr(download.body()) == page.url


def test_catalogue_fits_a_phone_without_sideways_scrolling(
    browser, live_server, transactional_db, settings, tmp_path
):
    ensure_regions()
    settings.MEDIA_ROOT = tmp_path
    centres = showcase()
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    sasirangan = centres["sasirangan"]
    for path in ("/catalogue/id/", f"/catalogue/en/{sasirangan.pk}-sentra-sasirangan-martapura/"):
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{path} is {width}px wide"
    # One card a row on a phone.
    page.goto(live_server.url + "/catalogue/id/")
    boxes = [card.bounding_box() for card in page.locator(".catalogue-card").all()]
    assert len({round(box["x"]) for box in boxes}) == 1
    screenshot(page, "catalogue-list-phone")
    page.goto(live_server.url + f"/catalogue/en/{sasirangan.pk}-sentra-sasirangan-martapura/")
    expect(page.locator(".order-whatsapp")).to_have_attribute("href", "https://wa.me/6281250001234")
    screenshot(page, "catalogue-detail-phone")
    context.close()
