"""Shared API plumbing: pagination and error shapes of API.md."""

import math
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from rest_framework import exceptions, serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.views import exception_handler as drf_exception_handler

from ovop.common.refusals import Refused
from ovop.common.validators import REASON_MAX_LENGTH, multi_line_text

# The base of a mixin for a viewset: to the type checker it is the viewset (``self.request``,
# ``get_object``…) the mixin is mixed into; at run time it is plain ``object``.
if TYPE_CHECKING:
    from rest_framework.viewsets import GenericViewSet as ViewSetMixinBase
else:
    ViewSetMixinBase = object


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


class Conflict(exceptions.APIException):
    """The action is not allowed in the object's current state (HTTP 409)."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


class Throttled(exceptions.Throttled):
    """DRF's 429 with its whole message in the reader's language.

    DRF fills "{wait}" into its sentence before translating it, so no catalogue can match
    the result and the answer came half English. Here the sentence is translated, then filled.
    A caller's own ``detail`` (the sign-in lockout says when itself) is used as it is.
    """

    def __init__(self, wait: float | None = None, detail=None, code=None) -> None:
        super().__init__(wait=None, detail=detail, code=code)
        if wait is None:
            return
        self.wait = math.ceil(wait)
        if detail is None:
            retry = ngettext(
                "Try again in %(seconds)d second.", "Try again in %(seconds)d seconds.", self.wait
            ) % {"seconds": self.wait}
            self.detail = exceptions.ErrorDetail(f"{self.detail} {retry}", code=self.default_code)


# PostgreSQL's SQLSTATE for a unique constraint that refused a row.
UNIQUE_VIOLATION = "23505"


def _refusal_answer(refusal: Refused) -> exceptions.APIException:
    """API.md's shapes: 403 ``{"detail"}``, 400 ``{"field": ["message"]}``, 409 ``{"detail"}``."""
    if refusal.status == 403:
        return exceptions.PermissionDenied(refusal.message)
    if refusal.status == 400:
        errors = refusal.errors or {refusal.field: refusal.message}
        return exceptions.ValidationError(
            {field: text if isinstance(text, list) else [text] for field, text in errors.items()}
        )
    return Conflict(str(refusal))


def exception_handler(exc, context):
    # A service's refusal (ovop.common.refusals): viewsets let it come here to be answered.
    refusal = exc if isinstance(exc, Refused) else None
    if refusal is not None:
        exc = _refusal_answer(refusal)
    # Two requests saving one unique thing at once, both checked before either saved: the
    # constraint lets one in and the other is told, not shown a crash. (Services that can
    # name the clash lock or catch it themselves and answer with the field.)
    if isinstance(exc, IntegrityError) and (
        getattr(exc.__cause__, "sqlstate", None) == UNIQUE_VIOLATION
    ):
        exc = Conflict(
            _("Someone else saved the same record at the same moment; reload and try again.")
        )
    if isinstance(exc, exceptions.Throttled) and not isinstance(exc, Throttled):
        exc = Throttled(wait=exc.wait)
    # Django's get_object_or_404 says "No Centre matches the given query." in English only
    # (and names a model); the API answers DRF's translated "Not found." instead.
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    # Domain code raises Django's ValidationError; answer it as a 400 with field messages.
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        exc = exceptions.ValidationError(detail=detail)
    # A value the database cannot even compare (PostgreSQL refuses NUL characters in text,
    # numbers past a column's range) comes from the request, not from a fault of ours.
    if isinstance(exc, DataError):
        exc = exceptions.ValidationError(
            detail={"detail": _("The request holds a value that cannot be stored or searched.")}
        )
    response = drf_exception_handler(exc, context)
    if refusal is not None and response is not None:
        response.data.update(refusal.payload())
    return response


def reason_field(help_text: str = "", **options) -> serializers.CharField:
    """An optional reason or note: bounded, multi-line, without hidden characters."""
    return serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=REASON_MAX_LENGTH,
        validators=[multi_line_text],
        help_text=help_text or None,
        **options,
    )
