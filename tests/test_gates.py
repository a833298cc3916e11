"""The CI gates themselves: a wrong type fails `make typecheck`, an import against the
layers fails the contract in `make lint`. Each runs the real tool with the project's own
configuration on the real code plus one deliberate mistake, written outside the source tree.
"""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def test_typecheck_refuses_a_wrong_type_and_an_unannotated_service(tmp_path):
    services = ROOT / "src/ovop/centres/services/centres.py"
    shadow = tmp_path / "services.py"
    shadow.write_text(
        services.read_text()
        + "\n\ndef gate_unannotated(count):\n    return count\n"
        + "\n\ndef gate_wrong() -> int:\n    return 'not a number'\n"
    )
    result = subprocess.run(
        [
            BIN / "mypy",
            "--cache-dir",
            str(tmp_path / "mypy-cache"),
            "--shadow-file",
            str(services),
            str(shadow),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert '(got "str", expected "int")  [return-value]' in result.stdout
    # Services are strict: a function without annotations is an error there.
    assert "[no-untyped-def]" in result.stdout
    assert result.stdout.count("error:") == 2, result.stdout


def test_layer_contract_refuses_an_import_against_the_layers(tmp_path):
    # The real package and contract, with one lower layer importing a higher one.
    skip = shutil.ignore_patterns("__pycache__", "templates", "static", "locale", "data")
    shutil.copytree(ROOT / "src/ovop", tmp_path / "ovop", ignore=skip)
    selectors = tmp_path / "ovop/regions/selectors.py"
    selectors.write_text(selectors.read_text() + "\nfrom ovop.coaching import models  # noqa\n")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")

    result = subprocess.run(
        [BIN / "lint-imports", "--no-cache", "--config", str(tmp_path / "pyproject.toml")],
        cwd=tmp_path,
        env={"PYTHONPATH": str(tmp_path), "PATH": str(BIN)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "ovop.regions is not allowed to import ovop.coaching" in result.stdout
    assert "ovop.regions.selectors -> ovop.coaching.models" in result.stdout
    assert "1 kept, 1 broken" in result.stdout
