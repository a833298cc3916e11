"""The public catalogue API: no login, the documented fields only, filters and search."""

import datetime

import pytest
from django.urls import reverse

from tests.catalogue.public_builders import add_photo, public_centre
from tests.factories import CentreFactory, CertificateFactory, EnterpriseFactory, make_proposal

pytestmark = pytest.mark.django_db

FIELDS = {
    "id",
    "name",
    "main_product",
    "commodity",
    "commodity_name",
    "regency",
    "regency_name",
    "province",
    "province_name",
    "stars",
    "star_scale",
    "rated_year",
    "story",
    "story_en",
    "latitude",
    "longitude",
    "certificates",
    "photos",
    "order_links",
    "contact",
    "url",
}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def products(media):
    batik = public_centre(
        name="Sentra Sasirangan Martapura",
        stars=5,
        entry={
            "story": "Kain dicelup pewarna alam.",
            "story_en": "Cloth dyed with tree bark.",
            "order_links": ["https://www.tokopedia.com/sasirangan"],
            "whatsapp": "0812 5000 1234",
            "phone": "0511 477 1234",
            "email": "a@b.id",
            "contact_public": True,
        },
    )
    amplang = public_centre(
        name="Sentra Amplang Kotabaru",
        district="63.02.01",
        stars=3,
        commodity="makanan-minuman",
        product="Amplang ikan",
        entry={"whatsapp": "0813 1111 2222", "contact_public": False},
    )
    draft = CentreFactory(name="Sentra Draf", region_id="63.03.01")
    make_proposal(centre=draft, documents=False)
    return {"batik": batik, "amplang": amplang, "draft": draft}


def api_list(client, **params):
    return client.get(reverse("catalogue-list"), params)


def names(response) -> list[str]:
    return [item["name"] for item in response.json()["results"]]


def test_list_needs_no_login_and_answers_the_documented_fields(api_client, products):
    response = api_list(api_client)

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert body["next"] is None
    assert {item["name"] for item in body["results"]} == {
        "Sentra Sasirangan Martapura",
        "Sentra Amplang Kotabaru",
    }
    assert set(body["results"][0]) == FIELDS


def test_a_stale_token_does_not_lock_a_visitor_out(api_client, products):
    api_client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")

    assert api_list(api_client).status_code == 200


def test_detail_answers_the_public_facts(api_client, products):
    centre = products["batik"]
    enterprise = EnterpriseFactory(centre=centre, owner="Hajjah Aminah", nib="9120007654321")
    CertificateFactory(
        enterprise=enterprise,
        kind="halal",
        number="ID-HALAL-77",
        expires_on=datetime.date(2029, 5, 1),
    )
    photo = add_photo(centre)

    response = api_client.get(reverse("catalogue-detail", kwargs={"pk": centre.pk}))

    item = response.json()
    assert response.status_code == 200
    assert item["id"] == centre.pk
    assert (item["commodity"], item["commodity_name"]) == ("kain-batik", "Kain batik")
    assert (item["regency"], item["regency_name"]) == ("63.03", "Kabupaten Banjar")
    assert (item["province"], item["province_name"]) == ("63", "Kalimantan Selatan")
    assert (item["stars"], item["star_scale"], item["rated_year"]) == (5, 5, 2025)
    assert item["story"] == "Kain dicelup pewarna alam."
    assert item["story_en"] == "Cloth dyed with tree bark."
    assert (item["latitude"], item["longitude"]) == ("-3.430000", "114.850000")
    assert item["certificates"] == [{"kind": "halal", "expires_on": "2029-05-01"}]
    photo_path = reverse("catalogue:photo", kwargs={"pk": photo.pk})
    assert item["photos"] == [f"http://testserver{photo_path}"]
    assert item["order_links"] == ["https://www.tokopedia.com/sasirangan"]
    assert item["contact"] == {
        "whatsapp": "0812 5000 1234",
        "phone": "0511 477 1234",
        "email": "a@b.id",
    }
    slug = "sentra-sasirangan-martapura"
    page = reverse("catalogue:detail", kwargs={"lang": "id", "pk": centre.pk, "slug": slug})
    assert item["url"] == f"http://testserver{page}"
    text = response.content.decode()
    for private in ("Hajjah Aminah", "9120007654321", "ID-HALAL-77"):
        assert private not in text


def test_contacts_are_null_unless_the_enterprise_agreed(api_client, products):
    item = api_client.get(reverse("catalogue-detail", kwargs={"pk": products["amplang"].pk}))

    assert item.json()["contact"] is None
    assert "0813 1111 2222" not in item.content.decode()


def test_answers_in_english_when_asked(api_client, products, settings):
    settings.OVOP_BASE_URL = "https://ovop.example.go.id"

    response = api_client.get(
        reverse("catalogue-detail", kwargs={"pk": products["batik"].pk}),
        HTTP_ACCEPT_LANGUAGE="en",
    )

    item = response.json()
    assert item["commodity_name"] == "Batik fabric"
    assert item["url"] == (
        f"https://ovop.example.go.id/catalogue/en/{products['batik'].pk}-sentra-sasirangan-martapura/"
    )


def test_detail_of_a_centre_that_is_not_public_is_not_found(api_client, products):
    response = api_client.get(reverse("catalogue-detail", kwargs={"pk": products["draft"].pk}))

    assert response.status_code == 404


def test_list_filters_by_commodity_region_and_stars(api_client, products):
    assert names(api_list(api_client, commodity="makanan-minuman")) == ["Sentra Amplang Kotabaru"]
    assert names(api_list(api_client, province="63")) == [
        "Sentra Sasirangan Martapura",
        "Sentra Amplang Kotabaru",
    ]
    assert names(api_list(api_client, province="64")) == []
    assert names(api_list(api_client, regency="63.02")) == ["Sentra Amplang Kotabaru"]
    assert names(api_list(api_client, stars="5")) == ["Sentra Sasirangan Martapura"]
    assert names(api_list(api_client, min_stars="3")) == [
        "Sentra Sasirangan Martapura",
        "Sentra Amplang Kotabaru",
    ]


def test_list_searches_name_product_and_both_stories(api_client, products):
    assert names(api_list(api_client, search="kotabaru")) == ["Sentra Amplang Kotabaru"]
    assert names(api_list(api_client, search="amplang ikan")) == ["Sentra Amplang Kotabaru"]
    assert names(api_list(api_client, search="pewarna")) == ["Sentra Sasirangan Martapura"]
    assert names(api_list(api_client, search="tree bark")) == ["Sentra Sasirangan Martapura"]
    assert names(api_list(api_client, search="Sentra Draf")) == []


def test_a_star_filter_that_is_not_a_star_count_is_refused(api_client, products):
    response = api_list(api_client, stars="six")

    assert response.status_code == 400
    assert list(response.json()) == ["stars"]
    assert api_list(api_client, min_stars="9").status_code == 400


def test_list_query_count_is_the_same_for_one_and_many_centres(
    api_client, media, django_assert_max_num_queries
):
    public_centre(name="Sentra Satu", entry={"story": "Cerita"})
    with django_assert_max_num_queries(4):
        assert api_list(api_client).json()["count"] == 1

    for number in range(30):
        centre = public_centre(name=f"Sentra Banyak {number:02d}", entry={"story": "Cerita"})
        CertificateFactory(enterprise=EnterpriseFactory(centre=centre))
        add_photo(centre)
    with django_assert_max_num_queries(4):
        assert len(api_list(api_client, page_size="500").json()["results"]) == 31


def test_schema_documents_the_public_catalogue(api_client):
    response = api_client.get(reverse("api-schema"), {"format": "json"})

    schema = response.json()
    listing = schema["paths"]["/api/v1/catalogue/"]["get"]
    assert {p["name"] for p in listing["parameters"]} >= {
        "commodity",
        "province",
        "regency",
        "stars",
        "min_stars",
        "search",
        "page",
    }
    # No credentials asked for: the operation names no security scheme but the empty one.
    assert listing.get("security", [{}]) in ([{}], [])
