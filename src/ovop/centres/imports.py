"""Importing the centres workbook, all or nothing.

Every row is read and checked first — cells, commodity groups, regions, the stable key and
the same model validation ``save_centre`` runs — with commodity groups, regions and existing
centres looked up in bulk. Only when no row has a problem are the rows written, in one
transaction and in batches (``save_centres_in_bulk``); a dry run stops after the checks and
writes nothing. Rows that change nothing are not saved at all, so re-importing an export
leaves no history.
"""

import copy
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.utils.translation import gettext as _

from ovop.accounts.enums import Role
from ovop.centres.models import Centre, CommodityGroup
from ovop.centres.selectors import centres_visible_to
from ovop.centres.services import save_centres_in_bulk
from ovop.centres.workbook import (
    COLUMN_BY_FIELD,
    COLUMN_BY_KEY,
    COLUMNS,
    FORMULA_ERRORS,
    CellError,
)
from ovop.centres.workbook_reader import (
    DataSheet,
    Issue,
    SheetProblems,
    WorkbookRefused,
    planned_changes,
    read_data_sheet,
)
from ovop.regions.enums import RegionLevel
from ovop.regions.models import Region

CHUNK = 900  # stays under SQLite's limit on query parameters
COLUMN_ORDER = {column.header: position for position, column in enumerate(COLUMNS)}


@dataclass
class FieldChange:
    column: str
    old: Any
    new: Any


@dataclass
class PlannedChange:
    row: int
    action: str  # "create" or "update"
    name: str
    region: str
    centre_id: int | None = None
    changes: list[FieldChange] = field(default_factory=list)


@dataclass
class ImportResult:
    dry_run: bool
    sheet: str = ""
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[Issue] = field(default_factory=list)
    changes: list[PlannedChange] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class _Row:
    number: int  # Excel row number
    values: dict[str, Any]  # column key → parsed value; a key with a problem is left out
    failed: set[str] = field(default_factory=set)
    target: Centre | None = None


def import_centres(*, actor, file: IO[bytes], dry_run: bool) -> ImportResult:
    """Import the centres workbook ``file`` as ``actor``; nothing is written unless all rows
    are valid, and nothing at all on a dry run."""
    if not actor.has_perm("centres.import_centres"):
        raise PermissionDenied
    name = os.path.basename(getattr(file, "name", "") or "")
    result = ImportResult(dry_run=dry_run)
    try:
        sheet = read_data_sheet(file, name=name)
    except WorkbookRefused as refused:
        result.errors, result.notices = refused.issues, refused.notices
        return result
    result.sheet, result.notices = sheet.name, sheet.notices
    problems = SheetProblems(sheet.name, result.errors, COLUMN_BY_KEY, COLUMN_BY_FIELD)
    plans = _plan(actor=actor, sheet=sheet, problems=problems, result=result)
    if not result.errors:
        # The history keeps at most 100 characters of reason; a long file name is cut.
        reason = _("Excel import (%(file)s)") % {"file": name[:60]} if name else _("Excel import")
        _write(actor=actor, plans=plans, problems=problems, reason=reason, dry_run=dry_run)
    if result.errors:
        result.changes, result.created, result.updated, result.unchanged = [], 0, 0, 0
        result.errors.sort(key=lambda issue: (issue.row or 0, COLUMN_ORDER.get(issue.column, -1)))
    return result


def _plan(*, actor, sheet: DataSheet, problems: SheetProblems, result: ImportResult) -> list[_Row]:
    rows = [_parse_row(sheet, number, cells, problems) for number, cells in sheet.rows]
    _resolve_commodities(rows, problems)
    _resolve_regions(rows, actor, problems)
    _resolve_targets(rows, actor, problems)
    return planned_changes(rows, lambda row: _check_row(row, problems), result)


def _parse_row(sheet: DataSheet, number: int, cells: list[Any], problems: SheetProblems) -> _Row:
    row = _Row(number=number, values={})
    for column in COLUMNS:
        index = sheet.positions[column.key]
        raw = cells[index] if index < len(cells) else ""
        error = sheet.error_cells.get((number - 1, index))
        if error is None and isinstance(raw, str) and raw.strip() in FORMULA_ERRORS:
            error = raw.strip()
        if error is not None:
            problems.add(
                row,
                column.key,
                _(
                    "The cell shows the formula error %(error)s; correct the formula or type the "
                    "value itself."
                )
                % {"error": error},
            )
            continue
        try:
            row.values[column.key] = column.read(raw)
        except CellError as problem:
            problems.add(row, column.key, str(problem))
    return row


def _chunks(items: Iterable, size: int = CHUNK) -> Iterator[list]:
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _resolve_commodities(rows: list[_Row], problems: SheetProblems) -> None:
    groups: dict[str, CommodityGroup] = {}
    for group in CommodityGroup.objects.order_by("-is_active", "position"):
        groups.setdefault(group.code.casefold(), group)
        groups.setdefault(group.name.casefold(), group)
    codes = ", ".join(sorted({group.code for group in groups.values() if group.is_active}))
    for row in rows:
        if "commodity" not in row.values:
            continue
        found = groups.get(row.values["commodity"].casefold())
        if found is None:
            problems.add(
                row,
                "commodity",
                _("Unknown commodity group “%(value)s”; choose one of: %(codes)s.")
                % {"value": row.values["commodity"], "codes": codes},
            )
        else:
            row.values["commodity"] = found


def _resolve_regions(rows: list[_Row], actor, problems: SheetProblems) -> None:
    codes = {row.values["region"] for row in rows if "region" in row.values}
    regions: dict[str, Region] = {}
    for chunk in _chunks(sorted(codes)):
        regions.update((region.code, region) for region in Region.objects.filter(code__in=chunk))
    for row in rows:
        if "region" not in row.values:
            continue
        code = row.values["region"]
        message = _region_problem(code=code, region=regions.get(code), actor=actor)
        if message:
            problems.add(row, "region", message)
        else:
            row.values["region"] = regions[code]


def _region_problem(*, code: str, region: Region | None, actor) -> str:
    if region is None:
        return _(
            "There is no region with code %(code)s; use a kecamatan or desa code from "
            "sheet Wilayah, e.g. 63.03.01."
        ) % {"code": code}
    if region.level not in (RegionLevel.DISTRICT, RegionLevel.VILLAGE):
        return _(
            "%(code)s %(name)s is a province or regency/city; give a kecamatan or desa code, "
            "e.g. 63.03.01 or 63.03.01.2001."
        ) % {"code": code, "name": region.name}
    if actor.role == Role.OPERATOR and code[:5] != actor.region_id:
        regency = actor.region.name if actor.region_id else "-"
        return _(
            "Region code %(code)s is not in %(regency)s; you can only import sentra of %(regency)s."
        ) % {"code": code, "regency": regency}
    return ""


def _name_key(row: _Row) -> tuple[str, str] | None:
    if "name" not in row.values or "region" not in row.values:
        return None
    return row.values["region"].code[:5], row.values["name"].casefold()


def _visible(actor, pks: Iterable[int]) -> dict[int, Centre]:
    centres: dict[int, Centre] = {}
    for chunk in _chunks(sorted(pks)):
        queryset = centres_visible_to(actor).filter(pk__in=chunk).select_related("commodity")
        centres.update((centre.pk, centre) for centre in queryset)
    return centres


def _resolve_targets(rows: list[_Row], actor, problems: SheetProblems) -> None:
    """Which existing centre each row changes: its ID, else the same name in its regency."""
    by_id = _visible(actor, {row.values["id"] for row in rows if row.values.get("id")})
    regencies = {key[0] for key in map(_name_key, rows) if key}
    existing = {
        (regency, name.casefold()): pk
        for pk, regency, name in Centre.objects.filter(regency_id__in=regencies).values_list(
            "pk", "regency_id", "name"
        )
    }
    for row in rows:
        if row.values.get("id"):
            row.target = _centre_by_id(row, by_id, actor, problems)
    matched = {existing.get(key) for key in map(_name_key, rows) if key}
    found = {pk for pk in matched if pk is not None}
    by_name = _visible(actor, found - set(by_id))
    _match_rows(rows, existing=existing, by_name=by_name, actor=actor, problems=problems)


def _match_rows(rows: list[_Row], *, existing, by_name, actor, problems: SheetProblems) -> None:
    """Rows without ID take the centre of the same name; one row per centre in a file."""
    seen_names: dict[tuple[str, str], int] = {}
    seen_targets: dict[int, int] = {}
    for row in rows:
        key = _name_key(row)
        if key is None or "id" in row.failed:
            continue
        if key in seen_names:
            problems.add(
                row,
                "name",
                _(
                    "“%(name)s” is already on row %(row)s for the same regency/city; keep one row "
                    "per sentra."
                )
                % {"name": row.values["name"], "row": seen_names[key]},
            )
            continue
        seen_names[key] = row.number
        _match_by_name(row, existing.get(key), by_name, actor, problems)
        if row.target is not None and "name" not in row.failed:
            if row.target.pk in seen_targets:
                problems.add(
                    row,
                    "id",
                    _("This sentra (ID %(id)s) is already on row %(row)s; keep one row per sentra.")
                    % {"id": row.target.pk, "row": seen_targets[row.target.pk]},
                )
            seen_targets.setdefault(row.target.pk, row.number)


def _centre_by_id(row: _Row, by_id: dict[int, Centre], actor, problems: SheetProblems):
    identifier = row.values["id"]
    centre = by_id.get(identifier)
    if centre is None:
        problems.add(
            row,
            "id",
            _(
                "There is no sentra with ID %(id)s that you can see; keep the ID from the "
                "export, or leave it empty to add a new sentra."
            )
            % {"id": identifier},
        )
    elif not actor.has_perm("centres.change_centre", centre):
        problems.add(
            row,
            "id",
            _("You may not change sentra %(id)s (%(name)s); it is not in your regency/city.")
            % {"id": identifier, "name": centre.name},
        )
        return None
    return centre


def _match_by_name(row: _Row, existing_pk, by_name, actor, problems: SheetProblems) -> None:
    if existing_pk is None or (row.target is not None and row.target.pk == existing_pk):
        return
    name = row.values["name"]
    if row.target is not None:
        message = _(
            "Another sentra of this regency/city (ID %(id)s) is already named “%(name)s”; "
            "choose another name or correct the ID."
        )
        problems.add(row, "name", message % {"id": existing_pk, "name": name})
        return
    centre = by_name.get(existing_pk)
    if centre is None or not actor.has_perm("centres.change_centre", centre):
        message = _(
            "A sentra named “%(name)s” already exists in this regency/city (ID %(id)s) and you "
            "may not change it; choose another name."
        )
        problems.add(row, "name", message % {"id": existing_pk, "name": name})
        return
    row.target = centre


def _data(row: _Row) -> dict[str, Any]:
    return {column.field: row.values[column.key] for column in COLUMNS if column.field}


def _cell(value: Any) -> Any:
    return value.code if isinstance(value, CommodityGroup | Region) else value


def _check_row(row: _Row, problems: SheetProblems) -> PlannedChange | None:
    """The change a valid row makes; None when it changes nothing (or has a problem)."""
    data = _data(row)
    centre = row.target
    change = PlannedChange(
        row=row.number,
        action="update" if centre else "create",
        name=data["name"],
        region=data["region"].code,
        centre_id=centre.pk if centre else None,
    )
    if centre is not None:
        for name, column in COLUMN_BY_FIELD.items():
            old, new = column.format(centre), _cell(data[name])
            if old != new:
                change.changes.append(FieldChange(column.header, old, new))
        if not change.changes:
            return None
    # Validate a copy: the target itself must keep its old values until it is written.
    candidate = copy.copy(centre) if centre is not None else Centre()
    for name, value in data.items():
        setattr(candidate, name, value)
    try:
        candidate.full_clean(
            exclude=["commodity", "region", "regency", "province"],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as error:
        problems.add_validation(row, error)
        return None
    return change


def _write(
    *, actor, plans: list[_Row], problems: SheetProblems, reason: str, dry_run: bool
) -> None:
    if dry_run or not plans:
        return  # every check has run already; a dry run reports the plan and writes nothing
    centres = []
    for row in plans:
        centre = row.target or Centre()
        for name, value in _data(row).items():
            setattr(centre, name, value)
        centres.append(centre)
    try:
        save_centres_in_bulk(actor=actor, centres=centres, reason=reason)
    except IntegrityError as error:
        # Another user saved a clashing centre between our checks and this write.
        problems.issues.append(
            Issue(
                problems.sheet,
                None,
                "",
                _("The database refused the import (%(error)s); nothing was saved. Try again.")
                % {"error": error},
            )
        )
