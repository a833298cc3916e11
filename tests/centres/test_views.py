from django.urls import reverse

from ovop.centres.models import Centre, CommodityGroup, Enterprise
from tests.factories import CentreFactory, CertificateFactory, EnterpriseFactory


def form_data(**overrides) -> dict:
    data = {
        "name": "Sentra Intan Martapura",
        "commodity": "",
        "main_product": "Perhiasan batu",
        "kbli": "32111",
        "region_code": "63.03.01",
        "unit_count": "8",
        "workers_male": "20",
        "workers_female": "5",
        "market_reach": "export",
        "capacity_period": "",
        "production_value": "",
        "investment_value": "",
    }
    data.update(overrides)
    return data


def commodity_pk(code: str = "makanan-minuman") -> int:
    return CommodityGroup.objects.get(code=code).pk


def test_operator_creates_a_centre_on_screen(client, operator):
    client.force_login(operator)
    response = client.post(reverse("centres:create"), form_data(commodity=commodity_pk()))
    centre = Centre.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("centres:detail", kwargs={"pk": centre.pk})
    assert centre.regency_id == "63.03"


def test_create_outside_the_regency_shows_the_reason_and_saves_nothing(client, operator):
    client.force_login(operator)
    response = client.post(
        reverse("centres:create"), form_data(commodity=commodity_pk(), region_code="63.05.01")
    )
    assert response.status_code == 200
    assert "Kabupaten Banjar" in " ".join(response.context["form"].errors["region_code"])
    assert not Centre.objects.exists()


def test_create_with_unknown_region_and_too_few_units(client, operator):
    client.force_login(operator)
    response = client.post(
        reverse("centres:create"),
        form_data(commodity=commodity_pk(), region_code="63.99.99", unit_count="3"),
    )
    errors = response.context["form"].errors
    assert "region_code" in errors
    assert "unit_count" in errors
    assert not Centre.objects.exists()


def test_operator_edits_own_centre_and_history_shows_it(client, operator):
    centre = CentreFactory()
    client.force_login(operator)
    data = form_data(commodity=centre.commodity_id, name=centre.name, unit_count="30")
    assert client.post(reverse("centres:edit", kwargs={"pk": centre.pk}), data).status_code == 302
    detail = client.get(reverse("centres:detail", kwargs={"pk": centre.pk}))
    changes = detail.context["history"][0].changes
    assert any(c.old == 12 and c.new == 30 for c in changes)


def test_neighbour_cannot_post_to_a_banjar_centre(client, operator_neighbour):
    centre = CentreFactory()
    client.force_login(operator_neighbour)
    url = reverse("centres:edit", kwargs={"pk": centre.pk})
    assert client.post(url, form_data(commodity=centre.commodity_id)).status_code == 404
    assert client.post(reverse("centres:delete", kwargs={"pk": centre.pk})).status_code == 404
    assert Centre.objects.filter(pk=centre.pk).exists()


def test_delete_by_post(client, operator):
    centre = CentreFactory()
    client.force_login(operator)
    response = client.post(reverse("centres:delete", kwargs={"pk": centre.pk}))
    assert response.status_code == 302
    assert not Centre.objects.exists()


def test_enterprise_with_a_halal_certificate_on_screen(client, operator):
    centre = CentreFactory()
    client.force_login(operator)
    data = {
        "name": "UD Intan Permata",
        "owner": "H. Rahman",
        "nib": "9120009876543",
        "kbli": "",
        "worker_count": "6",
        "investment_value": "250000000",
        "sales_channels": ["direct"],
        "certificates-TOTAL_FORMS": "2",
        "certificates-INITIAL_FORMS": "0",
        "certificates-0-kind": "halal",
        "certificates-0-number": "ID63110000123",
        "certificates-0-issued_on": "2024-05-21",
        "certificates-0-expires_on": "2028-05-21",
    }
    response = client.post(
        reverse("centres:enterprise_create", kwargs={"centre_pk": centre.pk}), data
    )
    assert response.status_code == 302
    enterprise = Enterprise.objects.get()
    assert enterprise.size_class == "small"
    assert enterprise.certificates.get().number == "ID63110000123"
    detail = client.get(reverse("centres:detail", kwargs={"pk": centre.pk})).content.decode()
    assert "UD Intan Permata" in detail
    assert "21 Mei 2028" in detail


def test_certificate_without_number_is_explained(client, operator):
    centre = CentreFactory()
    client.force_login(operator)
    data = {
        "name": "UD A",
        "owner": "B",
        "worker_count": "1",
        "certificates-TOTAL_FORMS": "1",
        "certificates-INITIAL_FORMS": "0",
        "certificates-0-kind": "halal",
    }
    response = client.post(
        reverse("centres:enterprise_create", kwargs={"centre_pk": centre.pk}), data
    )
    assert response.status_code == 200
    assert "number" in response.context["formset"].forms[0].errors
    assert not Enterprise.objects.exists()


def test_list_filters(client, operator):
    halal = CertificateFactory(enterprise__centre__name="Sentra Bingka").enterprise.centre
    CentreFactory(name="Sentra Gerabah", market_reach="local")
    client.force_login(operator)
    url = reverse("centres:list")
    assert [c.name for c in client.get(url, {"certificate": "halal"}).context["page"]] == [
        halal.name
    ]
    assert [c.name for c in client.get(url, {"market_reach": "local"}).context["page"]] == [
        "Sentra Gerabah"
    ]
    assert [c.name for c in client.get(url, {"q": "bingka"}).context["page"]] == [halal.name]


def test_list_shows_only_the_users_regency(client, operator):
    CentreFactory(name="Sentra Banjar")
    CentreFactory(name="Sentra Tapin", region_id="63.05.01")
    client.force_login(operator)
    names = [c.name for c in client.get(reverse("centres:list")).context["page"]]
    assert names == ["Sentra Banjar"]


def test_list_query_count_is_constant(client, admin_user, django_assert_max_num_queries):
    client.force_login(admin_user)
    CentreFactory()
    with django_assert_max_num_queries(9):
        client.get(reverse("centres:list"))
    EnterpriseFactory.create_batch(3, centre=CentreFactory())
    CentreFactory.create_batch(60)
    with django_assert_max_num_queries(9):
        response = client.get(reverse("centres:list"))
    assert len(response.context["page"]) == 50


def test_map_data_is_geojson_of_visible_centres(client, operator):
    CentreFactory(name="Sentra Banjar")
    CentreFactory(name="Sentra Tapin", region_id="63.05.01")
    CentreFactory(name="Tanpa koordinat", latitude=None, longitude=None)
    client.force_login(operator)
    data = client.get(reverse("centres:map_data")).json()
    assert [f["properties"]["name"] for f in data["features"]] == ["Sentra Banjar"]
    assert data["features"][0]["geometry"]["coordinates"] == [114.85, -3.43]
    page = client.get(reverse("centres:map")).content.decode()
    assert "Tanpa koordinat" in page  # listed even without a marker


def test_map_data_query_count_is_constant(client, admin_user, django_assert_max_num_queries):
    client.force_login(admin_user)
    with django_assert_max_num_queries(3):
        client.get(reverse("centres:map_data"))
    CentreFactory.create_batch(30)
    with django_assert_max_num_queries(3):
        assert len(client.get(reverse("centres:map_data")).json()["features"]) == 30


def test_admin_adds_a_commodity_group_operators_can_then_choose(client, admin_user, operator):
    client.force_login(admin_user)
    response = client.post(
        reverse("centres:commodity_create"),
        {
            "code": "logam",
            "name": "Kerajinan logam",
            "name_en": "Metal crafts",
            "position": "9",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    client.force_login(operator)
    form = client.get(reverse("centres:create")).context["form"]
    assert "logam" in [group.code for group in form.fields["commodity"].queryset]


def test_inactive_commodity_group_cannot_be_chosen(client, operator):
    CommodityGroup.objects.filter(code="gerabah").update(is_active=False)
    client.force_login(operator)
    response = client.post(reverse("centres:create"), form_data(commodity=commodity_pk("gerabah")))
    assert "commodity" in response.context["form"].errors
    assert not Centre.objects.exists()


def test_duplicate_commodity_code_is_explained(client, admin_user):
    client.force_login(admin_user)
    response = client.post(
        reverse("centres:commodity_create"),
        {"code": "anyaman", "name": "Anyaman 2", "name_en": "X", "position": "1"},
    )
    assert "code" in response.context["form"].errors
