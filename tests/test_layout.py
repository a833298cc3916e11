"""Every app uses the same file names (issue 16, part 6; "The files of an app" in the docs).

An app's top level holds only the names of the vocabulary, each a module or a package of
the same name; a part of a large layer is a module inside that layer's package, never a
suffix file beside it (``views_scoring.py``). The test lists every offender as a path.
"""

import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "ovop"

VOCABULARY = {
    "__init__",
    "apps",
    "models",
    "enums",
    "rules",
    "selectors",
    "services",
    "forms",
    "views",
    "api",
    "urls",
    "signals",
    "receivers",
    "panels",
    "workbooks",
    "outputs",
    "tasks",
    "admin",
    "backends",
    "context_processors",
    "validators",
}
DJANGO_FOLDERS = {"templates", "static", "management", "templatetags", "migrations", "locale"}
# Module → why it keeps a name of its own (the page names both).
OWN_NAMES = {
    "accounts/scope.py": "region_scope, the one scope primitive every selector maps",
    "evaluation/ranking.py": "the ranking maths; API.md names the path ovop.evaluation.ranking",
    "regions/data": "the idn-area-data files with their licence (ODbL)",
}
# Not domain apps: the shared toolkit (organised by tool), the seed, Django's format modules.
NOT_APPS = {"common", "demo", "formats", "locale", "__pycache__"}
LAYERS = ("models", "enums", "rules", "selectors", "services", "forms", "views", "api", "urls")
SUFFIX_FILE = re.compile(rf"^({'|'.join(LAYERS)})_\w+\.py$")


def _apps() -> list[Path]:
    return sorted(p for p in PACKAGE.iterdir() if p.is_dir() and p.name not in NOT_APPS)


def _top_level_offenders() -> list[str]:
    found = []
    for app in _apps():
        for entry in sorted(app.iterdir()):
            relative = entry.relative_to(PACKAGE).as_posix()
            if entry.name == "__pycache__" or relative in OWN_NAMES:
                continue
            if entry.is_dir():
                allowed = entry.name in VOCABULARY or entry.name in DJANGO_FOLDERS
            else:
                allowed = entry.suffix == ".py" and entry.stem in VOCABULARY
            if not allowed:
                found.append(relative)
    return found


def _suffix_files() -> list[str]:
    return sorted(
        path.relative_to(PACKAGE).as_posix()
        for path in PACKAGE.rglob("*.py")
        if "migrations" not in path.parts and SUFFIX_FILE.match(path.name)
    )


def test_every_app_uses_only_the_names_of_the_vocabulary():
    assert _top_level_offenders() == []


def test_no_module_anywhere_is_a_suffix_file_of_a_layer():
    assert _suffix_files() == []


def test_a_module_and_a_package_of_the_same_name_never_sit_side_by_side():
    both = [
        module.relative_to(PACKAGE).as_posix()
        for module in PACKAGE.rglob("*.py")
        if module.with_suffix("").is_dir()
    ]
    assert both == []


def test_every_package_of_an_app_is_a_real_package():
    missing = [
        folder.relative_to(PACKAGE).as_posix()
        for app in _apps()
        for folder in app.iterdir()
        if folder.is_dir() and folder.name in VOCABULARY and not (folder / "__init__.py").exists()
    ]
    assert missing == []


def test_every_own_name_still_exists():
    assert [name for name in OWN_NAMES if not (PACKAGE / name).exists()] == []


def test_the_patterns_catch_what_they_name():
    assert SUFFIX_FILE.match("views_scoring.py")
    assert SUFFIX_FILE.match("selectors_bimtek.py")
    assert not SUFFIX_FILE.match("views.py")
    assert not SUFFIX_FILE.match("scoring.py")


TESTS = PACKAGE.parents[1] / "tests"
MIRRORED = ("rules", "selectors", "services")


def _mirror_tests_missing() -> list[str]:
    """Each rules, selectors and services module has its own test file beside the others
    of its app: ``rules.py`` → ``tests/<app>/test_rules.py``, ``selectors/public.py`` →
    ``tests/<app>/test_selectors_public.py``."""
    missing = []
    for app in _apps():
        for layer in MIRRORED:
            wanted = []
            if (app / f"{layer}.py").exists():
                wanted.append(f"test_{layer}.py")
            if (app / layer).is_dir():
                parts = sorted(p.stem for p in (app / layer).glob("*.py") if p.stem != "__init__")
                wanted += [f"test_{layer}_{part}.py" for part in parts]
            missing += [
                f"tests/{app.name}/{name}"
                for name in wanted
                if not (TESTS / app.name / name).exists()
            ]
    return missing


def test_every_rules_selectors_and_services_module_has_its_own_tests():
    assert _mirror_tests_missing() == []
