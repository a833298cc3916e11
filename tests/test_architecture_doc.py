"""docs/architecture.md stays true to the import contract it draws."""

import importlib
import re
import tomllib
from pathlib import Path

import rules

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


APPS = "|".join(
    ("accounts", "catalogue", "centres", "coaching", "common", "evaluation")
    + ("notifications", "proposals", "regions", "reports")
)


def _resolves(dotted: str) -> bool:
    """True when ``ovop.<dotted>`` is a module, or a name defined in one."""
    value = importlib.import_module("ovop")
    for name in dotted.split("."):
        if not hasattr(value, name):
            try:
                importlib.import_module(f"{value.__name__}.{name}")
            except ModuleNotFoundError:
                return False
        value = getattr(value, name)
    return True


def test_every_module_and_function_the_page_names_exists():
    named = set(re.findall(rf"`((?:{APPS})\.[a-z_][\w.]*)`", DOC))
    permissions = {name for name in named if rules.perm_exists(name)}
    missing = sorted(name for name in named - permissions if not _resolves(name))
    assert missing == []
