"""Deployment settings (issue 8): structured logs, S3-compatible uploads, the task backend.

Settings are read once at import, so each case loads them in a fresh interpreter with the
environment under test and prints what it needs as JSON.
"""

import json
import logging
import os
import socket
import subprocess
import sys

import pytest
from django.core import mail
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from ovop.common.logging import JsonFormatter, RequestContextFilter
from ovop.notifications.enums import NotificationKind
from ovop.notifications.models import Notification
from ovop.notifications.services import Message, deliver

LEAKY = {
    "DEBUG",
    "DATABASE_URL",
    "OVOP_PLAIN_STATIC",
    "OVOP_LOG_FORMAT",
    "OVOP_TASKS_BACKEND",
    "OVOP_CACHE",
    "DJANGO_SETTINGS_MODULE",
}
PRINT_SETTINGS = """
import json
from django.conf import settings
print(json.dumps({
    "STORAGES": settings.STORAGES,
    "LOGGING": settings.LOGGING,
    "TASKS": settings.TASKS,
    "CACHES": settings.CACHES,
    "MIDDLEWARE": settings.MIDDLEWARE,
    "INSTALLED_APPS": settings.INSTALLED_APPS,
}))
"""


def load_settings(tmp_path, code: str = PRINT_SETTINGS, **env: str) -> dict:
    environment = {
        k: v for k, v in os.environ.items() if k not in LEAKY and not k.startswith("OVOP_S3_")
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="ovop.settings",
        SECRET_KEY="s" * 50,
        OVOP_VAR_DIR=str(tmp_path),
        **env,
    )
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()\n" + code],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_settings_keep_uploads_on_disk_and_plain_logs_by_default(tmp_path):
    loaded = load_settings(tmp_path)
    assert loaded["STORAGES"]["default"]["BACKEND"].endswith("FileSystemStorage")
    assert loaded["LOGGING"]["handlers"]["console"]["formatter"] == "plain"
    assert loaded["LOGGING"]["handlers"]["console"]["filters"] == ["request"]
    assert loaded["TASKS"]["default"]["BACKEND"].endswith("ImmediateBackend")
    assert loaded["MIDDLEWARE"][0] == "ovop.common.logging.RequestIdMiddleware"
    assert {"django_tasks", "django_tasks_db"} <= set(loaded["INSTALLED_APPS"])


def test_settings_with_json_log_format_use_the_json_formatter(tmp_path):
    loaded = load_settings(tmp_path, OVOP_LOG_FORMAT="json")
    logging_config = loaded["LOGGING"]
    assert logging_config["handlers"]["console"]["formatter"] == "json"
    assert logging_config["formatters"]["json"]["()"] == "ovop.common.logging.JsonFormatter"


def refused_settings(tmp_path, **env: str) -> str:
    """Start Django with ``env``; it must refuse to start. Returns what it said."""
    environment = {k: v for k, v in os.environ.items() if k not in LEAKY}
    environment.update(
        DJANGO_SETTINGS_MODULE="ovop.settings",
        SECRET_KEY="s" * 50,
        OVOP_VAR_DIR=str(tmp_path),
        **env,
    )
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    return result.stderr


def test_settings_refuse_an_unknown_log_format(tmp_path):
    assert "OVOP_LOG_FORMAT must be" in refused_settings(tmp_path, OVOP_LOG_FORMAT="xml")


def test_settings_with_a_bucket_store_uploads_privately_on_s3(tmp_path):
    loaded = load_settings(
        tmp_path,
        OVOP_S3_BUCKET="ovop-uploads",
        OVOP_S3_ENDPOINT_URL="https://s3.example.go.id",
        OVOP_S3_REGION="ap-southeast-3",
        OVOP_S3_ACCESS_KEY_ID="AKIAEXAMPLE",
        OVOP_S3_SECRET_ACCESS_KEY="secret-example",
        OVOP_S3_ADDRESSING_STYLE="path",
        OVOP_S3_PREFIX="/kalsel/",
    )
    storage = loaded["STORAGES"]["default"]
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    options = storage["OPTIONS"]
    assert options["bucket_name"] == "ovop-uploads"
    assert options["endpoint_url"] == "https://s3.example.go.id"
    assert options["region_name"] == "ap-southeast-3"
    assert options["access_key"] == "AKIAEXAMPLE"
    assert options["secret_key"] == "secret-example"
    assert options["location"] == "kalsel"
    assert options["default_acl"] == "private"
    assert options["querystring_auth"] is True
    assert options["querystring_expire"] == 300
    assert options["file_overwrite"] is False
    # Static files stay with WhiteNoise.
    assert "whitenoise" in loaded["STORAGES"]["staticfiles"]["BACKEND"]


def test_s3_storage_makes_signed_short_lived_urls(tmp_path):
    # Signing happens locally: nothing leaves the process.
    code = (
        "import json\nfrom django.core.files.storage import storages\n"
        "print(json.dumps({'url': storages['default'].url('centres/documents/a.pdf')}))"
    )
    loaded = load_settings(
        tmp_path,
        code,
        OVOP_S3_BUCKET="ovop-uploads",
        OVOP_S3_ENDPOINT_URL="https://s3.example.go.id",
        OVOP_S3_REGION="ap-southeast-3",
        OVOP_S3_ACCESS_KEY_ID="AKIAEXAMPLE",
        OVOP_S3_SECRET_ACCESS_KEY="secret-example",
        OVOP_S3_ADDRESSING_STYLE="path",
    )
    url = loaded["url"]
    assert url.startswith("https://s3.example.go.id/ovop-uploads/centres/documents/a.pdf?")
    assert "X-Amz-Signature=" in url
    assert "X-Amz-Expires=300" in url


def test_settings_with_the_database_task_backend_queue_for_the_worker(tmp_path):
    loaded = load_settings(tmp_path, OVOP_TASKS_BACKEND="database")
    assert loaded["TASKS"]["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"


def test_settings_share_one_cache_table_between_processes_when_asked(tmp_path):
    assert load_settings(tmp_path)["CACHES"]["default"]["BACKEND"].endswith("LocMemCache")
    shared = load_settings(tmp_path, OVOP_CACHE="database")["CACHES"]["default"]
    assert shared == {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "ovop_cache",
    }


def test_settings_use_django_redis_cache_for_a_valkey_or_redis_url(tmp_path):
    url = "redis://:Rahasia-Besar@cache.internal:6379/2"  # the password keeps its case
    shared = load_settings(tmp_path, OVOP_CACHE=url)["CACHES"]["default"]
    assert shared == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": url,
        "KEY_PREFIX": "ovop",
    }
    assert (
        load_settings(tmp_path, OVOP_CACHE="unix:///run/valkey/valkey.sock")["CACHES"]["default"][
            "LOCATION"
        ]
        == "unix:///run/valkey/valkey.sock"
    )


def test_settings_refuse_an_unknown_cache_and_say_what_is_allowed(tmp_path):
    said = refused_settings(tmp_path, OVOP_CACHE="memcached://127.0.0.1:11211")
    assert "OVOP_CACHE must be 'local', 'database' or a Valkey/Redis URL" in said


def test_the_redis_cache_round_trips_through_a_real_server(tmp_path):
    """The machine's Redis (or Valkey) at 127.0.0.1:6379, when one runs there."""
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        pytest.skip("no Redis or Valkey on 127.0.0.1:6379")
    code = (
        "from django.core.cache import cache\n"
        "import json, uuid\n"
        "key = 'probe-' + uuid.uuid4().hex\n"
        "cache.set(key, {'ranking': [1, 2, 3]}, 30)\n"
        "print(json.dumps({'value': cache.get(key), 'gone': cache.delete(key)}))\n"
    )
    found = load_settings(tmp_path, code=code, OVOP_CACHE="redis://127.0.0.1:6379/15")
    assert found == {"value": {"ranking": [1, 2, 3]}, "gone": True}


def record(message: str = "hello", **extra) -> logging.LogRecord:
    entry = logging.LogRecord("ovop.test", logging.WARNING, __file__, 1, message, (), None)
    entry.__dict__.update(extra)
    return entry


def test_json_formatter_writes_one_object_per_line():
    line = JsonFormatter().format(record("two\nlines", centre=7))
    assert "\n" not in line
    data = json.loads(line)
    assert data["level"] == "WARNING"
    assert data["logger"] == "ovop.test"
    assert data["message"] == "two\nlines"
    assert data["centre"] == 7
    assert data["time"].endswith("+00:00")


def test_json_formatter_includes_the_exception():
    try:
        raise ValueError("boom")
    except ValueError:
        entry = logging.LogRecord(
            "ovop.test", logging.ERROR, __file__, 1, "failed", (), sys.exc_info()
        )
    data = json.loads(JsonFormatter().format(entry))
    assert "ValueError: boom" in data["exception"]


def test_json_formatter_names_the_fields_of_a_gunicorn_access_line():
    atoms = {
        "h": "10.0.0.1",
        "m": "GET",
        "U": "/centres/",
        "q": "page=2",
        "s": "200",
        "B": "5120",
        "D": "12500",
        "a": "curl/8",
        "f": "-",
        "{x-request-id}o": "r-1",
    }
    entry = logging.LogRecord("gunicorn.access", logging.INFO, __file__, 1, "%(h)s", atoms, None)
    data = json.loads(JsonFormatter().format(entry))
    assert data["status"] == 200
    assert data["path"] == "/centres/"
    assert data["duration_ms"] == 12.5
    assert data["request_id"] == "r-1"
    assert "referer" not in data


@pytest.mark.django_db
def test_request_id_is_returned_and_a_safe_incoming_one_is_kept(client):
    response = client.get("/healthz/", HTTP_X_REQUEST_ID="abc-123")
    assert response["X-Request-ID"] == "abc-123"
    generated = client.get("/healthz/", HTTP_X_REQUEST_ID="bad id\r\nX-Evil: 1")["X-Request-ID"]
    assert len(generated) == 32
    assert generated.isalnum()


@pytest.mark.django_db
def test_log_lines_of_a_request_carry_its_id_path_user_and_status(client, operator):
    captured: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, entry):
            captured.append(entry)

    handler = Keep()
    handler.addFilter(RequestContextFilter())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        client.force_login(operator)
        client.get("/centres/999999999/", HTTP_X_REQUEST_ID="req-42")
    finally:
        logger.removeHandler(handler)
    [entry] = [entry for entry in captured if entry.getMessage().startswith("Not Found")]
    data = json.loads(JsonFormatter().format(entry))
    assert data["request_id"] == "req-42"
    assert data["path"] == "/centres/999999999/"
    assert data["user"] == operator.username
    assert data["status"] == 404


def message() -> Message:
    return Message(
        kind=NotificationKind.SUBMITTED, title="Usulan baru", body="Isi", url="/proposals/1/"
    )


@pytest.mark.django_db
def test_notification_emails_are_sent_at_once_with_the_immediate_backend(operator):
    deliver(message=message(), recipients=[operator])
    assert Notification.objects.filter(recipient=operator).count() == 1
    assert [email.to for email in mail.outbox] == [[operator.email]]


@pytest.mark.django_db
def test_notification_emails_wait_for_the_worker_with_the_database_backend(operator):
    database = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with override_settings(TASKS=database):
        deliver(message=message(), recipients=[operator])
    # The in-app entry is there at once; the e-mail waits in the queue.
    assert Notification.objects.filter(recipient=operator).count() == 1
    assert mail.outbox == []
    queued = DBTaskResult.objects.get().task_result
    # What the worker does with it (db_worker itself runs in tests/test_deploy_files.py).
    assert queued.task.call(*queued.args, **queued.kwargs) == 1
    assert [email.to for email in mail.outbox] == [[operator.email]]
    assert mail.outbox[0].subject == "Usulan baru"
