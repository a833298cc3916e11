import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import translation

from ovop.accounts.models import User

PASSWORD = settings.OVOP_DEMO_PASSWORD


def add_user(*args: str) -> None:
    call_command("add_user", *args)


@pytest.mark.django_db
def test_creates_operator_of_a_regency(capsys):
    add_user(
        "op-banjar",
        "--role",
        "operator",
        "--region",
        "63.03",
        "--password",
        PASSWORD,
        "--email",
        "op@ovop.test",
    )
    user = User.objects.get(username="op-banjar")
    assert (user.role, user.region_id, user.email) == ("operator", "63.03", "op@ovop.test")
    assert user.check_password(PASSWORD)
    assert "Created op-banjar" in capsys.readouterr().out


@pytest.mark.django_db
def test_updates_an_existing_user_and_keeps_one_row():
    add_user("v63", "--role", "verifier", "--region", "63", "--password", PASSWORD)
    add_user("v63", "--role", "viewer", "--region", "63.03", "--password", PASSWORD)
    assert User.objects.filter(username="v63").count() == 1
    user = User.objects.get(username="v63")
    assert (user.role, user.region_id) == ("viewer", "63.03")
    assert user.history.count() == 2


@pytest.mark.django_db
def test_password_from_environment(monkeypatch):
    monkeypatch.setenv("OVOP_PASSWORD", PASSWORD)
    add_user("admin2", "--role", "admin")
    assert User.objects.get(username="admin2").check_password(PASSWORD)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role", "boss"], "Unknown role boss"),
        (["--role", "operator", "--region", "99.99"], "Unknown region code 99.99"),
        (["--role", "operator"], "regency/city code"),
        (["--role", "operator", "--region", "63"], "regency/city code"),
        (["--role", "verifier", "--region", "63.03"], "province code"),
        (["--role", "assessor", "--region", "63.03.01"], "province code"),
        (["--role", "admin", "--region", "63"], "leave the region empty"),
        (["--role", "operator", "--region", "63.03", "--password", "123"], "too short"),
    ],
)
def test_bad_input_fails_with_one_line_and_writes_nothing(args, message, monkeypatch):
    monkeypatch.setenv("OVOP_PASSWORD", PASSWORD)
    with pytest.raises(CommandError) as error, translation.override("en"):
        add_user("newbie", *args)
    assert message in str(error.value)
    assert "\n" not in str(error.value)
    assert not User.objects.filter(username="newbie").exists()


@pytest.mark.django_db
def test_bad_region_leaves_existing_user_unchanged():
    add_user("op", "--role", "operator", "--region", "63.03", "--password", PASSWORD)
    with pytest.raises(CommandError):
        add_user("op", "--role", "operator", "--region", "63", "--password", PASSWORD)
    assert User.objects.get(username="op").region_id == "63.03"


@pytest.mark.django_db
def test_without_any_password_source_and_no_terminal_fails(monkeypatch):
    monkeypatch.delenv("OVOP_PASSWORD", raising=False)
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    with pytest.raises(CommandError, match="No password"):
        add_user("nopass", "--role", "admin")
    assert not User.objects.filter(username="nopass").exists()


@pytest.mark.django_db
def test_messages_are_indonesian_by_default():
    with pytest.raises(CommandError, match="Kode wilayah 99.99 tidak dikenal"):
        add_user("newbie", "--role", "operator", "--region", "99.99", "--password", PASSWORD)
