import os
import subprocess
import sys

import pytest


def run_ovop(*args: str, **env: str) -> subprocess.CompletedProcess:
    leaky = {
        "DEBUG",
        "SECRET_KEY",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
        "OVOP_PLAIN_STATIC",
        "DATABASE_URL",
    }
    environment = {k: v for k, v in os.environ.items() if k not in leaky}
    environment.update({"DJANGO_SETTINGS_MODULE": "ovop.settings", **env})
    return subprocess.run(
        [sys.executable, "-m", "ovop", *args],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deploy_check(tmp_path):
    result = run_ovop(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY="k" + "3xQ9!v#Lz8@pR2^mW5&nB7*" * 3,
        ALLOWED_HOSTS="ovop.kalselprov.go.id",
        OVOP_VAR_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_secret_key_is_required_when_debug_is_off(tmp_path):
    result = run_ovop("check", OVOP_VAR_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize("debug", ["1"])
def test_local_run_generates_and_keeps_a_secret_key(tmp_path, debug):
    assert run_ovop("check", DEBUG=debug, OVOP_VAR_DIR=str(tmp_path)).returncode == 0
    key = (tmp_path / "secret_key.txt").read_text()
    assert len(key) > 40
    run_ovop("check", DEBUG=debug, OVOP_VAR_DIR=str(tmp_path))
    assert (tmp_path / "secret_key.txt").read_text() == key
