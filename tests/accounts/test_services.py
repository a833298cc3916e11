"""Direct tests of ``ovop.accounts.services``: every write to an account goes through here."""

import pytest
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from ovop.accounts.enums import Role
from ovop.accounts.models import User
from ovop.accounts.services import (
    check_role_and_region,
    resolve_region,
    save_user,
    send_invitation,
)
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

PASSWORD = settings.OVOP_DEMO_PASSWORD


def test_resolve_region_empty_is_none():
    assert resolve_region(None) is None
    assert resolve_region("") is None


def test_resolve_region_known_code_strips_spaces():
    assert resolve_region(" 63.03 ").name == "Kabupaten Banjar"


def test_resolve_region_unknown_code_refused():
    with pytest.raises(ValidationError) as raised:
        resolve_region("99.99")
    assert raised.value.message_dict == {"region": ["Unknown region code 99.99."]}


def test_check_role_and_region_valid_returns_region_and_writes_nothing():
    before = User.objects.count()
    assert check_role_and_region(role=Role.VERIFIER, region_code="63").code == "63"
    assert check_role_and_region(role=Role.ADMIN, region_code=None) is None
    assert User.objects.count() == before


def test_check_role_and_region_unknown_role_refused():
    with pytest.raises(ValidationError) as raised:
        check_role_and_region(role="boss", region_code=None)
    assert "Unknown role boss" in raised.value.message_dict["role"][0]


@pytest.mark.parametrize(
    ("role", "code"),
    [
        (Role.OPERATOR, None),
        (Role.OPERATOR, "63"),
        (Role.VERIFIER, "63.03"),
        (Role.ADMIN, "63"),
        (Role.ASSESSOR, "63.03"),
        (Role.VIEWER, "63.03.01"),
    ],
)
def test_check_role_and_region_wrong_level_refused(role, code):
    with pytest.raises(ValidationError) as raised:
        check_role_and_region(role=role, region_code=code)
    assert list(raised.value.message_dict) == ["region"]


def test_save_user_creates_with_every_field_and_one_history_row():
    user, created = save_user(
        username="op-tapin",
        role=Role.OPERATOR,
        region_code="63.05",
        email="tapin@ovop.test",
        password=PASSWORD,
        first_name="Ahmad",
        last_name="Fauzi",
        organisation="Dinas Tapin",
        phone="0511 123",
        reason="akun baru",
    )
    assert created
    stored = User.objects.get(username="op-tapin")
    assert stored.pk == user.pk
    assert (stored.role, stored.region_id, stored.email) == ("operator", "63.05", "tapin@ovop.test")
    assert (stored.first_name, stored.last_name, stored.organisation, stored.phone) == (
        "Ahmad",
        "Fauzi",
        "Dinas Tapin",
        "0511 123",
    )
    assert stored.is_active
    assert stored.check_password(PASSWORD)
    history = list(stored.history.all())
    assert len(history) == 1
    assert (history[0].history_type, history[0].history_change_reason) == ("+", "akun baru")


def test_save_user_without_password_creates_an_unusable_one():
    user, created = save_user(username="diundang", role=Role.VIEWER)
    assert created
    assert not User.objects.get(pk=user.pk).has_usable_password()


def test_save_user_updates_only_the_given_fields_and_records_the_change():
    save_user(
        username="v63",
        role=Role.VERIFIER,
        region_code="63",
        email="v@ovop.test",
        first_name="Rina",
        password=PASSWORD,
    )
    user, created = save_user(
        username="v63", role=Role.VIEWER, region_code="63.03", reason="pindah"
    )
    assert not created
    stored = User.objects.get(username="v63")
    assert (stored.role, stored.region_id) == ("viewer", "63.03")
    assert (stored.email, stored.first_name) == ("v@ovop.test", "Rina")  # None keeps the value
    assert stored.check_password(PASSWORD)  # no password given: the old one stays
    assert User.objects.filter(username="v63").count() == 1
    latest = stored.history.latest()
    assert (latest.history_type, latest.role, latest.history_change_reason) == (
        "~",
        "viewer",
        "pindah",
    )
    assert stored.history.count() == 2


def test_save_user_deactivates_and_changes_the_password():
    UserFactory(username="op-lama", role=Role.OPERATOR, region_id="63.03")
    save_user(
        username="op-lama",
        role=Role.OPERATOR,
        region_code="63.03",
        is_active=False,
        password="kata-sandi-baru-2026",
    )
    stored = User.objects.get(username="op-lama")
    assert not stored.is_active
    assert stored.check_password("kata-sandi-baru-2026")


@pytest.mark.parametrize(
    "bad",
    [
        {"role": "boss"},
        {"region_code": "99.99"},
        {"region_code": "63"},  # an operator needs a regency
        {"password": "123"},  # too short
        {"email": "bukan-alamat"},
        {"first_name": "Nama\u200bTersembunyi"},  # an invisible character
    ],
)
def test_save_user_refused_creates_nothing(bad):
    values = {"username": "baru", "role": Role.OPERATOR, "region_code": "63.03", **bad}
    with pytest.raises(ValidationError):
        save_user(**values)
    assert not User.objects.filter(username="baru").exists()


@pytest.mark.parametrize(
    "bad",
    [
        {"region_code": "63"},
        {"password": "123"},
        {"email": "bukan-alamat"},
    ],
)
def test_save_user_refused_leaves_existing_user_and_history_unchanged(bad):
    original = UserFactory(
        username="tetap", role=Role.OPERATOR, region_id="63.03", email="tetap@ovop.test"
    )
    history_before = original.history.count()
    with pytest.raises(ValidationError):
        save_user(**{"username": "tetap", "role": Role.OPERATOR, "region_code": "63.03", **bad})
    stored = User.objects.get(pk=original.pk)
    assert (stored.region_id, stored.email) == ("63.03", "tetap@ovop.test")
    assert stored.check_password(PASSWORD)
    assert stored.history.count() == history_before


def test_send_invitation_mails_a_working_link():
    user = UserFactory(username="diundang", email="undangan@ovop.test", first_name="Sari")
    send_invitation(user=user, base_url="https://ovop.example.id/")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["undangan@ovop.test"]
    assert message.subject == "Your ovop account"
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    assert f"https://ovop.example.id/accounts/password/reset/{uid}/" in message.body
    token = message.body.split(f"/{uid}/")[1].split("/")[0]
    assert default_token_generator.check_token(user, token)
    assert "diundang" in message.body


def test_send_invitation_without_address_sends_nothing():
    send_invitation(user=UserFactory(email=""), base_url="https://ovop.example.id")
    assert mail.outbox == []
