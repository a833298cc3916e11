"""Reuse expensive read-only results while the rows behind them are unchanged.

A *fingerprint* is one cheap query over what a result depends on: the newest ``updated_at``
and the row count of each queryset. Any save, delete or workflow move changes it, so a cached
result is never stale, and every process (gunicorn workers, several app servers) decides
freshness from the same database without signals or a shared cache.
"""

from collections.abc import Callable
from functools import wraps
from hashlib import sha256
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Max, QuerySet, Value
from django.http import HttpResponse
from django.utils.translation import get_language

TIMEOUT = 3600


def _scalar(queryset: QuerySet, aggregate) -> tuple[str, tuple]:
    query = queryset.order_by().values(_one=Value(1)).annotate(value=aggregate).values("value")
    sql, params = query.query.sql_with_params()
    return f"({sql})", tuple(params)


def fingerprint(*sources: QuerySet | tuple[QuerySet, str]) -> str:
    """The newest ``updated_at`` and the count of every source, read in one query.

    A source is a queryset, or ``(queryset, "latest")`` when only the newest change counts
    (rows that cannot be deleted, such as centres with proposals).
    """
    columns: list[str] = []
    params: list[Any] = []
    for source in sources:
        queryset, only_latest = (source[0], True) if isinstance(source, tuple) else (source, False)
        aggregates = [Max("updated_at")] if only_latest else [Max("updated_at"), Count("pk")]
        for aggregate in aggregates:
            sql, values = _scalar(queryset, aggregate)
            columns.append(sql)
            params.extend(values)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(columns), params)  # noqa: S608 — compiled querysets
        row = cursor.fetchone()
    return sha256("|".join(str(value) for value in row).encode()).hexdigest()[:24]


def cached(key: str, stamp: str, compute: Callable[[], Any], timeout: int = TIMEOUT) -> Any:
    """``compute()``, reused while ``stamp`` (a fingerprint) is unchanged."""
    full_key = f"fresh:{key}:{stamp}"
    value = cache.get(full_key)
    if value is None:
        value = compute()
        cache.set(full_key, value, timeout)
    return value


def public_page(stamp: Callable[[], str]):
    """Cache a public page's 200 responses for anonymous GETs, per address, host and
    language, while ``stamp()`` is unchanged. Signed-in visitors always get a fresh page."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method not in ("GET", "HEAD") or request.user.is_authenticated:
                return view(request, *args, **kwargs)
            address = sha256(request.build_absolute_uri().encode()).hexdigest()[:32]
            key = f"fresh:page:{address}:{get_language()}:{stamp()}"
            stored = cache.get(key)
            if stored is not None:
                content, headers = stored
                response = HttpResponse(content)
                for name, value in headers:
                    response[name] = value
                return response
            response = view(request, *args, **kwargs)
            if response.status_code == 200 and not response.streaming and not response.cookies:
                cache.set(key, (response.content, list(response.items())), TIMEOUT)
            return response

        return wrapper

    return decorator
