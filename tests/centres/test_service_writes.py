"""Writes that moved from the API and the screens into ``ovop.centres.services.centres``: an IKM
unit moved to another centre through the API, and the administrators' commodity groups."""

from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation

from ovop.centres.models import CommodityGroup
from tests.factories import CentreFactory, CertificateFactory, EnterpriseFactory


def test_the_api_moves_a_unit_to_another_centre_with_its_history(api_client, operator):
    enterprise = EnterpriseFactory(worker_count=8)
    CertificateFactory(enterprise=enterprise)
    other = CentreFactory(region_id="63.03.02")
    api_client.force_authenticate(operator)

    response = api_client.patch(
        f"/api/v1/enterprises/{enterprise.pk}/",
        {"centre": other.pk, "worker_count": 9},
        format="json",
    )

    assert response.status_code == 200, response.json()
    assert (response.json()["centre"], response.json()["worker_count"]) == (other.pk, 9)
    enterprise.refresh_from_db()
    assert (enterprise.centre, enterprise.worker_count) == (other, 9)
    assert enterprise.certificates.count() == 1
    # The edit, then the move: two entries, both given the API's reason.
    entries = list(enterprise.history.all()[:2])
    assert [(e.centre_id, e.worker_count, e.history_change_reason) for e in entries] == [
        (other.pk, 9, "API"),
        (enterprise.history.last().centre_id, 9, "API"),
    ]


def test_the_api_refuses_to_move_a_unit_into_another_regency(api_client, operator):
    enterprise = EnterpriseFactory()
    tapin = CentreFactory(region_id="63.05.01")
    api_client.force_authenticate(operator)

    response = api_client.patch(
        f"/api/v1/enterprises/{enterprise.pk}/", {"centre": tapin.pk}, format="json"
    )

    assert response.status_code in (400, 403)
    enterprise.refresh_from_db()
    assert enterprise.centre_id != tapin.pk


def test_the_admin_renames_a_commodity_group_on_screen(client, admin_user):
    group = CommodityGroup.objects.get(code="gerabah")
    client.force_login(admin_user)

    response = client.post(
        reverse("centres:commodity_edit", kwargs={"pk": group.pk}),
        {"code": "gerabah", "name": "Gerabah & keramik", "name_en": "Pottery", "position": "4"},
    )

    assert response["Location"] == reverse("centres:commodity_list")
    with translation.override("id"):
        expected = translation.gettext("%(name)s saved.") % {"name": "Gerabah & keramik"}
    assert [str(m) for m in get_messages(response.wsgi_request)] == [expected]
    group.refresh_from_db()
    assert (group.name, group.name_en, group.is_active) == ("Gerabah & keramik", "Pottery", False)
