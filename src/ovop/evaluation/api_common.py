"""Turning evaluation refusals into API answers (API.md: 400 / 403 / 409)."""

from rest_framework import exceptions

from ovop.common.api import Conflict
from ovop.evaluation.errors import Refused


def refusal(error: Refused) -> exceptions.APIException:
    if error.status == 403:
        return exceptions.PermissionDenied(error.message)
    if error.status == 400:
        if error.errors:
            # API.md: 400 is {"field": ["message"]}, one list per field.
            return exceptions.ValidationError(
                {
                    field: message if isinstance(message, list) else [message]
                    for field, message in error.errors.items()
                }
            )
        return exceptions.ValidationError({"detail": [error.message]})
    return Conflict(error.message)
