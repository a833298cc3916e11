"""Structured logs: one JSON object per line, with the request each line belongs to.

``OVOP_LOG_FORMAT=json`` switches the console handler to :class:`JsonFormatter` (settings) and
gunicorn's access and error logs to the same format (``deploy/gunicorn.conf.py``), so
``journalctl -u ovop -o cat | jq`` reads every line the same way.

:class:`RequestIdMiddleware` gives every request an id (nginx's ``X-Request-ID`` when it sends
a sane one, else a new one), returns it in the ``X-Request-ID`` response header and keeps it,
with the path and the signed-in user, for :class:`RequestContextFilter` to add to each record
logged while the request runs.

This module is imported by ``logging.config`` before Django is set up (and by gunicorn's
master), so it imports nothing from Django at module level.
"""

import contextvars
import datetime
import json
import logging
import re
import traceback
import uuid
from typing import Any

_current_request: contextvars.ContextVar[Any] = contextvars.ContextVar("ovop_request", default=None)
_current_request_id: contextvars.ContextVar[str] = contextvars.ContextVar(
    "ovop_request_id", default=""
)

# nginx's $request_id is 32 hex digits; accept any short token, never a header injection.
SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")

# Attributes every LogRecord has; anything else was passed with ``extra=`` and is kept.
_STANDARD_ATTRIBUTES = set(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {
    "message",
    "asctime",
    "request",
    "status_code",
}

# gunicorn's access-log atoms, under readable names.
_ACCESS_ATOMS = {
    "h": "remote_addr",
    "m": "method",
    "U": "path",
    "q": "query",
    "H": "protocol",
    "s": "status",
    "B": "bytes",
    "D": "duration_us",
    "a": "user_agent",
    "f": "referer",
}


def current_request_id() -> str:
    return _current_request_id.get()


def _username(request: Any) -> str | None:
    # Only a user AuthenticationMiddleware has already loaded: logging must never query.
    user = getattr(request, "_cached_user", None)
    if user is not None and getattr(user, "is_authenticated", False):
        return user.get_username()
    return None


class RequestContextFilter(logging.Filter):
    """Adds request_id, path and user to records logged while a request is handled."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None) or _current_request.get()
        request_id = getattr(request, "request_id", None) or current_request_id()
        if request_id and not hasattr(record, "request_id"):
            record.request_id = request_id
        if request is not None and hasattr(request, "path"):
            record.path = request.path
            record.method = getattr(request, "method", None)
            username = _username(request)
            if username:
                record.user = username
        status = getattr(record, "status_code", None)
        if status is not None:
            record.status = status
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message and whatever context exists."""

    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, Any] = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.name == "gunicorn.access" and isinstance(record.args, dict):
            data.update(self._access_fields(record.args))
        for key, value in record.__dict__.items():
            if key not in _STANDARD_ATTRIBUTES and not key.startswith("_"):
                data[key] = value
        if record.exc_info:
            data["exception"] = "".join(traceback.format_exception(*record.exc_info)).rstrip()
        elif record.exc_text:
            data["exception"] = record.exc_text
        if record.stack_info:
            data["stack"] = record.stack_info
        return json.dumps(data, default=str, ensure_ascii=False)

    @staticmethod
    def _access_fields(atoms: dict) -> dict[str, Any]:
        fields: dict[str, Any] = {}
        for atom, name in _ACCESS_ATOMS.items():
            value = atoms.get(atom)
            if value not in (None, "", "-"):
                fields[name] = value
        for name in ("status", "bytes", "duration_us"):
            try:
                fields[name] = int(fields[name])
            except (KeyError, TypeError, ValueError):
                fields.pop(name, None)
        if "duration_us" in fields:
            fields["duration_ms"] = round(fields.pop("duration_us") / 1000, 1)
        # gunicorn lower-cases header names in its atoms: {x-request-id}o is the response's.
        request_id = atoms.get("{x-request-id}o") or atoms.get("{x-request-id}i")
        if request_id and request_id != "-":
            fields["request_id"] = request_id
        return fields


class RequestIdMiddleware:
    """Tags each request with an id, shown in its log lines and its X-Request-ID header."""

    header = "X-Request-ID"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get(self.header, "")
        request_id = incoming if SAFE_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        request_token = _current_request.set(request)
        id_token = _current_request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            _current_request.reset(request_token)
            _current_request_id.reset(id_token)
        response.headers.setdefault(self.header, request_id)
        return response
