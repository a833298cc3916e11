"""The strict Content-Security-Policy breaks nothing: every role's main pages, the dashboards
(Chart.js, Leaflet), htmx, Swagger UI and the public catalogue run without a CSP violation."""

import pytest

from tests.browser.test_sign_in import sign_in
from tests.catalogue.public_builders import showcase
from tests.conftest import make_persona
from tests.factories import CentreFactory
from tests.reports.dashboards_builders import dashboard_world

pytestmark = pytest.mark.browser

# Pages reached from no menu but built on the same kinds of script.
EXTRA_PAGES = ["/reports/", "/api/v1/docs/", "/centres/map/"]


def watch_for_violations(page) -> list[str]:
    problems: list[str] = []

    def on_console(message) -> None:
        if "Content Security Policy" in message.text:
            problems.append(f"{page.url}: {message.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"{page.url}: {error}"))
    return problems


def visit(page, path: str) -> None:
    response = page.goto(page.base_url + path)
    assert response is not None
    assert response.status < 500, f"{path} answered {response.status}"
    assert "default-src 'self'" in response.headers.get("content-security-policy", "")
    page.wait_for_load_state("networkidle")


@pytest.fixture
def programme(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    # A local picture as map tiles: the test machine has no internet.
    settings.OVOP_MAP_TILE_URL = "/static/vendor/leaflet/images/layers.png?{z}/{x}/{y}"
    admin = make_persona("admin")
    dashboard_world(
        admin=admin,
        centre_banjar=CentreFactory(region_id="63.03.01", name="Sentra Banjar"),
        centre_tapin=CentreFactory(region_id="63.05.01", name="Sentra Tapin"),
    )
    showcase()


@pytest.mark.parametrize("persona", ["admin", "operator", "verifier", "assessor", "viewer"])
def test_csp_main_pages_of_each_role_run_without_violations(page, programme, persona):
    user = make_persona(persona)
    problems = watch_for_violations(page)
    sign_in(page, user.username)
    page.wait_for_load_state("networkidle")
    menu = page.locator("nav .nav-main a").evaluate_all(
        "links => links.map(link => new URL(link.href).pathname)"
    )
    assert menu, "the menu is empty"

    for path in [*menu, *EXTRA_PAGES]:
        visit(page, path)

    assert problems == [], "\n".join(problems)


def test_csp_swagger_ui_renders_the_api(page, programme):
    problems = watch_for_violations(page)
    sign_in(page, make_persona("admin").username)

    visit(page, "/api/v1/docs/")

    page.locator(".swagger-ui .opblock").first.wait_for()
    assert problems == [], "\n".join(problems)


def test_csp_public_catalogue_runs_without_violations(page, programme):
    problems = watch_for_violations(page)

    visit(page, "/catalogue/")
    product = page.locator(".catalogue-card a").first.get_attribute("href")
    visit(page, product)
    visit(page, "/catalogue/en/")

    assert problems == [], "\n".join(problems)


def test_csp_blocks_an_injected_inline_script(page, programme):
    """The policy is really enforced: an inline script added to a page is refused."""
    problems = watch_for_violations(page)
    visit(page, "/catalogue/")

    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.__injected = true'; document.body.appendChild(s); }"
    )

    assert page.evaluate("() => window.__injected === undefined")
    assert any("Content Security Policy" in problem for problem in problems)


def test_csp_htmx_search_and_boosted_upload_pages_run_without_violations(page, programme):
    problems = watch_for_violations(page)
    sign_in(page, make_persona("admin").username)

    visit(page, "/coaching/new/")
    with page.expect_response(lambda response: "centre_q=Sentra" in response.url):
        page.locator("input.centre-search").fill("Sentra")  # an htmx request
    page.wait_for_load_state("networkidle")
    visit(page, "/centres/import/")  # hx-boost with an htmx indicator

    assert problems == [], "\n".join(problems)
