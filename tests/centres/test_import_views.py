import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ovop.centres.models import Centre
from tests.centres.workbook_files import centre_row, write_workbook
from tests.factories import CentreFactory

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook_upload(tmp_path, rows, name: str = "sentra.xlsx") -> SimpleUploadedFile:
    path = write_workbook(tmp_path / name, rows)
    return SimpleUploadedFile(name, path.read_bytes(), content_type=XLSX)


# --- Screens --------------------------------------------------------------------------------


def test_import_page_offers_the_dry_run_and_the_template(client, operator):
    client.force_login(operator)
    response = client.get(reverse("centres:import"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="dry_run"' in html
    assert 'type="file"' in html
    assert reverse("centres:template") in html
    assert "htmx-indicator" in html
    assert "style=" not in html
    assert "<script>" not in html


@pytest.mark.parametrize("persona", ["verifier", "viewer", "assessor"])
def test_only_importers_see_the_import_page(client, personas, persona):
    client.force_login(personas[persona])
    assert client.get(reverse("centres:import")).status_code == 403
    upload = SimpleUploadedFile("s.xlsx", b"x")
    assert client.post(reverse("centres:import"), {"file": upload}).status_code == 403
    assert client.get(reverse("centres:template")).status_code == 403


def test_anonymous_is_sent_to_sign_in(client):
    for name in ("centres:import", "centres:template", "centres:export"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_dry_run_shows_what_would_change_then_the_real_import_saves(client, operator, tmp_path):
    CentreFactory(name="Sentra Lama", region_id="63.03.01", unit_count=12)
    rows = [centre_row(name="Sentra Baru"), centre_row(name="Sentra Lama", unit_count=30)]
    client.force_login(operator)
    upload = workbook_upload(tmp_path, rows)
    response = client.post(reverse("centres:import"), {"file": upload, "dry_run": "on"})
    assert response.status_code == 200
    result = response.context["result"]
    assert (result.dry_run, result.created, result.updated) == (True, 1, 1)
    assert response.context["form"].initial["dry_run"] is False
    assert "Sentra Baru" in response.content.decode()
    assert not Centre.objects.filter(name="Sentra Baru").exists()

    response = client.post(reverse("centres:import"), {"file": workbook_upload(tmp_path, rows)})
    assert (response.context["result"].created, response.context["result"].updated) == (1, 1)
    assert Centre.objects.get(name="Sentra Lama").unit_count == 30


def test_refused_workbook_lists_every_error_with_sheet_row_and_column(client, operator, tmp_path):
    rows = [centre_row(name="A", region="63.05.01"), centre_row(name="B", kbli="abc")]
    client.force_login(operator)
    response = client.post(reverse("centres:import"), {"file": workbook_upload(tmp_path, rows)})
    html = response.content.decode()
    assert response.status_code == 200
    assert len(response.context["result"].errors) == 2
    assert "<td>Sentra</td><td>2</td><td>Kode wilayah (kecamatan/desa)</td>" in html
    assert "<td>Sentra</td><td>3</td><td>KBLI 2020</td>" in html
    assert not Centre.objects.exists()


def test_upload_without_a_file_shows_the_form_again(client, operator):
    client.force_login(operator)
    response = client.post(reverse("centres:import"), {"dry_run": "on"})
    assert response.status_code == 200
    assert response.context["form"].errors["file"]


def test_renamed_csv_upload_is_refused_with_a_clear_message(client, operator):
    client.force_login(operator)
    upload = SimpleUploadedFile("sentra.xlsx", b"Nama sentra,Kode wilayah\nA,63.03.01\n")
    response = client.post(reverse("centres:import"), {"file": upload})
    errors = response.context["result"].errors
    assert len(errors) == 1
    assert "CSV" in errors[0].message


def test_template_download(client, operator):
    client.force_login(operator)
    response = client.get(reverse("centres:template"))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert "attachment" in response["Content-Disposition"]


@pytest.mark.parametrize("persona", ["verifier", "viewer", "assessor", "verifier_other"])
def test_everyone_signed_in_may_export_what_they_see(client, world, persona):
    client.force_login(world[persona])
    response = client.get(reverse("centres:export"), {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")


# --- API ------------------------------------------------------------------------------------


def api_import(api_client, upload, **data):
    return api_client.post("/api/v1/centres/import/", {"file": upload, **data}, format="multipart")


def test_api_import_answers_counts(api_client, operator, tmp_path):
    api_client.force_authenticate(operator)
    response = api_import(api_client, workbook_upload(tmp_path, [centre_row()]))
    assert response.status_code == 200
    assert response.json()["created"] == 1
    assert response.json()["updated"] == 0
    assert Centre.objects.count() == 1


def test_api_import_answers_400_with_every_error_and_writes_nothing(api_client, operator, tmp_path):
    rows = [centre_row(name="A"), centre_row(name="B", region="63.05.01")]
    api_client.force_authenticate(operator)
    response = api_import(api_client, workbook_upload(tmp_path, rows))
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert set(error) == {"sheet", "row", "column", "message"}
    assert (error["sheet"], error["row"], error["column"]) == (
        "Sentra",
        3,
        "Kode wilayah (kecamatan/desa)",
    )
    assert not Centre.objects.exists()


def test_api_import_dry_run_writes_nothing(api_client, operator, tmp_path):
    api_client.force_authenticate(operator)
    response = api_import(api_client, workbook_upload(tmp_path, [centre_row()]), dry_run="true")
    assert response.status_code == 200
    assert (response.json()["created"], response.json()["dry_run"]) == (1, True)
    assert not Centre.objects.exists()


def test_api_import_without_file_is_a_400(api_client, operator):
    api_client.force_authenticate(operator)
    response = api_client.post("/api/v1/centres/import/", {}, format="multipart")
    assert response.status_code == 400
    assert response.json()["errors"][0]["column"] == "file"


def test_api_import_is_for_importers_only(api_client, verifier, tmp_path):
    api_client.force_authenticate(verifier)
    response = api_import(api_client, workbook_upload(tmp_path, [centre_row()]))
    assert response.status_code == 403
    assert api_client.get("/api/v1/centres/template/").status_code == 403


def test_api_export_csv_despite_drfs_format_parameter(api_client, world):
    api_client.force_authenticate(world["operator"])
    response = api_client.get("/api/v1/centres/export/?format=csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "Sentra Banjar" in text
    assert "Sentra Tapin" not in text


def test_api_export_xlsx_and_template(api_client, world):
    api_client.force_authenticate(world["operator"])
    response = api_client.get("/api/v1/centres/export/?format=xlsx")
    assert (response.status_code, response["Content-Type"]) == (200, XLSX)
    response = api_client.get("/api/v1/centres/template/")
    assert (response.status_code, response["Content-Type"]) == (200, XLSX)


def test_api_workbook_needs_credentials(api_client):
    assert api_client.get("/api/v1/centres/export/?format=csv").status_code == 401
    response = api_client.post("/api/v1/centres/import/", {"file": io.BytesIO(b"x")})
    assert response.status_code == 401
