import pytest
from django.core import mail

from ovop.evaluation.services.decisions import fill_pending, publish_cycle, set_decision
from ovop.evaluation.services.rubric import bands_of
from ovop.notifications.models import Notification
from tests.evaluation.helpers import assigned_world, levels, submit_directly


@pytest.mark.django_db(transaction=False)
def test_publishing_tells_the_regency_and_the_province_their_results(
    world, django_capture_on_commit_callbacks
):
    setup = assigned_world(world)
    submit_directly(setup["assignment"], levels(5))
    fill_pending(cycle=world["cycle"], actor=world["admin"])
    with django_capture_on_commit_callbacks(execute=True):
        publish_cycle(cycle=world["cycle"], actor=world["admin"])
    operator_note = Notification.objects.get(recipient=world["operator"], kind="decided")
    assert "Sentra Banjar" in operator_note.body
    assert "5" in operator_note.body
    assert Notification.objects.filter(recipient=world["verifier"], kind="decided").exists()
    # The neighbouring regency and the other province hear nothing about Banjar.
    assert not Notification.objects.filter(recipient=world["operator_neighbour"]).exists()
    assert not Notification.objects.filter(recipient=world["verifier_other"]).exists()
    assert any("Sentra Banjar" in message.body for message in mail.outbox)


@pytest.mark.django_db
def test_cycle_star_scale_change_resets_bands_until_decisions_exist(client, world):
    client.force_login(world["admin"])
    cycle = world["cycle"]
    data = {
        "year": cycle.year,
        "name": cycle.name,
        "star_scale": 3,
        "status": cycle.status,
        "checklist-TOTAL_FORMS": 0,
        "checklist-INITIAL_FORMS": 0,
    }
    response = client.post(f"/proposals/cycles/{cycle.pk}/", data)
    assert response.status_code == 302
    assert [stars for stars, _low in bands_of(cycle)] == [3, 2, 1]
    setup = assigned_world(world)
    submit_directly(setup["assignment"], levels(5))
    set_decision(proposal=setup["proposal"], actor=world["admin"], stars=3)
    response = client.post(f"/proposals/cycles/{cycle.pk}/", {**data, "star_scale": 5})
    assert response.status_code == 200
    assert "star_scale" in response.context["form"].errors
    cycle.refresh_from_db()
    assert cycle.star_scale == 3
