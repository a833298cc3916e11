from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.browser.test_sign_in import sign_in
from tests.conftest import make_persona
from tests.factories import CentreFactory
from tests.reports.dashboards_builders import dashboard_world

pytestmark = pytest.mark.browser

AXE = Path(__file__).parent / "vendor" / "axe.min.js"


def test_verifier_dashboard_draws_every_chart_offers_png_and_fits_a_phone(page, settings):
    # A local picture as the map background: the test machine has no internet, and a failed
    # tile would be a console error.
    settings.OVOP_MAP_TILE_URL = "/static/vendor/leaflet/images/layers.png?{z}/{x}/{y}"
    verifier = make_persona("verifier")
    dashboard_world(
        admin=make_persona("admin"),
        centre_banjar=CentreFactory(region_id="63.03.01", name="Sentra Banjar"),
        centre_tapin=CentreFactory(region_id="63.05.01", name="Sentra Tapin"),
    )
    problems = []
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    sign_in(page, verifier.username)
    page.goto(page.base_url + "/reports/")

    # A canvas per chart, each drawn by Chart.js; the map has every placed centre.
    charts = page.locator("canvas.dashboard-chart")
    expect(charts).to_have_count(4)
    for index in range(4):
        expect(charts.nth(index)).to_have_attribute("data-rendered", "true")
    expect(page.locator("#dashboard-map")).to_have_attribute("data-marker-count", "5")
    expect(page.locator("#dashboard-map .leaflet-interactive")).to_have_count(5)
    screenshot(page, "dashboard-province")

    # The chart's PNG download is a real PNG picture with a telling name.
    link = page.locator('a.chart-png[data-canvas="chart-stars"]')
    expect(link).to_be_visible()
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename == "bintang-per-komoditas-63-2026.png"
    assert Path(download.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    # The table behind a chart opens and names its rows.
    page.locator("#section-stars summary").click()
    expect(page.locator("#section-stars table caption")).to_be_visible()

    # No serious or critical accessibility problem (axe-core, vendored).
    # Evaluated through DevTools: the page's CSP refuses an injected <script> tag.
    page.evaluate(AXE.read_text())
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    serious = [v["id"] for v in result["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == []

    # On a 390 px phone nothing scrolls sideways, and the charts still draw.
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    expect(charts.nth(0)).to_have_attribute("data-rendered", "true")
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    screenshot(page, "dashboard-province-phone")
    assert problems == []
