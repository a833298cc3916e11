import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ovop.centres.management.commands.import_centres import Command
from ovop.centres.models import Centre
from tests.centres.workbook_files import centre_row, write_workbook


def call(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_centres", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_command_imports_and_prints_a_summary(db, tmp_path):
    rows = [centre_row(name="A"), centre_row(name="B", region="64.01.01")]
    path = write_workbook(tmp_path / "sentra.xlsx", rows)
    out, err = call(str(path))
    assert "created: 2, updated: 0" in out.lower()
    assert Centre.objects.count() == 2
    out, _err = call(str(path))
    assert "created: 0, updated: 0, unchanged: 2" in out.lower()


def test_command_prints_every_error_and_writes_nothing(db, tmp_path):
    rows = [centre_row(name="A", unit_count="x"), centre_row(name="B", region="99.99.99")]
    path = write_workbook(tmp_path / "sentra.xlsx", rows)
    err = io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("import_centres", str(path), stdout=io.StringIO(), stderr=err)
    assert raised.value.returncode == 1
    lines = err.getvalue().splitlines()
    assert lines[0].startswith("Sentra/2/Jumlah unit usaha: ")
    assert lines[1].startswith("Sentra/3/Kode wilayah (kecamatan/desa): ")
    assert "99.99.99" in lines[1]
    assert not Centre.objects.exists()


def test_command_exits_non_zero_from_the_command_line(db, tmp_path, monkeypatch, capsys):
    # run_from_argv closes connections when done; keep the test's transaction open.
    monkeypatch.setattr("django.core.management.base.connections.close_all", lambda: None)
    path = tmp_path / "sentra.xlsx"
    path.write_text("Nama sentra,Kode wilayah\n")
    with pytest.raises(SystemExit) as exited:
        Command().run_from_argv(["ovop", "import_centres", str(path)])
    assert exited.value.code == 1
    assert capsys.readouterr().err.startswith("-/-/-: ")


def test_command_dry_run_writes_nothing(db, tmp_path):
    path = write_workbook(tmp_path / "sentra.xlsx", [centre_row()])
    out, _err = call(str(path), "--dry-run")
    assert "dry run" in out.lower()
    assert "created: 1" in out.lower()
    assert not Centre.objects.exists()


def test_command_as_an_operator_is_limited_to_their_regency(operator, tmp_path):
    path = write_workbook(tmp_path / "sentra.xlsx", [centre_row(region="63.05.01")])
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_centres", str(path), "--user", operator.username, stderr=err)
    assert "Sentra/2/Kode wilayah (kecamatan/desa): " in err.getvalue()
    assert "Kabupaten Banjar" in err.getvalue()
    path = write_workbook(tmp_path / "ok.xlsx", [centre_row()])
    out, _err = call(str(path), "--user", operator.username)
    assert Centre.objects.get().history.first().history_user == operator


def test_command_refuses_unknown_users_files_and_roles(verifier, tmp_path):
    path = write_workbook(tmp_path / "sentra.xlsx", [centre_row()])
    with pytest.raises(CommandError, match="nobody"):
        call(str(path), "--user", "nobody")
    with pytest.raises(CommandError, match="No such file"):
        call(str(tmp_path / "missing.xlsx"))
    with pytest.raises(CommandError, match="may not import"):
        call(str(path), "--user", verifier.username)
