"""Certificate expiry watch: the window, the dashboard, and the daily e-mail per kab/kota."""

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from ovop.coaching.services.expiry import (
    expiring_certificates,
    expiry_context,
    send_certificate_expiry,
)
from ovop.notifications.enums import NotificationKind
from ovop.notifications.models import Notification
from tests.factories import CertificateFactory, EnterpriseFactory, UserFactory

TODAY = datetime.date(2026, 11, 29)
# 29 November 2026, 09.00 in Asia/Makassar.
NOW = datetime.datetime(2026, 11, 29, 1, 0, tzinfo=datetime.UTC)


def certificate(enterprise, days: int, *, today=TODAY, number=None, kind="halal"):
    expires_on = today + datetime.timedelta(days=days)
    return CertificateFactory(
        enterprise=enterprise, kind=kind, expires_on=expires_on, number=number or f"CERT{days:+d}"
    )


def numbers(rows) -> list[str]:
    return [row.number for row in rows]


def told() -> list[str]:
    return sorted(
        Notification.objects.filter(kind=NotificationKind.CERTIFICATE_EXPIRY).values_list(
            "recipient__username", flat=True
        )
    )


def test_certificate_expiry_kind_fits_the_notification_column():
    kind = Notification._meta.get_field("kind")
    assert len(NotificationKind.CERTIFICATE_EXPIRY.value) <= kind.max_length


# --- the selector --------------------------------------------------------------------------


def test_window_includes_today_and_today_plus_90_but_not_91(world):
    enterprise = world["enterprise_banjar"]
    for days in (0, 45, 90, 91, 400):
        certificate(enterprise, days)
    watch = expiring_certificates(world["operator"], days=90, today=TODAY)
    assert numbers(watch.expiring) == ["CERT+0", "CERT+45", "CERT+90"]
    assert [row.days_left for row in watch.expiring] == [0, 45, 90]
    assert watch.expiring_count == 3


def test_expired_certificates_are_listed_apart_latest_first(world):
    enterprise = world["enterprise_banjar"]
    for days in (-400, -1, -30, 10):
        certificate(enterprise, days)
    watch = expiring_certificates(world["operator"], days=90, today=TODAY)
    assert numbers(watch.expiring) == ["CERT+10"]
    assert numbers(watch.expired) == ["CERT-1", "CERT-30", "CERT-400"]
    assert [row.days_left for row in watch.expired] == [-1, -30, -400]
    assert watch.expired_count == 3


def test_rows_name_the_centre_enterprise_and_kind(world):
    certificate(world["enterprise_banjar"], 5, kind="bpom_md")
    [row] = expiring_certificates(world["verifier"], days=90, today=TODAY).expiring
    assert (row.centre_id, row.centre_name) == (world["centre_banjar"].pk, "Sentra Banjar")
    assert row.enterprise_name == world["enterprise_banjar"].name
    assert (row.kind, row.regency_id, row.expires_on) == (
        "bpom_md",
        "63.03",
        TODAY + datetime.timedelta(days=5),
    )


def test_the_watch_follows_certificate_visibility(world):
    certificate(world["enterprise_banjar"], 5, number="BANJAR")
    certificate(world["enterprise_tapin"], 6, number="TAPIN")

    def seen(persona: str) -> list[str]:
        return numbers(expiring_certificates(world[persona], days=90, today=TODAY).expiring)

    assert seen("operator") == ["BANJAR"]
    assert seen("operator_neighbour") == []
    assert seen("verifier") == ["BANJAR", "TAPIN"]
    assert seen("verifier_other") == []
    assert seen("admin") == ["BANJAR", "TAPIN"]


def test_a_limit_caps_the_rows_but_not_the_counts(world, django_assert_max_num_queries):
    for days in range(1, 8):
        certificate(world["enterprise_banjar"], days)
        certificate(world["enterprise_banjar"], -days)
    with django_assert_max_num_queries(3):
        watch = expiring_certificates(world["operator"], days=90, today=TODAY, limit=3)
    assert numbers(watch.expiring) == ["CERT+1", "CERT+2", "CERT+3"]
    assert numbers(watch.expired) == ["CERT-1", "CERT-2", "CERT-3"]
    assert (watch.expiring_count, watch.expired_count) == (7, 7)


def test_the_window_is_configurable(world, settings):
    today = timezone.localdate()
    certificate(world["enterprise_banjar"], 20, today=today, number="SOON")
    settings.OVOP_CERTIFICATE_WATCH_DAYS = 10
    assert expiry_context(world["operator"])["certificate_watch"].total == 0
    settings.OVOP_CERTIFICATE_WATCH_DAYS = 30
    assert numbers(expiry_context(world["operator"])["certificate_watch"].expiring) == ["SOON"]


# --- the dashboard -------------------------------------------------------------------------


@pytest.fixture
def due(world):
    """Banjar has a certificate expiring in 10 days and one expired; Tapin one in 20 days."""
    today = timezone.localdate()
    certificate(world["enterprise_banjar"], 10, today=today, number="BANJAR-SOON")
    certificate(world["enterprise_banjar"], -3, today=today, number="BANJAR-LAPSED")
    certificate(world["enterprise_tapin"], 20, today=today, number="TAPIN-SOON")
    return world


def test_dashboard_shows_an_operator_only_their_kab_kota(client, due):
    client.force_login(due["operator"])
    page = client.get(reverse("home")).content.decode()
    assert "BANJAR-SOON" in page
    assert "BANJAR-LAPSED" in page
    assert "TAPIN-SOON" not in page
    assert reverse("centres:detail", kwargs={"pk": due["centre_banjar"].pk}) in page
    assert 'id="expiry-title"' in page


def test_dashboard_shows_a_verifier_their_province(client, due):
    client.force_login(due["verifier"])
    page = client.get(reverse("home")).content.decode()
    assert "BANJAR-SOON" in page
    assert "TAPIN-SOON" in page
    client.force_login(due["verifier_other"])
    assert 'id="expiry-title"' not in client.get(reverse("home")).content.decode()


def test_dashboard_gives_the_admin_counts_only(client, due):
    client.force_login(due["admin"])
    response = client.get(reverse("home"))
    watch = response.context["certificate_watch"]
    assert (watch.expiring_count, watch.expired_count) == (2, 1)
    assert watch.expiring == []
    assert watch.expired == []
    page = response.content.decode()
    assert 'id="expiry-title"' in page
    assert "BANJAR-SOON" not in page


def test_dashboard_shows_nothing_when_nothing_expires(client, world):
    client.force_login(world["operator"])
    response = client.get(reverse("home"))
    assert response.context["certificate_watch"].total == 0
    assert 'id="expiry-title"' not in response.content.decode()


def test_dashboard_shows_nothing_to_other_roles(client, due):
    for persona in ("viewer", "assessor"):
        client.force_login(due[persona])
        response = client.get(reverse("home"))
        assert "certificate_watch" not in response.context
        assert 'id="expiry-title"' not in response.content.decode()


def test_dashboard_query_count_is_constant(client, due, django_assert_max_num_queries):
    client.force_login(due["operator"])
    # 13 with the home page's work queue (reports/selectors/queues.py): drafts, quota,
    # notifications.
    with django_assert_max_num_queries(13):
        client.get(reverse("home"))
    today = timezone.localdate()
    for days in range(1, 30):
        enterprise = EnterpriseFactory(centre=due["centre_banjar"])
        certificate(enterprise, days, today=today, number=f"MORE{days}")
        certificate(enterprise, -days, today=today, number=f"OLD{days}")
    with django_assert_max_num_queries(13):
        response = client.get(reverse("home"))
    assert response.context["certificate_watch"].expiring_count == 30


# --- the e-mail ----------------------------------------------------------------------------


@pytest.fixture
def expiring(world):
    """Two certificates expiring in Banjar (63.03), one in Tapin (63.05), one outside the
    window in Banjar; a second Banjar operator and a Tapin operator."""
    certificate(world["enterprise_banjar"], 10, number="BANJAR-1")
    certificate(world["enterprise_banjar"], 90, number="BANJAR-2")
    certificate(world["enterprise_banjar"], 91, number="BANJAR-LATER")
    certificate(world["enterprise_tapin"], 30, number="TAPIN-1")
    world["operator_banjar_2"] = UserFactory(role="operator", region_id="63.03")
    world["operator_tapin"] = UserFactory(role="operator", region_id="63.05")
    return world


def mail_to(address: str):
    [email] = [email for email in mail.outbox if email.to == [address]]
    return email


def test_command_sends_one_message_per_kab_kota_to_its_operators_only(expiring):
    summary = send_certificate_expiry(days=90, now=NOW)
    assert told() == sorted(
        [
            expiring["operator"].username,
            expiring["operator_banjar_2"].username,
            expiring["operator_tapin"].username,
        ]
    )
    assert sorted(email.to[0] for email in mail.outbox) == sorted(
        [
            expiring["operator"].email,
            expiring["operator_banjar_2"].email,
            expiring["operator_tapin"].email,
        ]
    )
    banjar = mail_to(expiring["operator"].email).body
    assert "BANJAR-1" in banjar
    assert "BANJAR-2" in banjar
    assert "BANJAR-LATER" not in banjar
    assert "TAPIN-1" not in banjar
    assert "Sentra Banjar" in banjar
    assert "9 Desember 2026" in banjar  # BANJAR-1, in Indonesian
    tapin = mail_to(expiring["operator_tapin"].email).body
    assert "TAPIN-1" in tapin
    assert "BANJAR-1" not in tapin
    assert (summary.certificates, summary.regencies, summary.sent, summary.skipped) == (3, 2, 3, 0)


def test_command_message_title_and_link(expiring):
    send_certificate_expiry(days=90, now=NOW)
    notification = Notification.objects.get(recipient=expiring["operator_tapin"])
    assert "Kabupaten Tapin" in notification.title
    assert notification.url == reverse("home")
    assert mail_to(expiring["operator_tapin"].email).subject == notification.title


def test_command_does_not_repeat_on_the_same_local_day(expiring):
    send_certificate_expiry(days=90, now=NOW)
    summary = send_certificate_expiry(days=90, now=NOW + datetime.timedelta(hours=10))
    assert (summary.sent, summary.skipped) == (0, 3)
    assert len(mail.outbox) == 3
    assert len(told()) == 3


def test_command_tells_again_the_next_local_day(expiring):
    send_certificate_expiry(days=90, now=NOW)
    # 16.00 UTC is midnight in Makassar: a new local day.
    midnight = datetime.datetime(2026, 11, 29, 16, 0, tzinfo=datetime.UTC)
    summary = send_certificate_expiry(days=90, now=midnight)
    assert summary.sent == 3
    assert len(mail.outbox) == 6


def test_command_skips_inactive_operators(expiring):
    expiring["operator_banjar_2"].is_active = False
    expiring["operator_banjar_2"].save()
    send_certificate_expiry(days=90, now=NOW)
    assert expiring["operator_banjar_2"].username not in told()
    assert expiring["operator"].username in told()


def test_command_dry_run_sends_nothing(expiring):
    summary = send_certificate_expiry(days=90, now=NOW, dry_run=True)
    assert summary.sent == 3
    assert told() == []
    assert mail.outbox == []


def test_command_prints_one_line_and_exits_zero(world):
    certificate(world["enterprise_banjar"], 5, today=timezone.localdate(), number="SOON")
    out = StringIO()
    call_command("send_certificate_expiry", "--days", "90", stdout=out)
    lines = out.getvalue().strip().splitlines()
    assert len(lines) == 1
    assert "1 certificate(s)" in lines[0]
    assert "1 message(s) sent" in lines[0]
    assert told() == [world["operator"].username]


def test_command_dry_run_option_sends_nothing(world):
    certificate(world["enterprise_banjar"], 5, today=timezone.localdate(), number="SOON")
    out = StringIO()
    call_command("send_certificate_expiry", "--dry-run", stdout=out)
    assert "dry run" in out.getvalue()
    assert "1 message(s) would be sent" in out.getvalue()
    assert told() == []
    assert mail.outbox == []
