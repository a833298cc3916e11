"""Pieces of the letters API that ``api/proposals.py`` names: the PDF download renderer."""

import json

from rest_framework.renderers import BaseRenderer, JSONRenderer

from ovop.proposals.outputs.pdf import PDF_CONTENT_TYPE


class PdfDownloadRenderer(BaseRenderer):
    """Lets ``Accept: application/pdf`` through DRF's content negotiation (else 406). The
    PDF itself is returned as a plain Django response and never rendered; only error
    bodies (401/404) come through here."""

    media_type = PDF_CONTENT_TYPE
    format = "pdf"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        return b"" if data is None else json.dumps(data).encode()


PDF_RENDERERS = [JSONRenderer, PdfDownloadRenderer]
