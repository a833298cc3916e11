import pytest

from ovop.regions.models import Region

KALSEL = {
    "63.01": "Kabupaten Tanah Laut",
    "63.02": "Kabupaten Kotabaru",
    "63.03": "Kabupaten Banjar",
    "63.04": "Kabupaten Barito Kuala",
    "63.05": "Kabupaten Tapin",
    "63.06": "Kabupaten Hulu Sungai Selatan",
    "63.07": "Kabupaten Hulu Sungai Tengah",
    "63.08": "Kabupaten Hulu Sungai Utara",
    "63.09": "Kabupaten Tabalong",
    "63.10": "Kabupaten Tanah Bumbu",
    "63.11": "Kabupaten Balangan",
    "63.71": "Kota Banjarmasin",
    "63.72": "Kota Banjarbaru",
}


@pytest.fixture
def signed_in(api_client, operator):
    api_client.force_authenticate(operator)
    return api_client


def test_regions_of_kalimantan_selatan_are_its_13_regencies(signed_in):
    response = signed_in.get("/api/v1/regions/", {"parent": "63"})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 13
    assert {row["code"]: row["name"] for row in body["results"]} == KALSEL
    assert all(row["level"] == "regency" and row["parent"] == "63" for row in body["results"])


@pytest.mark.parametrize(
    ("code", "level", "parent"),
    [
        ("63", "province", None),
        ("63.03", "regency", "63"),
        ("63.03.01", "district", "63.03"),
        ("63.03.01.2001", "village", "63.03.01"),
    ],
)
def test_region_detail_every_level(signed_in, code, level, parent):
    response = signed_in.get(f"/api/v1/regions/{code}/")
    assert response.status_code == 200
    assert response.json() == {
        "code": code,
        "name": Region.objects.get(code=code).name,
        "level": level,
        "parent": parent,
    }


def test_region_list_filters_by_level(signed_in):
    response = signed_in.get("/api/v1/regions/", {"level": "province", "page_size": 100})
    assert response.json()["count"] == 38


def test_region_list_searches_by_name_and_code(signed_in):
    by_name = signed_in.get("/api/v1/regions/", {"search": "banjarbaru", "level": "regency"})
    assert [row["code"] for row in by_name.json()["results"]] == ["63.72"]
    by_code = signed_in.get("/api/v1/regions/", {"search": "63.03.0", "level": "district"})
    assert by_code.json()["count"] > 0
    assert all(row["code"].startswith("63.03.0") for row in by_code.json()["results"])


def test_region_list_page_size_is_capped_at_500(signed_in):
    response = signed_in.get("/api/v1/regions/", {"page_size": 10000, "level": "regency"})
    assert len(response.json()["results"]) == 500
    assert response.json()["next"] is not None


def test_unknown_region_is_json_404(signed_in):
    response = signed_in.get("/api/v1/regions/99.99/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert "detail" in response.json()


def test_unknown_level_is_400_naming_the_choices(signed_in):
    response = signed_in.get("/api/v1/regions/", {"level": "kecamatan"})
    assert response.status_code == 400
    assert "province" in response.json()["level"][0]


def test_regions_without_credentials_is_401(api_client, db):
    response = api_client.get("/api/v1/regions/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Token")


def test_errors_are_indonesian_by_default_and_english_on_request(api_client, db):
    indonesian = api_client.get("/api/v1/regions/")
    english = api_client.get("/api/v1/regions/", HTTP_ACCEPT_LANGUAGE="en")
    assert english.json()["detail"] == "Authentication credentials were not provided."
    assert indonesian.json()["detail"] != english.json()["detail"]
    assert indonesian["Content-Language"] == "id"


def test_region_list_query_count_is_constant(signed_in, django_assert_max_num_queries):
    # Session auth is forced, so the count is the page plus the total.
    with django_assert_max_num_queries(2):
        one = signed_in.get("/api/v1/regions/", {"search": "Banjarbaru", "level": "regency"})
    with django_assert_max_num_queries(2):
        many = signed_in.get("/api/v1/regions/", {"level": "village", "page_size": 500})
    assert len(one.json()["results"]) == 1
    assert len(many.json()["results"]) == 500
