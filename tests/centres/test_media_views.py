"""Uploading, serving and deleting a centre's photos and documents, persona by persona."""

import io

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from ovop.centres.models import CentreDocument, CentrePhoto
from tests.conftest import TINY_PDF


def jpeg(size=(900, 600)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (11, 110, 79)).save(buffer, format="JPEG")
    return buffer.getvalue()


def file_upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def url(name: str, **kwargs) -> str:
    return reverse(f"centres:{name}", kwargs=kwargs)


def body(response) -> bytes:
    # Reading to the end lets the test client close the response with the DB connection
    # shielded; calling response.close() again here would fire request_finished a second
    # time and close the connection inside the test's transaction (PostgreSQL).
    return b"".join(response.streaming_content)


def stored_files(tmp_path) -> set[str]:
    return {str(path) for path in (tmp_path / "media").rglob("*") if path.is_file()}


@pytest.fixture(autouse=True)
def english(client, settings):
    # Screens are Indonesian unless the language switch's cookie says otherwise.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def banjar(world):
    return world["centre_banjar"]


def test_operator_uploads_a_photo_to_their_centre(client, world, banjar):
    client.force_login(world["operator"])
    response = client.post(
        url("photo_upload", centre_pk=banjar.pk),
        {"file": file_upload("IMG_0001.JPG", jpeg()), "caption": "Proses pewarnaan"},
    )
    assert response.status_code == 302
    assert response["Location"] == url("detail", pk=banjar.pk)
    photo = banjar.photos.get(caption="Proses pewarnaan")
    assert photo.uploaded_by == world["operator"]
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Photo added."]

    thumbnail = client.get(url("photo_thumbnail", pk=photo.pk))
    assert thumbnail["Content-Type"] == "image/jpeg"
    assert Image.open(io.BytesIO(body(thumbnail))).size == (400, 267)


def test_operator_uploads_a_pdf_to_their_centre(client, world, banjar):
    client.force_login(world["operator"])
    response = client.post(
        url("document_upload", centre_pk=banjar.pk),
        {"kind": "permit", "title": "Sertifikat halal", "file": file_upload("h.pdf", TINY_PDF)},
    )
    assert response.status_code == 302
    assert response["Location"] == url("detail", pk=banjar.pk)
    document = banjar.documents.get(title="Sertifikat halal")
    assert (document.kind, document.size) == ("permit", len(TINY_PDF))


def test_upload_page_has_a_multipart_form_with_accept_hints(client, world, banjar):
    client.force_login(world["operator"])
    photo_page = client.get(url("photo_upload", centre_pk=banjar.pk)).content.decode()
    document_page = client.get(url("document_upload", centre_pk=banjar.pk)).content.decode()
    assert 'enctype="multipart/form-data"' in photo_page
    assert 'accept="image/jpeg,image/png,image/webp' in photo_page
    assert 'accept="application/pdf,.pdf"' in document_page


def test_operator_of_another_regency_cannot_see_banjar_media(client, world, banjar):
    client.force_login(world["operator_neighbour"])
    for address in (
        url("photo_upload", centre_pk=banjar.pk),
        url("document_upload", centre_pk=banjar.pk),
        url("photo_file", pk=world["photo_banjar"].pk),
        url("photo_thumbnail", pk=world["photo_banjar"].pk),
        url("document_file", pk=world["document_banjar"].pk),
    ):
        assert client.get(address).status_code == 404, address
    response = client.post(
        url("photo_upload", centre_pk=banjar.pk), {"file": file_upload("a.jpg", jpeg())}
    )
    assert response.status_code == 404
    assert banjar.photos.count() == 1


def test_verifier_views_and_downloads_but_may_not_change(client, world, banjar, tmp_path):
    client.force_login(world["verifier"])
    photo, document = world["photo_banjar"], world["document_banjar"]
    assert body(client.get(url("photo_file", pk=photo.pk)))
    assert body(client.get(url("document_file", pk=document.pk))) == TINY_PDF
    before = stored_files(tmp_path)

    refused = [
        client.post(
            url("photo_upload", centre_pk=banjar.pk), {"file": file_upload("a.jpg", jpeg())}
        ),
        client.post(
            url("document_upload", centre_pk=banjar.pk),
            {"kind": "other", "title": "X", "file": file_upload("x.pdf", TINY_PDF)},
        ),
        client.post(url("photo_delete", pk=photo.pk)),
        client.post(url("document_delete", pk=document.pk)),
    ]
    assert [response.status_code for response in refused] == [403, 403, 403, 403]
    assert (banjar.photos.count(), banjar.documents.count()) == (1, 1)
    assert stored_files(tmp_path) == before


def test_a_bad_upload_changes_nothing_and_says_why(client, world, banjar, tmp_path):
    client.force_login(world["operator"])
    before = stored_files(tmp_path)
    photo_response = client.post(
        url("photo_upload", centre_pk=banjar.pk),
        {"file": file_upload("foto.jpg", b"bukan foto\n" * 50), "caption": "Palsu"},
    )
    document_response = client.post(
        url("document_upload", centre_pk=banjar.pk),
        {"kind": "decree", "title": "SK", "file": file_upload("sk.pdf", jpeg())},
    )
    assert photo_response.status_code == 200
    assert "This file is not a JPEG, PNG or WebP photo." in photo_response.content.decode()
    assert document_response.status_code == 200
    assert "This file is not a PDF." in document_response.content.decode()
    assert (banjar.photos.count(), banjar.documents.count()) == (1, 1)
    assert stored_files(tmp_path) == before


def test_oversize_photo_is_refused_with_the_limit(client, world, banjar, settings):
    settings.OVOP_MAX_PHOTO_BYTES = 1024 * 1024 // 2
    client.force_login(world["operator"])
    response = client.post(
        url("photo_upload", centre_pk=banjar.pk),
        {"file": file_upload("besar.png", b"\0" * (settings.OVOP_MAX_PHOTO_BYTES + 1))},
    )
    assert "The photo is larger than 0.5 MB." in response.content.decode()
    assert banjar.photos.count() == 1


def test_document_download_is_an_attachment_with_a_safe_name(client, world):
    document = world["document_banjar"]
    document.title = 'SK "Bupati"/Banjar 2023'
    document.save()
    client.force_login(world["viewer"])
    response = client.get(url("document_file", pk=document.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="sk-bupatibanjar-2023.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "private" in response["Cache-Control"]
    assert body(response) == TINY_PDF


def test_photo_is_served_inline_with_its_type(client, world):
    client.force_login(world["viewer"])
    response = client.get(url("photo_file", pk=world["photo_banjar"].pk))
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert Image.open(io.BytesIO(body(response))).format == "PNG"


def test_a_missing_file_answers_404(client, world):
    photo = world["photo_banjar"]
    photo.image.storage.delete(photo.image.name)
    client.force_login(world["admin"])
    assert client.get(url("photo_file", pk=photo.pk)).status_code == 404


def test_delete_asks_first_then_removes_row_and_files(
    client, world, banjar, django_capture_on_commit_callbacks
):
    photo = world["photo_banjar"]
    client.force_login(world["operator"])
    confirm = client.get(url("photo_delete", pk=photo.pk))
    assert confirm.status_code == 200
    assert CentrePhoto.objects.filter(pk=photo.pk).exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("photo_delete", pk=photo.pk))
    assert response["Location"] == url("detail", pk=banjar.pk)
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Photo deleted."]
    assert not CentrePhoto.objects.filter(pk=photo.pk).exists()
    assert not photo.image.storage.exists(photo.image.name)
    assert not photo.thumbnail.storage.exists(photo.thumbnail.name)


def test_document_delete_removes_row_and_file(
    client, world, banjar, django_capture_on_commit_callbacks
):
    document = world["document_banjar"]
    client.force_login(world["admin"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("document_delete", pk=document.pk))
    assert response.status_code == 302
    assert not CentreDocument.objects.filter(pk=document.pk).exists()
    assert not document.file.storage.exists(document.file.name)


def test_anonymous_is_sent_to_sign_in(client, world):
    response = client.get(url("document_file", pk=world["document_banjar"].pk))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
