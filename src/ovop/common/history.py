"""Readable change history (who changed what, old → new) from django-simple-history."""

from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import FieldDoesNotExist


@dataclass
class Change:
    field: str
    old: object
    new: object


@dataclass
class LogEntry:
    when: datetime
    who: object
    kind: str  # "+" created, "~" changed, "-" deleted
    reason: str
    changes: list[Change] = field(default_factory=list)


def change_log(obj, *, limit: int = 50, list_labels: dict | None = None) -> list[LogEntry]:
    """The newest ``limit`` history entries of ``obj``, each with its field changes.

    ``list_labels`` names the choices of JSON list fields (field name → {code: label}).

    Diffs consecutive records in memory, so the whole log costs one query.
    """
    model = obj.history.model
    records = list(
        obj.history.select_related("history_user").order_by("-history_date", "-history_id")[
            : limit + 1
        ]
    )
    entries = []
    for index, record in enumerate(records[:limit]):
        previous = records[index + 1] if index + 1 < len(records) else None
        changes = []
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous)
            for change in delta.changes:
                model_field = _field(model, obj, change.field)
                labels = dict(model_field.flatchoices) if model_field.choices else {}
                labels = (list_labels or {}).get(change.field, labels)
                changes.append(
                    Change(
                        field=str(model_field.verbose_name),
                        old=_readable(change.old, labels),
                        new=_readable(change.new, labels),
                    )
                )
        if record.history_type == "~" and not changes and not record.history_change_reason:
            continue  # e.g. a sign-in touched only an excluded field (last_login)
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


def _field(historical_model, obj, name: str):
    """The field a change is about; many-to-many fields live on the tracked model only."""
    try:
        return historical_model._meta.get_field(name)
    except FieldDoesNotExist:
        return obj._meta.get_field(name)


def _readable(value, labels: dict):
    """Choice labels for plain values and lists of them; a count for many-to-many rows."""
    if isinstance(value, list):
        if all(isinstance(item, (str, int)) for item in value):
            return ", ".join(str(labels.get(item, item)) for item in value) or "–"
        return len(value)  # many-to-many rows: how many are linked
    if isinstance(value, dict):
        return value
    return labels.get(value, value)
