"""Reuse expensive read-only results while the rows behind them are unchanged.

A *fingerprint* is one cheap query over what a result depends on: the newest ``updated_at``
and the row count of each queryset. Any save, delete or workflow move changes it, so a cached
result is never stale, and every process (gunicorn workers, several app servers) decides
freshness from the same database without signals or a shared cache.
"""

from collections import OrderedDict
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


def _compile(sources) -> tuple[str, list[Any]]:
    columns: list[str] = []
    params: list[Any] = []
    for source in sources:
        if isinstance(source, tuple):
            queryset, what = source
            aggregates = [Max(what) if isinstance(what, str) else what]
        else:
            queryset, aggregates = source, [Max("updated_at"), Count("pk")]
        for aggregate in aggregates:
            sql, values = _scalar(queryset, aggregate)
            columns.append(sql)
            params.extend(values)
    return "SELECT " + ", ".join(columns), params


def _read(sql: str, params: list[Any]) -> str:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return sha256("|".join(str(value) for value in row).encode()).hexdigest()[:24]


def fingerprint(*sources: QuerySet | tuple[QuerySet, str]) -> str:
    """The newest ``updated_at`` and the count of every source, read in one query.

    A source is a queryset, or ``(queryset, "path__to__updated_at")`` when only the newest
    change along that path counts (rows that cannot be deleted, such as the centres behind
    decisions: ``(Decision.objects.all(), "proposal__centre__updated_at")``), or
    ``(queryset, aggregate)`` for any other aggregate.
    """
    return _read(*_compile(sources))


class Fingerprint:
    """A fixed fingerprint, compiled to SQL once per process and arguments (compiling costs
    more than running it): ``STAMP = Fingerprint(lambda cycle_id: [sources…])`` at module
    level, then ``STAMP(cycle.pk)`` reads it in one query."""

    def __init__(self, sources: Callable[..., list]):
        self.sources = sources
        self.compiled: dict[tuple, tuple[str, list[Any]]] = {}

    def __call__(self, *args) -> str:
        if args not in self.compiled:
            self.compiled[args] = _compile(self.sources(*args))
        return _read(*self.compiled[args])


# The newest results also stay in this process as they are: unpickling a whole ranking from
# the cache costs ~35 ms. Callers treat cached values as read-only.
_LOCAL: OrderedDict[str, Any] = OrderedDict()
LOCAL_ENTRIES = 32


def forget() -> None:
    """Drop this process's copies (tests; the shared cache is cleared separately)."""
    _LOCAL.clear()


def cached(
    key: str,
    stamp: str,
    compute: Callable[[], Any],
    timeout: int = TIMEOUT,
    *,
    shared: bool = True,
) -> Any:
    """``compute()``, reused while ``stamp`` (a fingerprint) is unchanged.

    ``shared=False`` keeps the value in this process only: for results that are quicker to
    compute again than to pickle into the shared cache and read back.
    """
    full_key = f"fresh:{key}:{stamp}"
    if full_key in _LOCAL:
        _LOCAL.move_to_end(full_key)
        return _LOCAL[full_key]
    value = cache.get(full_key) if shared else None
    if value is None:
        value = compute()
        if shared:
            cache.set(full_key, value, timeout)
    _LOCAL[full_key] = value
    if len(_LOCAL) > LOCAL_ENTRIES:
        _LOCAL.popitem(last=False)
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
