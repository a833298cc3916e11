"""Formula injection (CSV injection): user text never reaches a download as a live formula.

A centre named ``=HYPERLINK("http://x","klik")`` is legal input. Every xlsx and CSV route
is requested here with such values in the fields it shows: in xlsx every cell must be a
text (or number) cell, never a formula, with the hostile text there literally; in CSV every
text cell starting with a formula character must carry OWASP's leading quote.
"""

import csv
import io
import re
from pathlib import Path

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from ovop.centres.models import CommodityGroup
from ovop.centres.workbooks.imports import import_centres
from ovop.coaching.models import BimtekAttendance, BimtekEvent, Indicator
from ovop.coaching.workbooks.indicators_import import import_indicators
from ovop.evaluation.models import Assessment
from ovop.evaluation.services.assignment import save_profile
from ovop.evaluation.workbooks.score_sheet_import import import_score_sheet
from ovop.regions.models import Region
from tests.catalogue.matrix_manage import publish
from tests.coaching.programmes_builders import make_programme
from tests.evaluation.helpers import (
    assign_directly,
    assigned_world,
    levels,
    make_assessor,
    submit_directly,
)
from tests.test_permission_matrix import MATRIX

HYPERLINK = '=HYPERLINK("http://evil","klik")'
SUM = "=SUM(1+1)"
HOSTILE = [HYPERLINK, "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]
EVERY_HOSTILE = {*HOSTILE, SUM}
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"^-?\d+(\.\d+)?$")  # a real number (latitude -3.43) is no formula
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(scope="module")
def hostile(module_world) -> dict:
    """The module's world with hostile text in every field an export shows."""
    world = module_world
    Region.objects.filter(code="63.03").update(name=SUM)  # Kabupaten Banjar
    Region.objects.filter(code="63.03.01").update(name="\r=1")  # two of its kecamatan
    Region.objects.filter(code="63.03.02").update(name=SUM)
    CommodityGroup.objects.filter(code="kain-batik").update(name=SUM)
    world["cycle"].name = SUM
    world["cycle"].save(update_fields=["name"])
    centre = world["centre_banjar"]
    centre.name = HYPERLINK
    centre.main_product = "+1+1"
    centre.address = "-2+3"
    centre.decree_signer = "@SUM(A1)"
    centre.capacity_unit = "\t=1"
    centre.decree_number = "\r=1"
    centre.save()
    # Tapin's centre is rated and published: the catalogue, the stars and the map show it.
    tapin = world["centre_tapin"]
    tapin.name = HYPERLINK
    tapin.save(update_fields=["name"])
    publish(tapin, world=world)
    operator = world["operator"]
    operator.first_name, operator.organisation = "@SUM(A1)", HYPERLINK
    operator.save(update_fields=["first_name", "organisation"])
    proposal = world["proposal_banjar"]
    proposal.featured_products = "-2+3"
    proposal.save(update_fields=["featured_products"])
    Indicator.objects.create(
        centre=centre,
        year=2026,
        kind="actual",
        production_value=1_000_000,
        capacity_unit="@SUM(A1)",
        export_destinations="-2+3",
        note=HYPERLINK,
    )
    make_programme(actor=world["admin"], centres=[centre], name=HYPERLINK)
    event = BimtekEvent.objects.create(
        title=HYPERLINK,
        province_id="63",
        held_on="2026-03-10",
        place="+1+1",
        topic="-2+3",
        created_by=world["verifier"],
    )
    BimtekAttendance.objects.create(
        event=event, name=HYPERLINK, position="\t=1", regency_id="63.03"
    )
    world["event"] = event
    # The outsider's assignment stays open (its score sheet) with a hostile draft; a second
    # assessor's submitted assessment puts the proposal into the ranking.
    outsider = assigned_world(world)
    save_profile(user=outsider["assessor"], organisation=HYPERLINK, expertise=())
    Assessment.objects.create(
        assignment=outsider["assignment"],
        levels=levels(),
        comments={"K1.1": "@SUM(A1)"},
        general_comment=HYPERLINK,
    )
    second = make_assessor("penilai-kedua")
    submit_directly(assign_directly(outsider["proposal"], second, by=world["admin"]))
    world["outsider"] = outsider["assessor"]
    return world


def _event(world) -> dict:
    return {"pk": world["event"].pk}


def _cycle(world) -> dict:
    return {"pk": world["cycle"].pk}


def _round(world) -> dict:
    return {"pk": world["round"].pk}


def _none(world) -> dict:
    return {}


# (route, kwargs, query, persona, formats): every download of the project. The personas
# are ones allowed to see the route; "outsider" is the assessor holding the assignment.
BOTH = ("xlsx", "csv")
EXPORTS = [
    ("accounts:user_export", _none, {}, "admin", BOTH),
    ("catalogue:manage_export", _none, {}, "admin", BOTH),
    ("centres:export", _none, {}, "admin", BOTH),
    ("centres:template", _none, {}, "operator", ("xlsx",)),
    ("centre-export", _none, {}, "admin", BOTH),
    ("centre-template", _none, {}, "admin", ("xlsx",)),
    ("coaching:indicator_export", _none, {}, "admin", BOTH),
    ("coaching:indicator_template", _none, {"year": "2026"}, "admin", ("xlsx",)),
    ("coaching:programme_list", _none, {}, "admin", BOTH),
    ("coaching:bimtek_list", _none, {}, "admin", BOTH),
    ("coaching:bimtek_detail", _event, {}, "admin", BOTH),
    ("coaching:bimtek_detail", _event, {"table": "regencies"}, "admin", BOTH),
    ("evaluation:assessor_list", _none, {}, "admin", BOTH),
    ("evaluation:cycle", _cycle, {}, "admin", BOTH),
    ("evaluation:my_assignments", _none, {}, "outsider", BOTH),
    ("evaluation:sheet_export", _none, {}, "outsider", ("xlsx",)),
    ("evaluation:ranking_export", _cycle, {}, "admin", ("xlsx",)),
    ("proposals:export", _none, {}, "admin", BOTH),
    ("proposals:compliance", _round, {}, "admin", BOTH),
    ("proposals:national_compliance", _cycle, {}, "admin", BOTH),
    ("regions:export", _none, {"parent": "63"}, "admin", BOTH),
    *(
        ("reports:dashboard_export", _none, {"section": s, "province": "63"}, "admin", BOTH)
        for s in ("proposals", "compliance", "stars", "map", "trends")
    ),
]
XLSX_ONLY = {name for name, _k, _q, _p, formats in EXPORTS if formats == ("xlsx",)}
CASES = [
    pytest.param(name, kwargs, query, persona, file_format, id=f"{name}-{query}-{file_format}")
    for name, kwargs, query, persona, formats in EXPORTS
    for file_format in formats
]


def _download(world, *, name, kwargs, query, persona, file_format) -> bytes:
    client = Client()
    client.force_login(world[persona])
    url = reverse(name, kwargs=kwargs(world))
    # Routes that only make xlsx take no ?format= (the API would read it as a renderer).
    only_xlsx = name in XLSX_ONLY
    response = client.get(url, query if only_xlsx else {**query, "format": file_format})
    assert response.status_code == 200, f"{url}: {response.status_code}"
    content = b"".join(response.streaming_content) if response.streaming else response.content
    expected = XLSX if file_format == "xlsx" else "text/csv"
    assert response["Content-Type"].startswith(expected), response["Content-Type"]
    return content


def _xlsx_text(content: bytes) -> set[str]:
    """Every text cell of every sheet; fails on the first formula cell."""
    book = openpyxl.load_workbook(io.BytesIO(content))
    texts = set()
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate}: {cell.value!r}"
                if isinstance(cell.value, str):
                    # openpyxl leaves the XML escape of a carriage return as it is.
                    texts.add(cell.value.replace("_x000D_", "\r"))
    return texts


def _csv_cells(content: bytes) -> list[str]:
    text = content.decode("utf-8-sig")
    return [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]


@pytest.mark.parametrize(("name", "kwargs", "query", "persona", "file_format"), CASES)
def test_export_writes_hostile_text_as_text(hostile, db, name, kwargs, query, persona, file_format):
    content = _download(
        hostile, name=name, kwargs=kwargs, query=query, persona=persona, file_format=file_format
    )
    if file_format == "xlsx":
        shown = _xlsx_text(content) & EVERY_HOSTILE
    else:
        cells = _csv_cells(content)
        live = [
            cell for cell in cells if cell.startswith(FORMULA_PREFIXES) and not NUMBER.match(cell)
        ]
        assert live == [], f"unquoted formula cells: {live!r}"
        shown = {cell[1:] for cell in cells if cell.startswith("'")} & EVERY_HOSTILE
    # At least one value that xlsxwriter's plain write() would have made a formula.
    assert any(value.startswith("=") for value in shown), f"the test data misses it: {shown}"


def test_centres_export_keeps_every_hostile_value(hostile, db):
    content = _download(
        hostile, name="centres:export", kwargs=_none, query={}, persona="admin", file_format="xlsx"
    )
    assert set(HOSTILE) <= _xlsx_text(content)


def test_csv_keeps_negative_numbers_as_numbers(hostile, db):
    """Real numbers (a latitude of -3.43) are not text: no quote in front of them."""
    content = _download(
        hostile, name="centres:export", kwargs=_none, query={}, persona="admin", file_format="csv"
    )
    assert "-3.430000" in _csv_cells(content)


def test_centres_export_with_formula_text_reimports_unchanged(hostile, db):
    """xlsx text stays text: ``=HYPERLINK(...)`` comes back as the literal name."""
    # The import trims cells as the edit form does; keep only values the form can save.
    centre = hostile["centre_banjar"]
    centre.capacity_unit, centre.decree_number = "=1", "@SUM(B2)"
    centre.save(update_fields=["capacity_unit", "decree_number"])
    content = _download(
        hostile, name="centres:export", kwargs=_none, query={}, persona="admin", file_format="xlsx"
    )
    result = import_centres(actor=hostile["admin"], file=io.BytesIO(content), dry_run=True)
    assert result.ok, result.errors
    assert (result.created, result.updated) == (0, 0)


def test_indicators_export_with_formula_text_reimports_unchanged(hostile, db):
    content = _download(
        hostile,
        name="coaching:indicator_export",
        kwargs=_none,
        query={},
        persona="admin",
        file_format="xlsx",
    )
    result = import_indicators(actor=hostile["admin"], file=io.BytesIO(content), dry_run=True)
    assert result.ok, result.errors
    assert (result.created, result.updated, result.unchanged) == (0, 0, 1)


def test_score_sheet_with_formula_comments_reimports_unchanged(hostile, db):
    """The draft's comments (``=HYPERLINK(...)``, ``@SUM(A1)``) come back as typed."""
    content = _download(
        hostile,
        name="evaluation:sheet_export",
        kwargs=_none,
        query={},
        persona="outsider",
        file_format="xlsx",
    )
    upload = io.BytesIO(content)
    upload.name = "lembar.xlsx"
    result = import_score_sheet(actor=hostile["outsider"], file=upload, dry_run=True)
    assert result.ok, result.errors
    assert (result.drafts, result.submitted, result.unchanged) == (0, 0, 1)


def test_every_export_route_is_covered():
    """A new download route must join EXPORTS (names with export/template/sheet)."""
    # The background jobs' pages (exports:…) serve files these very sources wrote.
    downloads = {
        name
        for name in MATRIX
        if re.search(r"export|template", name) and not name.startswith("exports:")
    }
    assert downloads - {case[0] for case in EXPORTS} == set()


def test_only_common_exports_writes_cells():
    """No module but ovop.common.exports builds workbooks or writes cells itself."""
    source = Path(__file__).resolve().parents[2] / "src" / "ovop"
    writer = source / "common" / "exports.py"
    pattern = re.compile(
        r"import xlsxwriter|xlsxwriter\.Workbook|csv\.writer|"
        r"\.write(_row|_column|_string|_number|_datetime|_formula|_url|_boolean|_blank)?\(\s*\d"
        r"|sheet\.write\w*\("
    )
    offenders = [
        f"{path.relative_to(source)}:{number}"
        for path in source.rglob("*.py")
        if path != writer and "migrations" not in path.parts
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if pattern.search(line) and "write_comment" not in line
    ]
    assert offenders == []
