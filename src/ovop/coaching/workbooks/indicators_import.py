"""Importing the indicators workbook, all or nothing.

The file is checked by its content (an .xlsx zip with a workbook inside, read with
python-calamine), then every row and cell: the centre must be one the user sees and may
change, the year a year, the kind ``actual`` or ``target``, figures numbers of 0 or more,
market reach and sales channels known codes. Only when no row has a problem are the rows
written, in one transaction, each through ``save_indicator``; a dry run writes nothing.
Rows upsert by (centre, year, kind). A baseline row is accepted only when it changes
nothing (so an export imports back), since a baseline is corrected on screen with a reason.
"""

import copy
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ovop.centres.models import Centre
from ovop.centres.selectors import centres_visible_to
from ovop.coaching.enums import IndicatorKind
from ovop.coaching.models import Indicator
from ovop.coaching.services.indicators import save_indicator
from ovop.coaching.workbooks.indicators import COLUMN_BY_KEY, COLUMNS, DATA_SHEET, FIGURE_KEYS
from ovop.common.workbooks.cells import is_blank
from ovop.common.workbooks.importing import (
    ChangesResult,
    ImportRun,
    Problems,
    SheetRow,
    WorkbookImport,
    chunks,
    parse_row,
    planned_changes,
)
from ovop.common.workbooks.reader import DataSheet, SheetFormat

SHEET_FORMAT = SheetFormat(
    name=DATA_SHEET,
    # The centre's name, the regency and any notes are for people: not columns of the import.
    columns=tuple(COLUMNS),
    example_header=COLUMNS[0].header,
    other_sheet=gettext_lazy(
        "There is no sheet named “%(expected)s”, so the first sheet “%(sheet)s” was read. "
        "Put the figures on a sheet named “%(expected)s” as in the template."
    ),
    no_header=gettext_lazy(
        "Sheet “%(sheet)s” has no header row of the template (such as “%(header)s”) in "
        "its first %(rows)s rows; copy the figures into the template."
    ),
    duplicate=gettext_lazy("The header “%(header)s” appears twice; delete one of the columns."),
)


@dataclass
class FieldChange:
    column: str
    old: str
    new: str


@dataclass
class PlannedChange:
    row: int
    action: str  # "create" or "update"
    centre_id: int
    centre_name: str
    year: int
    kind: str
    changes: list[FieldChange] = field(default_factory=list)


@dataclass
class ImportResult(ChangesResult):
    # Rows without any figure (e.g. the template's untouched rows); a refused file still
    # counts them, so it is not one of ``plan_fields``.
    skipped: int = 0


@dataclass
class _Row(SheetRow):
    centre: Centre | None = None
    existing: Indicator | None = None

    @property
    def found_centre(self) -> Centre:
        """The centre of a row without problems: only such rows are checked and written."""
        if self.centre is None:
            raise ValueError(f"row {self.number} has no centre")
        return self.centre


def import_indicators(*, actor, file: IO[bytes], dry_run: bool) -> ImportResult:
    """Import the indicators workbook ``file`` as ``actor``; nothing is written unless every
    row is valid, and nothing at all on a dry run."""
    return INDICATORS_IMPORT.run(actor=actor, file=file, dry_run=dry_run)


# --- Checking the rows ---------------------------------------------------------------------


def _plan(run: ImportRun[DataSheet], result: ImportResult) -> list[_Row]:
    sheet, problems = run.sheet, run.problems
    rows = []
    for number, cells in sheet.rows:
        if not _has_figures(sheet, number, cells):
            result.skipped += 1
            continue
        rows.append(
            parse_row(_Row(number, {}), cells, sheet=sheet, columns=COLUMNS, problems=problems)
        )
    _resolve_centres(rows, run.actor, problems)
    _refuse_repeats(rows, problems)
    _load_existing(rows)
    return planned_changes(rows, lambda row: _check_row(row, problems), result)


def _has_figures(sheet: DataSheet, number: int, cells: list[Any]) -> bool:
    for key in FIGURE_KEYS:
        index = sheet.positions[key]
        cell = cells[index] if index < len(cells) else ""
        if (number - 1, index) in sheet.error_cells or not is_blank(cell):
            return True
    return False


def _resolve_centres(rows: list[_Row], actor, problems: Problems) -> None:
    """Each row's centre: one the user sees (else "no such sentra") and may change."""
    wanted = {row.values["centre"] for row in rows if "centre" in row.values}
    centres: dict[int, Centre] = {}
    for chunk in chunks(sorted(wanted)):
        centres.update((c.pk, c) for c in centres_visible_to(actor).filter(pk__in=chunk))
    for row in rows:
        if "centre" not in row.values:
            continue
        identifier = row.values["centre"]
        centre = centres.get(identifier)
        if centre is None:
            message = _(
                "There is no sentra with ID %(id)s that you can see; keep the ID from the "
                "template or the export."
            )
            problems.add(row, "centre", message % {"id": identifier})
        elif not actor.has_perm("coaching.change_indicators", centre):
            message = _("You may not record figures of sentra %(id)s (%(name)s).")
            problems.add(row, "centre", message % {"id": identifier, "name": centre.name})
        else:
            row.centre = centre


def _key(row: _Row) -> tuple[int, int, str] | None:
    if row.centre is None or "year" not in row.values or "kind" not in row.values:
        return None
    return row.centre.pk, row.values["year"], row.values["kind"]


def _refuse_repeats(rows: list[_Row], problems: Problems) -> None:
    seen: dict[tuple[int, int, str], int] = {}
    for row in rows:
        key = _key(row)
        if key is None:
            continue
        if key in seen:
            message = _(
                "Sentra %(id)s already has a row for %(year)s (%(kind)s) on row %(row)s; keep "
                "one row per sentra, year and kind."
            )
            problems.add(
                row,
                "kind",
                message % {"id": key[0], "year": key[1], "kind": key[2], "row": seen[key]},
            )
            continue
        seen[key] = row.number


def _load_existing(rows: list[_Row]) -> None:
    keyed = {key: row for row in rows if not row.failed and (key := _key(row))}
    existing: dict[tuple[int, int, str], Indicator] = {}
    for chunk in chunks({key[0] for key in keyed}):
        for indicator in Indicator.objects.filter(centre_id__in=chunk):
            existing[(indicator.centre_id, indicator.year, indicator.kind)] = indicator
    for key, row in keyed.items():
        row.existing = existing.get(key)


def _figures(row: _Row) -> dict[str, Any]:
    return {key: row.values[key] for key in FIGURE_KEYS}


def _same(key: str, old: Any, new: Any) -> bool:
    if key == "sales_channels":
        return set(old or []) == set(new or [])
    return old == new


def _shown(value: Any) -> str:
    if value is None or value == "" or value == []:
        return "–"
    if isinstance(value, list):
        return ", ".join(value)
    if isinstance(value, int | Decimal):
        return number_format(value, force_grouping=True)
    return str(value)


def _check_row(row: _Row, problems: Problems) -> PlannedChange | None:
    """The change a valid row makes; None when it changes nothing (or has a problem)."""
    data, existing, kind = _figures(row), row.existing, row.values["kind"]
    change = PlannedChange(
        row=row.number,
        action="update" if existing else "create",
        centre_id=row.found_centre.pk,
        centre_name=row.found_centre.name,
        year=row.values["year"],
        kind=kind,
    )
    if existing is not None:
        for key, value in data.items():
            old = getattr(existing, key)  # every figure column is the model field of its key
            if not _same(key, old, value):
                header = COLUMN_BY_KEY[key].header
                change.changes.append(FieldChange(header, _shown(old), _shown(value)))
        if not change.changes:
            return None
    if kind == IndicatorKind.BASELINE:
        message = _(
            "A baseline is taken from the registry when a decision is published; it is not "
            "imported. Correct it on the sentra's page, with a reason, or write actual or target."
        )
        problems.add(row, "kind", message)
        return None
    # Validate a copy: the stored row keeps its values until it is written.
    candidate = copy.copy(existing) if existing else Indicator(centre=row.centre, kind=kind)
    candidate.year = row.values["year"]
    for name, value in data.items():
        setattr(candidate, name, value)
    try:
        # The centre is checked already; validating the key would cost a query per row.
        candidate.full_clean(exclude=["centre"], validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        problems.add_validation(row, error)
        return None
    return change


# --- Writing -------------------------------------------------------------------------------


def _write(run: ImportRun[DataSheet], plans: list[_Row]) -> None:
    """Every row through ``save_indicator``; the import's one transaction undoes them all
    when one is refused."""
    for row in plans:
        try:
            save_indicator(
                actor=run.actor,
                centre=row.found_centre,
                year=row.values["year"],
                kind=row.values["kind"],
                data=_figures(row),
                reason=run.reason[:100],
            )
        except ValidationError as error:
            # Checked above already; a row changed by someone else meanwhile can still fail.
            run.problems.add_validation(row, error)
            return


INDICATORS_IMPORT = WorkbookImport(
    permission="coaching.import_indicators",
    result=ImportResult,
    sheet_format=SHEET_FORMAT,
    check=_plan,
    write=_write,
)
