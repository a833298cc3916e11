"""The site header: one row on a 1366 px screen for every role, in Indonesian and in English;
on a phone the menu folds behind a "Menu" button (a <details>, no script) that the keyboard
opens, so the page itself starts on the first screen."""

import pytest
from playwright.sync_api import expect

from ovop.notifications.enums import NotificationKind
from ovop.notifications.models import Notification
from tests.browser.conftest import screenshot
from tests.browser.test_sign_in import sign_in
from tests.conftest import make_persona

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
# Everything the header shows on a wide screen, in one selector.
HEADER_ITEMS = (
    ".site-header .brand, .site-header .nav-main a, .site-header .nav-tools a,"
    " .site-header .nav-tools button"
)


def unread(user, count: int) -> None:
    """Enough unread notifications for a three-digit badge, the widest the header gets."""
    Notification.objects.bulk_create(
        Notification(recipient=user, kind=NotificationKind.SUBMITTED, title=f"Pesan {n}")
        for n in range(count)
    )


def boxes(page) -> list[dict]:
    return page.locator(HEADER_ITEMS).evaluate_all(
        """items => items.map(item => {
            const box = item.getBoundingClientRect();
            return {text: item.textContent.trim(), top: box.top, bottom: box.bottom,
                    left: box.left, right: box.right};
        })"""
    )


def assert_one_row(page, label: str) -> None:
    items = boxes(page)
    assert len(items) >= 8, items  # brand, at least Home, Sentra IKM…, and the tools
    row = (items[0]["top"] + items[0]["bottom"]) / 2  # the brand's middle
    off_row = [item["text"] for item in items if abs((item["top"] + item["bottom"]) / 2 - row) > 6]
    assert off_row == [], f"{label}: not on the brand's row: {off_row}"
    assert all(item["right"] <= DESKTOP["width"] for item in items), f"{label}: past the edge"
    header = page.locator(".site-header").bounding_box()
    tallest = max(item["bottom"] - item["top"] for item in items)
    assert header["height"] < 2 * tallest, f"{label}: header {header['height']} px tall"
    expect(page.locator(".menu-button")).to_be_hidden()


def assert_folded_menu(page, label: str) -> None:
    button = page.locator("summary.menu-button")
    menu_links = page.locator(".nav-main a")
    expect(button).to_be_visible()
    assert button.get_attribute("aria-controls") == "site-menu-panel"
    assert page.locator("#site-menu-panel").count() == 1
    for link in menu_links.all():
        expect(link).to_be_hidden()
    # The page itself starts on the first screen, its heading whole.
    main_top = page.locator("main").bounding_box()["y"]
    heading = page.locator("main h1").first.bounding_box()
    assert main_top < PHONE["height"] / 4, f"{label}: main starts at {main_top} px"
    assert heading["y"] + heading["height"] <= PHONE["height"], f"{label}: heading off screen"
    screenshot(page, f"header-{label}-phone")

    # The keyboard opens it: Tab from the brand reaches the button, Enter opens the menu.
    page.locator(".site-header .brand").focus()
    page.keyboard.press("Tab")
    expect(button).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("details.site-menu")).to_have_attribute("open", "")
    links = [*menu_links.all(), *page.locator(".nav-tools a").all()]
    for link in links:
        expect(link).to_be_visible()
        expect(link).to_be_in_viewport()
    for control in [*links, *page.locator(".nav-tools button").all()]:
        # Nothing covers it: the point at its centre belongs to it.
        assert control.evaluate(
            """element => {
                const box = element.getBoundingClientRect();
                const x = box.x + box.width / 2, y = box.y + box.height / 2;
                const hit = document.elementFromPoint(x, y);
                return element.contains(hit) && box.right <= window.innerWidth;
            }"""
        ), f"{label}: {control.text_content()} is covered or off screen"
    screenshot(page, f"header-{label}-phone-menu")

    # Enter again folds it away.
    page.keyboard.press("Enter")
    expect(menu_links.first).to_be_hidden()


@pytest.mark.parametrize("persona", ["admin", "verifier", "operator", "assessor", "viewer"])
def test_header_is_one_row_on_a_laptop_and_a_menu_button_on_a_phone(page, persona):
    user = make_persona(persona)
    unread(user, 120)
    page.set_viewport_size(DESKTOP)
    sign_in(page, user.username)

    for language, regions in (("id", "Wilayah"), ("en", "Regions")):
        page.set_viewport_size(DESKTOP)
        if language == "en":
            page.get_by_role("button", name="EN").click()
        expect(page.locator("html")).to_have_attribute("lang", language)
        expect(page.locator(".notifications-link .badge-count")).to_contain_text("120")
        assert_one_row(page, f"{persona}-{language}")
        screenshot(page, f"header-{persona}-{language}-laptop")

        page.set_viewport_size(PHONE)
        assert_folded_menu(page, f"{persona}-{language}")
        # A link of the opened menu really leads somewhere.
        page.locator(".menu-button").click()
        page.get_by_role("link", name=regions, exact=True).click()
        expect(page).to_have_url(page.base_url + "/regions/")
        expect(page.locator(".nav-main a[aria-current=page]")).to_have_text(regions)
        page.goto(page.base_url + "/")


def test_header_without_an_account_has_no_menu_button(page):
    page.set_viewport_size(PHONE)
    page.goto(page.base_url + "/accounts/login/")
    expect(page.locator(".menu-button")).to_have_count(0)
    expect(page.get_by_role("button", name="EN")).to_be_visible()
    assert page.locator("main").bounding_box()["y"] < PHONE["height"] / 4
