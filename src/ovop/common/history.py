"""Readable change history (who changed what, old → new) from django-simple-history."""

from dataclasses import dataclass, field
from datetime import datetime


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


def change_log(obj, *, limit: int = 50) -> list[LogEntry]:
    """The newest ``limit`` history entries of ``obj``, each with its field changes.

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
                model_field = model._meta.get_field(change.field)
                labels = dict(model_field.flatchoices) if model_field.choices else {}
                changes.append(
                    Change(
                        field=str(model_field.verbose_name),
                        old=labels.get(change.old, change.old),
                        new=labels.get(change.new, change.new),
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
