"""docs/architecture.md stays true to the import contract it draws."""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
CONTRACTS = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"][
    "importlinter"
]["contracts"]
LAYERS = next(contract for contract in CONTRACTS if contract["type"] == "layers")


def _drawn_apps() -> list[str]:
    """The apps in the picture, top to bottom (each box holds one name)."""
    picture = DOC.split("```", 2)[1]
    return re.findall(r"│\s*([a-z]+)\s*│", picture)


def test_the_picture_draws_the_layers_of_the_contract_in_their_order():
    layers = [
        name.removeprefix("ovop.") for layer in LAYERS["layers"] for name in layer.split(" : ")
    ]
    assert _drawn_apps() == layers


def test_the_contract_lists_no_exceptions_as_the_page_says():
    assert "lists no\nexceptions" in DOC
    assert not LAYERS.get("ignore_imports")


def test_every_hook_the_page_names_exists():
    for module, name in re.findall(r"`(\w+)\.signals\.(\w+)`", DOC):
        signals = (ROOT / "src" / "ovop" / module / "signals.py").read_text(encoding="utf-8")
        assert re.search(rf"^{name} = Signal\(\)", signals, re.MULTILINE), (module, name)
    for module in re.findall(r"`(\w+)\.panels`", DOC):
        assert (ROOT / "src" / "ovop" / module / "panels.py").exists(), module
