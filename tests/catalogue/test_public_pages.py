"""The public catalogue pages: languages, list with filters and search, detail, photos."""

import datetime
import re

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils.text import slugify

from ovop.catalogue.models import CatalogueEntry
from ovop.centres.models import CommodityGroup
from ovop.evaluation.models import Decision
from tests.catalogue.public_builders import add_photo, public_centre, round_of
from tests.conftest import make_persona
from tests.factories import CentreFactory, CertificateFactory, EnterpriseFactory, make_proposal

pytestmark = pytest.mark.django_db


def list_url(lang: str = "id") -> str:
    return reverse("catalogue:list", kwargs={"lang": lang})


def detail_url(centre, lang: str = "id", slug: str | None = None) -> str:
    return reverse(
        "catalogue:detail",
        kwargs={"lang": lang, "pk": centre.pk, "slug": slug or slugify(centre.name)},
    )


def meta(html: str, key: str) -> str:
    """The content of <meta property|name="key">, or "" when absent."""
    found = re.search(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)"', html)
    return found.group(1) if found else ""


def link_href(html: str, rel: str, hreflang: str | None = None) -> str:
    lang = rf' hreflang="{hreflang}"' if hreflang else ""
    found = re.search(rf'<link rel="{rel}"{lang} href="([^"]*)"', html)
    return found.group(1) if found else ""


def card_names(response) -> list[str]:
    return [row["name"] for row in response.context["rows"]]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def catalogue(media):
    """Three public centres in two regencies and two commodities, and one draft centre."""
    sasirangan = public_centre(
        name="Sentra Sasirangan Martapura",
        stars=5,
        product="Kain sasirangan",
        entry={
            "story": "Kain dicelup dengan pewarna alam dari kulit kayu.",
            "story_en": "Cloth dyed with natural colours from tree bark.",
        },
    )
    amplang = public_centre(
        name="Sentra Amplang Kotabaru",
        district="63.02.01",
        stars=3,
        commodity="makanan-minuman",
        product="Amplang ikan tenggiri",
        entry={"story": "Kerupuk ikan renyah.", "story_en": ""},
    )
    purun = public_centre(
        name="Sentra Anyaman Purun", stars=4, commodity="anyaman", product="Tikar purun", year=2024
    )
    draft = CentreFactory(name="Sentra Belum Dinilai", region_id="63.05.01")
    make_proposal(centre=draft, documents=False)
    return {"sasirangan": sasirangan, "amplang": amplang, "purun": purun, "draft": draft}


# --- languages ----------------------------------------------------------------------------


def test_root_redirects_to_indonesian_without_a_language_choice(client):
    response = client.get(reverse("catalogue:root"))

    assert response.status_code == 302
    assert response["Location"] == list_url("id")


def test_root_redirects_to_english_when_the_visitor_chose_english(client):
    client.cookies["ovop_language"] = "en"

    response = client.get(reverse("catalogue:root"))

    assert response["Location"] == list_url("en")


def test_list_with_an_unknown_language_is_not_found(client):
    assert client.get("/catalogue/fr/").status_code == 404
    assert client.get("/catalogue/EN/").status_code == 404
    with pytest.raises(NoReverseMatch):
        reverse("catalogue:list", kwargs={"lang": "fr"})


def test_list_speaks_the_language_of_the_url_whatever_the_cookie(client, catalogue):
    client.cookies["ovop_language"] = "en"

    response = client.get(list_url("id"))

    html = response.content.decode()
    assert response["Content-Language"] == "id"
    assert '<html lang="id"' in html
    assert "Kain batik" in html
    assert "Batik fabric" not in html

    english = client.get(list_url("en")).content.decode()
    assert '<html lang="en"' in english
    assert "Batik fabric" in english


def test_language_switch_links_to_the_same_page_with_the_same_filters(client, catalogue):
    params = {"commodity": "anyaman", "q": "purun", "utm_source": "<x>", "stars": "nine"}
    response = client.get(list_url("id"), params)

    html = response.content.decode()
    switch = re.search(r'<a href="([^"]*)" class="language-link" hreflang="en"', html)
    # Only the catalogue's own filters travel; anything else in the address is dropped.
    assert switch.group(1) == "/catalogue/en/?q=purun&amp;commodity=anyaman"
    assert (
        link_href(html, "canonical")
        == "http://testserver/catalogue/id/?q=purun&amp;commodity=anyaman"
    )


def test_detail_switch_and_alternates_name_the_page_in_both_languages(client, catalogue):
    centre = catalogue["sasirangan"]

    html = client.get(detail_url(centre, "en")).content.decode()

    assert f'href="{detail_url(centre, "id")}" class="language-link" hreflang="id"' in html
    assert link_href(html, "alternate", "id") == "http://testserver" + detail_url(centre, "id")
    assert link_href(html, "alternate", "en") == "http://testserver" + detail_url(centre, "en")
    assert link_href(html, "canonical") == "http://testserver" + detail_url(centre, "en")


# --- the list -----------------------------------------------------------------------------


def test_list_shows_public_centres_as_cards_and_nothing_else(client, catalogue):
    response = client.get(list_url("en"))

    assert response.status_code == 200
    # Best rated first, then the most recent rating, then the name.
    assert card_names(response) == [
        "Sentra Sasirangan Martapura",
        "Sentra Anyaman Purun",
        "Sentra Amplang Kotabaru",
    ]
    html = response.content.decode()
    assert "Sentra Belum Dinilai" not in html
    assert "3 products" in html
    assert "★★★★★" in html
    assert "5 of 5 stars" in html
    assert "rated 2024" in html
    assert "Kabupaten Kotabaru, Kalimantan Selatan" in html
    assert "Food &amp; beverages" in html


def test_list_card_uses_the_cover_photo_or_a_placeholder(client, catalogue):
    first = add_photo(catalogue["sasirangan"], "Kain")
    cover = add_photo(catalogue["sasirangan"], "Sampul")
    CatalogueEntry.objects.filter(centre=catalogue["sasirangan"]).update(cover_photo=cover)
    newest = add_photo(catalogue["sasirangan"], "Terbaru")

    response = client.get(list_url("id"))

    rows = {row["name"]: row for row in response.context["rows"]}
    thumbnail = reverse("catalogue:photo_thumbnail", kwargs={"pk": cover.pk})
    assert rows["Sentra Sasirangan Martapura"]["thumbnail"] == thumbnail
    assert first.pk != newest.pk
    assert rows["Sentra Amplang Kotabaru"]["thumbnail"] == ""
    html = response.content.decode()
    assert 'class="card-photo card-placeholder" aria-hidden="true"' in html
    assert "style=" not in html


def test_list_filters_by_commodity_province_regency_and_stars(client, catalogue):
    def names(**params):
        return card_names(client.get(list_url("en"), params))

    assert names(commodity="makanan-minuman") == ["Sentra Amplang Kotabaru"]
    assert names(regency="63.03") == ["Sentra Sasirangan Martapura", "Sentra Anyaman Purun"]
    assert len(names(province="63")) == 3
    assert names(province="64") == []
    assert names(min_stars="4") == ["Sentra Sasirangan Martapura", "Sentra Anyaman Purun"]
    assert names(stars="4") == ["Sentra Anyaman Purun"]
    assert len(names(stars="9")) == 3  # not a star count: no filter


def test_list_searches_name_product_and_story(client, catalogue):
    def names(lang: str, q: str):
        return card_names(client.get(list_url(lang), {"q": q}))

    assert names("id", "martapura") == ["Sentra Sasirangan Martapura"]
    assert names("id", "TENGGIRI") == ["Sentra Amplang Kotabaru"]
    assert names("id", "kulit kayu") == ["Sentra Sasirangan Martapura"]
    # The English story is searched on the English page only.
    assert names("id", "tree bark") == []
    assert names("en", "tree bark") == ["Sentra Sasirangan Martapura"]


def test_list_says_when_nothing_matches(client, catalogue):
    response = client.get(list_url("en"), {"q": "tidak ada"})

    html = response.content.decode()
    assert "0 products" in html
    assert "No product matches these filters." in html
    assert 'href="?">Show all products' in html


def test_list_offers_only_filters_that_lead_to_products(client, catalogue):
    tenun = CommodityGroup.objects.get(code="kain-tenun")
    make_proposal(
        centre=CentreFactory(name="Sentra Tenun Tapin", region_id="63.05.01", commodity=tenun),
        documents=False,
    )

    response = client.get(list_url("id"))

    # In the groups' configured order; the draft centre's group and regency are not offered.
    assert [c.code for c in response.context["commodities"]] == [
        "makanan-minuman",
        "kain-batik",
        "anyaman",
    ]
    assert [r.code for r in response.context["regencies"]] == ["63.03", "63.02"]
    assert [p.code for p in response.context["provinces"]] == ["63"]
    assert response.context["star_choices"] == [5, 4, 3]


def test_list_pages_by_24_with_a_shareable_url(client, media):
    for number in range(25):
        public_centre(name=f"Sentra Uji {number:02d}", stars=3)

    first = client.get(list_url("en"), {"min_stars": "3"})
    second = client.get(list_url("en"), {"min_stars": "3", "page": "2"})

    assert len(first.context["rows"]) == 24
    assert card_names(second) == ["Sentra Uji 24"]
    assert "25 products" in first.content.decode()
    assert 'href="?min_stars=3&amp;page=2"' in first.content.decode()


def test_list_query_count_is_the_same_for_one_and_many_centres(
    client, media, django_assert_max_num_queries
):
    public_centre(name="Sentra Satu", entry={"story": "Cerita"})
    # Two fingerprints, the ratings, the candidates, the page's centres, three filter choices,
    # the cards' photos; a repeat visit is one query (test_public_cache).
    with django_assert_max_num_queries(9):
        assert len(client.get(list_url("id")).context["rows"]) == 1

    for number in range(30):
        centre = public_centre(name=f"Sentra Banyak {number:02d}", entry={"story": "Cerita"})
        add_photo(centre)
    with django_assert_max_num_queries(9):
        assert len(client.get(list_url("en"), {"q": "sentra"}).context["rows"]) == 24


# --- the detail page ----------------------------------------------------------------------


def test_detail_shows_the_public_facts_story_and_certificate_kinds(client, catalogue):
    centre = catalogue["sasirangan"]
    enterprise = EnterpriseFactory(centre=centre, owner="Hajjah Siti Aminah", nib="9120001234567")
    CertificateFactory(
        enterprise=enterprise,
        kind="halal",
        number="ID63110000099",
        expires_on=datetime.date(2029, 5, 1),
    )
    CertificateFactory(
        enterprise=enterprise,
        kind="sni",
        number="SNI-EXPIRED-1",
        expires_on=datetime.date(2020, 1, 1),
    )
    CertificateFactory(enterprise=enterprise, kind="spp_irt", number="P-IRT-0007", expires_on=None)

    response = client.get(detail_url(centre, "en"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Sentra Sasirangan Martapura</h1>" in html
    assert "Cloth dyed with natural colours from tree bark." in html
    assert "5 of 5 stars" in html
    assert "Kabupaten Banjar" in html
    assert "Kalimantan Selatan" in html
    assert "Halal" in html
    assert "valid until 1 May 2029" in html
    assert "SPP-IRT" in html
    assert ">SNI<" not in html  # expired: no longer held
    for private in ("ID63110000099", "P-IRT-0007", "Hajjah Siti Aminah", "9120001234567"):
        assert private not in html


def test_detail_in_english_falls_back_to_the_indonesian_story_with_a_note(client, catalogue):
    html = client.get(detail_url(catalogue["amplang"], "en")).content.decode()

    assert '<div class="story" lang="id"><p>Kerupuk ikan renyah.</p></div>' in html
    assert "This story is not yet available in English" in html


def test_detail_without_an_entry_says_there_is_no_story_yet(client, catalogue):
    html = client.get(detail_url(catalogue["purun"], "en")).content.decode()

    assert "The sentra has not written its story yet." in html
    assert "No order channel is listed yet." in html


def test_detail_shows_order_links_and_contacts_only_when_public(client, catalogue):
    entry = CatalogueEntry.objects.get(centre=catalogue["sasirangan"])
    entry.order_links = [
        "https://www.tokopedia.com/sasirangan",
        "https://shopee.co.id/kain",
        "https://toko-kain.example.id/beli",
    ]
    entry.whatsapp, entry.phone, entry.email = "0812-5000-1234", "+62 511 477 1234", "a@b.id"
    entry.save()

    hidden = client.get(detail_url(catalogue["sasirangan"], "en")).content.decode()
    entry.contact_public = True
    entry.save()
    shown = client.get(detail_url(catalogue["sasirangan"], "en")).content.decode()

    for html in (hidden, shown):
        assert 'href="https://www.tokopedia.com/sasirangan" rel="noopener external" ' in html
        assert 'class="order-link">Tokopedia</a>' in html
        assert 'class="order-link">Shopee</a>' in html
        assert 'class="order-link">toko-kain.example.id</a>' in html
    for private in ("0812-5000-1234", "6281250001234", "477 1234", "a@b.id"):
        assert private not in hidden
    assert 'href="https://wa.me/6281250001234"' in shown
    assert 'href="tel:+625114771234"' in shown
    assert 'href="mailto:a@b.id"' in shown


def test_detail_map_carries_its_data_in_attributes_without_inline_script(client, catalogue):
    html = client.get(detail_url(catalogue["sasirangan"], "id")).content.decode()

    assert 'id="catalogue-map"' in html
    assert 'data-latitude="-3.43" data-longitude="114.85"' in html
    assert 'data-tile-url="https://tile.openstreetmap.org/{z}/{x}/{y}.png"' in html
    assert "/static/catalogue/map.js" in html
    assert "<script>" not in html
    assert "style=" not in html


def test_detail_without_coordinates_has_no_map(client, media):
    centre = public_centre(name="Sentra Tanpa Titik", latitude=None, longitude=None)

    html = client.get(detail_url(centre, "id")).content.decode()

    assert 'id="catalogue-map"' not in html
    assert "leaflet.js" not in html


def test_detail_offers_the_qr_code_of_the_page_language(client, catalogue):
    centre = catalogue["sasirangan"]

    html = client.get(detail_url(centre, "en")).content.decode()

    svg = reverse("catalogue:qr_svg", kwargs={"lang": "en", "pk": centre.pk})
    png = reverse("catalogue:qr_png", kwargs={"lang": "en", "pk": centre.pk})
    assert f'<img src="{svg}"' in html
    assert f'href="{png}?download=1"' in html
    assert f'href="{svg}?download=1"' in html


def test_detail_with_a_wrong_slug_redirects_permanently_to_the_canonical_url(client, catalogue):
    centre = catalogue["sasirangan"]

    response = client.get(detail_url(centre, "en", slug="nama-lama"))

    assert response.status_code == 301
    assert response["Location"] == detail_url(centre, "en")


def test_detail_of_a_centre_that_is_not_public_is_not_found(client, catalogue):
    draft = catalogue["draft"]

    assert client.get(detail_url(draft, "id")).status_code == 404
    assert client.get(detail_url(draft, "en", slug="x")).status_code == 404  # no redirect
    assert client.get("/catalogue/id/999999-tidak-ada/").status_code == 404


def test_detail_has_title_description_and_open_graph_tags_with_absolute_urls(client, catalogue):
    centre = catalogue["sasirangan"]
    photo = add_photo(centre)

    html = client.get(detail_url(centre, "en")).content.decode()

    page = "http://testserver" + detail_url(centre, "en")
    assert "<title>Sentra Sasirangan Martapura — Kain sasirangan · ovop</title>" in html
    assert meta(html, "description") == "Cloth dyed with natural colours from tree bark."
    assert meta(html, "og:title") == "Sentra Sasirangan Martapura — Kain sasirangan"
    assert meta(html, "og:description") == "Cloth dyed with natural colours from tree bark."
    assert meta(html, "og:url") == page
    photo_url = reverse("catalogue:photo", kwargs={"pk": photo.pk})
    assert meta(html, "og:image") == f"http://testserver{photo_url}"
    assert meta(html, "og:locale") == "en_US"
    assert meta(html, "og:locale:alternate") == "id_ID"
    assert meta(html, "og:type") == "product"


def test_open_graph_urls_use_the_configured_public_address(client, catalogue, settings):
    settings.OVOP_BASE_URL = "https://ovop.kemenperin.go.id"

    html = client.get(list_url("id"), {"commodity": "anyaman"}).content.decode()

    assert meta(html, "og:url") == "https://ovop.kemenperin.go.id/catalogue/id/?commodity=anyaman"
    assert meta(html, "og:locale") == "id_ID"
    assert link_href(html, "alternate", "en") == (
        "https://ovop.kemenperin.go.id/catalogue/en/?commodity=anyaman"
    )
    assert "<title>Anyaman · Katalog produk OVOP · ovop</title>" in html  # Indonesian page


def test_detail_description_is_built_from_the_facts_without_a_story(client, catalogue):
    html = client.get(detail_url(catalogue["purun"], "en")).content.decode()

    assert meta(html, "description") == (
        "Tikar purun from Kabupaten Banjar, Kalimantan Selatan: 4 of 5 stars (2024)."
    )


# --- photos -------------------------------------------------------------------------------


def test_public_photo_and_thumbnail_are_served_with_cache_headers(client, catalogue):
    photo = add_photo(catalogue["sasirangan"])

    for name in ("catalogue:photo", "catalogue:photo_thumbnail"):
        response = client.get(reverse(name, kwargs={"pk": photo.pk}))
        body = b"".join(response.streaming_content)
        assert response.status_code == 200
        assert body.startswith(b"\x89PNG")
        assert response["Content-Type"] == "image/png"
        assert "public" in response["Cache-Control"]
        assert "max-age=86400" in response["Cache-Control"]


def test_photo_of_a_centre_that_is_not_public_is_not_found(client, catalogue):
    photo = add_photo(catalogue["draft"])

    for name in ("catalogue:photo", "catalogue:photo_thumbnail"):
        assert client.get(reverse(name, kwargs={"pk": photo.pk})).status_code == 404


def test_a_newer_pending_decision_does_not_change_the_public_stars(client, media):
    centre = public_centre(name="Sentra Purun Lama", stars=4, year=2025)
    newer = make_proposal(round_=round_of(2026), centre=centre, state="eligible", documents=False)
    Decision.objects.create(
        proposal=newer,
        stars=5,
        computed_stars=5,
        status="pending",
        decided_by=make_persona("admin"),
    )

    html = client.get(detail_url(centre, "en")).content.decode()

    assert "4 of 5 stars" in html
    assert "rated 2025" in html
    assert "5 of 5 stars" not in html
