import pytest

from ovop.centres.models import Centre, Enterprise
from tests.factories import CentreFactory, EnterpriseFactory


@pytest.fixture
def as_operator(api_client, operator):
    api_client.force_authenticate(operator)
    return api_client


def new_centre(**overrides) -> dict:
    body = {
        "name": "Sentra Anyaman Purun",
        "region": "63.03.01.2001",
        "commodity": "anyaman",
        "main_product": "Tas purun",
        "kbli": "16292",
        "unit_count": 9,
        "workers_female": 30,
        "market_reach": "national",
        "latitude": "-3.41",
        "longitude": "114.85",
    }
    body.update(overrides)
    return body


def test_operator_creates_a_centre_in_their_regency(as_operator):
    response = as_operator.post("/api/v1/centres/", new_centre(), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["regency"], body["region"], body["worker_count"]) == ("63.03", "63.03.01.2001", 30)


def test_creating_in_another_regency_is_400_with_a_reason(as_operator):
    response = as_operator.post(
        "/api/v1/centres/",
        new_centre(region="63.05.01"),
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "Kabupaten Banjar" in response.json()["region"][0]
    assert not Centre.objects.exists()


def test_centre_of_another_regency_is_404_for_read_update_delete(as_operator):
    tapin = CentreFactory(region_id="63.05.01")
    url = f"/api/v1/centres/{tapin.pk}/"
    assert as_operator.get(url).status_code == 404
    assert as_operator.patch(url, {"name": "X"}, format="json").status_code == 404
    assert as_operator.delete(url).status_code == 404
    assert Centre.objects.filter(pk=tapin.pk, name=tapin.name).exists()


def test_verifier_reads_but_may_not_change(api_client, verifier):
    centre = CentreFactory()
    api_client.force_authenticate(verifier)
    assert api_client.get(f"/api/v1/centres/{centre.pk}/").status_code == 200
    assert (
        api_client.patch(f"/api/v1/centres/{centre.pk}/", {"name": "X"}, format="json").status_code
        == 403
    )
    assert api_client.post("/api/v1/centres/", new_centre(), format="json").status_code == 403


def test_operator_updates_and_deletes_own_centre(as_operator):
    centre = CentreFactory()
    response = as_operator.patch(f"/api/v1/centres/{centre.pk}/", {"unit_count": 15}, format="json")
    assert response.status_code == 200
    assert response.json()["unit_count"] == 15
    assert as_operator.delete(f"/api/v1/centres/{centre.pk}/").status_code == 204


def test_enterprise_with_certificates(as_operator):
    centre = CentreFactory()
    response = as_operator.post(
        "/api/v1/enterprises/",
        {
            "centre": centre.pk,
            "name": "UD Purun Jaya",
            "owner": "Siti",
            "nib": "9120001234567",
            "worker_count": 12,
            "investment_value": 90_000_000,
            "certificates": [{"kind": "halal", "number": "ID63", "issued_on": "2024-05-21"}],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["size_class"] == "small"
    assert body["certificates"][0]["kind"] == "halal"
    listed = as_operator.get("/api/v1/enterprises/", {"centre": centre.pk}).json()
    assert [row["name"] for row in listed["results"]] == ["UD Purun Jaya"]


def test_enterprise_in_a_centre_of_another_regency_is_refused(as_operator):
    tapin = CentreFactory(region_id="63.05.01")
    response = as_operator.post(
        "/api/v1/enterprises/", {"centre": tapin.pk, "name": "X", "owner": "Y"}, format="json"
    )
    assert response.status_code == 400
    assert "centre" in response.json()
    assert not Enterprise.objects.exists()


def test_enterprise_of_another_regency_is_404(as_operator):
    other = EnterpriseFactory(centre=CentreFactory(region_id="63.05.01"))
    assert as_operator.get(f"/api/v1/enterprises/{other.pk}/").status_code == 404


def test_centre_list_queries_do_not_grow_with_rows(as_operator, django_assert_max_num_queries):
    CentreFactory()
    with django_assert_max_num_queries(3):
        one = as_operator.get("/api/v1/centres/")
    CentreFactory.create_batch(60)
    with django_assert_max_num_queries(3):
        many = as_operator.get("/api/v1/centres/", {"page_size": 500})
    assert one.json()["count"] == 1
    assert len(many.json()["results"]) == 61


def test_enterprise_list_queries_do_not_grow_with_rows(as_operator, django_assert_max_num_queries):
    EnterpriseFactory()
    with django_assert_max_num_queries(4):
        as_operator.get("/api/v1/enterprises/")
    EnterpriseFactory.create_batch(30)
    with django_assert_max_num_queries(4):
        response = as_operator.get("/api/v1/enterprises/", {"page_size": 500})
    assert response.json()["count"] == 31
