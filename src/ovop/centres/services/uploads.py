"""Photos and PDF documents of a centre: checking uploads by content, storing and deleting them.

Nothing here trusts the uploaded file's name or declared content type: a photo is whatever
Pillow recognises, a PDF is whatever starts like one. Photos are decoded and re-encoded, so
the stored copy carries no EXIF (GPS position, camera serial) or other embedded metadata.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile, File
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.utils.formats import number_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from ovop.centres.models import Centre, CentreDocument, CentrePhoto

if TYPE_CHECKING:
    from ovop.accounts.models import User

# Detected Pillow format → extension of the stored file and the type it is served with.
PHOTO_FORMATS = {
    "JPEG": ("jpg", "image/jpeg"),
    "PNG": ("png", "image/png"),
    "WEBP": ("webp", "image/webp"),
}
PHOTO_CONTENT_TYPES = dict(PHOTO_FORMATS.values())
# Enough for the 48–50 megapixel modes of current phones; a small file claiming more pixels
# is a decompression bomb (decoding 50 MP already takes about 150 MB of memory).
MAX_PHOTO_PIXELS = 50_000_000
THUMBNAIL_SIZE = (400, 400)
JPEG_QUALITY = 85
# Image.info keys that describe the pixels rather than the photo's circumstances: palette
# transparency and the colour profile (phones shoot Display P3; dropping it dulls colours).
KEPT_IMAGE_INFO = ("transparency", "icc_profile")
PDF_MAGIC = b"%PDF-"
PDF_END_MARKER = b"%%EOF"
# Generators add a newline, a few spaces or a trailing NUL after %%EOF; scanners more.
PDF_TAIL_BYTES = 1024


@dataclass(frozen=True)
class ProcessedPhoto:
    """A checked photo, re-encoded without metadata, with its thumbnail; not yet stored."""

    image: ContentFile[bytes]
    thumbnail: ContentFile[bytes]
    format: str
    width: int
    height: int


def megabytes_label(size: int) -> str:
    """A byte count as localised megabytes for messages: "5", "0,5"."""
    megabytes = size / (1024 * 1024)
    return number_format(int(megabytes) if megabytes.is_integer() else round(megabytes, 1))


def _not_a_photo() -> ValidationError:
    return ValidationError(
        _("This file is not a JPEG, PNG or WebP photo. Choose a photo file."), code="not_photo"
    )


def _open_photo(upload: File[bytes]) -> Image.Image:
    """Open and fully decode the upload, refusing anything that is not a sane photo."""
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            detected = probe.format
            pixels = probe.width * probe.height
            # Opening reads only the header, so the pixel count is checked before decoding.
            if detected in PHOTO_FORMATS and pixels <= MAX_PHOTO_PIXELS:
                probe.verify()
        if detected not in PHOTO_FORMATS:
            raise _not_a_photo()
        if pixels > MAX_PHOTO_PIXELS:
            raise ValidationError(
                _("The photo has too many pixels. Make it smaller and try again."),
                code="photo_too_many_pixels",
            )
        # verify() leaves the image unusable, so decode a fresh copy.
        upload.seek(0)
        image = Image.open(upload)
        image.load()
    except Image.DecompressionBombError as error:
        raise ValidationError(
            _("The photo has too many pixels. Make it smaller and try again."),
            code="photo_too_many_pixels",
        ) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        # Truncated or corrupt data surfaces as one of these depending on the format.
        raise _not_a_photo() from error
    finally:
        upload.seek(0)
    return image


def _without_metadata(image: Image.Image, *, image_format: str) -> Image.Image:
    """Upright pixels with only the info needed to display them; the encoder takes the rest
    from ``info`` (JPEG comments, XMP), so everything else is dropped here."""
    upright = ImageOps.exif_transpose(image)
    upright.info = {key: upright.info[key] for key in KEPT_IMAGE_INFO if key in upright.info}
    if image_format == "JPEG" and upright.mode not in ("RGB", "L"):
        upright = upright.convert("RGB")  # CMYK and friends display badly in browsers
    elif image_format == "WEBP" and upright.mode not in ("RGB", "RGBA"):
        has_alpha = "A" in upright.getbands() or "transparency" in upright.info
        upright = upright.convert("RGBA" if has_alpha else "RGB")
    return upright


def _encode(image: Image.Image, *, image_format: str, name: str) -> ContentFile[bytes]:
    options: dict[str, Any] = {}
    if image_format in ("JPEG", "WEBP"):
        options["quality"] = JPEG_QUALITY
    if "icc_profile" in image.info:
        options["icc_profile"] = image.info["icc_profile"]
    if "transparency" in image.info and image_format == "PNG":
        options["transparency"] = image.info["transparency"]
    buffer = io.BytesIO()
    # No exif= and no pnginfo=: Pillow writes neither unless asked.
    image.save(buffer, format=image_format, **options)
    return ContentFile(buffer.getvalue(), name=name)


def clean_photo(upload: File[bytes]) -> ProcessedPhoto:
    """Check a photo upload by its content and return it re-encoded, with a thumbnail.

    Raises ValidationError with a message for the person uploading.
    """
    if upload.size is not None and upload.size > settings.OVOP_MAX_PHOTO_BYTES:
        raise ValidationError(
            _("The photo is larger than %(size)s MB. Make it smaller and try again."),
            code="photo_too_large",
            params={"size": megabytes_label(settings.OVOP_MAX_PHOTO_BYTES)},
        )
    with _open_photo(upload) as decoded:
        image_format = decoded.format
        if image_format is None:  # never: _open_photo refused anything not in PHOTO_FORMATS
            raise _not_a_photo()
        # An animated PNG or WebP keeps its first frame: a centre photo is a still.
        image = _without_metadata(decoded, image_format=image_format)
    extension = PHOTO_FORMATS[image_format][0]
    thumbnail = image.copy()
    thumbnail.thumbnail(THUMBNAIL_SIZE)
    return ProcessedPhoto(
        image=_encode(image, image_format=image_format, name=f"photo.{extension}"),
        thumbnail=_encode(thumbnail, image_format=image_format, name=f"thumbnail.{extension}"),
        format=image_format,
        width=image.width,
        height=image.height,
    )


def clean_pdf(upload: File[bytes]) -> None:
    """Check that an upload is a PDF (by content) within the size limit."""
    if upload.size is not None and upload.size > settings.OVOP_MAX_PDF_BYTES:
        raise ValidationError(
            _("The document is larger than %(size)s MB. Make it smaller and try again."),
            code="pdf_too_large",
            params={"size": megabytes_label(settings.OVOP_MAX_PDF_BYTES)},
        )
    not_a_pdf = ValidationError(
        _("This file is not a PDF. Scan or save the document as PDF."), code="not_pdf"
    )
    try:
        upload.seek(0)
        head = upload.read(PDF_TAIL_BYTES)
        upload.seek(max(0, (upload.size or 0) - PDF_TAIL_BYTES))
        tail = upload.read(PDF_TAIL_BYTES)
    finally:
        upload.seek(0)
    if not head.lstrip().startswith(PDF_MAGIC) or PDF_END_MARKER not in tail:
        raise not_a_pdf


def document_download_name(document: CentreDocument) -> str:
    """A file name safe in any browser and file system, from the document's title."""
    return f"{slugify(document.title)[:80].strip('-') or 'dokumen'}.pdf"


def _require_change(actor: User, centre: Centre) -> None:
    # The views check first (to answer 403 before reading an upload); this guards every
    # other caller, such as the API.
    if not actor.has_perm("centres.change_centre", centre):
        raise PermissionDenied


def _discard(*files: FieldFile) -> None:
    for file in files:
        if file.name:  # what ``bool(file)`` tests
            file.storage.delete(file.name)


def _delete_files_after_commit(*files: FieldFile) -> None:
    """Remove stored files once the row is gone for good; a rollback keeps them."""
    names = [(file.storage, file.name) for file in files if file.name]  # bool(file)

    def delete() -> None:
        for storage, name in names:
            storage.delete(name)

    transaction.on_commit(delete)


@transaction.atomic
def add_photo(
    *, centre: Centre, upload: File[bytes] | ProcessedPhoto, caption: str = "", actor: User
) -> CentrePhoto:
    """Store a photo of the centre; ``upload`` may already have passed ``clean_photo``."""
    _require_change(actor, centre)
    processed = upload if isinstance(upload, ProcessedPhoto) else clean_photo(upload)
    photo = CentrePhoto(centre=centre, caption=caption, uploaded_by=actor)
    photo.full_clean(exclude=["image", "thumbnail"])
    photo._history_user = actor
    try:
        # clean_photo names both files ("photo.<extension>", "thumbnail.<extension>").
        photo.image.save(cast(str, processed.image.name), processed.image, save=False)
        photo.thumbnail.save(cast(str, processed.thumbnail.name), processed.thumbnail, save=False)
        photo.save()
    except Exception:
        # No row refers to these files, so nothing would ever delete them.
        _discard(photo.image, photo.thumbnail)
        raise
    return photo


@transaction.atomic
def delete_photo(*, photo: CentrePhoto, actor: User) -> None:
    _require_change(actor, photo.centre)
    photo._history_user = actor
    photo.delete()
    _delete_files_after_commit(photo.image, photo.thumbnail)


@transaction.atomic
def add_document(
    *, centre: Centre, upload: File[bytes], kind: str, title: str, actor: User
) -> CentreDocument:
    """Store a PDF document of the centre under a generated name."""
    _require_change(actor, centre)
    clean_pdf(upload)
    document = CentreDocument(
        centre=centre, kind=kind, title=title, size=upload.size or 0, uploaded_by=actor
    )
    document.full_clean(exclude=["file"])
    document._history_user = actor
    try:
        document.file.save("document.pdf", upload, save=False)
        document.save()
    except Exception:
        _discard(document.file)
        raise
    return document


@transaction.atomic
def delete_document(*, document: CentreDocument, actor: User) -> None:
    _require_change(actor, document.centre)
    document._history_user = actor
    document.delete()
    _delete_files_after_commit(document.file)
