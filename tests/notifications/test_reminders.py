"""Deadline reminders: only kab/kota below the minimum, only near the deadline, once a day."""

import datetime
import re
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from ovop.notifications.enums import NotificationKind
from ovop.notifications.models import Notification
from ovop.notifications.services import send_deadline_reminders
from tests.factories import CentreFactory, UserFactory, make_proposal, make_round

# 15 December 2026, 23.59 in Asia/Makassar; "now" is two days before, 10.00 local time.
DEADLINE = datetime.datetime(2026, 12, 15, 15, 59, tzinfo=datetime.UTC)
NOW = datetime.datetime(2026, 12, 13, 2, 0, tzinfo=datetime.UTC)


@pytest.fixture
def round_(personas, settings, tmp_path):
    """Banjar (63.03) has met the minimum of 1; Barito Kuala (63.04) has not."""
    settings.MEDIA_ROOT = tmp_path
    round_ = make_round(deadline=DEADLINE, min_per_regency=1)
    make_proposal(round_=round_, centre=CentreFactory(region_id="63.03.01"), state="submitted")
    make_proposal(round_=round_, centre=CentreFactory(region_id="63.04.01"), state="draft")
    return round_


def reminded() -> list[str]:
    return sorted(
        Notification.objects.filter(kind=NotificationKind.DEADLINE).values_list(
            "recipient__username", flat=True
        )
    )


def test_only_operators_of_regencies_below_the_minimum_are_reminded(round_):
    summary = send_deadline_reminders(days=7, now=NOW)
    assert reminded() == ["persona-operator_neighbour"]
    assert (summary.rounds, summary.sent, summary.skipped) == (1, 1, 0)
    # Every kab/kota of the province without proposals is below the minimum too.
    assert summary.regencies == 12


def test_the_reminder_says_how_many_and_until_when(round_, personas):
    send_deadline_reminders(days=7, now=NOW)
    [email] = mail.outbox
    assert email.to == [personas["operator_neighbour"].email]
    assert "Kabupaten Barito Kuala" in email.body
    assert re.search(r"\b0\b.*\b1\b", email.body)  # submitted 0 of the 1 required
    assert "15 Desember 2026" in email.body
    assert "23.59 WITA" in email.body
    assert f"?round={round_.pk}" in email.body


def test_rounds_closing_later_than_the_window_are_left_alone(round_):
    summary = send_deadline_reminders(days=1, now=NOW)
    assert summary.rounds == 0
    assert reminded() == []


def test_rounds_past_their_deadline_are_left_alone(round_):
    summary = send_deadline_reminders(days=7, now=DEADLINE + datetime.timedelta(minutes=1))
    assert summary.rounds == 0
    assert reminded() == []


def test_a_second_run_the_same_day_sends_nothing(round_):
    send_deadline_reminders(days=7, now=NOW)
    summary = send_deadline_reminders(days=7, now=NOW + datetime.timedelta(hours=8))
    assert (summary.sent, summary.skipped) == (0, 1)
    assert reminded() == ["persona-operator_neighbour"]
    assert len(mail.outbox) == 1


def test_the_next_local_day_reminds_again(round_):
    send_deadline_reminders(days=7, now=NOW)
    # 16.00 UTC is 00.00 the next day in Makassar.
    send_deadline_reminders(days=7, now=datetime.datetime(2026, 12, 13, 16, 0, tzinfo=datetime.UTC))
    assert reminded() == ["persona-operator_neighbour"] * 2


def test_an_operator_added_later_that_day_is_still_reminded(round_):
    send_deadline_reminders(days=7, now=NOW)
    newcomer = UserFactory(role="operator", region_id="63.04")
    summary = send_deadline_reminders(days=7, now=NOW + datetime.timedelta(hours=1))
    assert summary.sent == 1
    assert newcomer.username in reminded()


def test_inactive_operators_are_not_reminded(round_, personas):
    personas["operator_neighbour"].is_active = False
    personas["operator_neighbour"].save()
    send_deadline_reminders(days=7, now=NOW)
    assert reminded() == []


def test_dry_run_counts_without_sending(round_):
    summary = send_deadline_reminders(days=7, now=NOW, dry_run=True)
    assert summary.sent == 1
    assert reminded() == []
    assert mail.outbox == []


def test_command_prints_one_line(personas):
    make_round(deadline=timezone.now() + datetime.timedelta(days=3))
    out = StringIO()
    call_command("send_deadline_reminders", "--days", "7", stdout=out)
    lines = out.getvalue().strip().splitlines()
    assert len(lines) == 1
    assert "1 round(s)" in lines[0]
    # No proposals at all: both persona operators (Banjar, Barito Kuala) are reminded.
    assert reminded() == ["persona-operator", "persona-operator_neighbour"]


def test_command_dry_run_sends_nothing(personas):
    make_round(deadline=timezone.now() + datetime.timedelta(days=3))
    out = StringIO()
    call_command("send_deadline_reminders", "--dry-run", stdout=out)
    assert "dry run" in out.getvalue()
    assert reminded() == []
    assert mail.outbox == []
