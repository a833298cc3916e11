"""ovop.coaching.services.bimtek, called directly: who organises an event for which province,
who may attend it from where, and which operator accounts an attendee may be linked to."""

import datetime
import inspect

import pytest
from django.core.exceptions import ValidationError

from ovop.accounts.enums import Role
from ovop.coaching.models import BimtekAttendance, BimtekEvent
from ovop.coaching.services.bimtek import (
    add_attendee,
    operators_for,
    regencies_for,
    remove_attendee,
    save_bimtek,
)
from ovop.regions.models import Region
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

HELD_ON = datetime.date(2026, 3, 10)


def unsaved(province="63", **fields) -> BimtekEvent:
    values = {"title": "Bimtek penyusunan usulan", "held_on": HELD_ON, "province_id": province}
    values.update(fields)
    return BimtekEvent(**values)


def stored(*, by, province="63") -> BimtekEvent:
    return BimtekEvent.objects.create(
        title="Bimtek penyusunan usulan", held_on=HELD_ON, province_id=province, created_by=by
    )


def region(code: str) -> Region:
    return Region.objects.get(code=code)


def test_services_take_keyword_arguments_only():
    for function in (save_bimtek, add_attendee, remove_attendee):
        kinds = {p.kind for p in inspect.signature(function).parameters.values()}
        assert kinds == {inspect.Parameter.KEYWORD_ONLY}, function.__name__


# --- save_bimtek ---------------------------------------------------------------------------


@pytest.mark.parametrize("submitted", ["64", None, "63"])
def test_save_bimtek_a_verifiers_event_is_for_their_own_province(verifier, submitted):
    event = save_bimtek(actor=verifier, event=unsaved(province=submitted))
    saved = BimtekEvent.objects.get(pk=event.pk)
    assert (saved.province_id, saved.created_by) == ("63", verifier)
    [created] = saved.history.all()
    assert (created.history_type, created.province_id) == ("+", "63")


@pytest.mark.parametrize("province", [None, "63", "64"])
def test_save_bimtek_the_ministry_organises_nationally_or_for_a_province(admin_user, province):
    event = save_bimtek(actor=admin_user, event=unsaved(province=province))
    saved = BimtekEvent.objects.get(pk=event.pk)
    assert (saved.province_id, saved.created_by) == (province, admin_user)


def test_save_bimtek_the_ministry_may_not_name_a_kab_kota(admin_user):
    with pytest.raises(ValidationError) as caught:
        save_bimtek(actor=admin_user, event=unsaved(province="63.03"))
    assert caught.value.message_dict == {
        "province": ["Choose a province, or none for a national event."]
    }
    assert not BimtekEvent.objects.exists()


@pytest.mark.parametrize("persona", ["operator", "assessor", "viewer"])
def test_save_bimtek_refuses_who_does_not_organise_bimtek(personas, persona):
    with pytest.raises(ValidationError) as caught:
        save_bimtek(actor=personas[persona], event=unsaved())
    assert caught.value.messages == ["Only the ministry and provincial verifiers organise Bimtek."]
    assert not BimtekEvent.objects.exists()


def test_save_bimtek_edit_keeps_the_creator(admin_user, verifier):
    event = stored(by=admin_user)
    event.title = "Bimtek ulang"
    save_bimtek(actor=verifier, event=event)
    saved = BimtekEvent.objects.get(pk=event.pk)
    assert (saved.title, saved.created_by) == ("Bimtek ulang", admin_user)
    assert saved.history.first().history_type == "~"
    assert BimtekEvent.objects.count() == 1


def test_save_bimtek_a_verifier_editing_a_national_event_with_strangers_is_refused(
    admin_user, verifier
):
    event = stored(by=admin_user, province=None)
    BimtekAttendance.objects.create(event=event, name="Budi", regency_id="64.01")
    event.title = "Diubah"
    with pytest.raises(ValidationError) as caught:
        save_bimtek(actor=verifier, event=event)
    assert caught.value.message_dict == {
        "province": ["Some attendees come from another province; remove them first."]
    }
    saved = BimtekEvent.objects.get(pk=event.pk)
    assert (saved.province_id, saved.title) == (None, "Bimtek penyusunan usulan")


def test_save_bimtek_a_province_event_may_become_national_with_its_attendees(admin_user):
    event = stored(by=admin_user)
    BimtekAttendance.objects.create(event=event, name="Budi", regency_id="63.03")
    event.province_id = None
    save_bimtek(actor=admin_user, event=event)
    assert BimtekEvent.objects.get(pk=event.pk).province_id is None
    assert event.attendees.count() == 1


def test_save_bimtek_keeps_the_province_when_every_attendee_is_from_it(admin_user):
    event = stored(by=admin_user)
    BimtekAttendance.objects.create(event=event, name="Budi", regency_id="63.03")
    event.place = "Banjarbaru"
    save_bimtek(actor=admin_user, event=event)
    assert BimtekEvent.objects.get(pk=event.pk).place == "Banjarbaru"


def test_save_bimtek_runs_the_model_validation(verifier):
    with pytest.raises(ValidationError) as caught:
        save_bimtek(actor=verifier, event=unsaved(title="", held_on=None))
    errors = caught.value.message_dict
    assert {"title", "held_on"} <= set(errors)
    assert "created_by" not in errors
    assert not BimtekEvent.objects.exists()


# --- regencies_for and operators_for --------------------------------------------------------


def test_regencies_for_a_province_event_are_its_kab_kota_in_code_order(admin_user):
    regencies = list(regencies_for(stored(by=admin_user, province="63")))
    codes = [r.code for r in regencies]
    assert codes == sorted(codes)
    assert {"63.03", "63.04", "63.05"} <= set(codes)
    assert {r.parent_id for r in regencies} == {"63"}
    assert {r.level for r in regencies} == {"regency"}


def test_regencies_for_a_national_event_are_every_kab_kota(admin_user):
    regencies = regencies_for(stored(by=admin_user, province=None))
    assert regencies.count() == Region.objects.filter(level="regency").count()
    assert {"63.03", "64.01"} <= set(regencies.values_list("code", flat=True))
    assert not regencies.exclude(level="regency").exists()


def test_operators_for_are_the_active_operators_of_the_province_in_order(personas):
    event = stored(by=personas["admin"], province="63")
    tapin = UserFactory(username="op-tapin", role=Role.OPERATOR, region_id="63.05")
    UserFactory(username="op-gone", role=Role.OPERATOR, region_id="63.05", is_active=False)
    UserFactory(username="op-kaltim", role=Role.OPERATOR, region_id="64.01")
    second = UserFactory(username="a-banjar", role=Role.OPERATOR, region_id="63.03")
    assert list(operators_for(event)) == [
        second,
        personas["operator"],
        personas["operator_neighbour"],
        tapin,
    ]


def test_operators_for_a_national_event_are_every_active_operator(personas):
    event = stored(by=personas["admin"], province=None)
    kaltim = UserFactory(username="op-kaltim", role=Role.OPERATOR, region_id="64.01")
    UserFactory(username="op-gone", role=Role.OPERATOR, region_id="64.01", is_active=False)
    assert list(operators_for(event)) == [
        personas["operator"],
        personas["operator_neighbour"],
        kaltim,
    ]


# --- add_attendee and remove_attendee --------------------------------------------------------


def test_add_attendee_records_the_official_trimmed_and_linked(admin_user, operator):
    event = stored(by=admin_user)
    attendance = add_attendee(
        actor=admin_user,
        event=event,
        name="  Rahmadi ",
        regency=region("63.03"),
        position=" Kabid Perindustrian ",
        user=operator,
    )
    saved = BimtekAttendance.objects.get(pk=attendance.pk)
    assert (saved.event, saved.name, saved.position) == (event, "Rahmadi", "Kabid Perindustrian")
    assert (saved.regency_id, saved.user) == ("63.03", operator)


def test_add_attendee_without_position_or_account(admin_user):
    event = stored(by=admin_user)
    attendance = add_attendee(actor=admin_user, event=event, name="Budi", regency=region("63.05"))
    saved = BimtekAttendance.objects.get(pk=attendance.pk)
    assert (saved.position, saved.user) == ("", None)


@pytest.mark.parametrize("code", ["63", "63.03.01"])
def test_add_attendee_refuses_a_region_that_is_not_a_kab_kota(admin_user, code):
    for province in ("63", None):
        event = stored(by=admin_user, province=province)
        with pytest.raises(ValidationError) as caught:
            add_attendee(actor=admin_user, event=event, name="Budi", regency=region(code))
        assert caught.value.message_dict == {
            "regency": ["Choose a regency/city of the event's province."]
        }
    assert not BimtekAttendance.objects.exists()


@pytest.mark.parametrize(
    "linked",
    ["operator_neighbour", "verifier", "admin"],  # another kab/kota's operator; not operators
)
def test_add_attendee_links_only_an_operator_of_that_kab_kota(personas, linked):
    event = stored(by=personas["admin"])
    with pytest.raises(ValidationError) as caught:
        add_attendee(
            actor=personas["admin"],
            event=event,
            name="Budi",
            regency=region("63.03"),
            user=personas[linked],
        )
    assert list(caught.value.message_dict) == ["user"]
    assert caught.value.message_dict["user"][0].startswith("Link an operator account of ")
    assert not BimtekAttendance.objects.exists()


def test_add_attendee_runs_the_model_validation(admin_user):
    event = stored(by=admin_user)
    with pytest.raises(ValidationError) as caught:
        add_attendee(actor=admin_user, event=event, name="   ", regency=region("63.03"))
    assert list(caught.value.message_dict) == ["name"]
    assert not BimtekAttendance.objects.exists()


def test_remove_attendee_deletes_only_that_row(admin_user, verifier):
    event = stored(by=admin_user)
    gone = BimtekAttendance.objects.create(event=event, name="Budi", regency_id="63.03")
    kept = BimtekAttendance.objects.create(event=event, name="Sari", regency_id="63.05")
    remove_attendee(actor=verifier, attendance=gone)
    assert list(event.attendees.all()) == [kept]
    assert BimtekEvent.objects.filter(pk=event.pk).exists()
