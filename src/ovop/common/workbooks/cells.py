"""Reading and describing workbook cells, for every workbook the apps exchange.

A column spec (``Column``) knows how to read a cell (``parse``) and how to write a value
(``format``) so that ``parse(format(value))`` gives the stored value back and a re-import
changes nothing. Numbers and dates are read the Indonesian way as well as Excel's own.
"""

import datetime
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import TextChoices
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# What Excel shows in a cell whose formula failed.
FORMULA_ERRORS = frozenset(
    {
        "#NULL!",
        "#DIV/0!",
        "#VALUE!",
        "#REF!",
        "#NAME?",
        "#NUM!",
        "#N/A",
        "#GETTING_DATA",
        "#SPILL!",
        "#CALC!",
        "#FIELD!",
        "#BLOCKED!",
        "#CONNECT!",
        "#BUSY!",
        "#UNKNOWN!",
    }
)

NUMBER_HINT = gettext_lazy("write it like 1.250.000 or 1.250.000,50")
DATE_HINT = gettext_lazy("write it like 21/05/2024")


class CellError(ValueError):
    """A cell that cannot be read; the message says what to write instead."""


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# --- Reading cells -------------------------------------------------------------------------

_THOUSANDS_DOTS = re.compile(r"^-?\d{1,3}(\.\d{3})+$")
_THOUSANDS_COMMAS = re.compile(r"^-?\d{1,3}(,\d{3})+$")
_PLAIN_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
# Far beyond every column's range (the model validators name each range); a larger number is
# a typing slip, and rounding it to sen or to a coordinate's 6 places would overflow.
LARGEST_NUMBER = Decimal("1e18")


def _within_reach(number: Decimal, value: Any) -> Decimal:
    if not number.is_finite() or abs(number) >= LARGEST_NUMBER:
        raise CellError(
            _("“%(value)s” is far too large for this column; check the number.") % {"value": value}
        )
    return number


def parse_number(value: Any) -> Decimal:
    """A number typed the Indonesian way ("Rp 1.250.000,50") or a real numeric cell."""
    if isinstance(value, bool | datetime.date | datetime.time):
        raise CellError(_("Not a number; %(hint)s.") % {"hint": NUMBER_HINT})
    if isinstance(value, int | float):
        return _within_reach(Decimal(repr(value)), value)
    text = str(value).strip().replace("\u00a0", " ")
    text = re.sub(r"^rp\.?", "", text, flags=re.IGNORECASE)
    text = re.sub(r"[,.]-$", "", text).replace(" ", "").rstrip("%")
    number = _normalise_separators(text)
    if number is None or not _PLAIN_NUMBER.match(number):
        raise CellError(
            _("“%(value)s” is not a number; %(hint)s.") % {"value": value, "hint": NUMBER_HINT}
        )
    return _within_reach(Decimal(number), value)


def _normalise_separators(text: str) -> str | None:
    """ "1.250.000,50" → "1250000.50"; a lone dot is a decimal point unless it groups 3 digits."""
    if "." in text and "," in text:
        decimal_mark = "," if text.rfind(",") > text.rfind(".") else "."
        grouping = "." if decimal_mark == "," else ","
        whole, _sep, fraction = text.rpartition(decimal_mark)
        if not re.match(rf"^-?\d{{1,3}}(\{grouping}\d{{3}})*$", whole):
            return None
        return whole.replace(grouping, "") + "." + fraction
    if "," in text:
        if text.count(",") > 1:
            return text.replace(",", "") if _THOUSANDS_COMMAS.match(text) else None
        return text.replace(",", ".")
    if _THOUSANDS_DOTS.match(text):
        return text.replace(".", "")
    return text


def parse_whole_number(value: Any) -> int:
    number = parse_number(value)
    if number != number.to_integral_value():
        raise CellError(_("“%(value)s” must be a whole number.") % {"value": value})
    return int(number)


def parse_rupiah(value: Any) -> int:
    # Sen do not matter for yearly production or investment: round to whole rupiah.
    return int(parse_number(value).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def parse_percent(value: Any) -> int:
    number = parse_number(value)
    if isinstance(value, float) and 0 < value < 1:
        number *= 100  # a cell formatted as percent holds 0.8 for 80 %
    if number != number.to_integral_value():
        raise CellError(_("Write the share as a whole percentage, e.g. 80."))
    return int(number)


def decimal_parser(places: int) -> Callable[[Any], Decimal]:
    step = Decimal(1).scaleb(-places)

    def parse(value: Any) -> Decimal:
        return parse_number(value).quantize(step, rounding=ROUND_HALF_UP)

    return parse


def parse_coordinate(value: Any) -> Decimal:
    """Coordinates never have thousands separators: "-3,43" and "-3.43" both mean -3.43."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = Decimal(repr(value))
    else:
        text = str(value).strip().replace(",", ".").replace(" ", "")
        if not _PLAIN_NUMBER.match(text):
            raise CellError(
                _("“%(value)s” is not a coordinate; write decimal degrees, e.g. -3.4300.")
                % {"value": value}
            )
        number = Decimal(text)
    return _within_reach(number, value).quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP)


EXCEL_EPOCH = datetime.date(1899, 12, 30)
DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d", "%d/%m/%y", "%d.%m.%Y", "%d %m %Y")
MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("januari", "jan", "january"),
            ("februari", "feb", "pebruari", "february"),
            ("maret", "mar", "march"),
            ("april", "apr"),
            ("mei", "may"),
            ("juni", "jun", "june"),
            ("juli", "jul", "july"),
            ("agustus", "agu", "agt", "aug", "august"),
            ("september", "sep", "sept"),
            ("oktober", "okt", "oct", "october"),
            ("november", "nov", "nopember"),
            ("desember", "des", "dec", "december"),
        ],
        start=1,
    )
    for name in names
}


def parse_date(value: Any) -> datetime.date:
    """A real Excel date, a serial number, 21/05/2024, 21-05-2024, 2024-05-21 or 21 Mei 2024."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value < 2958466 and float(value).is_integer():
            return EXCEL_EPOCH + datetime.timedelta(days=int(value))
    else:
        text = " ".join(str(value).split())
        for pattern in DATE_FORMATS:
            try:
                return datetime.datetime.strptime(text, pattern).date()
            except ValueError:
                continue
        spelled = _spelled_date(text)
        if spelled is not None:
            return spelled
    raise CellError(_("“%(value)s” is not a date; %(hint)s.") % {"value": value, "hint": DATE_HINT})


def _spelled_date(text: str) -> datetime.date | None:
    match = re.match(r"^(\d{1,2})[ -]([A-Za-z]+)\.?[ -](\d{4})$", text)
    if not match or match.group(2).lower() not in MONTHS:
        return None
    try:
        return datetime.date(
            int(match.group(3)), MONTHS[match.group(2).lower()], int(match.group(1))
        )
    except ValueError:
        return None


def parse_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # Excel stores typed digits ("123") as the number 123.0
    if isinstance(value, datetime.datetime | datetime.date):
        return value.strftime("%d/%m/%Y")
    return str(value).strip()


def identifier_parser(message: Any) -> Callable[[Any], int]:
    """A parser of a row's ID: a whole number of 1 or more; else ``message`` (with %(value)s)."""

    def parse(value: Any) -> int:
        try:
            number = parse_whole_number(value)
        except CellError:
            number = 0
        if number < 1:
            raise CellError(str(message) % {"value": value})
        return number

    return parse


def choice_parser(choices: type[TextChoices]) -> Callable[[Any], str]:
    """The code (e.g. "month") or its label in the current language, any letter case."""

    def parse(value: Any) -> str:
        text = parse_text(value).casefold()
        for choice in choices:
            if text in (choice.value, str(choice.label).casefold()):
                return choice.value
        raise CellError(
            _("“%(value)s” is not in the list; choose one of: %(choices)s.")
            % {"value": value, "choices": ", ".join(choices.values)}
        )

    return parse


# --- Writing cells -------------------------------------------------------------------------


def attribute(name: str) -> Callable[[Any], Any]:
    def format_(item) -> Any:
        return getattr(item, name)

    return format_


# --- The column spec -----------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str  # stable key, also accepted as a header by the import
    header: str  # Indonesian header, identical in template, export and import
    field: str | None  # model field; None for the ID
    parse: Callable[[Any], Any]
    format: Callable[[Any], Any]
    help: Any = ""  # lazy text for the instructions sheet and the cell input message
    example: str = ""
    required: bool = False
    blank: Any = None  # stored when the cell is empty
    width: int = 16
    kind: str = "text"  # id | text | number | decimal | date — the template's cell format

    def read(self, value: Any) -> Any:
        if is_blank(value):
            if self.required:
                raise CellError(
                    _("Empty; fill in %(column)s for every sentra.") % {"column": self.header}
                )
            return self.blank
        return self.parse(value)


def normalise_header(text: Any) -> str:
    return " ".join(str(text).split()).casefold()


def header_lookup(columns: Iterable[Column]) -> dict[str, Column]:
    """A header cell names its column by its Indonesian header or its stable key ("name")."""
    columns = list(columns)
    return {
        **{normalise_header(column.key): column for column in columns},
        **{normalise_header(column.header): column for column in columns},
    }


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters
