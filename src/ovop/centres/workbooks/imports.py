"""Importing the centres workbook, all or nothing.

Every row is read and checked first — cells, commodity groups, regions, the stable key and
the same model validation ``save_centre`` runs — with commodity groups, regions and existing
centres looked up in bulk. Only when no row has a problem are the rows written, in one
transaction and in batches (``save_centres_in_bulk``); a dry run stops after the checks and
writes nothing. Rows that change nothing are not saved at all, so re-importing an export
leaves no history.
"""

import copy
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ovop.accounts.rules import is_operator
from ovop.centres.models import Centre, CommodityGroup
from ovop.centres.rules import region_in_users_regency
from ovop.centres.selectors import centres_visible_to
from ovop.centres.services.centres import save_centres_in_bulk
from ovop.centres.workbooks.columns import COLUMN_BY_FIELD, COLUMNS, DATA_SHEET
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
from ovop.regions.enums import RegionLevel
from ovop.regions.models import Region

SHEET_FORMAT = SheetFormat(
    name=DATA_SHEET,
    columns=tuple(COLUMNS),
    refuse_merged_headers=True,
    example_header=COLUMNS[1].header,
    other_sheet=gettext_lazy(
        "There is no sheet named “%(expected)s”, so the first sheet “%(sheet)s” was read. "
        "Put the sentra on a sheet named “%(expected)s” as in the template."
    ),
    no_header=gettext_lazy(
        "Sheet “%(sheet)s” has no header row of the template (such as “%(header)s”) in "
        "its first %(rows)s rows; copy the sentra into the template."
    ),
)


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


ImportResult = ChangesResult  # created, updated and unchanged rows, and the planned changes


@dataclass
class _Row(SheetRow):
    target: Centre | None = None


def import_centres(*, actor, file: IO[bytes], dry_run: bool) -> ImportResult:
    """Import the centres workbook ``file`` as ``actor``; nothing is written unless all rows
    are valid, and nothing at all on a dry run."""
    return CENTRES_IMPORT.run(actor=actor, file=file, dry_run=dry_run)


def _plan(run: ImportRun[DataSheet], result: ImportResult) -> list[_Row]:
    sheet, problems, actor = run.sheet, run.problems, run.actor
    rows = [
        parse_row(_Row(number, {}), cells, sheet=sheet, columns=COLUMNS, problems=problems)
        for number, cells in sheet.rows
    ]
    _resolve_commodities(rows, problems)
    _resolve_regions(rows, actor, problems)
    _resolve_targets(rows, actor, problems)
    return planned_changes(rows, lambda row: _check_row(row, problems), result)


def _resolve_commodities(rows: list[_Row], problems: Problems) -> None:
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


def _resolve_regions(rows: list[_Row], actor, problems: Problems) -> None:
    codes = {row.values["region"] for row in rows if "region" in row.values}
    regions: dict[str, Region] = {}
    for chunk in chunks(sorted(codes)):
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
    if is_operator(actor) and not region_in_users_regency(actor, region):
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
    for chunk in chunks(sorted(pks)):
        queryset = centres_visible_to(actor).filter(pk__in=chunk).select_related("commodity")
        centres.update((centre.pk, centre) for centre in queryset)
    return centres


def _resolve_targets(rows: list[_Row], actor, problems: Problems) -> None:
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


def _match_rows(rows: list[_Row], *, existing, by_name, actor, problems: Problems) -> None:
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


def _centre_by_id(row: _Row, by_id: dict[int, Centre], actor, problems: Problems):
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


def _match_by_name(row: _Row, existing_pk, by_name, actor, problems: Problems) -> None:
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


def _check_row(row: _Row, problems: Problems) -> PlannedChange | None:
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


def _write(run: ImportRun[DataSheet], plans: list[_Row]) -> None:
    if not plans:
        return
    centres = []
    for row in plans:
        centre = row.target or Centre()
        for name, value in _data(row).items():
            setattr(centre, name, value)
        centres.append(centre)
    try:
        save_centres_in_bulk(actor=run.actor, centres=centres, reason=run.reason)
    except IntegrityError as error:
        # Another user saved a clashing centre between our checks and this write.
        run.problems.at(
            None,
            "",
            _("The database refused the import (%(error)s); nothing was saved. Try again.")
            % {"error": error},
        )


CENTRES_IMPORT = WorkbookImport(
    permission="centres.import_centres",
    result=ImportResult,
    sheet_format=SHEET_FORMAT,
    check=_plan,
    write=_write,
)
