"""Direct tests of ``ovop.catalogue.selectors.public``: filters, search, cards and page facts."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from ovop.catalogue.models import CatalogueEntry
from ovop.catalogue.selectors import public
from ovop.catalogue.selectors.gate import public_centres
from ovop.centres.models import CommodityGroup
from tests.catalogue.public_builders import add_photo, public_centre
from tests.factories import CentreFactory, CertificateFactory, EnterpriseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def catalogue() -> dict:
    """Three public centres in two provinces and one that is not public."""
    sasirangan = public_centre(
        name="Sentra Sasirangan Martapura",
        stars=5,
        product="Kain sasirangan",
        entry={"story": "Dicelup dengan pewarna alam.", "story_en": "Dyed with bark colours."},
    )
    amplang = public_centre(
        name="Sentra Amplang Kotabaru",
        district="63.02.01",
        stars=4,
        commodity="makanan-minuman",
        product="Amplang ikan tenggiri",
    )
    paser = public_centre(
        name="Sentra Anyaman Paser",
        district="64.01.01",
        stars=3,
        year=2024,
        commodity="anyaman",
        product="Tikar rotan",
    )
    hidden = CentreFactory(name="Sentra Rahasia Sasirangan", main_product="Kain sasirangan")
    EnterpriseFactory(centre=amplang, name="UD Rotan Rahasia")
    return {"sasirangan": sasirangan, "amplang": amplang, "paser": paser, "hidden": hidden}


def _names(queryset) -> set[str]:
    return {centre.name for centre in queryset}


def _filtered(include_english: bool = False, **filters) -> set[str]:
    found = public.filter_centres(
        public_centres(), public.Filters(**filters), include_english=include_english
    )
    return _names(found)


# --- languages, slugs, addresses -------------------------------------------------------------


def test_other_language_swaps_id_and_en():
    assert (public.other_language("id"), public.other_language("en")) == ("en", "id")


def test_centre_slug_readable_and_never_empty():
    assert public.centre_slug(CentreFactory.build(name="Sentra Sasirangan Martapura")) == (
        "sentra-sasirangan-martapura"
    )
    assert public.centre_slug(CentreFactory.build(name="★ ★")) == "sentra"


def test_detail_path_names_language_pk_and_slug(catalogue):
    centre = catalogue["amplang"]
    path = public.detail_path(centre, "en")
    assert path == reverse(
        "catalogue:detail",
        kwargs={"lang": "en", "pk": centre.pk, "slug": "sentra-amplang-kotabaru"},
    )
    assert path.startswith("/catalogue/en/")


def test_absolute_url_uses_the_configured_address_else_the_request(rf, settings):
    request = rf.get("/", HTTP_HOST="ovop.test")
    settings.OVOP_BASE_URL = ""
    assert public.absolute_url(request, "/catalogue/id/") == "http://ovop.test/catalogue/id/"
    settings.OVOP_BASE_URL = "https://ovop.example.id/"
    assert public.absolute_url(request, "/catalogue/id/") == "https://ovop.example.id/catalogue/id/"


# --- filters -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("3", 3),
        (" 5 ", 5),
        ("1", 1),
        ("0", None),
        ("6", None),
        ("-1", None),
        ("x", None),
        ("", None),
        (None, None),
    ],
)
def test_star_count_only_one_to_five(value, expected):
    assert public.star_count(value) == expected


def test_filters_from_query_strips_and_bounds():
    filters = public.Filters.from_query(
        {
            "commodity": " anyaman ",
            "province": "63 ",
            "stars": "9",
            "min_stars": "2",
            "q": " x" * 80,
        }
    )
    assert (filters.commodity, filters.province, filters.regency) == ("anyaman", "63", "")
    assert (filters.stars, filters.min_stars) == (None, 2)
    assert len(filters.q) == 100
    assert filters.active


def test_filters_from_query_accepts_search_for_q():
    assert public.Filters.from_query({"search": " amplang "}).q == "amplang"


def test_filters_inactive_without_any_value():
    assert not public.Filters.from_query({}).active
    assert not public.Filters().active


def test_filters_query_holds_known_non_empty_keys_only():
    filters = public.Filters(q="kain batik", province="63", stars=4)
    assert filters.query() == "q=kain+batik&province=63&stars=4"
    assert filters.query(page=2) == "q=kain+batik&province=63&stars=4&page=2"
    assert public.Filters().query() == ""


def test_filter_centres_by_commodity(catalogue):
    assert _filtered(commodity="anyaman") == {"Sentra Anyaman Paser"}
    assert _filtered(commodity="gerabah") == set()


def test_filter_centres_by_province_and_regency(catalogue):
    assert _filtered(province="63") == {"Sentra Sasirangan Martapura", "Sentra Amplang Kotabaru"}
    assert _filtered(regency="63.02") == {"Sentra Amplang Kotabaru"}
    assert _filtered(province="64", regency="63.02") == set()


def test_filter_centres_by_exact_and_minimum_stars(catalogue):
    assert _filtered(stars=4) == {"Sentra Amplang Kotabaru"}
    assert _filtered(min_stars=4) == {"Sentra Sasirangan Martapura", "Sentra Amplang Kotabaru"}
    assert _filtered(stars=2) == set()


def test_filter_centres_search_name_and_product_never_unpublished(catalogue):
    assert _filtered(q="sasirangan") == {"Sentra Sasirangan Martapura"}  # not the hidden one
    assert _filtered(q="TENGGIRI") == {"Sentra Amplang Kotabaru"}  # product, any case


def test_filter_centres_search_indonesian_story(catalogue):
    assert _filtered(q="pewarna alam") == {"Sentra Sasirangan Martapura"}


def test_filter_centres_search_english_story_only_when_asked(catalogue):
    assert _filtered(q="bark colours") == set()
    assert _filtered(include_english=True, q="bark colours") == {"Sentra Sasirangan Martapura"}


def test_filter_centres_search_never_reads_enterprises(catalogue):
    assert _filtered(q="UD Rotan Rahasia") == set()


def test_filter_centres_search_not_matching_finds_nothing(catalogue):
    assert _filtered(q="tidak ada yang cocok") == set()


def test_filter_centres_without_filters_keeps_every_public_centre(catalogue):
    assert _filtered() == {
        "Sentra Sasirangan Martapura",
        "Sentra Amplang Kotabaru",
        "Sentra Anyaman Paser",
    }


def test_filter_options_lead_only_to_public_centres(catalogue):
    options = public.filter_options(public.Filters())
    assert options["star_choices"] == [5, 4, 3]
    assert [c.code for c in options["commodities"]] == ["makanan-minuman", "kain-batik", "anyaman"]
    assert [r.code for r in options["provinces"]] == ["63", "64"]
    assert {r.code for r in options["regencies"]} == {"63.02", "63.03", "64.01"}


def test_filter_options_regencies_of_the_chosen_province(catalogue):
    options = public.filter_options(public.Filters(province="64"))
    assert [r.code for r in options["regencies"]] == ["64.01"]
    assert [r.code for r in options["provinces"]] == ["63", "64"]  # the switch keeps both


# --- the list: annotations and order ---------------------------------------------------------


def test_ordered_best_stars_then_latest_year_then_name():
    public_centre(name="Sentra B Empat", stars=4, year=2025)
    public_centre(name="Sentra A Empat", stars=4, year=2025)
    public_centre(name="Sentra Empat Lama", stars=4, year=2024)
    public_centre(name="Sentra Lima", stars=5, year=2023)
    names = [c.name for c in public.ordered(public.catalogue_centres())]
    assert names == ["Sentra Lima", "Sentra A Empat", "Sentra B Empat", "Sentra Empat Lama"]


def test_catalogue_centres_annotates_scale_and_newest_photo(media):
    centre = public_centre(name="Sentra Foto", stars=2)
    add_photo(centre, "lama")
    newest = add_photo(centre, "baru")
    add_photo(CentreFactory(), "bukan publik")
    row = public.catalogue_centres().get()
    assert (row.stars, row.rated_year, row.star_scale, row.first_photo_id) == (
        2,
        2025,
        5,
        newest.pk,
    )


def test_catalogue_centres_without_photo_has_none(catalogue):
    assert {c.first_photo_id for c in public.catalogue_centres()} == {None}


# --- cards -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "label", "commodity"),
    [("id", "5 dari 5 bintang", "Kain batik"), ("en", "5 of 5 stars", "Batik fabric")],
)
def test_card_rows_print_the_public_facts(catalogue, media, lang, label, commodity):
    centre = catalogue["sasirangan"]
    photo = add_photo(centre)
    queryset = public.ordered(public.catalogue_centres()).filter(pk=centre.pk)
    with translation.override(lang):
        [row] = public.card_rows(queryset, lang=lang)
    assert row == {
        "pk": centre.pk,
        "name": "Sentra Sasirangan Martapura",
        "url": public.detail_path(centre, lang),
        "main_product": "Kain sasirangan",
        "commodity": commodity,
        "regency": "Kabupaten Banjar",
        "province": "Kalimantan Selatan",
        "stars": 5,
        "stars_glyphs": "★★★★★",
        "stars_label": label,
        "rated_year": 2025,
        "thumbnail": reverse("catalogue:photo_thumbnail", kwargs={"pk": photo.pk}),
        "photo": reverse("catalogue:photo", kwargs={"pk": photo.pk}),
    }


def test_card_rows_without_photo_have_no_image(catalogue):
    rows = public.card_rows(public.ordered(public.catalogue_centres()), lang="id")
    assert [row["name"] for row in rows] == [
        "Sentra Sasirangan Martapura",
        "Sentra Amplang Kotabaru",
        "Sentra Anyaman Paser",
    ]
    assert {(row["thumbnail"], row["photo"]) for row in rows} == {("", "")}


def test_card_rows_one_query_whatever_the_number(catalogue, django_assert_num_queries):
    with django_assert_num_queries(1):
        rows = public.card_rows(public.ordered(public.catalogue_centres()), lang="en")
    assert len(rows) == 3


def test_photo_id_of_chosen_cover_else_newest(media):
    centre = public_centre(name="Sentra Sampul", entry={})
    cover = add_photo(centre, "sampul")
    newest = add_photo(centre, "baru")
    row = public.ordered(public.catalogue_centres()).get()
    assert public.photo_id_of(row) == newest.pk
    CatalogueEntry.objects.filter(centre=centre).update(cover_photo=cover)
    row = public.ordered(public.catalogue_centres()).get()
    assert public.photo_id_of(row) == cover.pk


def test_photo_id_of_ignores_a_cover_of_another_centre(media):
    centre = public_centre(name="Sentra Sendiri", entry={})
    own = add_photo(centre)
    other = add_photo(CentreFactory())
    CatalogueEntry.objects.filter(centre=centre).update(cover_photo=other)
    assert public.photo_id_of(public.ordered(public.catalogue_centres()).get()) == own.pk


def test_entry_of_none_without_entry(catalogue):
    assert public.entry_of(catalogue["amplang"]) is None
    assert public.entry_of(catalogue["sasirangan"]).story == "Dicelup dengan pewarna alam."


def test_commodity_name_by_language():
    batik = CommodityGroup.objects.get(code="kain-batik")
    assert public.commodity_name(batik, "id") == "Kain batik"
    assert public.commodity_name(batik, "en") == "Batik fabric"
    assert public.commodity_name(CommodityGroup(name="Ukiran", name_en=""), "en") == "Ukiran"


# --- stars -----------------------------------------------------------------------------------


def test_stars_label_in_indonesian():
    with translation.override("id"):
        assert public.stars_label(4, 5) == "4 dari 5 bintang"
        assert public.stars_label(2, 3) == "2 dari 3 bintang"


def test_stars_label_in_english():
    with translation.override("en"):
        assert public.stars_label(4, 5) == "4 of 5 stars"
        assert public.stars_label(3, None) == "3 of 5 stars"  # the default scale


def test_stars_label_empty_without_stars():
    assert public.stars_label(None, 5) == ""
    assert public.stars_label(0, 5) == ""


def test_stars_glyphs_fill_the_scale():
    assert public.stars_glyphs(4, 5) == "★★★★☆"
    assert public.stars_glyphs(2, 3) == "★★☆"
    assert public.stars_glyphs(3, None) == "★★★☆☆"
    assert public.stars_glyphs(6, 5) == "★★★★★★"  # never a negative number of empty stars
    assert public.stars_glyphs(None, 5) == ""


# --- certificates and photos of the detail page ----------------------------------------------


def test_held_certificates_kinds_valid_today_in_kind_order(catalogue):
    centre = catalogue["amplang"]
    unit = EnterpriseFactory(centre=centre)
    today = timezone.localdate()
    CertificateFactory(
        enterprise=unit, kind="halal", expires_on=today + datetime.timedelta(days=30)
    )
    CertificateFactory(
        enterprise=unit, kind="halal", expires_on=today + datetime.timedelta(days=90)
    )
    CertificateFactory(enterprise=unit, kind="spp_irt", expires_on=None)
    CertificateFactory(
        enterprise=unit, kind="spp_irt", expires_on=today + datetime.timedelta(days=5)
    )
    CertificateFactory(enterprise=unit, kind="sni", expires_on=today - datetime.timedelta(days=1))
    CertificateFactory(enterprise=unit, kind="bpom_md", expires_on=today)
    with translation.override("en"):
        held = public.held_certificates([centre.pk])
        labels = [str(item["label"]) for item in held[centre.pk]]
    assert [(item["kind"], item["expires_on"]) for item in held[centre.pk]] == [
        ("spp_irt", None),  # no expiry beats any date
        ("halal", today + datetime.timedelta(days=90)),  # the later date
        ("bpom_md", today),  # valid through today; the expired SNI is gone
    ]
    assert labels == ["SPP-IRT", "Halal", "BPOM MD"]


def test_held_certificates_hide_numbers_and_leave_out_other_centres(catalogue):
    certificate = CertificateFactory(
        enterprise=EnterpriseFactory(centre=catalogue["paser"]), kind="halal"
    )
    CertificateFactory(enterprise=EnterpriseFactory(centre=catalogue["hidden"]), kind="sni")
    held = public.held_certificates([catalogue["paser"].pk])
    assert list(held) == [catalogue["paser"].pk]
    assert set(held[catalogue["paser"].pk][0]) == {"kind", "label", "expires_on"}
    assert certificate.number not in repr(held)


def test_held_certificates_none_held_is_empty(catalogue):
    assert public.held_certificates([catalogue["sasirangan"].pk]) == {}


def test_photo_ids_public_centres_only_newest_first(catalogue, media):
    older = add_photo(catalogue["sasirangan"])
    newer = add_photo(catalogue["sasirangan"])
    hidden = add_photo(catalogue["hidden"])
    found = public.photo_ids([catalogue["sasirangan"].pk, catalogue["hidden"].pk])
    assert found == {catalogue["sasirangan"].pk: [newer.pk, older.pk]}
    assert hidden.pk not in found.get(catalogue["hidden"].pk, [])


def test_ordered_photo_ids_move_the_cover_first(media):
    centre = public_centre(name="Sentra Urut", entry={})
    cover = add_photo(centre)
    newer = add_photo(centre)
    CatalogueEntry.objects.filter(centre=centre).update(cover_photo=cover)
    row = public.ordered(public.catalogue_centres()).get()
    assert public.ordered_photo_ids(row, [newer.pk, cover.pk]) == [cover.pk, newer.pk]
    # A cover that is not among the ids leaves the list as it is.
    assert public.ordered_photo_ids(row, [newer.pk]) == [newer.pk]


# --- ordering and contacts -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "label"),
    [
        ("https://www.tokopedia.com/sasirangan", "Tokopedia"),
        ("https://shopee.co.id/sasirangan", "Shopee"),
        ("https://instagram.com/sasirangan", "Instagram"),
        ("https://www.toko-saya.id/produk", "toko-saya.id"),
        ("bukan alamat", "bukan alamat"),
    ],
)
def test_link_label_names_the_marketplace_or_the_domain(url, label):
    assert public.link_label(url) == label


def test_link_label_needs_the_whole_name_part():
    assert public.link_label("https://notshopee.example/") == "notshopee.example"


def test_order_links_keep_web_addresses_only():
    entry = CatalogueEntry(
        order_links=["https://shopee.co.id/a", "javascript:alert(1)", 5, "HTTP://lazada.co.id/b"]
    )
    assert public.order_links(entry) == [
        {"url": "https://shopee.co.id/a", "label": "Shopee"},
        {"url": "HTTP://lazada.co.id/b", "label": "Lazada"},
    ]
    assert public.order_links(None) == []
    assert public.order_links(CatalogueEntry(order_links=None)) == []


@pytest.mark.parametrize(
    ("number", "url"),
    [
        ("0812 5000 1234", "https://wa.me/6281250001234"),
        ("+62 812-5000-1234", "https://wa.me/6281250001234"),
        ("62 (812) 5000", "https://wa.me/628125000"),
    ],
)
def test_whatsapp_url_international_digits_only(number, url):
    assert public.whatsapp_url(number) == url


def test_public_contact_shows_the_agreed_contacts():
    entry = CatalogueEntry(
        whatsapp="0812 5000 1234",
        phone="+62 511 4772",
        email="pesan@sentra.test",
        contact_public=True,
    )
    assert public.public_contact(entry) == {
        "whatsapp": "0812 5000 1234",
        "whatsapp_url": "https://wa.me/6281250001234",
        "phone": "+62 511 4772",
        "phone_url": "tel:+625114772",
        "email": "pesan@sentra.test",
    }


def test_public_contact_local_phone_without_whatsapp():
    contact = public.public_contact(CatalogueEntry(phone="0511 4772 100", contact_public=True))
    assert (contact["phone_url"], contact["whatsapp"], contact["whatsapp_url"]) == (
        "tel:05114772100",
        "",
        "",
    )


def test_public_contact_hidden_without_consent():
    entry = CatalogueEntry(
        whatsapp="0812 5000 1234", email="pesan@sentra.test", contact_public=False
    )
    assert public.public_contact(entry) is None
    assert public.public_contact(None) is None


def test_public_contact_none_when_nothing_to_show():
    assert public.public_contact(CatalogueEntry(contact_public=True)) is None


def test_public_contact_never_names_the_enterprise(catalogue):
    unit = EnterpriseFactory(centre=catalogue["paser"], owner="Haji Rahmat", nib="9120000099999")
    entry = CatalogueEntry.objects.create(
        centre=catalogue["paser"], email="pesan@paser.test", contact_public=True
    )
    contact = public.public_contact(entry)
    assert set(contact) == {"whatsapp", "whatsapp_url", "phone", "phone_url", "email"}
    assert unit.owner not in repr(contact)
    assert unit.nib not in repr(contact)


# --- story and description -------------------------------------------------------------------


def test_story_of_by_language_with_fallback():
    entry = CatalogueEntry(story="Cerita", story_en="Story")
    assert public.story_of(entry, "id") == ("Cerita", "id")
    assert public.story_of(entry, "en") == ("Story", "en")
    assert public.story_of(CatalogueEntry(story="Cerita", story_en="  "), "en") == ("Cerita", "id")
    assert public.story_of(None, "en") == ("", "en")


def test_description_is_the_story_on_one_line():
    centre = CentreFactory.build()
    assert public.description(centre, "Kain  sasirangan\n\nMartapura.") == (
        "Kain sasirangan Martapura."
    )


def test_description_long_story_cut_at_a_word():
    story = " ".join(["sasirangan"] * 40)
    text = public.description(CentreFactory.build(), story)
    assert len(text) <= 160
    assert text.endswith("sasirangan…")


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "id",
            "Amplang ikan tenggiri dari Kabupaten Kotabaru, Kalimantan Selatan: "
            "4 dari 5 bintang (2025).",
        ),
        (
            "en",
            "Amplang ikan tenggiri from Kabupaten Kotabaru, Kalimantan Selatan: "
            "4 of 5 stars (2025).",
        ),
    ],
)
def test_description_without_story_from_the_facts(catalogue, lang, expected):
    centre = public.catalogue_centres().get(pk=catalogue["amplang"].pk)
    with translation.override(lang):
        assert public.description(centre, "  ") == expected
