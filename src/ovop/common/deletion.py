"""Deleting a record unless other records still need it — the one place that decides.

Delete services call ``delete_unless_needed``; it refuses with ``Refused``, naming what
still depends on the record ("2 proposals are still linked to this sentra IKM."), when the
database's PROTECT / RESTRICT rules forbid the delete or when it would cut a link from an app
whose records must stay as they are (a proposal losing its lead IKM). The API answers the
refusal with 409, screens with a page that says what to do.
"""

from collections import Counter
from collections.abc import Iterable
from typing import Any

from django.db import models, router, transaction
from django.db.models import ProtectedError, QuerySet, RestrictedError
from django.db.models.deletion import Collector
from django.utils.translation import ngettext

from ovop.common.refusals import Refused


def _sentence(record: models.Model, counts: Counter[type[models.Model]]) -> str:
    parts = []
    for model, count in sorted(counts.items(), key=lambda item: item[0]._meta.label):
        meta = model._meta
        parts.append(
            ngettext(
                "%(count)d %(dependants)s is still linked to this %(record)s.",
                "%(count)d %(dependants)s are still linked to this %(record)s.",
                count,
            )
            % {
                "count": count,
                "dependants": meta.verbose_name if count == 1 else meta.verbose_name_plural,
                "record": record._meta.verbose_name,
            }
        )
    return " ".join(parts)


def _size(rows: Any) -> int:
    # A batch is a queryset (not fetched yet) or a list of rows, whatever the stubs say.
    return rows.count() if isinstance(rows, QuerySet) else len(rows)


def _touched(collector: Collector, apps: Iterable[str]) -> Counter[type[models.Model]]:
    """Rows of ``apps`` the collected delete would remove or change (SET_NULL and the like)."""
    apps = set(apps)
    counts: Counter[type[models.Model]] = Counter()
    for model, instances in collector.data.items():
        if model._meta.app_label in apps:
            counts[model] += len(instances)
    for queryset in collector.fast_deletes:
        if queryset.model._meta.app_label in apps:
            counts[queryset.model] += _size(queryset)
    for (field, _value), batches in collector.field_updates.items():
        if field.model._meta.app_label in apps:
            counts[field.model] += sum(_size(batch) for batch in batches)
    return +counts  # drops the models with nothing to touch


def _collect(record: models.Model, *, untouchable: Iterable[str], hint: str) -> Collector:
    collector = Collector(using=router.db_for_write(type(record)), origin=record)
    try:
        collector.collect([record])
    except ProtectedError as error:
        counts = Counter(type(row) for row in error.protected_objects)
        raise Refused(_sentence(record, counts), hint=hint) from error
    except RestrictedError as error:
        counts = Counter(type(row) for row in error.restricted_objects)
        raise Refused(_sentence(record, counts), hint=hint) from error
    touched = _touched(collector, untouchable)
    if touched:
        raise Refused(_sentence(record, touched), hint=hint)
    return collector


def deletion_refusal(
    record: models.Model, *, untouchable: Iterable[str] = (), hint: str = ""
) -> Refused | None:
    """Why ``record`` cannot be deleted now, or None; deletes nothing (confirmation pages)."""
    try:
        _collect(record, untouchable=untouchable, hint=hint)
    except Refused as refusal:
        return refusal
    return None


@transaction.atomic
def delete_unless_needed(
    record: models.Model, *, untouchable: Iterable[str] = (), hint: str = ""
) -> None:
    """Delete ``record`` with what belongs to it, or raise ``Refused`` and delete nothing.

    ``untouchable`` names apps (e.g. ``"proposals"``) whose rows the delete may neither remove
    nor change; PROTECT and RESTRICT are always honoured.
    """
    # Lock the row first: a record being linked at this moment (a proposal of this centre
    # being saved) is then either seen by the check below or made to wait until we are done.
    list(type(record)._default_manager.select_for_update().filter(pk=record.pk).values("pk"))
    _collect(record, untouchable=untouchable, hint=hint).delete()
