import re

import pytest
from django.conf import settings
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.conftest import ensure_regions, make_persona

pytestmark = pytest.mark.browser


def sign_in(page, username: str) -> None:
    page.goto(page.base_url + "/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(settings.OVOP_DEMO_PASSWORD)
    page.get_by_role("button", name="Masuk").click()


def test_operator_sees_their_regency_in_indonesian_then_switches_to_english(page):
    operator = make_persona("operator")
    # The browser asks for English, but the screens start in Indonesian.
    sign_in(page, operator.username)
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Selamat datang")
    expect(page.locator(".scope")).to_have_text("Kabupaten Banjar")
    expect(page.get_by_role("link", name="Beranda")).to_be_visible()
    screenshot(page, "dashboard-operator-id")

    page.get_by_role("button", name="EN").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")
    expect(page.locator(".scope")).to_have_text("Kabupaten Banjar")
    expect(page.get_by_role("link", name="Home")).to_be_visible()

    # The choice sticks on the next page.
    page.get_by_role("link", name="Regions").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Regions of Indonesia")


def test_wrong_password_says_what_to_fix(page):
    make_persona("operator")
    page.goto(page.base_url + "/")
    page.get_by_label("Nama pengguna").fill("persona-operator")
    page.get_by_label("Kata sandi").fill("salah")
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_role("alert")).to_contain_text("Nama pengguna atau kata sandi salah")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))


def test_dashboard_is_usable_on_a_phone(browser, live_server, transactional_db):
    ensure_regions()
    verifier = make_persona("verifier")
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    page.base_url = live_server.url
    sign_in(page, verifier.username)
    expect(page.locator(".scope")).to_have_text("Provinsi Kalimantan Selatan")
    expect(page.get_by_role("cell", name="Kabupaten Banjar")).to_be_visible()
    # Nothing wider than the screen: no sideways scrolling of the page itself.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    screenshot(page, "dashboard-verifier-phone")
    context.close()
