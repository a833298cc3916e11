"""Readable change history of programmes and activities, including their sentra and units.

``ovop.common.history.change_log`` diffs plain fields only (a many-to-many change makes it
stop). Programmes and activities record their participants as history too, so this version
diffs the plain fields the same way and compares the recorded members of each
many-to-many field, read for the whole log in one query per field.
"""

from typing import Any, cast

from django.db.models import Field, Model
from simple_history.utils import get_m2m_reverse_field_name

from ovop.coaching.enums import Focus, Principle
from ovop.coaching.models import Activity, Programme
from ovop.common.history import Change, LogEntry

# Focus aspects and principles are JSON lists of these slugs.
LIST_LABELS = {**dict(Focus.choices), **dict(Principle.choices)}

# A tracked object, and one of its historical records (django-simple-history has no types).
Tracked = Programme | Activity
HistoricalRecord = Any


def _members(
    obj: Tracked, records: list[HistoricalRecord], names: list[str]
) -> dict[str, dict[int, frozenset[int]]]:
    """For each many-to-many field: history id → the related ids recorded with it."""
    members: dict[str, dict[int, frozenset[int]]] = {}
    ids = [record.history_id for record in records]
    for name in names:
        through = getattr(records[0], name).model
        related = get_m2m_reverse_field_name(obj._meta.get_field(name))
        grouped: dict[int, set[int]] = {}
        for history_id, member in through.objects.filter(history_id__in=ids).values_list(
            "history_id", f"{related}_id"
        ):
            grouped.setdefault(history_id, set()).add(member)
        members[name] = {key: frozenset(value) for key, value in grouped.items()}
    return members


def _labels(obj: Tracked, name: str, ids: set[int]) -> dict[int, str]:
    model = cast("type[Model]", obj._meta.get_field(name).related_model)  # a many-to-many field
    return {pk: str(item) for pk, item in model._default_manager.in_bulk(list(ids)).items()}


def _field_changes(
    model: type[Model],
    record: HistoricalRecord,
    previous: HistoricalRecord,
    m2m_names: list[str],
) -> list[Change]:
    changes: list[Change] = []
    for change in record.diff_against(previous, excluded_fields=m2m_names).changes:
        model_field = cast("Field[Any, Any]", model._meta.get_field(change.field))  # plain field
        labels = dict(model_field.flatchoices) if model_field.choices else {}
        changes.append(
            Change(
                field=str(model_field.verbose_name),
                old=_readable(change.old, labels),
                new=_readable(change.new, labels),
            )
        )
    return changes


def change_log(obj: Tracked, *, limit: int = 50) -> list[LogEntry]:
    """The newest ``limit`` history entries of ``obj`` with their field and member changes."""
    model = obj.history.model
    records = list(
        obj.history.select_related("history_user").order_by("-history_date", "-history_id")[
            : limit + 1
        ]
    )
    if not records:
        return []
    m2m_names = [field.name for field in getattr(model, "_history_m2m_fields", [])]
    members = _members(obj, records, m2m_names)
    everyone = {name: set().union(*members[name].values()) for name in m2m_names}
    labels = {name: _labels(obj, name, everyone[name]) for name in m2m_names}
    entries: list[LogEntry] = []
    for index, record in enumerate(records[:limit]):
        previous = records[index + 1] if index + 1 < len(records) else None
        changes: list[Change] = []
        if previous is not None and record.history_type == "~":
            changes = _field_changes(model, record, previous, m2m_names)
            for name in m2m_names:
                old = members[name].get(previous.history_id, frozenset())
                new = members[name].get(record.history_id, frozenset())
                if old != new:
                    changes.append(
                        Change(
                            field=str(
                                cast("Field[Any, Any]", obj._meta.get_field(name)).verbose_name
                            ),
                            old=_names(labels[name], old),
                            new=_names(labels[name], new),
                        )
                    )
        if record.history_type == "~" and not changes and not record.history_change_reason:
            continue
        entries.append(
            LogEntry(
                when=record.history_date,
                who=record.history_user,
                kind=record.history_type,
                reason=record.history_change_reason or "",
                changes=changes,
            )
        )
    return entries


def _names(labels: dict[int, str], ids: frozenset[int]) -> str:
    return ", ".join(sorted(labels.get(pk, f"#{pk}") for pk in ids))


def _readable(value: object, labels: dict[Any, Any]) -> object:
    if isinstance(value, list):
        return ", ".join(str(LIST_LABELS.get(item, item)) for item in value)
    if isinstance(value, dict):
        return value
    return labels.get(value, value)
