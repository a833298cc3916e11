"""The one refusal: an action that may not happen, and why.

Services raise ``Refused`` (a workflow move out of turn, a delete of a record still needed,
a locked rubric…). The API answers it in one place, ``ovop.common.api.exception_handler``
(403 / 400 / 409 with API.md's bodies); screens show it with ``refusal_shown``.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect


class Refused(Exception):  # noqa: N818  it is what the user is told, not a fault of ours
    """``message`` says why; ``status`` is the HTTP answer (400 / 403 / 409).

    A 400 names what to correct: ``errors`` maps fields (a sub-criterion code, a cell) to
    their messages, or else ``field`` is the one request field the message is about.
    ``hint`` says what to do instead (a delete refused: archive it).
    """

    def __init__(
        self,
        message: str,
        *,
        status: int = 409,
        errors: dict[str, Any] | None = None,
        field: str = "detail",
        hint: str = "",
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.errors = errors or {}
        self.field = field
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} {self.hint}".strip()

    def payload(self) -> dict[str, Any]:
        """What the API answer carries beside ``detail`` (a subclass's own details)."""
        return {}


def refusal_shown(
    url_name: str,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """A view whose refusal is shown as an error message on page ``url_name``.

    The page is reversed with the view's own URL arguments (``pk``…), so a form posted from
    a page goes back to it and says why nothing happened.
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def shown(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            try:
                return view(request, *args, **kwargs)
            except Refused as refusal:
                messages.error(request, str(refusal))
                return redirect(url_name, *args, **kwargs)

        return shown

    return decorator
