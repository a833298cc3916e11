"""Notes the system writes on indicators, by key: rendered in the language of the reader.

The baseline taken when decisions are published says where its figures came from; stored as
a key with plain JSON parameters, it reads in English for an English reader and in
Indonesian for an Indonesian one. The note stored beside it, as written, is the fallback.
"""

import logging
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise  # typing only: django-stubs is a dev dependency

logger = logging.getLogger(__name__)

BASELINE_AT_PUBLICATION = "baseline.published"

NOTES: dict[str, "StrOrPromise"] = {
    BASELINE_AT_PUBLICATION: gettext_lazy(
        "Baseline from the registry when the decisions of %(cycle)s were published."
    ),
}


def note_text(key: str, params: dict[str, Any]) -> str:
    """The note of ``key`` in the active language; KeyError for an unknown key."""
    return str(NOTES[key] % params)


def render_note(key: str, params: dict[str, Any], *, fallback: str) -> str:
    """The note in the active language, or ``fallback`` for no key, an unknown one, or
    parameters that no longer fit."""
    if not key:
        return fallback
    try:
        return note_text(key, params)
    except (KeyError, TypeError, ValueError):
        logger.warning("Indicator note %r could not be rendered; stored text shown", key)
        return fallback
