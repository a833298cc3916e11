"""Readable change history (who changed what, old → new) from django-simple-history.

The reasons the system itself writes ("created on screen", "Excel import (…)", "Published"…)
are shown in the reader's language: they are recognised by their English msgid, or by its
translation in any language of the site (older rows were stored as the writer read them),
and written out again under the active language. A reason a person typed is shown as typed.
"""

import functools
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

# The reasons services and screens write, as msgids (they may be stored translated).
SYSTEM_REASONS = [
    gettext_noop("created on screen"),
    gettext_noop("changed on screen"),
    gettext_noop("deleted on screen"),
    gettext_noop("Excel import"),
    gettext_noop("Excel import (%(file)s)"),
    gettext_noop("Published"),
    gettext_noop("Filled with the computed stars"),
    gettext_noop("Assessor profile"),
    gettext_noop("Removed by %(actor)s"),
    gettext_noop("Forwarded with cover letter %(number)s."),
]
# A reason that already says what the entry's kind says is folded into one phrase, so a
# creation on screen reads "Created on screen", not "Created — created on screen".
FOLDED = {
    ("+", "created on screen"): gettext_noop("Created on screen"),
    ("-", "deleted on screen"): gettext_noop("Deleted on screen"),
}
KIND_LABELS = {"+": gettext_noop("Created"), "-": gettext_noop("Deleted")}
_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


@functools.cache
def _reason_patterns() -> list[tuple[re.Pattern[str], str]]:
    """Each system reason in every language of the site, as a pattern naming its msgid."""
    patterns = []
    for msgid in SYSTEM_REASONS:
        wordings = {msgid}
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                wordings.add(_(msgid))
        for wording in sorted(wordings):
            parts = _PLACEHOLDER.split(wording)
            # split() alternates text and placeholder names: text, name, text, name, text…
            regex = "".join(
                re.escape(part) if index % 2 == 0 else f"(?P<{part}>.+)"
                for index, part in enumerate(parts)
            )
            patterns.append((re.compile(regex, re.IGNORECASE), msgid))
    return patterns


def system_reason(stored: str) -> tuple[str, dict[str, Any]] | None:
    """The msgid and parameters of a stored system reason; None for one a person typed."""
    stored = stored.strip()
    for pattern, msgid in _reason_patterns():
        match = pattern.fullmatch(stored)
        if match:
            return msgid, match.groupdict()
    return None


def in_reader_language(stored: str) -> str:
    """A stored text the system wrote, in the active language; one a person typed, as typed."""
    known = system_reason(stored) if stored else None
    if known is None:
        return stored
    msgid, params = known
    return _(msgid) % params if params else _(msgid)


def describe(kind: str, stored_reason: str) -> tuple[str, str]:
    """What a history entry says, in the active language: (what happened, why)."""
    known = system_reason(stored_reason) if stored_reason else None
    if known is not None and (kind, known[0]) in FOLDED:
        return _(FOLDED[kind, known[0]]), ""
    label = _(KIND_LABELS[kind]) if kind in KIND_LABELS else ""
    if known is None:
        return label, stored_reason
    msgid, params = known
    return label, _(msgid) % params if params else _(msgid)


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
    reason: str  # as stored
    changes: list[Change] = field(default_factory=list)

    @functools.cached_property
    def _described(self) -> tuple[str, str]:
        return describe(self.kind, self.reason)

    @property
    def label(self) -> str:
        """What happened ("Created", "Created on screen"…) in the reader's language."""
        return self._described[0]

    @property
    def shown_reason(self) -> str:
        """Why, in the reader's language when the system wrote it; "" when the label says it."""
        return self._described[1]


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
