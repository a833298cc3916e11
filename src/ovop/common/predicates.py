"""Typed front for django-rules: its decorator and ``add_perm`` carry no annotations.

``predicate`` keeps the decorated function's parameters, so a direct call such as
``is_admin(user)`` is checked, and the result still combines with ``&``, ``|``, ``^`` and ``~``
as a ``rules.Predicate`` does. ``add_perm`` registers a named permission.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ParamSpec, Protocol, cast

import rules

P = ParamSpec("P")


class Predicate(Protocol[P]):
    """What ``rules.predicate`` returns: called like the function, combined into new rules."""

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> bool: ...

    def test(self, obj: Any = ..., target: Any = ...) -> bool: ...

    def __and__(self, other: Predicate[...]) -> Predicate[...]: ...

    def __or__(self, other: Predicate[...]) -> Predicate[...]: ...

    def __xor__(self, other: Predicate[...]) -> Predicate[...]: ...

    def __invert__(self) -> Predicate[P]: ...


def predicate(fn: Callable[P, bool]) -> Predicate[P]:
    """``rules.predicate`` with the function's signature kept."""
    return cast("Predicate[P]", rules.predicate(fn))


def add_perm(name: str, pred: Predicate[...]) -> None:
    """``rules.add_perm``: register ``pred`` as the named permission."""
    rules.add_perm(name, pred)
