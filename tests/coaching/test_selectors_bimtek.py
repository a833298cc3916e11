"""Bimtek for officials: scoping, attendance by kab/kota, and how their proposals fared."""

import csv
import datetime
import io

import pytest
import python_calamine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from ovop.accounts.models import User
from ovop.coaching.models import BimtekAttendance, BimtekEvent
from ovop.coaching.selectors.bimtek import bimtek_afterwards
from ovop.coaching.services.bimtek import add_attendee, save_bimtek
from ovop.proposals.models import Transition
from ovop.regions.models import Region
from tests.factories import CentreFactory, UserFactory, make_cycle, make_proposal, make_round

HELD_ON = datetime.date(2026, 3, 10)


def local(*args) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(*args))


def make_event(
    *, province="63", title="Bimtek penyusunan usulan OVOP", held_on=HELD_ON, by=None, **extra
) -> BimtekEvent:
    creator = by or User.objects.get(username="persona-admin")
    return BimtekEvent.objects.create(
        title=title, province_id=province, held_on=held_on, created_by=creator, **extra
    )


def attend(event, regency: str, name: str = "Rahmadi", **extra) -> BimtekAttendance:
    return BimtekAttendance.objects.create(event=event, regency_id=regency, name=name, **extra)


def detail_url(event) -> str:
    return reverse("coaching:bimtek_detail", kwargs={"pk": event.pk})


def read_csv(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def read_xlsx(response) -> list[list]:
    content = b"".join(response.streaming_content)
    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(content))
    return book.get_sheet_by_index(0).to_python()


# --- scoping -------------------------------------------------------------------------------


def test_bimtek_list_shows_an_operator_their_province_and_national_events(client, personas):
    make_event(title="Bimtek Kalsel")
    make_event(province=None, title="Bimtek nasional")
    make_event(province="64", title="Bimtek Kaltim")
    client.force_login(personas["operator"])
    titles = [event.title for event in client.get(reverse("coaching:bimtek_list")).context["page"]]
    assert sorted(titles) == ["Bimtek Kalsel", "Bimtek nasional"]


def test_bimtek_list_is_empty_for_assessors(client, personas):
    make_event()
    client.force_login(personas["assessor"])
    assert client.get(reverse("coaching:bimtek_list")).context["page"].paginator.count == 0


def test_bimtek_detail_lets_the_operator_see_but_not_change(client, personas):
    event = make_event()
    client.force_login(personas["operator"])
    response = client.get(detail_url(event))
    assert response.status_code == 200
    assert response.context["can_change"] is False
    assert response.context["form"] is None
    edit = reverse("coaching:bimtek_edit", kwargs={"pk": event.pk})
    assert client.get(edit).status_code == 403
    assert client.post(edit, {"title": "Diubah", "held_on": "2026-03-10"}).status_code == 403
    add = reverse("coaching:bimtek_attendee_add", kwargs={"pk": event.pk})
    assert client.post(add, {"name": "X", "regency": "63.03"}).status_code == 403
    event.refresh_from_db()
    assert event.title == "Bimtek penyusunan usulan OVOP"
    assert not event.attendees.exists()


def test_bimtek_of_another_province_is_404_for_a_verifier(client, personas):
    event = make_event()
    attendance = attend(event, "63.03")
    client.force_login(personas["verifier_other"])
    assert client.get(detail_url(event)).status_code == 404
    assert client.get(detail_url(event) + "?format=csv").status_code == 404
    assert client.get(reverse("coaching:bimtek_edit", kwargs={"pk": event.pk})).status_code == 404
    add = reverse("coaching:bimtek_attendee_add", kwargs={"pk": event.pk})
    assert client.post(add, {"name": "X", "regency": "63.03"}).status_code == 404
    remove = reverse("coaching:bimtek_attendee_remove", kwargs={"pk": attendance.pk})
    assert client.post(remove).status_code == 404
    assert BimtekAttendance.objects.filter(pk=attendance.pk).exists()


def test_bimtek_create_is_403_for_operators(client, personas):
    client.force_login(personas["operator"])
    response = client.post(
        reverse("coaching:bimtek_create"), {"title": "Bimtek", "held_on": "2026-03-10"}
    )
    assert response.status_code == 403
    assert not BimtekEvent.objects.exists()


# --- creating and editing --------------------------------------------------------------------


def test_bimtek_create_by_a_verifier_is_for_their_own_province(client, personas):
    client.force_login(personas["verifier"])
    response = client.post(
        reverse("coaching:bimtek_create"),
        {
            "title": "Bimtek penyusunan usulan",
            "held_on": "2026-03-10",
            "place": "Banjarbaru",
            "topic": "Kriteria OVOP",
            "province": "64",
        },
    )
    event = BimtekEvent.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail_url(event)
    assert (event.province_id, event.created_by, event.place) == (
        "63",
        personas["verifier"],
        "Banjarbaru",
    )


def test_bimtek_create_by_the_admin_may_be_national_or_for_a_province(client, personas):
    client.force_login(personas["admin"])
    url = reverse("coaching:bimtek_create")
    client.post(url, {"title": "Nasional", "held_on": "2026-03-10", "province": ""})
    client.post(url, {"title": "Kaltim", "held_on": "2026-03-11", "province": "64"})
    assert dict(BimtekEvent.objects.values_list("title", "province_id")) == {
        "Nasional": None,
        "Kaltim": "64",
    }


def test_bimtek_create_shows_errors_and_saves_nothing(client, personas):
    client.force_login(personas["verifier"])
    response = client.post(reverse("coaching:bimtek_create"), {"title": "", "held_on": "x"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"title", "held_on"}
    assert not BimtekEvent.objects.exists()


def test_bimtek_edit_by_the_provinces_verifier(client, personas):
    event = make_event(by=personas["verifier"])
    client.force_login(personas["verifier"])
    response = client.post(
        reverse("coaching:bimtek_edit", kwargs={"pk": event.pk}),
        {"title": "Bimtek ulang", "held_on": "2026-04-01"},
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.title, event.held_on, event.province_id) == (
        "Bimtek ulang",
        datetime.date(2026, 4, 1),
        "63",
    )


def test_save_bimtek_refuses_to_move_an_event_away_from_its_attendees(personas):
    event = make_event()
    attend(event, "63.03")
    event.province_id = "64"
    with pytest.raises(ValidationError) as caught:
        save_bimtek(actor=personas["admin"], event=event)
    assert "province" in caught.value.message_dict
    assert BimtekEvent.objects.get(pk=event.pk).province_id == "63"


# --- attendees -------------------------------------------------------------------------------


def test_attendee_add_with_a_linked_operator(client, personas):
    event = make_event()
    client.force_login(personas["verifier"])
    response = client.post(
        reverse("coaching:bimtek_attendee_add", kwargs={"pk": event.pk}),
        {
            "name": "Rahmadi",
            "position": "Kabid Perindustrian",
            "regency": "63.03",
            "user": personas["operator"].pk,
        },
    )
    assert response.status_code == 302
    attendance = event.attendees.get()
    assert (attendance.name, attendance.regency_id, attendance.user) == (
        "Rahmadi",
        "63.03",
        personas["operator"],
    )


def test_attendee_add_refuses_a_regency_of_another_province(client, personas):
    event = make_event()
    client.force_login(personas["verifier"])
    response = client.post(
        reverse("coaching:bimtek_attendee_add", kwargs={"pk": event.pk}),
        {"name": "Budi", "regency": "64.01"},
    )
    assert response.status_code == 200
    assert "regency" in response.context["form"].errors
    assert not event.attendees.exists()


def test_attendee_add_refuses_an_operator_of_another_regency(client, personas):
    event = make_event()
    client.force_login(personas["verifier"])
    response = client.post(
        reverse("coaching:bimtek_attendee_add", kwargs={"pk": event.pk}),
        {
            "name": "Budi",
            "regency": "63.05",
            "user": personas["operator"].pk,
        },
    )
    assert "user" in response.context["form"].errors
    assert not event.attendees.exists()


def test_add_attendee_service_checks_the_province_too(personas):
    event = make_event()
    with pytest.raises(ValidationError):
        add_attendee(
            actor=personas["admin"],
            event=event,
            name="Budi",
            regency=Region.objects.get(code="64.01"),
        )
    national = make_event(province=None)
    add_attendee(
        actor=personas["admin"],
        event=national,
        name="Budi",
        regency=Region.objects.get(code="64.01"),
    )
    assert national.attendees.get().regency_id == "64.01"


def test_attendee_remove_by_the_verifier_and_403_for_the_operator(client, personas):
    event = make_event()
    attendance = attend(event, "63.03")
    url = reverse("coaching:bimtek_attendee_remove", kwargs={"pk": attendance.pk})
    client.force_login(personas["operator"])
    assert client.post(url).status_code == 403
    assert event.attendees.exists()
    client.force_login(personas["verifier"])
    assert client.post(url).status_code == 302
    assert not event.attendees.exists()


def test_attendance_export_lists_every_official(client, personas):
    event = make_event()
    attend(event, "63.03", name="Rahmadi", position="Kabid", user=personas["operator"])
    attend(event, "63.05", name="Siti")
    client.force_login(personas["operator"])
    rows = read_csv(client.get(detail_url(event) + "?format=csv"))
    assert rows[1:] == [
        ["Rahmadi", "Kabid", "63.03", "Kabupaten Banjar", "persona-operator"],
        ["Siti", "", "63.05", "Kabupaten Tapin", ""],
    ]
    sheet = read_xlsx(client.get(detail_url(event) + "?format=xlsx"))
    assert [row[0] for row in sheet[1:]] == ["Rahmadi", "Siti"]


# --- which kab/kota attended, and what followed ---------------------------------------------


@pytest.fixture
def compared(personas, settings, tmp_path):
    """A Bimtek on 10 March 2026 in Kalimantan Selatan attended by Banjar (two officials) and
    Tapin (one). Rounds: 2026 closes after it (counted); 2025 closed before; 2027 closes on
    the event day itself (not after it); Kalimantan Timur's is another province's."""
    settings.MEDIA_ROOT = tmp_path
    event = make_event()
    attend(event, "63.03", name="Rahmadi")
    attend(event, "63.03", name="Aulia")
    attend(event, "63.05", name="Siti")
    after = make_round(
        cycle=make_cycle(year=2026), opens_at=local(2026, 3, 1), deadline=local(2026, 6, 30, 23, 59)
    )
    before = make_round(
        cycle=make_cycle(year=2025, name="OVOP 2025"),
        opens_at=local(2026, 1, 1),
        deadline=local(2026, 2, 1),
    )
    same_day = make_round(
        cycle=make_cycle(year=2027, name="OVOP 2027"),
        opens_at=local(2026, 3, 1),
        deadline=local(2026, 3, 10, 23, 59),
    )
    elsewhere = make_round(
        cycle=after.cycle, province="64", opens_at=local(2026, 3, 1), deadline=local(2026, 6, 30)
    )

    def propose(round_, district, state, returned=False):
        proposal = make_proposal(
            round_=round_, centre=CentreFactory(region_id=district), state=state, documents=False
        )
        if returned:
            Transition.objects.create(
                proposal=proposal,
                action="return",
                from_state="submitted",
                to_state="returned",
                actor=personas["verifier"],
            )
        return proposal

    # Banjar, attended: rated (returned once on the way), verified, a draft never submitted.
    propose(after, "63.03.01", "rated", returned=True)
    propose(after, "63.03.01", "verified")
    propose(after, "63.03.01", "draft")
    # Tapin, attended: returned and not yet resubmitted.
    propose(after, "63.05.01", "returned", returned=True)
    # Barito Kuala, absent: one submitted, one forwarded.
    propose(after, "63.04.01", "submitted")
    propose(after, "63.04.01", "forwarded")
    # Not counted: rounds that closed before or on the event day, and another province's.
    propose(before, "63.03.01", "rated")
    propose(same_day, "63.04.01", "rated")
    propose(elsewhere, "64.01.01", "rated")
    return {"event": event, "after": after, **personas}


def outcome_of(afterwards, code: str) -> tuple:
    [row] = [row for row in afterwards.rows if row.code == code]
    outcome = row.outcome
    return (
        row.attendee_count,
        outcome.submitted,
        outcome.returned,
        outcome.verified,
        outcome.rated,
    )


def test_afterwards_counts_each_kab_kota_from_the_rounds_after_the_event(compared):
    afterwards = bimtek_afterwards(event=compared["event"], user=compared["verifier"])
    assert [round_.pk for round_ in afterwards.rounds] == [compared["after"].pk]
    # (attendees, submitted, returned at least once, verified or further, rated)
    assert outcome_of(afterwards, "63.03") == (2, 2, 1, 2, 1)
    assert outcome_of(afterwards, "63.05") == (1, 1, 1, 0, 0)
    assert outcome_of(afterwards, "63.04") == (0, 2, 0, 1, 0)
    assert outcome_of(afterwards, "63.71") == (0, 0, 0, 0, 0)
    assert {row.code[:2] for row in afterwards.rows} == {"63"}


def test_afterwards_totals_the_attending_and_absent_groups(compared):
    afterwards = bimtek_afterwards(event=compared["event"], user=compared["verifier"])
    regencies = Region.objects.filter(parent_id="63").count()
    attending, absent = afterwards.attending, afterwards.absent
    assert attending.regency_count == 2
    assert absent.regency_count == regencies - 2
    assert (
        attending.totals.submitted,
        attending.totals.returned,
        attending.totals.verified,
        attending.totals.rated,
    ) == (3, 2, 2, 1)
    assert (
        absent.totals.submitted,
        absent.totals.returned,
        absent.totals.verified,
        absent.totals.rated,
    ) == (2, 0, 1, 0)
    assert attending.means["submitted"] == 1.5
    assert absent.means["submitted"] == pytest.approx(2 / (regencies - 2))


def test_afterwards_page_shows_who_attended_and_the_comparison(client, compared):
    client.force_login(compared["operator"])
    response = client.get(detail_url(compared["event"]))
    page = response.content.decode()
    (_attended, attending), (_absent, absent) = response.context["groups"]
    assert (attending.regency_count, attending.totals.submitted) == (2, 3)
    assert absent.totals.submitted == 2
    assert "Kabupaten Barito Kuala" in page
    assert "Rahmadi" in page
    assert "Aulia" in page
    assert "Siti" in page


def test_afterwards_export_per_kab_kota(client, compared):
    client.force_login(compared["verifier"])
    rows = read_csv(client.get(detail_url(compared["event"]) + "?format=csv&table=regencies"))
    by_code = {row[0]: row for row in rows[1:]}
    assert by_code["63.03"][3:] == ["2", "2", "1", "2", "1"]
    assert by_code["63.04"][3:] == ["0", "2", "0", "1", "0"]
    assert len(by_code) == Region.objects.filter(parent_id="63").count()


def test_national_event_is_compared_within_the_viewers_own_province(compared):
    national = make_event(province=None, title="Bimtek nasional")
    attend(national, "63.03")
    attend(national, "64.01")
    for_verifier = bimtek_afterwards(event=national, user=compared["verifier"])
    assert {row.code[:2] for row in for_verifier.rows} == {"63"}
    assert for_verifier.attending.regency_count == 1
    assert outcome_of(for_verifier, "63.03")[1:] == (2, 1, 2, 1)
    for_admin = bimtek_afterwards(event=national, user=compared["admin"])
    assert {row.code[:2] for row in for_admin.rows} >= {"63", "64"}
    assert for_admin.attending.regency_count == 2
    assert outcome_of(for_admin, "64.01")[1:] == (1, 0, 1, 1)


def test_national_event_page_for_the_admin_and_an_operator(client, compared):
    national = make_event(province=None, title="Bimtek nasional")
    attend(national, "64.01", name="Budi")
    client.force_login(compared["admin"])
    response = client.get(detail_url(national))
    assert response.status_code == 200
    assert response.context["afterwards"].province is None
    assert "Budi" in response.content.decode()
    client.force_login(compared["operator"])
    response = client.get(detail_url(national))
    assert response.context["afterwards"].province.code == "63"
    assert response.context["form"] is None


def test_afterwards_queries_do_not_grow_with_the_province(compared, django_assert_max_num_queries):
    event = BimtekEvent.objects.select_related("province").get(pk=compared["event"].pk)
    with django_assert_max_num_queries(5):
        afterwards = bimtek_afterwards(event=event, user=compared["verifier"])
        assert afterwards.attending.regency_count == 2


# --- list, search, export and query guards --------------------------------------------------


def test_bimtek_list_searches_and_filters_by_year(client, personas):
    make_event(title="Bimtek penyusunan usulan", place="Banjarbaru")
    make_event(title="Bimtek kemasan", held_on=datetime.date(2025, 8, 1), topic="desain kemasan")
    client.force_login(personas["verifier"])
    url = reverse("coaching:bimtek_list")

    def titles(query: str) -> list[str]:
        return [event.title for event in client.get(url + query).context["page"]]

    assert titles("?q=banjarbaru") == ["Bimtek penyusunan usulan"]
    assert titles("?q=KEMASAN") == ["Bimtek kemasan"]
    assert titles("?year=2025") == ["Bimtek kemasan"]
    assert titles("?year=abc") == ["Bimtek penyusunan usulan", "Bimtek kemasan"]
    assert titles("?year=99999") == ["Bimtek penyusunan usulan", "Bimtek kemasan"]
    assert client.get(url).context["years"] == [2026, 2025]


def test_bimtek_list_exports_csv_and_xlsx(client, personas):
    event = make_event(place="Banjarbaru")
    attend(event, "63.03")
    attend(event, "63.03", name="Aulia")
    attend(event, "63.05", name="Siti")
    make_event(province="64", title="Bimtek Kaltim")
    client.force_login(personas["verifier"])
    rows = read_csv(client.get(reverse("coaching:bimtek_list") + "?format=csv"))
    assert len(rows) == 2
    assert rows[1][2:] == [
        "Bimtek penyusunan usulan OVOP",
        "63",
        "Kalimantan Selatan",
        "Banjarbaru",
        "",
        "3",
        "2",
    ]
    sheet = read_xlsx(client.get(reverse("coaching:bimtek_list") + "?format=xlsx"))
    assert sheet[1][1] == HELD_ON


def test_bimtek_list_query_count_is_constant(client, personas, django_assert_max_num_queries):
    event = make_event()
    attend(event, "63.03")
    client.force_login(personas["verifier"])
    url = reverse("coaching:bimtek_list")
    with django_assert_max_num_queries(6):
        client.get(url)
    for index in range(30):
        other = make_event(
            title=f"Bimtek {index}",
            place="Banjarbaru",
            held_on=HELD_ON - datetime.timedelta(days=40 * index),
        )
        attend(other, "63.05")
    with django_assert_max_num_queries(6):
        assert client.get(url).context["page"].paginator.count == 31


def test_bimtek_detail_query_count_is_constant(client, compared, django_assert_max_num_queries):
    client.force_login(compared["verifier"])
    url = detail_url(compared["event"])
    with django_assert_max_num_queries(11):
        client.get(url)
    for index in range(20):
        UserFactory(role="operator", region_id="63.71")
        attend(compared["event"], "63.71", name=f"Pejabat {index}")
        make_proposal(
            round_=compared["after"],
            centre=CentreFactory(region_id="63.71.01"),
            state="verified",
            documents=False,
        )
    with django_assert_max_num_queries(11):
        response = client.get(url)
    assert len(response.context["attendees"]) == 23
