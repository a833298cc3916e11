"""Offline score sheets: the export, the all-or-nothing import and their screens."""

import io
import zipfile

import pytest
import python_calamine
import xlsxwriter
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from ovop.evaluation.models import Assessment, Rubric
from ovop.evaluation.services.scoring import save_assessment
from ovop.evaluation.workbooks.score_sheet import (
    ASSIGNMENT_HEADER,
    DATA_SHEET,
    GENERAL_HEADER,
    INSTRUCTIONS_SHEET,
    PROPOSAL_HEADER,
    RUBRIC_SHEET,
    SUBMIT_HEADER,
    write_score_sheet,
)
from ovop.evaluation.workbooks.score_sheet_import import import_score_sheet
from tests.evaluation.helpers import (
    CODES,
    assign_directly,
    assigned_world,
    levels,
    make_assessor,
    make_eligible,
    submit_directly,
)
from tests.factories import CentreFactory, make_proposal

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
OVERRIDE_COMMENTS = {"K2.2": "Sertifikat lain sedang diurus", "K4.2": "Pelatihan rutin"}


@pytest.fixture
def setup(world):
    return assigned_world(world)


def second_assignment(world, assessor, name: str = "Sentra Tapin Dua"):
    centre = CentreFactory(name=name, region_id="63.05.01")
    proposal = make_eligible(make_proposal(round_=world["round"], centre=centre))
    return assign_directly(proposal, assessor, by=world["admin"])


def exported(assessor) -> bytes:
    with write_score_sheet(assessor=assessor) as handle:
        return handle.read()


def grid_of(content: bytes, sheet: str = DATA_SHEET) -> list[list]:
    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(content))
    return book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)


class Formula:
    def __init__(self, formula: str, value: str):
        self.formula, self.value = formula, value


def workbook(grid: list[list], *, sheet: str = DATA_SHEET) -> bytes:
    """The grid written back as a workbook, the way a person's Excel would save it."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer)
    data = book.add_worksheet(sheet)
    for row, cells in enumerate(grid):
        for column, value in enumerate(cells):
            if isinstance(value, Formula):
                data.write_formula(row, column, value.formula, None, value.value)
            elif value not in (None, ""):
                data.write(row, column, value)
    book.close()
    return buffer.getvalue()


def fill(grid: list[list], row: int, values: dict) -> list[list]:
    """Set cells of data row ``row`` (1 = first row under the header) by header."""
    headers = grid[0]
    for header, value in values.items():
        grid[row][headers.index(header)] = value
    return grid


def run(actor, content: bytes, *, dry_run: bool = False):
    with translation.override("en"):
        return import_score_sheet(actor=actor, file=io.BytesIO(content), dry_run=dry_run)


def complete(chosen: dict[str, int], comments: dict[str, str] | None = None, **extra) -> dict:
    values = dict(chosen)
    values.update({f"Komentar {code}": text for code, text in (comments or {}).items()})
    values.update(extra)
    return values


# --- Export ---------------------------------------------------------------------------------


def test_sheet_has_a_row_per_open_assignment_with_suggested_levels(world, setup):
    grid = grid_of(exported(setup["assessor"]))
    headers = grid[0]
    assert headers[:4] == [ASSIGNMENT_HEADER, PROPOSAL_HEADER, "Sentra", "Kabupaten/kota"]
    assert headers[4:15] == CODES
    assert headers[15:26] == [f"Komentar {code}" for code in CODES]
    assert headers[26:] == [GENERAL_HEADER, SUBMIT_HEADER]
    assert len(grid) == 2
    row = dict(zip(headers, grid[1], strict=True))
    assert row[ASSIGNMENT_HEADER] == setup["assignment"].pk
    assert row[PROPOSAL_HEADER] == setup["proposal"].pk
    assert row["Sentra"] == "Sentra Banjar"
    assert row["Kabupaten/kota"] == "Kabupaten Banjar"
    # Suggested where the registry implies a level, empty elsewhere.
    assert (row["K2.2"], row["K3.1"], row["K4.2"]) == (2, 4, 3)
    assert row["K1.1"] == ""
    assert row[SUBMIT_HEADER] == "tidak"


def test_sheet_prefills_the_saved_draft(world, setup):
    save_assessment(
        assignment=setup["assignment"],
        actor=setup["assessor"],
        levels={"K1.1": 5, "K3.1": 3},
        comments={"K3.1": "Ekspor belum rutin"},
        general_comment="Catatan",
    )
    grid = grid_of(exported(setup["assessor"]))
    row = dict(zip(grid[0], grid[1], strict=True))
    assert (row["K1.1"], row["K3.1"], row["K2.2"]) == (5, 3, 2)
    assert row["Komentar K3.1"] == "Ekspor belum rutin"
    assert row[GENERAL_HEADER] == "Catatan"


def test_sheet_leaves_out_submitted_recused_closed_and_others_assignments(world, setup):
    assessor = setup["assessor"]
    submit_directly(second_assignment(world, assessor, "Sentra Sudah"))
    recused = second_assignment(world, assessor, "Sentra Mundur")
    recused.recused_at, recused.recusal_reason = timezone.now(), "Kerabat"
    recused.save()
    closed = second_assignment(world, assessor, "Sentra Tutup")
    closed.proposal.state = "rated"
    closed.proposal.save(update_fields=["state"])
    second_assignment(world, make_assessor("penilai-lain"), "Sentra Orang Lain")
    grid = grid_of(exported(assessor))
    assert [row[2] for row in grid[1:]] == ["Sentra Banjar"]


def test_sheet_validates_levels_and_explains_the_rubric(world, setup):
    content = exported(setup["assessor"])
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        data_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert data_xml.count('type="whole"') == len(CODES)
    assert "<formula1>1</formula1><formula2>5</formula2>" in data_xml
    assert 'type="list"' in data_xml  # ya / tidak
    rubric = grid_of(content, RUBRIC_SHEET)
    assert len(rubric) == 1 + len(CODES)
    k31 = next(row for row in rubric if row[1] == "K3.1")
    assert k31[4] == 15
    assert len([text for text in k31[5:10] if text]) == 5
    assert grid_of(content, INSTRUCTIONS_SHEET)[0][0]


def test_sheet_export_view_downloads_the_workbook(client, setup):
    client.force_login(setup["assessor"])
    response = client.get(reverse("evaluation:sheet_export"))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert "lembar-penilaian-penilai-luar" in response["Content-Disposition"]
    content = b"".join(response.streaming_content)
    assert grid_of(content)[1][2] == "Sentra Banjar"


def test_sheet_of_an_assessor_without_assignments_is_empty(world):
    grid = grid_of(exported(world["assessor"]))
    assert grid[0][0] == ASSIGNMENT_HEADER
    assert len(grid) == 1


# --- Import ---------------------------------------------------------------------------------


def test_sheet_round_trip_submits_the_assessment(world, setup):
    assessor = setup["assessor"]
    grid = fill(
        grid_of(exported(assessor)),
        1,
        complete(levels(4), OVERRIDE_COMMENTS, **{SUBMIT_HEADER: "ya", GENERAL_HEADER: "Layak"}),
    )
    result = run(assessor, workbook(grid))
    assert result.ok, result.errors
    assert (result.submitted, result.drafts, result.unchanged) == (1, 0, 0)
    assessment = Assessment.objects.get(assignment=setup["assignment"])
    assert assessment.is_submitted
    assert assessment.levels == levels(4)
    assert assessment.comments == OVERRIDE_COMMENTS
    assert assessment.general_comment == "Layak"
    assert Rubric.objects.get(cycle=world["cycle"]).locked_at is not None
    # Nothing is left to score: the next sheet is empty.
    assert len(grid_of(exported(assessor))) == 1


def test_sheet_round_trip_saves_a_draft(world, setup):
    assessor = setup["assessor"]
    grid = fill(grid_of(exported(assessor)), 1, {"K1.1": 5, "Komentar K1.1": "Bahan lokal"})
    result = run(assessor, workbook(grid))
    assert result.ok
    assert (result.drafts, result.submitted) == (1, 0)
    assessment = Assessment.objects.get(assignment=setup["assignment"])
    assert assessment.submitted_at is None
    assert assessment.levels == {"K1.1": 5, "K2.2": 2, "K3.1": 4, "K4.2": 3}
    assert assessment.comments == {"K1.1": "Bahan lokal"}


def test_unchanged_rows_are_not_saved(world, setup):
    save_assessment(assignment=setup["assignment"], actor=setup["assessor"], levels={"K1.1": 3})
    second_assignment(world, setup["assessor"])
    before = Assessment.objects.get().updated_at
    result = run(setup["assessor"], exported(setup["assessor"]))
    assert result.ok
    assert (result.unchanged, result.drafts) == (2, 0)
    assert Assessment.objects.count() == 1
    assert Assessment.objects.get().updated_at == before


def test_one_bad_cell_changes_nothing_and_names_sheet_row_and_column(world, setup):
    assessor = setup["assessor"]
    second = second_assignment(world, assessor)
    grid = grid_of(exported(assessor))
    first_row = next(i for i, row in enumerate(grid) if row[0] == setup["assignment"].pk)
    other_row = 3 - first_row
    fill(grid, first_row, {"K1.1": 5})
    fill(grid, other_row, {"K1.1": 7})
    result = run(assessor, workbook(grid))
    assert not result.ok
    assert [(e.sheet, e.row, e.column) for e in result.errors] == [
        (DATA_SHEET, other_row + 1, "K1.1")
    ]
    assert "7" in result.errors[0].message
    assert (result.drafts, result.submitted) == (0, 0)
    assert not Assessment.objects.filter(assignment__in=[setup["assignment"], second]).exists()


def test_every_bad_row_is_listed(world, setup):
    assessor = setup["assessor"]
    second_assignment(world, assessor)
    grid = grid_of(exported(assessor))
    fill(grid, 1, {"K1.1": "empat"})
    fill(grid, 2, {SUBMIT_HEADER: "mungkin"})
    result = run(assessor, workbook(grid))
    assert [(e.row, e.column) for e in result.errors] == [(2, "K1.1"), (3, SUBMIT_HEADER)]
    assert not Assessment.objects.exists()


def test_override_without_comment_in_the_sheet_is_refused(world, setup):
    assessor = setup["assessor"]
    grid = fill(
        grid_of(exported(assessor)),
        1,
        complete(levels(4), {"K4.2": "Pelatihan"}, **{SUBMIT_HEADER: "ya"}),
    )
    result = run(assessor, workbook(grid))
    assert [(e.row, e.column) for e in result.errors] == [(2, "K2.2")]
    assert "instead of the suggested 2" in result.errors[0].message
    assert not Assessment.objects.exists()
    assert Rubric.objects.get(cycle=world["cycle"]).locked_at is None


def test_submitted_assessment_cannot_be_changed_by_the_sheet(world, setup):
    assessor = setup["assessor"]
    grid = grid_of(exported(assessor))  # downloaded while still open
    submitted = submit_directly(setup["assignment"], levels(3))
    fill(grid, 1, complete(levels(5), OVERRIDE_COMMENTS))
    result = run(assessor, workbook(grid))
    assert [(e.row, e.column) for e in result.errors] == [(2, ASSIGNMENT_HEADER)]
    assert "Sentra Banjar" in result.errors[0].message
    submitted.refresh_from_db()
    assert submitted.levels == levels(3)


def test_rows_of_recused_or_others_assignments_are_errors(world, setup):
    assessor = setup["assessor"]
    recused = second_assignment(world, assessor, "Sentra Mundur")
    recused.recused_at, recused.recusal_reason = timezone.now(), "Kerabat"
    recused.save()
    theirs = second_assignment(world, make_assessor("penilai-lain"), "Sentra Orang Lain")
    grid = grid_of(exported(assessor))
    assert len(grid) == 2  # the recused assignment is not offered
    grid += [list(grid[1]), list(grid[1]), list(grid[1])]
    fill(grid, 1, {"K1.1": 4})
    fill(grid, 2, {ASSIGNMENT_HEADER: recused.pk, PROPOSAL_HEADER: recused.proposal_id})
    fill(grid, 3, {ASSIGNMENT_HEADER: theirs.pk, PROPOSAL_HEADER: theirs.proposal_id})
    fill(grid, 4, {ASSIGNMENT_HEADER: "abc"})
    grid.append(list(grid[1]))
    fill(grid, 5, {ASSIGNMENT_HEADER: ""})
    result = run(assessor, workbook(grid))
    assert [(e.row, e.column) for e in result.errors] == [
        (3, ASSIGNMENT_HEADER),
        (4, ASSIGNMENT_HEADER),
        (5, ASSIGNMENT_HEADER),
        (6, ASSIGNMENT_HEADER),
    ]
    assert "Empty" in result.errors[3].message
    assert str(recused.pk) in result.errors[0].message
    assert str(theirs.pk) in result.errors[1].message
    assert not Assessment.objects.exists()


def test_duplicate_and_mixed_up_rows_are_errors(world, setup):
    assessor = setup["assessor"]
    grid = grid_of(exported(assessor))
    grid.append(list(grid[1]))
    result = run(assessor, workbook(grid))
    assert [(e.row, e.column) for e in result.errors] == [(3, ASSIGNMENT_HEADER)]
    grid = fill(grid_of(exported(assessor)), 1, {PROPOSAL_HEADER: 999999})
    result = run(assessor, workbook(grid))
    assert [(e.row, e.column) for e in result.errors] == [(2, PROPOSAL_HEADER)]


def test_formula_error_cell_is_named(world, setup):
    grid = fill(grid_of(exported(setup["assessor"])), 1, {"K1.1": Formula("=1/0", "#DIV/0!")})
    result = run(setup["assessor"], workbook(grid))
    assert [(e.row, e.column) for e in result.errors] == [(2, "K1.1")]
    assert "#DIV/0!" in result.errors[0].message


def test_check_only_saves_nothing_but_reports_the_plan(world, setup):
    grid = fill(
        grid_of(exported(setup["assessor"])),
        1,
        complete(levels(4), OVERRIDE_COMMENTS, **{SUBMIT_HEADER: "ya"}),
    )
    result = run(setup["assessor"], workbook(grid), dry_run=True)
    assert result.ok
    assert result.dry_run
    assert result.submitted == 1
    assert not Assessment.objects.exists()
    assert Rubric.objects.get(cycle=world["cycle"]).locked_at is None


@pytest.mark.parametrize(
    "content",
    [b"ID penugasan,ID usulan\n1,2\n", b"%PDF-1.4\n%%EOF\n", b"PK\x03\x04 not really a zip"],
)
def test_upload_that_is_not_an_xlsx_is_refused_by_content(world, setup, content):
    result = run(setup["assessor"], content)
    assert not result.ok
    assert len(result.errors) == 1
    assert "xlsx" in result.errors[0].message
    assert not Assessment.objects.exists()


def test_sheet_without_the_assignment_header_is_refused(world, setup):
    result = run(setup["assessor"], workbook([["Nama", "K1.1"], ["x", 3]]))
    assert [(e.sheet, e.row, e.column) for e in result.errors] == [
        (DATA_SHEET, 1, ASSIGNMENT_HEADER)
    ]


def test_import_refused_to_non_assessors(world, setup):
    with pytest.raises(PermissionDenied):
        run(world["admin"], exported(setup["assessor"]))


# --- Import screen --------------------------------------------------------------------------


def upload(content: bytes, name: str = "lembar-penilaian.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=XLSX)


def test_import_page_offers_the_check_only_option(client, setup):
    client.force_login(setup["assessor"])
    response = client.get(reverse("evaluation:sheet_import"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="dry_run"' in html
    assert 'type="file"' in html
    assert reverse("evaluation:sheet_export") in html
    assert "style=" not in html
    assert "<script>" not in html


def test_import_page_saves_and_summarises(client, setup):
    assessor = setup["assessor"]
    grid = fill(grid_of(exported(assessor)), 1, {"K1.1": 5})
    client.force_login(assessor)
    url = reverse("evaluation:sheet_import")
    response = client.post(url, {"file": upload(workbook(grid)), "dry_run": "on"})
    assert response.context["result"].dry_run
    assert response.context["result"].drafts == 1
    assert response.context["form"].initial["dry_run"] is False
    assert not Assessment.objects.exists()
    response = client.post(url, {"file": upload(workbook(grid))})
    assert response.status_code == 200
    assert response.context["result"].drafts == 1
    assert Assessment.objects.get().levels["K1.1"] == 5
    assert reverse("evaluation:score", args=[setup["assignment"].pk]) in response.content.decode()


def test_import_page_lists_errors_by_sheet_row_and_column(client, setup):
    assessor = setup["assessor"]
    grid = fill(grid_of(exported(assessor)), 1, {"K3.1": 0})
    client.force_login(assessor)
    response = client.post(reverse("evaluation:sheet_import"), {"file": upload(workbook(grid))})
    html = response.content.decode()
    assert response.status_code == 200
    assert not response.context["result"].ok
    assert f"<td>{DATA_SHEET}</td><td>2</td><td>K3.1</td>" in html
    assert not Assessment.objects.exists()


def test_import_page_refuses_a_non_xlsx_upload(client, setup):
    client.force_login(setup["assessor"])
    response = client.post(
        reverse("evaluation:sheet_import"), {"file": upload(b"a,b\n1,2\n", "nilai.xlsx")}
    )
    result = response.context["result"]
    assert not result.ok
    assert "nilai.xlsx" in result.errors[0].message


@pytest.mark.parametrize("persona", ["admin", "operator", "viewer"])
def test_import_page_refused_to_non_assessors(client, personas, persona):
    client.force_login(personas[persona])
    url = reverse("evaluation:sheet_import")
    assert client.get(url).status_code == 403
    assert client.post(url, {"file": upload(b"x")}).status_code == 403
    assert client.get(reverse("evaluation:sheet_export")).status_code == 403
