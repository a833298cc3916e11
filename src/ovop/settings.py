"""Settings, all read from the environment (see README "Configuration")."""

import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = Path(os.environ.get("OVOP_HOME", Path.cwd())).resolve()
VAR_DIR = Path(os.environ.get("OVOP_VAR_DIR", BASE_DIR / "var")).resolve()


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")


def _secret_key() -> str:
    key = os.environ.get("SECRET_KEY", "")
    if key:
        return key
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off (see README, Configuration)."
        )
    # Local runs: generate once and keep it under var/ so sessions survive restarts.
    key_file = VAR_DIR / "secret_key.txt"
    if not key_file.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "ovop.common",
    "ovop.regions",
    "ovop.accounts",
    "ovop.centres",
    "ovop.proposals",
    "ovop.evaluation",
    "ovop.coaching",
    "ovop.catalogue",
    "ovop.reports",
    "ovop.notifications",
    "ovop.demo",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ovop.common.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "ovop.urls"
WSGI_APPLICATION = "ovop.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ovop.common.context_processors.navigation",
                "ovop.notifications.context_processors.unread",
            ],
            "builtins": ["ovop.common.templatetags.ovop"],
        },
    }
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'ovop.sqlite3'}", conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions avoid "database is locked" when two requests write at once.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "ovop.accounts.backends.RulesBackend",
    "ovop.accounts.backends.PasswordBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Language and formats: Indonesian by default, English complete.
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Indonesian")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
FORMAT_MODULE_PATH = ["ovop.formats"]
USE_I18N = True
USE_TZ = True
# Off: ids and years in links, ids and form values must never read "2.033". Figures are
# grouped on purpose with the `number` and `rupiah` filters (Rp 1.250.000).
USE_THOUSAND_SEPARATOR = False
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Makassar")
LANGUAGE_COOKIE_NAME = "ovop_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG and not env_bool("OVOP_PLAIN_STATIC")
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# E-mail: console by default; SMTP when EMAIL_HOST is set.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
# The site's public address, for links in e-mails (e.g. https://ovop.kalselprov.go.id).
OVOP_BASE_URL = os.environ.get("OVOP_BASE_URL", "").rstrip("/")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "ovop <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security. Production (DEBUG off) is strict by default; each switch can be relaxed by env
# when a reverse proxy already does the job.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    if env_bool("USE_X_FORWARDED_PROTO", True):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]

# Security (issue 8): sign-in lockout, API token throttle, CSP and Permissions-Policy.
# A username + address is locked after OVOP_LOGIN_FAILURES failures for
# OVOP_LOGIN_LOCKOUT_MINUTES; a success before that resets the count. Unlock early with
# `python -m ovop axes_reset_username <username>` (or axes_reset_ip / axes_reset).
INSTALLED_APPS += ["axes"]
MIDDLEWARE.insert(1, "ovop.common.security.SecurityHeadersMiddleware")
MIDDLEWARE.append("axes.middleware.AxesMiddleware")
AUTHENTICATION_BACKENDS.insert(0, "ovop.common.security.LockoutBackend")
AXES_FAILURE_LIMIT = int(os.environ.get("OVOP_LOGIN_FAILURES", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("OVOP_LOGIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "ovop.common.security.lockout_response"
AXES_CLIENT_IP_CALLABLE = "ovop.common.security.client_ip"
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False
# Trusted reverse proxies in front of gunicorn (nginx: 1); the client address is then read
# from X-Forwarded-For, as nginx appends it. 0 = use REMOTE_ADDR.
OVOP_PROXY_COUNT = int(os.environ.get("OVOP_PROXY_COUNT", "0"))
OVOP_API_TOKEN_RATE = os.environ.get("OVOP_API_TOKEN_RATE", "10/minute")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first so an anonymous call is answered 401 with WWW-Authenticate.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "ovop.common.api.Pagination",
    "DEFAULT_SCHEMA_CLASS": "ovop.common.schema.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    # Issue 23: JSON and form bodies limited in size and JSON in depth before parsing.
    "DEFAULT_PARSER_CLASSES": [
        "ovop.common.parsers.BoundedJSONParser",
        "ovop.common.parsers.BoundedFormParser",
        "ovop.common.parsers.BoundedMultiPartParser",
    ],
    "EXCEPTION_HANDLER": "ovop.common.api.exception_handler",
    "PAGE_SIZE": 50,
    # Security (issue 8): password guesses on POST /api/v1/auth/token/.
    "DEFAULT_THROTTLE_RATES": {"auth_token": OVOP_API_TOKEN_RATE},
    "NUM_PROXIES": OVOP_PROXY_COUNT or None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "ovop API",
    "DESCRIPTION": "One Village One Product (OVOP) — public interface v1.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI served from the vendored sidecar package, never a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {"ProposalStateEnum": "ovop.proposals.enums.ProposalState"},
}

LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # WeasyPrint and fontTools report every font and step at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Security (issue 8): the published demo password, used only by seed_demo (README).
OVOP_DEMO_PASSWORD = "ovop-demo-2026"  # nosec B105

# Map tiles: any XYZ tile server; government networks may point this at an internal one.
# When tiles cannot load, the map page still lists every marker.
OVOP_MAP_TILE_URL = os.environ.get(
    "OVOP_MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
)
OVOP_MAP_ATTRIBUTION = os.environ.get("OVOP_MAP_ATTRIBUTION", "© OpenStreetMap contributors")

# Upload limits (checked by content, not by name).
OVOP_MAX_PHOTO_BYTES = 5 * 1024 * 1024
OVOP_MAX_PDF_BYTES = 10 * 1024 * 1024
# A request's data other than its files (which the two limits above bound): form fields,
# JSON bodies (ovop.common.parsers). Our largest, a proposal's essays, is well under 1 MB.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# Certificate expiry watch: certificates expiring within this many days are listed on the
# dashboard and e-mailed to the kab/kota operators by `send_certificate_expiry`.
OVOP_CERTIFICATE_WATCH_DAYS = int(os.environ.get("OVOP_CERTIFICATE_WATCH_DAYS", "90"))
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True  # reasons are sentences, not labels

# Deployment (issue 8): request ids and structured logs, background tasks, S3-compatible
# storage for uploads. See docs/deploy.md.
MIDDLEWARE.insert(0, "ovop.common.logging.RequestIdMiddleware")
OVOP_LOG_FORMAT = os.environ.get("OVOP_LOG_FORMAT", "plain").strip().lower()
if OVOP_LOG_FORMAT not in {"plain", "json"}:
    raise ImproperlyConfigured("OVOP_LOG_FORMAT must be 'plain' or 'json'.")
LOGGING["filters"] = {"request": {"()": "ovop.common.logging.RequestContextFilter"}}
LOGGING["formatters"]["json"] = {"()": "ovop.common.logging.JsonFormatter"}
LOGGING["handlers"]["console"].update(formatter=OVOP_LOG_FORMAT, filters=["request"])

# The cache. "local": each process its own (tests, `make run`, one server). "database": one
# table (`createcachetable`, which deploy/install.sh runs) shared by every worker and app
# server, so the API token throttle counts each client once across processes. A Valkey or
# Redis URL (redis://host:6379/0, rediss://… with TLS, unix:///run/redis.sock): Django's
# own Redis backend, shared like the table but without a database round trip, for several
# app servers. Expensive pages are reused by fingerprint (ovop.common.freshness), correct
# with any of them.
CACHE_BACKENDS = {
    "local": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "database": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "ovop_cache",
    },
}
REDIS_SCHEMES = ("redis://", "rediss://", "unix://")
OVOP_CACHE = os.environ.get("OVOP_CACHE", "local").strip()
if OVOP_CACHE.lower().startswith(REDIS_SCHEMES):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": OVOP_CACHE,
            "KEY_PREFIX": "ovop",
        }
    }
elif OVOP_CACHE.lower() in CACHE_BACKENDS:
    CACHES = {"default": CACHE_BACKENDS[OVOP_CACHE.lower()]}
else:
    raise ImproperlyConfigured(
        "OVOP_CACHE must be 'local', 'database' or a Valkey/Redis URL (redis://host:6379/0)."
    )

# Background tasks (django-tasks, the backport of Django 6's tasks). "immediate" runs each
# task at once in the process that enqueues it (tests, `make run`); "database" queues it in
# the database for `python -m ovop db_worker` (the ovop-worker unit) to run.
INSTALLED_APPS += ["django_tasks", "django_tasks_db"]
TASK_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}
OVOP_TASKS_BACKEND = os.environ.get("OVOP_TASKS_BACKEND", "immediate").strip().lower()
if OVOP_TASKS_BACKEND not in TASK_BACKENDS:
    raise ImproperlyConfigured("OVOP_TASKS_BACKEND must be 'immediate' or 'database'.")
TASKS = {"default": {"BACKEND": TASK_BACKENDS[OVOP_TASKS_BACKEND]}}
# An xlsx export of more rows than this is built by the task backend (progress page, then a
# download under "My downloads"); files are deleted after OVOP_EXPORT_KEEP_DAYS.
OVOP_EXPORT_BACKGROUND_ROWS = int(os.environ.get("OVOP_EXPORT_BACKGROUND_ROWS", "2000"))
OVOP_EXPORT_KEEP_DAYS = int(os.environ.get("OVOP_EXPORT_KEEP_DAYS", "7"))

# Uploads on S3-compatible object storage (AWS, MinIO, Ceph, a cloud's S3 API) when several
# app servers share the load. Objects are private; Django streams each file after its own
# permission check, and any URL the storage makes is signed and short-lived. Static files
# stay on WhiteNoise.
OVOP_S3_BUCKET = os.environ.get("OVOP_S3_BUCKET", "")
if OVOP_S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": OVOP_S3_BUCKET,
            "endpoint_url": os.environ.get("OVOP_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("OVOP_S3_REGION") or None,
            # Empty keys: boto3's own chain (instance role, ~/.aws) decides.
            "access_key": os.environ.get("OVOP_S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("OVOP_S3_SECRET_ACCESS_KEY") or None,
            "location": os.environ.get("OVOP_S3_PREFIX", "").strip("/"),
            "addressing_style": os.environ.get("OVOP_S3_ADDRESSING_STYLE") or None,
            "signature_version": "s3v4",
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": int(os.environ.get("OVOP_S3_URL_EXPIRE", "300")),
            "file_overwrite": False,
        },
    }
