"""sitemap.xml lists every public page in both languages; robots.txt allows the catalogue only."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import timezone

from ovop.catalogue.models import CatalogueEntry
from tests.catalogue.public_builders import public_centre
from tests.factories import CentreFactory, make_proposal

pytestmark = pytest.mark.django_db

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


def parsed(client):
    response = client.get(reverse("sitemap"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    return ET.fromstring(response.content)


def urls_of(root) -> dict[str, ET.Element]:
    return {url.findtext("s:loc", namespaces=NS): url for url in root.findall("s:url", NS)}


def test_sitemap_lists_each_public_page_in_both_languages_with_alternates(client):
    centre = public_centre(name="Sentra Sasirangan Martapura")
    draft = CentreFactory(name="Sentra Draf")
    make_proposal(centre=draft, documents=False)

    urls = urls_of(parsed(client))

    base = "http://testserver"
    pages = {
        lang: f"{base}/catalogue/{lang}/{centre.pk}-sentra-sasirangan-martapura/"
        for lang in ("id", "en")
    }
    assert set(urls) == {f"{base}/catalogue/id/", f"{base}/catalogue/en/", *pages.values()}
    for page in pages.values():
        alternates = {
            link.get("hreflang"): link.get("href") for link in urls[page].findall("x:link", NS)
        }
        assert alternates == {"id": pages["id"], "en": pages["en"], "x-default": pages["id"]}
        assert urls[page].findtext("s:lastmod", namespaces=NS) == timezone.localdate().isoformat()


def test_sitemap_lastmod_follows_the_newest_change_of_centre_or_entry(client):
    centre = public_centre(name="Sentra Anyaman", entry={"story": "Cerita"})
    changed = timezone.now() + datetime.timedelta(days=3)
    CatalogueEntry.objects.filter(centre=centre).update(updated_at=changed)

    urls = urls_of(parsed(client))

    page = f"http://testserver/catalogue/en/{centre.pk}-sentra-anyaman/"
    expected = timezone.localdate(changed).isoformat()
    assert urls[page].findtext("s:lastmod", namespaces=NS) == expected
    assert urls["http://testserver/catalogue/en/"].findtext("s:lastmod", namespaces=NS) == expected


def test_sitemap_uses_the_configured_public_address(client, settings):
    settings.OVOP_BASE_URL = "https://ovop.kemenperin.go.id/"
    public_centre(name="Sentra Gerabah")

    locations = set(urls_of(parsed(client)))

    assert all(loc.startswith("https://ovop.kemenperin.go.id/catalogue/") for loc in locations)
    assert len(locations) == 4


def test_sitemap_of_an_empty_catalogue_names_the_list_pages(client):
    assert set(urls_of(parsed(client))) == {
        "http://testserver/catalogue/id/",
        "http://testserver/catalogue/en/",
    }


def test_sitemap_query_count_does_not_grow_with_centres(client, django_assert_max_num_queries):
    for number in range(20):
        public_centre(name=f"Sentra Uji {number}", entry={"story": "Cerita"})

    with django_assert_max_num_queries(1):
        assert len(urls_of(parsed(client))) == 42


def test_robots_allows_the_catalogue_only_and_names_the_sitemap(client):
    response = client.get(reverse("robots"))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode().splitlines() == [
        "User-agent: *",
        "Allow: /catalogue/",
        "Disallow: /catalogue/manage/",
        "Disallow: /",
        "Sitemap: http://testserver/sitemap.xml",
    ]
