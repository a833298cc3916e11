"""Checksums of a database's tables that agree between SQLite and PostgreSQL exactly when
the two hold the same values: what a backup's manifest records and a restore checks."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any, cast

from django.db import connection, models
from django.utils import timezone
from django.utils.dateparse import parse_datetime

_MICROSECOND = timedelta(microseconds=1)


def _plain(value: Any) -> Any:
    """Text, numbers and NULL as they are; anything else (PostgreSQL's inet) as text."""
    return value if value is None or isinstance(value, str | int | float) else str(value)


def _utc_datetime(value: Any) -> str | None:
    """SQLite holds naive UTC text (read back as naive datetimes), PostgreSQL aware values."""
    if value is None:
        return None
    moment = cast(datetime, parse_datetime(value) if isinstance(value, str) else value)
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _isoformat(value: Any) -> Any:
    return value if value is None or isinstance(value, str) else value.isoformat()


def _optional(convert: Any) -> Any:
    return lambda value: None if value is None else convert(value)


# How SQLite and PostgreSQL spell the same value differently, by field type; everything else
# (text, integers, NULLs) is compared as read.
_NORMALISERS = {
    "DateTimeField": _utc_datetime,  # SQLite: naive UTC, PostgreSQL: aware
    "DateField": _isoformat,
    "TimeField": _isoformat,
    # SQLite keeps JSON's text, PostgreSQL jsonb its own spelling: the parsed value.
    "JSONField": lambda value: json.loads(value) if isinstance(value, str | bytes) else value,
    "BooleanField": _optional(bool),  # SQLite: 0 and 1
    "UUIDField": _optional(lambda value: uuid.UUID(str(value)).hex),  # SQLite: 32 hex digits
    # SQLite: microseconds, PostgreSQL: an interval.
    "DurationField": _optional(
        lambda value: value if isinstance(value, int) else value // _MICROSECOND
    ),
    "BinaryField": _optional(lambda value: bytes(value).hex()),
    "FloatField": _optional(float),
}


def _normaliser(field: Any) -> Any:
    """How to read one column's raw value so that SQLite and PostgreSQL agree on equal values
    (and only on equal values)."""
    while field.is_relation and field.target_field is not field:  # a key: its target's type
        field = field.target_field
    kind = field.get_internal_type()
    if kind == "DecimalField":  # SQLite holds a float (or text): the value at the field's places
        step = Decimal(1).scaleb(-(field.decimal_places or 0))
        return _optional(lambda value: str(Decimal(str(value)).quantize(step)))
    return _NORMALISERS.get(kind, _plain)


def _table_checksum(cursor: Any, model: type[models.Model]) -> str:
    fields: list[Any] = sorted(model._meta.concrete_fields, key=lambda field: str(field.column))
    normalisers = [_normaliser(field) for field in fields]
    pk_index = fields.index(model._meta.pk)
    qn = connection.ops.quote_name
    cursor.execute(
        f"SELECT {', '.join(qn(field.column) for field in fields)} "  # noqa: S608 - names from the models  # nosec B608
        f"FROM {qn(model._meta.db_table)} ORDER BY {qn(str(model._meta.pk.column))}"
    )
    # Integer keys sort alike everywhere; text keys collate differently per database, so
    # those rows are put in order here.
    in_order = isinstance(model._meta.pk, models.AutoField | models.IntegerField)
    digest = hashlib.sha256(json.dumps([field.column for field in fields]).encode())
    keyed_rows: list[tuple[Any, bytes]] = []
    while batch := cursor.fetchmany(2000):
        for row in batch:
            values = [normalise(value) for normalise, value in zip(normalisers, row, strict=True)]
            line = json.dumps(values, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
            row_digest = hashlib.sha256(line.encode()).digest()
            if in_order:
                digest.update(row_digest)
            else:
                keyed_rows.append((values[pk_index], row_digest))
    for _key, row_digest in sorted(keyed_rows, key=lambda keyed: keyed[0]):
        digest.update(row_digest)
    return digest.hexdigest()


def table_checksums(tables: Iterable[type[models.Model]]) -> dict[str, str]:
    """SHA-256 of every backed-up table's rows, by table name: equal for two databases, on
    SQLite or PostgreSQL, exactly when they hold the same values.

    Rows are read raw (``SELECT`` every column ``ORDER BY`` the primary key, no model code)
    and only what the two databases spell differently is normalised: datetimes to aware UTC
    with microseconds, decimals by value at the field's places, JSON by its parsed value,
    booleans, UUIDs, dates and binary to one spelling. Nothing else (text, numbers, NULLs)."""
    with connection.cursor() as cursor:
        return {model._meta.db_table: _table_checksum(cursor, model) for model in tables}
