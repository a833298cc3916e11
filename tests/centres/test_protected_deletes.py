"""Deleting a centre or IKM unit that proposals still need: refused with the reason, not a 500.

Both routes (API and screen) for both roles that may delete (operator, admin): with
dependants 409 and nothing deleted; without, the delete still happens.
"""

import pytest
from django.urls import reverse

from ovop.centres.models import Centre, Certificate, Enterprise
from ovop.proposals.models import Proposal
from tests.factories import (
    CentreFactory,
    CertificateFactory,
    EnterpriseFactory,
    make_cycle,
    make_proposal,
    make_round,
)

DELETERS = ["operator", "admin_user"]


@pytest.fixture(params=DELETERS)
def deleter(request, db):
    return request.getfixturevalue(request.param)


def api_as(api_client, user):
    api_client.force_authenticate(user)
    return api_client


def screen_as(client, user):
    client.force_login(user)
    return client


def test_api_refuses_to_delete_a_proposed_centre_and_says_why(api_client, deleter):
    centre = CentreFactory()
    make_proposal(centre=centre, documents=False)
    response = api_as(api_client, deleter).delete(
        f"/api/v1/centres/{centre.pk}/", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 409
    detail = response.json()["detail"]
    assert "1 proposal is still linked to this sentra IKM." in detail
    assert "correct its details instead" in detail
    assert Centre.objects.filter(pk=centre.pk).exists()


def test_api_refusal_counts_the_proposals_in_indonesian_by_default(api_client, operator):
    centre = CentreFactory()
    EnterpriseFactory(centre=centre)
    make_proposal(centre=centre, documents=False)
    make_proposal(
        centre=centre,
        documents=False,
        round_=make_round(cycle=make_cycle(year=2027, name="OVOP 2027")),
    )
    response = api_as(api_client, operator).delete(f"/api/v1/centres/{centre.pk}/")
    assert response.status_code == 409
    assert "2 usulan masih terkait dengan sentra IKM ini." in response.json()["detail"]
    # Nothing of it went: the units inside stay with it.
    assert Enterprise.objects.filter(centre=centre).count() == 1
    assert Proposal.objects.filter(centre=centre).count() == 2


def test_api_still_deletes_a_centre_nobody_proposed(api_client, deleter):
    centre = CentreFactory()
    CertificateFactory(enterprise=EnterpriseFactory(centre=centre))
    response = api_as(api_client, deleter).delete(f"/api/v1/centres/{centre.pk}/")
    assert response.status_code == 204
    assert not Centre.objects.filter(pk=centre.pk).exists()
    assert not Certificate.objects.exists()


def test_screen_refuses_to_delete_a_proposed_centre_and_offers_editing(client, deleter):
    centre = CentreFactory()
    make_proposal(centre=centre, documents=False)
    url = reverse("centres:delete", kwargs={"pk": centre.pk})
    page = screen_as(client, deleter).post(url)
    assert page.status_code == 409
    text = page.content.decode()
    assert "tidak dapat dihapus" in text
    assert "1 usulan masih terkait dengan sentra IKM ini." in text
    assert reverse("centres:edit", kwargs={"pk": centre.pk}) in text
    assert Centre.objects.filter(pk=centre.pk).exists()


def test_screen_says_so_before_asking_to_confirm(client, operator):
    centre = CentreFactory()
    make_proposal(centre=centre, documents=False)
    page = screen_as(client, operator).get(reverse("centres:delete", kwargs={"pk": centre.pk}))
    assert page.status_code == 200
    text = page.content.decode()
    assert "1 usulan masih terkait dengan sentra IKM ini." in text
    assert "Usulan tidak pernah dihapus" in text
    assert "Ya, hapus" not in text


def test_screen_still_deletes_a_centre_nobody_proposed(client, deleter):
    centre = CentreFactory()
    url = reverse("centres:delete", kwargs={"pk": centre.pk})
    assert "Ya, hapus" in screen_as(client, deleter).get(url).content.decode()
    response = client.post(url)
    assert response.status_code == 302
    assert not Centre.objects.filter(pk=centre.pk).exists()


def _lead_of_a_proposal() -> Enterprise:
    enterprise = EnterpriseFactory()
    proposal = make_proposal(centre=enterprise.centre, documents=False)
    proposal.lead_enterprise = enterprise
    proposal.save(update_fields=["lead_enterprise"])
    return enterprise


def test_api_refuses_to_delete_a_proposal_lead_unit(api_client, deleter):
    enterprise = _lead_of_a_proposal()
    response = api_as(api_client, deleter).delete(
        f"/api/v1/enterprises/{enterprise.pk}/", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 409
    assert "1 proposal is still linked to this IKM unit." in response.json()["detail"]
    assert Enterprise.objects.filter(pk=enterprise.pk).exists()
    assert Proposal.objects.get().lead_enterprise_id == enterprise.pk


def test_screen_refuses_to_delete_a_proposal_lead_unit(client, deleter):
    enterprise = _lead_of_a_proposal()
    url = reverse("centres:enterprise_delete", kwargs={"pk": enterprise.pk})
    page = screen_as(client, deleter).post(url)
    assert page.status_code == 409
    text = page.content.decode()
    assert "1 usulan masih terkait dengan unit IKM ini." in text
    assert "pilih penghela lain" in text
    assert Proposal.objects.get().lead_enterprise_id == enterprise.pk


def test_a_unit_that_leads_no_proposal_is_still_deleted(api_client, client, deleter):
    centre = CentreFactory()
    make_proposal(centre=centre, documents=False)  # the centre is proposed, not by this lead
    by_api, on_screen = EnterpriseFactory(centre=centre), EnterpriseFactory(centre=centre)
    assert api_as(api_client, deleter).delete(f"/api/v1/enterprises/{by_api.pk}/").status_code == (
        204
    )
    url = reverse("centres:enterprise_delete", kwargs={"pk": on_screen.pk})
    assert screen_as(client, deleter).post(url).status_code == 302
    assert not Enterprise.objects.filter(centre=centre).exists()
