"""QR codes for packaging: each encodes the absolute address of a centre's public page.

``public_url`` is the only place that knows where a centre's public page lives; the QR
routes, the office screens and their exports all ask it.
"""

import io
import math

import segno
from django.conf import settings
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _

from ovop.centres.models import Centre

# A code printed about 3 cm wide (quiet zone included) still scans from a phone at arm's
# length; 300 dpi is what a print shop expects.
PRINT_SIZE_MM = 30
PRINT_DPI = 300
QUIET_ZONE = 4  # modules; the QR standard's minimum
MIN_PNG_SCALE = 8  # pixels per module, so a small code is still crisp on screen


def is_public_language(lang: str) -> bool:
    """The public catalogue speaks the interface's languages (id, en)."""
    return lang in dict(settings.LANGUAGES)


def centre_slug(centre: Centre) -> str:
    # A name of only punctuation would give an empty slug, which no route accepts.
    return slugify(centre.name) or "sentra"


def public_url(request, centre: Centre, lang: str) -> str:
    """The absolute address of ``centre``'s public catalogue page in ``lang`` (id or en).

    ``OVOP_BASE_URL`` wins when set: a code printed on thousands of packages must point at
    the public site's name, not at whatever host an office happened to use.
    """
    path = reverse(
        "catalogue:detail", kwargs={"lang": lang, "pk": centre.pk, "slug": centre_slug(centre)}
    )
    base = getattr(settings, "OVOP_BASE_URL", "").rstrip("/")
    return f"{base}{path}" if base else request.build_absolute_uri(path)


def make_code(url: str) -> segno.QRCode:
    # Level M survives a scuffed or slightly curved package; never a Micro QR (few phones).
    return segno.make(url, error="m", micro=False)


def svg_bytes(code: segno.QRCode, *, title: str) -> bytes:
    """An SVG ~3 cm wide in print (millimetre units, with a viewBox so it scales)."""
    size = code.symbol_size(border=QUIET_ZONE)[0]
    buffer = io.BytesIO()
    code.save(
        buffer,
        kind="svg",
        scale=round(PRINT_SIZE_MM / size, 4),
        unit="mm",
        border=QUIET_ZONE,
        title=title,
        xmldecl=True,
    )
    return buffer.getvalue()


def png_bytes(code: segno.QRCode) -> bytes:
    """A PNG at least ~3 cm wide when printed at 300 dpi (the dpi is stored in the file)."""
    size = code.symbol_size(border=QUIET_ZONE)[0]
    pixels = PRINT_SIZE_MM / 25.4 * PRINT_DPI
    scale = max(MIN_PNG_SCALE, math.ceil(pixels / size))
    buffer = io.BytesIO()
    code.save(buffer, kind="png", scale=scale, border=QUIET_ZONE, dpi=PRINT_DPI)
    return buffer.getvalue()


def code_title(centre: Centre) -> str:
    return _("QR code for the catalogue page of %(name)s") % {"name": centre.name}
