"""Request body parsers for the API that refuse oversized or deeply nested bodies unread.

Python's JSON decoder recurses once per nesting level, so a few thousand ``[`` end in a
RecursionError (a 500). And a body over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` makes Django raise
RequestDataTooBig, which DRF does not turn into an API error: the caller got Django's HTML
error page instead of API.md's ``{"detail": ...}``. Both are refused here with a 400 in the
reader's language, before anything is decoded.

The JSON and form parsers wrap DRF's rather than subclass them: DRF reads ``request.body``
itself for its own JSON and form parsers (raising RequestDataTooBig before any parser runs),
and hands any other parser the request stream, which is read here up to the limit.
"""

import io
import json
import re
from itertools import accumulate
from typing import IO

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

# Our deepest body is an assessment: {"comments": {"K1.1": "..."}}. 32 leaves ample room.
MAX_JSON_DEPTH = 32

# A JSON string, escapes included (brackets inside one do not nest). One never closed runs
# to the end of the body, so every quote starts a match and the body is scanned once.
_STRING = re.compile(rb'"(?:[^"\\]|\\.)*+(?:"|\\?\Z)', re.DOTALL)
_NOT_BRACKETS = bytes(byte for byte in range(256) if byte not in b"[]{}")
# Each bracket's step in depth, looked up by byte value.
_STEP = [0] * 256
_STEP[ord("[")] = _STEP[ord("{")] = 1
_STEP[ord("]")] = _STEP[ord("}")] = -1


def _body_limit() -> int | None:
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def _too_large() -> ParseError:
    return ParseError(
        _("The request body is larger than %(limit)s; send less data at once.")
        % {"limit": filesizeformat(_body_limit() or 0)}
    )


def _too_many_fields() -> ParseError:
    return ParseError(
        _("The request has more than %(limit)s fields; send fewer at once.")
        % {"limit": settings.DATA_UPLOAD_MAX_NUMBER_FIELDS}
    )


def read_bounded(stream: IO[bytes] | None) -> bytes:
    """The whole body, or ParseError when it is larger than DATA_UPLOAD_MAX_MEMORY_SIZE."""
    if stream is None:
        return b""
    limit = _body_limit()
    body = stream.read() if limit is None else stream.read(limit + 1)
    if limit is not None and len(body) > limit:
        raise _too_large()
    return body


def json_depth_exceeds(body: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether arrays and objects in ``body`` nest deeper than ``limit``; strings are skipped.

    Counting brackets is enough, unbalanced or not: the decoder goes as deep as the open
    brackets before the point where it fails. The work is done by C loops (regular
    expression, translate, accumulate), so a body of a million brackets costs milliseconds.
    """
    brackets = _STRING.sub(b"", body).translate(None, delete=_NOT_BRACKETS)
    return max(accumulate(map(_STEP.__getitem__, brackets)), default=0) > limit


class BoundedJSONParser(parsers.BaseParser):
    """DRF's JSON parser behind a size limit and a nesting limit (both answer 400)."""

    media_type = parsers.JSONParser.media_type
    renderer_class = parsers.JSONParser.renderer_class

    def parse(self, stream, media_type=None, parser_context=None):
        body = read_bounded(stream)
        if json_depth_exceeds(body):
            raise ParseError(
                _("The JSON body is nested more than %(limit)s levels deep.")
                % {"limit": MAX_JSON_DEPTH}
            )
        try:
            return parsers.JSONParser().parse(io.BytesIO(body), media_type, parser_context)
        except ParseError as error:
            # DRF's message quotes the decoder in English; say where the body breaks instead.
            cause = error.__context__
            if isinstance(cause, json.JSONDecodeError):
                raise ParseError(
                    _("The body is not valid JSON (line %(line)s, column %(column)s).")
                    % {"line": cause.lineno, "column": cause.colno}
                ) from cause
            raise ParseError(_("The body is not valid JSON in UTF-8.")) from error


class BoundedFormParser(parsers.BaseParser):
    """DRF's form parser behind the same size limit."""

    media_type = parsers.FormParser.media_type

    def parse(self, stream, media_type=None, parser_context=None):
        body = io.BytesIO(read_bounded(stream))
        try:
            return parsers.FormParser().parse(body, media_type, parser_context)
        except TooManyFieldsSent as error:
            raise _too_many_fields() from error


class BoundedMultiPartParser(parsers.MultiPartParser):
    """DRF's multipart parser; Django's limits on its fields answer as API errors (400).

    Files are bounded by their own checks (uploads, workbook imports); the other fields
    together by DATA_UPLOAD_MAX_MEMORY_SIZE, their number by DATA_UPLOAD_MAX_NUMBER_FIELDS.
    """

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RequestDataTooBig as error:
            raise _too_large() from error
        except TooManyFieldsSent as error:
            raise _too_many_fields() from error
