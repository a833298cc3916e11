"""Limits on what people type, shared by model fields, forms, serializers and the imports.

Put on the model field, a limit reaches every path at once: ModelForms and ModelSerializers
copy a field's validators, and the services and workbook imports run ``full_clean``. Fields
declared by hand on a form or serializer name the same validator or constant.
"""

import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

# --- Text ----------------------------------------------------------------------------------

NAME_MAX_LENGTH = 200  # names of centres, units, products, programmes, people
REASON_MAX_LENGTH = 2000  # why a proposal is returned, screened out or decided otherwise
COMMENT_MAX_LENGTH = 2000  # an assessor's comment on one sub-criterion
GENERAL_COMMENT_MAX_LENGTH = 4000  # an assessor's overall comment
NOTES_MAX_LENGTH = 5000  # addresses, facilities, descriptions, outcome notes
NARRATIVE_MAX_LENGTH = 10000  # a proposal's essays on the OVOP principles

# Invisible characters that make two names look alike or reorder text on screen (Trojan
# Source): zero-width space, joiners and marks, bidirectional embeddings, overrides and
# isolates, the Arabic letter mark, word joiner and invisible operators, the byte order mark.
_INVISIBLE = "\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff"
# C0 controls other than tab, line feed and carriage return; DEL and the C1 controls.
_CONTROL = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
_LINE_BREAKS = "\t\n\r\u2028\u2029"
_SINGLE_LINE = re.compile(f"[{_INVISIBLE}{_CONTROL}{_LINE_BREAKS}]")
_MULTI_LINE = re.compile(f"[{_INVISIBLE}{_CONTROL}]")


def hidden_character(value: str, *, multiline: bool = False) -> tuple[int, str] | None:
    """The 1-based position and code (``U+200B``) of the first forbidden character, or None."""
    match = (_MULTI_LINE if multiline else _SINGLE_LINE).search(value)
    if match is None:
        return None
    return match.start() + 1, f"U+{ord(match.group()):04X}"


@deconstructible
class PlainTextValidator:
    """Refuses invisible, bidirectional and control characters (line breaks too, unless
    ``multiline``): nobody types them, and they hide what a name really says."""

    message = _(
        "Remove the invisible or control character %(character)s at position %(position)s; "
        "type the text again without copying it from another document."
    )
    code = "hidden_character"

    def __init__(self, *, multiline: bool = False):
        self.multiline = multiline

    def __call__(self, value: object) -> None:
        if not isinstance(value, str):
            return
        found = hidden_character(value, multiline=self.multiline)
        if found is not None:
            position, character = found
            raise ValidationError(
                self.message,
                code=self.code,
                params={"character": character, "position": position},
            )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PlainTextValidator) and other.multiline == self.multiline

    def __hash__(self) -> int:
        return hash((PlainTextValidator, self.multiline))


single_line_text = PlainTextValidator()
multi_line_text = PlainTextValidator(multiline=True)


def bounded_text(limit: int) -> list:
    """A TextField's validators: plain multi-line text of at most ``limit`` characters.

    A TextField's ``max_length`` only reaches its form and serializer; the validator makes
    ``full_clean`` (services, imports) check it as well.
    """
    return [MaxLengthValidator(limit), multi_line_text]


# --- Numbers -------------------------------------------------------------------------------

# Rp 100 triliun: far above any sentra's yearly production or a programme's budget, far
# below what the database or Decimal arithmetic can hold.
MAX_RUPIAH = 100_000_000_000_000
MAX_WORKERS = 1_000_000  # people in one sentra, unit or activity
MAX_UNITS = 100_000  # business units in one sentra
MAX_COUNT = 1_000  # small tallies such as certificates held
# What a DecimalField(max_digits=14, decimal_places=2) holds.
MAX_CAPACITY = Decimal("999999999999.99")

rupiah = [MaxValueValidator(MAX_RUPIAH)]
workers = [MaxValueValidator(MAX_WORKERS)]
capacity = [MinValueValidator(Decimal(0)), MaxValueValidator(MAX_CAPACITY)]
