"""Shared API plumbing: pagination and error shapes of API.md."""

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.views import exception_handler as drf_exception_handler

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


def exception_handler(exc, context):
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
    return drf_exception_handler(exc, context)
