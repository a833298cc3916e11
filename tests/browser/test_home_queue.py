"""The verifier signs in, reads their work queue on the home page and clicks through."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.browser.test_sign_in import sign_in
from tests.conftest import build_world
from tests.reports.queues_builders import queue_world

pytestmark = pytest.mark.browser


def test_verifier_clicks_from_the_queue_to_the_proposals_to_check(page, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    world = queue_world(build_world())
    sign_in(page, world["verifier"].username)

    queue = page.locator("section.task-queue")
    expect(queue.get_by_role("heading", level=2)).to_have_text("Pekerjaan Anda yang menunggu")
    to_verify = queue.locator("li[data-task=to_verify]")
    expect(to_verify.locator(".task-count")).to_have_text("1")
    expect(queue.locator("li[data-task=below_quota] .task-count")).to_have_text("12")
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900 if width > 500 else 844})
        screenshot(page, f"home-queue-verifier-{width}")
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= width, f"the home page is {scroll_width}px wide at {width}px"

    to_verify.get_by_role("link", name="Usulan untuk diperiksa").click()
    expect(page).to_have_url(f"{page.base_url}/proposals/?state=submitted")
    listed = page.locator("main table tbody")
    expect(listed.get_by_role("link", name=world["submitted_tapin"].centre.name)).to_be_visible()
    expect(listed.locator("tr")).to_have_count(1)  # only Kalimantan Selatan's one


def test_operator_reads_why_a_proposal_came_back_on_a_phone(page, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    world = queue_world(build_world())
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, world["operator"].username)
    returned = page.locator("li[data-task=returned]")
    expect(returned).to_contain_text("SK penetapan sentra belum ditandatangani bupati.")
    expect(page.locator("li[data-task=quota]")).to_contain_text("0 dari 2 usulan diajukan")
    screenshot(page, "home-queue-operator-390")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
