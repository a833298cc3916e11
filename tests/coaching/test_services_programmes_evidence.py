"""ovop.coaching.services.programmes_evidence, called directly: evidence checked by content,
stored under a generated name, and its file removed only once its row is gone for good."""

import inspect
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from PIL import Image

from ovop.coaching.models import Activity, Evidence, Programme
from ovop.coaching.services.programmes_evidence import (
    add_evidence,
    delete_evidence,
    delete_files_of,
    evidence_content_type,
    evidence_download_name,
)
from tests.coaching.programmes_builders import make_activity, make_evidence, make_programme
from tests.conftest import TINY_PDF, tiny_png

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def activity(operator, media) -> Activity:
    """An activity of a programme run by the operator's office (Banjar, 63.03)."""
    return make_activity(actor=operator, programme=make_programme(actor=operator))


def stored_files(media) -> set[str]:
    return {p.relative_to(media).as_posix() for p in media.rglob("*") if p.is_file()}


def upload(content: bytes, name: str = "scan.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def jpeg_with_exif() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "Kamera Rahasia"  # camera maker
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 10, 10)).save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def test_services_take_keyword_arguments_only():
    for function in (add_evidence, delete_evidence):
        kinds = {p.kind for p in inspect.signature(function).parameters.values()}
        assert kinds == {inspect.Parameter.KEYWORD_ONLY}, function.__name__


# --- add_evidence --------------------------------------------------------------------------


def test_add_evidence_stores_a_pdf_under_a_generated_name(operator, activity, media):
    evidence = add_evidence(
        actor=operator,
        activity=activity,
        upload=upload(TINY_PDF, "../../etc/passwd.exe"),
        kind="attendance",
        title="  Daftar hadir hari 1  ",
    )
    stored = Evidence.objects.get(pk=evidence.pk)
    assert (stored.activity, stored.kind, stored.title) == (
        activity,
        "attendance",
        "Daftar hadir hari 1",
    )
    assert (stored.size, stored.uploaded_by) == (len(TINY_PDF), operator)
    assert stored.file.name.startswith(f"coaching/{activity.pk}/")
    assert stored.file.name.endswith(".pdf")
    assert "passwd" not in stored.file.name
    assert stored_files(media) == {stored.file.name}
    with stored.file.open("rb") as handle:
        assert handle.read() == TINY_PDF
    [created] = stored.history.all()
    assert (created.history_type, created.history_user) == ("+", operator)


def test_add_evidence_two_uploads_never_share_a_name(operator, activity, media):
    first = add_evidence(actor=operator, activity=activity, upload=upload(TINY_PDF), kind="report")
    second = add_evidence(actor=operator, activity=activity, upload=upload(TINY_PDF), kind="report")
    assert first.file.name != second.file.name
    assert stored_files(media) == {first.file.name, second.file.name}


def test_add_evidence_re_encodes_a_photo_without_its_metadata(operator, activity):
    original = jpeg_with_exif()
    evidence = add_evidence(
        actor=operator, activity=activity, upload=upload(original, "IMG_1.bin"), kind="photo"
    )
    assert evidence.file.name.endswith(".jpg")
    with evidence.file.open("rb") as handle:
        content = handle.read()
    assert content != original
    assert b"Kamera Rahasia" not in content
    assert Image.open(io.BytesIO(content)).size == (40, 30)
    assert evidence.size == len(content)
    assert evidence.title == ""


def test_add_evidence_keeps_the_format_the_photo_really_has(operator, activity):
    evidence = add_evidence(
        actor=operator, activity=activity, upload=upload(tiny_png(), "foto.jpg"), kind="photo"
    )
    assert evidence.file.name.endswith(".png")
    assert evidence_content_type(evidence) == "image/png"


def test_add_evidence_refuses_an_actor_who_may_not_change_the_programme(personas, activity, media):
    for persona in ("verifier", "operator_neighbour", "viewer", "assessor"):
        with pytest.raises(PermissionDenied):
            add_evidence(
                actor=personas[persona],
                activity=activity,
                upload=upload(TINY_PDF),
                kind="attendance",
            )
    assert not Evidence.objects.exists()
    assert stored_files(media) == set()


def test_add_evidence_refuses_an_unknown_kind(operator, activity, media):
    with pytest.raises(ValidationError) as caught:
        add_evidence(actor=operator, activity=activity, upload=upload(TINY_PDF), kind="video")
    assert caught.value.message_dict == {
        "kind": ["Choose a photo, an attendance sheet or a report."]
    }
    assert not Evidence.objects.exists()
    assert stored_files(media) == set()


@pytest.mark.parametrize(
    ("kind", "content", "message"),
    [
        ("attendance", tiny_png(), "This file is not a PDF. Scan or save the document as PDF."),
        ("report", b"%PDF-1.4 but never ends", "This file is not a PDF."),
        ("photo", TINY_PDF, "This file is not a JPEG, PNG or WebP photo."),
        ("photo", b"", "This file is not a JPEG, PNG or WebP photo."),
    ],
)
def test_add_evidence_refuses_content_of_the_wrong_kind_on_the_file_field(
    operator, activity, media, kind, content, message
):
    with pytest.raises(ValidationError) as caught:
        add_evidence(actor=operator, activity=activity, upload=upload(content), kind=kind)
    errors = caught.value.message_dict
    assert list(errors) == ["file"]
    assert errors["file"][0].startswith(message)
    assert not Evidence.objects.exists()
    assert stored_files(media) == set()


def test_add_evidence_refuses_a_pdf_over_the_size_limit(operator, activity, media, settings):
    settings.OVOP_MAX_PDF_BYTES = len(TINY_PDF) - 1
    with pytest.raises(ValidationError) as caught:
        add_evidence(actor=operator, activity=activity, upload=upload(TINY_PDF), kind="report")
    assert list(caught.value.message_dict) == ["file"]
    assert not Evidence.objects.exists()
    assert stored_files(media) == set()


def test_add_evidence_refuses_a_bad_title_before_storing_anything(operator, activity, media):
    with pytest.raises(ValidationError) as caught:
        add_evidence(
            actor=operator,
            activity=activity,
            upload=upload(TINY_PDF),
            kind="report",
            title="x" * 201,
        )
    assert list(caught.value.message_dict) == ["title"]
    assert not Evidence.objects.exists()
    assert stored_files(media) == set()


def test_add_evidence_removes_the_file_when_the_row_cannot_be_saved(
    operator, activity, media, monkeypatch
):
    def failing_save(self, *args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(Evidence, "save", failing_save)
    with pytest.raises(RuntimeError):
        add_evidence(actor=operator, activity=activity, upload=upload(TINY_PDF), kind="report")
    assert not Evidence.objects.exists()
    assert stored_files(media) == set()


# --- delete_evidence -----------------------------------------------------------------------


def test_delete_evidence_removes_the_row_then_its_file_on_commit(
    operator, activity, media, django_capture_on_commit_callbacks
):
    evidence = make_evidence(activity=activity, actor=operator)
    pk, name = evidence.pk, evidence.file.name
    with django_capture_on_commit_callbacks() as callbacks:
        delete_evidence(actor=operator, evidence=evidence)
        assert not Evidence.objects.filter(pk=pk).exists()
        assert name in stored_files(media)  # still there until the deletion commits
    assert len(callbacks) == 1
    callbacks[0]()
    assert name not in stored_files(media)
    deleted = Evidence.history.filter(id=pk).first()
    assert (deleted.history_type, deleted.history_user) == ("-", operator)


def test_delete_evidence_rolled_back_keeps_the_row_and_the_file(
    operator, activity, media, django_capture_on_commit_callbacks
):
    evidence = make_evidence(activity=activity, actor=operator)
    pk, name = evidence.pk, evidence.file.name

    def delete_then_undo():
        with transaction.atomic():
            delete_evidence(actor=operator, evidence=evidence)
            raise RuntimeError("undo")

    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):
        delete_then_undo()
    assert callbacks == []
    assert Evidence.objects.filter(pk=pk).exists()
    assert name in stored_files(media)


def test_delete_evidence_refuses_an_actor_who_may_not_change_the_programme(
    operator, verifier, activity, media, django_capture_on_commit_callbacks
):
    evidence = make_evidence(activity=activity, actor=operator)
    history = Evidence.history.count()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(PermissionDenied),
    ):
        delete_evidence(actor=verifier, evidence=evidence)
    assert callbacks == []
    assert Evidence.objects.filter(pk=evidence.pk).exists()
    assert evidence.file.name in stored_files(media)
    assert Evidence.history.count() == history


def test_delete_evidence_by_the_admin(admin_user, operator, activity, media):
    evidence = make_evidence(activity=activity, actor=operator)
    pk = evidence.pk
    delete_evidence(actor=admin_user, evidence=evidence)
    assert not Evidence.objects.exists()
    deleted = Evidence.history.filter(id=pk, history_type="-").get()
    assert deleted.history_user == admin_user


# --- delete_files_of -----------------------------------------------------------------------


def test_delete_files_of_schedules_every_file_and_keeps_the_rows(
    operator, activity, media, django_capture_on_commit_callbacks
):
    first = make_evidence(activity=activity, actor=operator)
    second = make_evidence(activity=activity, actor=operator, title="Laporan")
    other = make_evidence(
        activity=make_activity(actor=operator, programme=activity.programme, title="Lain"),
        actor=operator,
    )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        delete_files_of(activity)
    assert len(callbacks) == 2
    assert stored_files(media) == {other.file.name}
    assert set(Evidence.objects.values_list("pk", flat=True)) == {first.pk, second.pk, other.pk}


def test_delete_files_of_skips_rows_without_a_file(
    operator, activity, django_capture_on_commit_callbacks
):
    Evidence.objects.create(activity=activity, kind="report", file="", uploaded_by=operator)
    with django_capture_on_commit_callbacks() as callbacks:
        delete_files_of(activity)
    assert callbacks == []


def test_delete_files_of_an_activity_without_evidence_does_nothing(
    activity, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        delete_files_of(activity)
    assert callbacks == []


# --- evidence_content_type and evidence_download_name (no database needed) -----------------


def evidence(kind="report", name="coaching/1/abc.pdf", title="", activity_title="Bimtek"):
    activity = Activity(programme=Programme(name="P"), title=activity_title)
    return Evidence(activity=activity, kind=kind, file=name, title=title)


@pytest.mark.parametrize(
    ("kind", "name", "expected"),
    [
        ("photo", "coaching/1/a.jpg", "image/jpeg"),
        ("photo", "coaching/1/a.PNG", "image/png"),
        ("photo", "coaching/1/a.webp", "image/webp"),
        ("photo", "coaching/1/a.gif", "application/octet-stream"),
        ("photo", "", "application/octet-stream"),
        ("attendance", "coaching/1/a.jpg", "application/pdf"),
        ("report", "coaching/1/a.pdf", "application/pdf"),
    ],
)
def test_evidence_content_type_by_kind_and_stored_extension(kind, name, expected):
    assert evidence_content_type(evidence(kind=kind, name=name)) == expected


def test_evidence_download_name_from_the_title():
    assert (
        evidence_download_name(evidence(title="Daftar Hadir: hari 1!")) == "daftar-hadir-hari-1.pdf"
    )
    assert (
        evidence_download_name(evidence(kind="photo", name="x/a.JPG", title="Foto")) == "foto.jpg"
    )


def test_evidence_download_name_without_a_title_names_kind_and_activity():
    name = evidence_download_name(
        evidence(kind="report", title="  ", activity_title="Klinik desain")
    )
    assert name == "report-pdf-klinik-desain.pdf"


def test_evidence_download_name_is_cut_to_80_characters_without_a_trailing_dash():
    title = "a" * 79 + " bcd"
    assert evidence_download_name(evidence(title=title)) == "a" * 79 + ".pdf"
    assert len(evidence_download_name(evidence(title="b" * 200))) == 80 + len(".pdf")


def test_evidence_download_name_falls_back_to_bukti_and_pdf():
    unnamed = evidence(kind="", name="", title="!!!", activity_title="???")
    assert evidence_download_name(unnamed) == "bukti.pdf"
