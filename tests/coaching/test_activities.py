"""Activity screens, evidence uploads and the coaching section of a centre's page."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from ovop.coaching.models import Activity, Evidence
from tests.coaching.programmes_builders import (
    banjar_activity,
    banjar_programme,
    make_activity,
    make_evidence,
    make_programme,
    tapin_programme,
)
from tests.conftest import TINY_PDF, tiny_png
from tests.factories import CentreFactory, EnterpriseFactory


@pytest.fixture(autouse=True)
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def url(name: str, **kwargs) -> str:
    return reverse(f"coaching:{name}", kwargs=kwargs)


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def stored_files(tmp_path) -> set[str]:
    return {str(path) for path in (tmp_path / "media").rglob("*") if path.is_file()}


@pytest.fixture
def two_centres(world):
    """The Banjar programme targets two Banjar sentra, each with an IKM unit."""
    second = CentreFactory(region_id="63.03.02", name="Sentra Sasirangan Kertak Hanyar")
    EnterpriseFactory(centre=second, name="UD Kertak Hanyar")
    programme = make_programme(
        actor=world["operator"],
        name="Pembinaan dua sentra",
        centres=[world["centre_banjar"], second],
    )
    return programme, world["centre_banjar"], second


def activity_data(**overrides) -> dict:
    data = {
        "kind": "design_clinic",
        "title": "Klinik desain kemasan",
        "starts_on": "2026-04-06",
        "ends_on": "2026-04-07",
        "place": "Martapura",
        "focus": ["image"],
        "participants_male": "4",
        "participants_female": "11",
        "cost": "12500000",
        "outcome": "Tiga desain kemasan baru",
    }
    data.update(overrides)
    return data


# --- create and edit -----------------------------------------------------------------------


def test_operator_records_an_activity_with_two_centres_and_their_units(client, world, two_centres):
    programme, banjar, second = two_centres
    units = [world["enterprise_banjar"].pk, second.enterprises.get().pk]
    client.force_login(world["operator"])
    form_page = client.get(url("activity_create", programme_pk=programme.pk)).content.decode()
    assert f'value="{second.pk}"' in form_page
    assert "UD Kertak Hanyar" in form_page
    response = client.post(
        url("activity_create", programme_pk=programme.pk),
        activity_data(centres=[banjar.pk, second.pk], enterprises=units),
    )
    activity = Activity.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("activity_detail", pk=activity.pk)
    assert set(activity.centres.all()) == {banjar, second}
    assert set(activity.enterprises.values_list("pk", flat=True)) == set(units)
    assert (activity.participants_male, activity.participants_female) == (4, 11)
    assert activity.cost == 12_500_000
    assert activity.focus == ["image"]
    assert activity.created_by == world["operator"]


def test_activity_centres_must_be_targets_of_the_programme(client, world):
    programme = banjar_programme(world)
    outsider = CentreFactory(region_id="63.03.02", name="Sentra Purun")
    client.force_login(world["operator"])
    response = client.post(
        url("activity_create", programme_pk=programme.pk), activity_data(centres=[outsider.pk])
    )
    assert response.context["form"].errors["centres"] == [
        "Not a target sentra of this programme: Sentra Purun."
    ]
    assert not Activity.objects.exists()


def test_activity_units_must_belong_to_participating_centres(client, world, two_centres):
    programme, banjar, second = two_centres
    client.force_login(world["operator"])
    response = client.post(
        url("activity_create", programme_pk=programme.pk),
        activity_data(centres=[banjar.pk], enterprises=[second.enterprises.get().pk]),
    )
    assert response.context["form"].errors["enterprises"] == [
        "These IKM units belong to a sentra that is not taking part: UD Kertak Hanyar."
    ]
    assert not Activity.objects.exists()


def test_activity_cannot_end_before_it_starts(client, world):
    programme = banjar_programme(world)
    client.force_login(world["operator"])
    response = client.post(
        url("activity_create", programme_pk=programme.pk),
        activity_data(starts_on="2026-04-07", ends_on="2026-04-06"),
    )
    assert response.context["form"].errors["ends_on"] == [
        "The activity cannot end before it starts."
    ]
    assert not Activity.objects.exists()


def test_operator_edits_an_activity(client, world):
    activity = banjar_activity(world)
    client.force_login(world["operator"])
    response = client.post(
        url("activity_edit", pk=activity.pk),
        activity_data(title="Bimtek pewarnaan alami", centres=[world["centre_banjar"].pk]),
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.title == "Bimtek pewarnaan alami"
    assert activity.kind == "design_clinic"


def test_verifier_sees_an_activity_but_may_not_change_it(client, world):
    activity = banjar_activity(world)
    client.force_login(world["verifier"])
    assert client.get(url("activity_detail", pk=activity.pk)).status_code == 200
    assert client.get(url("activity_edit", pk=activity.pk)).status_code == 403
    programme_pk = activity.programme_id
    assert client.get(url("activity_create", programme_pk=programme_pk)).status_code == 403
    assert (
        client.post(url("activity_create", programme_pk=programme_pk), activity_data()).status_code
        == 403
    )
    assert client.post(url("activity_delete", pk=activity.pk)).status_code == 403
    assert Activity.objects.count() == 1


def test_operator_of_another_regency_does_not_see_the_activity(client, world):
    programme = tapin_programme(world)
    activity = make_activity(
        actor=world["admin"], programme=programme, centres=[world["centre_tapin"]]
    )
    evidence = make_evidence(activity=activity, actor=world["admin"])
    client.force_login(world["operator"])
    for name, pk in (
        ("activity_detail", activity.pk),
        ("activity_edit", activity.pk),
        ("evidence_file", evidence.pk),
    ):
        assert client.get(url(name, pk=pk)).status_code == 404, name
    assert client.get(url("activity_create", programme_pk=programme.pk)).status_code == 404
    for name, pk in (("activity_delete", activity.pk), ("evidence_delete", evidence.pk)):
        assert client.post(url(name, pk=pk)).status_code == 404, name
    pdf = {"kind": "attendance", "file": upload("hadir.pdf", TINY_PDF)}
    assert client.post(url("evidence_upload", pk=activity.pk), pdf).status_code == 404
    assert Evidence.objects.count() == 1
    assert Activity.objects.count() == 1


def test_activity_delete_removes_it_and_its_evidence_files(
    client, world, tmp_path, django_capture_on_commit_callbacks
):
    activity = banjar_activity(world)
    make_evidence(activity=activity, actor=world["operator"])
    before = stored_files(tmp_path)
    client.force_login(world["operator"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("activity_delete", pk=activity.pk))
    assert response["Location"] == url("programme_detail", pk=activity.programme_id)
    assert not Activity.objects.exists()
    assert not Evidence.objects.exists()
    assert len(before - stored_files(tmp_path)) == 1


def test_activity_detail_queries_do_not_grow_with_evidence(
    client, world, django_assert_max_num_queries
):
    activity = banjar_activity(world)
    make_evidence(activity=activity, actor=world["operator"])
    client.force_login(world["operator"])
    with django_assert_max_num_queries(40) as one:
        assert client.get(url("activity_detail", pk=activity.pk)).status_code == 200
    for number in range(15):
        make_evidence(activity=activity, actor=world["operator"], title=f"Foto {number}")
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(url("activity_detail", pk=activity.pk))
    assert len(response.context["evidence"]) == 16


# --- evidence ------------------------------------------------------------------------------


def test_attendance_pdf_is_stored_and_served_as_a_named_download(client, world):
    activity = banjar_activity(world)
    client.force_login(world["operator"])
    response = client.post(
        url("evidence_upload", pk=activity.pk),
        {
            "kind": "attendance",
            "title": "Daftar hadir hari 1",
            "file": upload("scan001.PDF", TINY_PDF),
        },
    )
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert (evidence.kind, evidence.size, evidence.uploaded_by) == (
        "attendance",
        len(TINY_PDF),
        world["operator"],
    )
    client.force_login(world["verifier"])  # anyone who sees the activity downloads it
    download = client.get(url("evidence_file", pk=evidence.pk))
    assert body(download) == TINY_PDF
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == 'attachment; filename="daftar-hadir-hari-1.pdf"'
    assert download["X-Content-Type-Options"] == "nosniff"


def test_png_named_pdf_is_refused_as_attendance_sheet(client, world, tmp_path):
    activity = banjar_activity(world)
    before = stored_files(tmp_path)
    client.force_login(world["operator"])
    response = client.post(
        url("evidence_upload", pk=activity.pk),
        {"kind": "attendance", "file": upload("hadir.pdf", tiny_png())},
    )
    assert response.status_code == 200
    assert response.context["evidence_form"].errors["file"] == [
        "This file is not a PDF. Scan or save the document as PDF."
    ]
    assert "This file is not a PDF" in response.content.decode()
    assert not Evidence.objects.exists()
    assert stored_files(tmp_path) == before


def test_pdf_is_refused_as_a_photo(client, world):
    activity = banjar_activity(world)
    client.force_login(world["operator"])
    response = client.post(
        url("evidence_upload", pk=activity.pk),
        {"kind": "photo", "file": upload("foto.jpg", TINY_PDF)},
    )
    assert "not a JPEG, PNG or WebP photo" in response.context["evidence_form"].errors["file"][0]
    assert not Evidence.objects.exists()


def test_photo_is_stored_re_encoded_without_its_metadata(client, world):
    activity = banjar_activity(world)
    image = Image.new("RGB", (40, 30), (200, 10, 10))
    exif = Image.Exif()
    exif[0x010F] = "Kamera Rahasia"  # camera maker
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    client.force_login(world["operator"])
    response = client.post(
        url("evidence_upload", pk=activity.pk),
        {
            "kind": "photo",
            "title": "Peserta klinik",
            "file": upload("IMG_1.bin", buffer.getvalue()),
        },
    )
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    download = client.get(url("evidence_file", pk=evidence.pk))
    content = body(download)
    assert download["Content-Type"] == "image/jpeg"
    assert download["Content-Disposition"] == 'inline; filename="peserta-klinik.jpg"'
    assert b"Kamera Rahasia" not in content
    assert Image.open(io.BytesIO(content)).size == (40, 30)


def test_verifier_may_not_upload_or_delete_evidence(client, world):
    activity = banjar_activity(world)
    evidence = make_evidence(activity=activity, actor=world["operator"])
    client.force_login(world["verifier"])
    pdf = {"kind": "report", "file": upload("laporan.pdf", TINY_PDF)}
    assert client.post(url("evidence_upload", pk=activity.pk), pdf).status_code == 403
    assert client.post(url("evidence_delete", pk=evidence.pk)).status_code == 403
    assert list(Evidence.objects.all()) == [evidence]


def test_operator_deletes_evidence_and_its_file(
    client, world, tmp_path, django_capture_on_commit_callbacks
):
    evidence = make_evidence(activity=banjar_activity(world), actor=world["operator"])
    path = evidence.file.path
    client.force_login(world["operator"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("evidence_delete", pk=evidence.pk))
    assert response["Location"] == url("activity_detail", pk=evidence.activity_id)
    assert not Evidence.objects.exists()
    assert str(path) not in stored_files(tmp_path)


def test_evidence_upload_and_delete_are_post_only(client, world):
    evidence = make_evidence(activity=banjar_activity(world), actor=world["operator"])
    client.force_login(world["operator"])
    assert client.get(url("evidence_upload", pk=evidence.activity_id)).status_code == 405
    assert client.get(url("evidence_delete", pk=evidence.pk)).status_code == 405


# --- the centre's page ---------------------------------------------------------------------


def test_centre_page_lists_its_activities_and_programmes(client, world, two_centres):
    programme, banjar, second = two_centres
    activity = make_activity(
        actor=world["operator"],
        programme=programme,
        centres=[banjar, second],
        title="Klinik bersama",
    )
    client.force_login(world["operator"])
    for centre in (banjar, second):
        page = client.get(reverse("centres:detail", kwargs={"pk": centre.pk})).content.decode()
        assert url("activity_detail", pk=activity.pk) in page
        assert url("programme_detail", pk=programme.pk) in page
    tapin = client.get(reverse("centres:detail", kwargs={"pk": world["centre_tapin"].pk}))
    assert tapin.status_code == 404
    client.force_login(world["admin"])
    tapin = client.get(reverse("centres:detail", kwargs={"pk": world["centre_tapin"].pk}))
    assert tapin.context["coaching_activities"] == []


def test_centre_page_offers_a_new_programme_to_offices_of_its_region(client, world):
    centre = world["centre_banjar"]
    link = f"{url('programme_create')}?centre={centre.pk}"
    for persona, shown in (
        ("operator", True),
        ("verifier", True),
        ("admin", True),
        ("viewer", False),
    ):
        client.force_login(world[persona])
        page = client.get(reverse("centres:detail", kwargs={"pk": centre.pk})).content.decode()
        assert (link in page) is shown, persona


def test_centre_page_hides_activities_of_programmes_the_user_cannot_see(client, world):
    # A ministry programme targeting Banjar is visible to Banjar's people through the sentra.
    programme = make_programme(
        actor=world["admin"],
        centres=[world["centre_banjar"]],
        name="Pendampingan ekspor",
        level="ministry",
        region=None,
    )
    make_activity(
        actor=world["admin"],
        programme=programme,
        centres=[world["centre_banjar"]],
        title="Temu bisnis ekspor",
    )
    client.force_login(world["operator"])
    centre_url = reverse("centres:detail", kwargs={"pk": world["centre_banjar"].pk})
    context = client.get(centre_url).context
    assert [a.title for a in context["coaching_activities"]] == ["Temu bisnis ekspor"]
    assert [p.name for p in context["coaching_programmes"]] == ["Pendampingan ekspor"]


def test_centre_page_coaching_queries_do_not_grow_with_activities(
    client, world, django_assert_max_num_queries
):
    programme = banjar_programme(world)
    make_activity(actor=world["operator"], programme=programme, centres=[world["centre_banjar"]])
    client.force_login(world["operator"])
    centre_url = reverse("centres:detail", kwargs={"pk": world["centre_banjar"].pk})
    with django_assert_max_num_queries(60) as one:
        assert client.get(centre_url).status_code == 200
    for number in range(12):
        make_activity(
            actor=world["operator"],
            programme=programme,
            centres=[world["centre_banjar"]],
            title=f"Pendampingan {number}",
        )
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(centre_url)
    assert len(response.context["coaching_activities"]) == 13
