"""Checking and processing uploaded photos and PDFs, and the services that store them."""

import io
import struct
import zlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

from ovop.centres.models import CentreDocument, CentrePhoto
from ovop.centres.services.uploads import (
    add_document,
    add_photo,
    clean_pdf,
    clean_photo,
    delete_document,
    delete_photo,
    document_download_name,
)
from tests.conftest import TINY_PDF

pytestmark = pytest.mark.usefixtures("english")


def photo_bytes(image_format: str, size=(40, 20), **options) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (11, 110, 79)).save(buffer, format=image_format, **options)
    return buffer.getvalue()


def jpeg_with_gps(size=(40, 20), orientation: int = 1) -> bytes:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Telepon"
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "S",
        ExifTags.GPS.GPSLatitude: (3.0, 26.0, 0.0),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (114.0, 51.0, 0.0),
    }
    return photo_bytes("JPEG", size, exif=exif, comment=b"rumah pak haji")


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def png_chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))


def png_header_claiming(width: int, height: int) -> bytes:
    """A few hundred bytes announcing a huge image: the shape of a decompression bomb."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\0" * 4096)
    return b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", header) + png_chunk(b"IDAT", pixels)


def message_of(error: pytest.ExceptionInfo) -> str:
    return " ".join(error.value.messages)


def test_clean_photo_strips_exif_and_gps_from_jpeg():
    original = jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(ExifTags.IFD.GPSInfo)

    processed = clean_photo(upload("IMG_0001.jpg", original))

    stored = Image.open(io.BytesIO(processed.image.read()))
    assert stored.format == "JPEG"
    assert len(stored.getexif()) == 0
    assert "exif" not in stored.info
    assert "comment" not in stored.info
    assert processed.image.name == "photo.jpg"


def test_clean_photo_applies_exif_orientation_before_stripping_it():
    processed = clean_photo(upload("portrait.jpg", jpeg_with_gps(size=(40, 20), orientation=6)))
    assert (processed.width, processed.height) == (20, 40)


@pytest.mark.parametrize(("image_format", "extension"), [("PNG", "png"), ("WEBP", "webp")])
def test_clean_photo_accepts_png_and_webp(image_format, extension):
    processed = clean_photo(upload(f"foto.{extension}", photo_bytes(image_format)))
    assert processed.format == image_format
    assert Image.open(io.BytesIO(processed.image.read())).format == image_format
    assert processed.image.name == f"photo.{extension}"


def test_clean_photo_goes_by_content_not_by_name():
    processed = clean_photo(upload("foto.jpg", photo_bytes("PNG")))
    assert processed.format == "PNG"
    assert processed.image.name == "photo.png"


def test_clean_photo_refuses_a_text_file_named_jpg():
    with pytest.raises(ValidationError) as error:
        clean_photo(upload("foto.jpg", b"Bukan foto, hanya teks.\n" * 20))
    assert "not a JPEG, PNG or WebP photo" in message_of(error)


def test_clean_photo_refuses_a_pdf_named_png():
    with pytest.raises(ValidationError) as error:
        clean_photo(upload("foto.png", TINY_PDF))
    assert "not a JPEG, PNG or WebP photo" in message_of(error)


def test_clean_photo_refuses_other_image_formats():
    with pytest.raises(ValidationError, match="not a JPEG, PNG or WebP"):
        clean_photo(upload("foto.jpg", photo_bytes("GIF")))


def test_clean_photo_refuses_a_truncated_jpeg():
    with pytest.raises(ValidationError, match="not a JPEG, PNG or WebP"):
        clean_photo(upload("foto.jpg", photo_bytes("JPEG", size=(200, 200))[:300]))


def test_clean_photo_refuses_an_oversize_photo(settings):
    settings.OVOP_MAX_PHOTO_BYTES = 100
    with pytest.raises(ValidationError) as error:
        clean_photo(upload("foto.png", photo_bytes("PNG", size=(64, 64)) + b"\0" * 100))
    assert error.value.error_list[0].code == "photo_too_large"
    assert "larger than" in message_of(error)


def test_clean_photo_refuses_a_decompression_bomb_before_decoding_it():
    # 9000 × 9000 is under Pillow's own alarm but over ours; far larger trips Pillow's.
    for width in (9000, 60000):
        with pytest.raises(ValidationError) as error:
            clean_photo(upload("bom.png", png_header_claiming(width, width)))
        assert "too many pixels" in message_of(error)


def test_clean_photo_makes_a_thumbnail_of_at_most_400_pixels():
    processed = clean_photo(upload("lebar.jpg", photo_bytes("JPEG", size=(1200, 500))))
    thumbnail = Image.open(io.BytesIO(processed.thumbnail.read()))
    assert max(thumbnail.size) <= 400
    assert thumbnail.size == (400, 167)
    assert processed.thumbnail.name == "thumbnail.jpg"


def test_clean_photo_keeps_png_transparency():
    buffer = io.BytesIO()
    Image.new("RGBA", (10, 10), (0, 0, 0, 0)).save(buffer, format="PNG")
    processed = clean_photo(upload("logo.png", buffer.getvalue()))
    assert Image.open(io.BytesIO(processed.image.read())).mode == "RGBA"


def test_clean_pdf_accepts_a_pdf_even_after_leading_whitespace():
    clean_pdf(upload("sk.pdf", TINY_PDF))
    clean_pdf(upload("sk.pdf", b"\r\n  " + TINY_PDF))


def test_clean_pdf_refuses_a_jpeg_named_pdf():
    with pytest.raises(ValidationError) as error:
        clean_pdf(upload("sk.pdf", photo_bytes("JPEG")))
    assert "not a PDF" in message_of(error)


def test_clean_pdf_refuses_a_truncated_pdf():
    with pytest.raises(ValidationError, match="not a PDF"):
        clean_pdf(upload("sk.pdf", TINY_PDF[:-8] + b"\0" * 2000))


def test_clean_pdf_refuses_an_oversize_pdf(settings):
    settings.OVOP_MAX_PDF_BYTES = 64
    with pytest.raises(ValidationError) as error:
        clean_pdf(upload("sk.pdf", TINY_PDF))
    assert error.value.error_list[0].code == "pdf_too_large"


def test_document_download_name_is_safe_whatever_the_title():
    assert document_download_name(CentreDocument(title="SK penetapan")) == "sk-penetapan.pdf"
    assert (
        document_download_name(CentreDocument(title='../../etc/passwd"; x=.exe'))
        == "etcpasswd-xexe.pdf"
    )
    assert document_download_name(CentreDocument(title="«»")) == "dokumen.pdf"


def test_add_photo_stores_the_stripped_photo_and_thumbnail(world):
    centre, operator = world["centre_banjar"], world["operator"]
    photo = add_photo(
        centre=centre, upload=upload("a.jpg", jpeg_with_gps()), caption="Pewarnaan", actor=operator
    )
    photo.refresh_from_db()
    assert photo.uploaded_by == operator
    assert photo.image.name.startswith(f"centres/{centre.pk}/")
    assert photo.image.name.endswith(".jpg")
    with photo.image.open("rb") as stored:
        assert len(Image.open(stored).getexif()) == 0
    assert photo.thumbnail.storage.exists(photo.thumbnail.name)
    assert photo.history.first().history_user == operator


def test_add_photo_refuses_an_actor_who_may_not_change_the_centre(world):
    with pytest.raises(PermissionDenied):
        add_photo(
            centre=world["centre_banjar"],
            upload=upload("a.png", photo_bytes("PNG")),
            caption="",
            actor=world["verifier"],
        )
    assert CentrePhoto.objects.filter(centre=world["centre_banjar"]).count() == 1


def test_delete_photo_removes_its_files(world, django_capture_on_commit_callbacks):
    photo = world["photo_banjar"]
    storage, names = photo.image.storage, [photo.image.name, photo.thumbnail.name]
    with django_capture_on_commit_callbacks(execute=True):
        delete_photo(photo=photo, actor=world["operator"])
    assert not CentrePhoto.objects.filter(pk=photo.pk).exists()
    assert not any(storage.exists(name) for name in names)


def test_add_document_stores_the_pdf_under_a_generated_name(world):
    document = add_document(
        centre=world["centre_banjar"],
        upload=upload("../../SK Bupati.pdf", TINY_PDF),
        kind="decree",
        title="SK Bupati Banjar",
        actor=world["admin"],
    )
    assert document.size == len(TINY_PDF)
    assert "SK" not in document.file.name
    assert document.file.name.endswith(".pdf")
    with document.file.open("rb") as stored:
        assert stored.read() == TINY_PDF


def test_add_document_refuses_an_unknown_kind_and_stores_nothing(world, tmp_path):
    with pytest.raises(ValidationError):
        add_document(
            centre=world["centre_banjar"],
            upload=upload("sk.pdf", TINY_PDF),
            kind="selfie",
            title="SK",
            actor=world["admin"],
        )
    folder = tmp_path / "media" / "centres" / str(world["centre_banjar"].pk)
    assert len(list(folder.iterdir())) == 3  # the fixture's photo, thumbnail and document


def test_delete_document_removes_its_file(world, django_capture_on_commit_callbacks):
    document = world["document_banjar"]
    storage, name = document.file.storage, document.file.name
    with django_capture_on_commit_callbacks(execute=True):
        delete_document(document=document, actor=world["operator"])
    assert not storage.exists(name)


def test_stored_files_stay_until_the_deletion_commits(world):
    # Without the commit (callbacks not run) the row could still come back on rollback.
    photo = world["photo_banjar"]
    delete_photo(photo=photo, actor=world["admin"])
    assert photo.image.storage.exists(photo.image.name)
