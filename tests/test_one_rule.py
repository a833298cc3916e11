"""Issue 16: one rule per concern, enforced by reading the source.

* A role decision (``user.role == …``, ``Role.X != …``, ``… in (Role.A, Role.B)``, a template's
  ``{% if user.role == "verifier" %}``) lives only in an app's ``rules.py``, in its selectors
  (``selectors.py`` or a module of ``selectors/``, the one visibility rule per model) or in
  ``accounts/scope.py``; everything else names a permission or calls a predicate.
* A person's regional scope (``len(user.region_id) == 2``, ``user.region.level``,
  ``user.region_id[:2]``) is derived only in ``accounts/scope.py`` (``region_scope``).

Setting a role (``user.role = role``), showing it (``get_role_display``) and filtering accounts
by it (``filter(role=Role.OPERATOR)``) are not decisions about the person asking, and do not
match. The test fails with every offender as ``path:line``.
"""

import re
from pathlib import Path

import pytest

SOURCE = Path(__file__).resolve().parent.parent / "src" / "ovop"

_PERSON = r"""\b(?:user|actor|assessor|target|self\.actor|request\.user|self\.request\.user)"""
ROLE_COMPARISON = re.compile(
    r"""\.role\s*(==|!=|\bin\b|\bnot\s+in\b)"""  # user.role == …, user.role in (…)
    rf"""|(==|!=)\s*{_PERSON}\.role\b"""  # … == user.role
    r"""|\brole\s*(==|!=)\s*['"]"""  # role == "verifier"
    r"""|(==|!=)\s*Role\.|Role\.[A-Z]+\s*(==|!=)"""  # … == Role.ADMIN, Role.ADMIN != …
    r"""|\bin\s*[(\[{]\s*Role\."""  # … in (Role.VERIFIER, Role.OPERATOR)
    r"""|\.get\(\s*[\w.]*\.role\s*\)|\[\s*[\w.]*\.role\s*\]"""  # {Role.X: …}.get(user.role)
)
SCOPE_DERIVATION = re.compile(
    r"""len\([^)]*region_id"""  # len(user.region_id) == 5
    rf"""|{_PERSON}\.region\.level"""  # user.region.level == "province"
    rf"""|{_PERSON}\.region_id\s*\["""  # user.region_id[:2]
    r"""|region_id\s+or\s+['"]{2}\s*\)\s*\["""  # (user.region_id or "")[:2]
)

# Where each kind of rule may be written.
ROLE_HOMES = ("rules.py", "accounts/scope.py")
SCOPE_HOMES = ("accounts/scope.py",)

# Justified exceptions, as {"app/file.py:line text fragment": "why"}. None are needed today.
ALLOWED: dict[str, str] = {}


def _sources() -> list[Path]:
    paths = [*SOURCE.rglob("*.py"), *SOURCE.rglob("*.html"), *SOURCE.rglob("*.txt")]
    return sorted(path for path in paths if "migrations" not in path.parts)


def _is_selector(relative: str) -> bool:
    return relative.endswith("/selectors.py") or "/selectors/" in relative


def _offenders(pattern: re.Pattern[str], *, homes: tuple[str, ...], selectors: bool) -> list[str]:
    found = []
    for path in _sources():
        relative = path.relative_to(SOURCE).as_posix()
        if relative.endswith(homes) or (selectors and _is_selector(relative)):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if pattern.search(line) and not _allowed(relative, line):
                found.append(f"src/ovop/{relative}:{number}: {line.strip()}")
    return found


def _allowed(relative: str, line: str) -> bool:
    return any(key.split(":", 1)[0] == relative and key.split(":", 1)[1] in line for key in ALLOWED)


def test_no_role_comparison_outside_rules_and_selectors():
    offenders = _offenders(ROLE_COMPARISON, homes=ROLE_HOMES, selectors=True)
    assert not offenders, (
        "Role decisions belong in an app's rules.py (a named predicate or permission) or in "
        "its selectors:\n" + "\n".join(offenders)
    )


def test_no_scope_derived_from_a_user_outside_the_scope_module():
    offenders = _offenders(SCOPE_DERIVATION, homes=SCOPE_HOMES, selectors=False)
    assert not offenders, (
        "Derive a person's scope with ovop.accounts.scope.region_scope and map it to your "
        "fields:\n" + "\n".join(offenders)
    )


@pytest.mark.parametrize(
    "line",
    [
        'if user.role == "verifier":',
        "if request.user.role != Role.ADMIN and x:",
        "if actor.role in (Role.VERIFIER, Role.OPERATOR):",
        '{% if user.role == "operator" %}',
        '{% if "viewer" == user.role %}',
        "return {Role.VERIFIER: 1}.get(user.role)",
        "if Role.ADMIN == user.role:",
    ],
)
def test_the_role_pattern_catches_comparisons(line):
    assert ROLE_COMPARISON.search(line)


@pytest.mark.parametrize(
    "line",
    [
        "user.role = role",
        "{{ user.get_role_display }}",
        "User.objects.filter(role=Role.OPERATOR, is_active=True)",
        "(Role(row['role']).label, row['total'])",
        'actor = operator if who == "operator" else people[who]',
        "{% if value == filters.role %} selected{% endif %}",
    ],
)
def test_the_role_pattern_ignores_setting_showing_and_filtering(line):
    assert not ROLE_COMPARISON.search(line)


@pytest.mark.parametrize(
    "line",
    [
        "if len(user.region_id) == 5:",
        "if user.region.level == RegionLevel.PROVINCE:",
        "return user.region_id[:2]",
        '.filter(province_id=(user.region_id or "")[:2])',
        '{% if user.region.level == "province" %}',
    ],
)
def test_the_scope_pattern_catches_derivations(line):
    assert SCOPE_DERIVATION.search(line)


def test_the_scope_pattern_ignores_a_centres_own_region():
    assert not SCOPE_DERIVATION.search("centre.regency_id = centre.region_id[:5]")
