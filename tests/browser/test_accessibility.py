"""axe-core (vendored, run in Chromium) on every public catalogue page: no serious or
critical violation, on a desktop and on a phone."""

import json
from pathlib import Path

import pytest
from django.utils.text import slugify

from tests.catalogue.public_builders import showcase

pytestmark = pytest.mark.browser

AXE = Path(__file__).parent / "vendor" / "axe.min.js"


def violations(page) -> list[dict]:
    """Serious and critical axe-core violations of the page as loaded."""
    # Evaluated through DevTools: the page's CSP refuses an injected <script> tag.
    page.evaluate(AXE.read_text())
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [v for v in result["violations"] if v["impact"] in ("serious", "critical")]


def describe(found: list[dict]) -> str:
    return json.dumps(
        [
            {
                "id": v["id"],
                "impact": v["impact"],
                "help": v["help"],
                "nodes": [n["target"] for n in v["nodes"]][:5],
            }
            for v in found
        ],
        indent=1,
    )


def public_pages(centres: dict) -> list[str]:
    def detail(lang, key):
        centre = centres[key]
        return f"/catalogue/{lang}/{centre.pk}-{slugify(centre.name)}/"

    return [
        "/catalogue/id/",
        "/catalogue/en/",
        "/catalogue/id/?commodity=makanan-minuman&min_stars=4",
        "/catalogue/en/?q=tidak-ada-produk",
        detail("id", "sasirangan"),
        detail("en", "sasirangan"),
        detail("en", "amplang"),  # no map, story only in Indonesian
        detail("id", "purun"),  # no photo, no entry
    ]


@pytest.mark.parametrize("width", [1280, 390])
def test_public_pages_have_no_serious_accessibility_violations(page, settings, tmp_path, width):
    settings.MEDIA_ROOT = tmp_path
    centres = showcase()
    page.set_viewport_size({"width": width, "height": 900})

    problems = {}
    for path in public_pages(centres):
        response = page.goto(page.base_url + path)
        assert response.status == 200, path
        found = violations(page)
        if found:
            problems[path] = describe(found)

    assert not problems, "\n".join(f"{path}:\n{text}" for path, text in problems.items())


def test_the_audit_reports_what_it_should(page):
    """The audit is not vacuous: an image without alt text on a page without a language."""
    page.set_content('<html><body><main><img src="x.png"></main></body></html>')

    found = {v["id"] for v in violations(page)}

    assert {"image-alt", "html-has-lang"} <= found
