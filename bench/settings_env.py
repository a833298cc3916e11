"""Point Django at the bench database and set it up (import before any model).

The national dataset lives in its own database: var/bench-national.sqlite3, or the database
DATABASE_URL names (e.g. ``DATABASE_URL=postgres://postgres@127.0.0.1:5432/ovop_bench``).

What is measured is what is deployed: production settings (DEBUG off, so no query log and
the hashed, compressed static files of ``CompressedManifestStaticFilesStorage``), collected
into var/bench-static whenever a static source is newer than the manifest. Only the parts
that need TLS are off: the bench talks plain HTTP to itself, as gunicorn does behind nginx.
"""

import os
import secrets
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ovop.settings")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))  # this process and its gunicorn
os.environ.setdefault("STATIC_ROOT", str(ROOT / "var" / "bench-static"))
for name in ("SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE"):
    os.environ.setdefault(name, "0")
os.environ.pop("OVOP_PLAIN_STATIC", None)
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
# Mail from bench writes (the demo's notifications) goes nowhere.
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench-national.sqlite3'}")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.staticfiles.finders import get_finders  # noqa: E402
from django.core.management import call_command  # noqa: E402


def _collect_static() -> None:
    """collectstatic when the manifest is missing or older than a static source file."""
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    newest = max(
        Path(storage.path(path)).stat().st_mtime
        for finder in get_finders()
        for path, storage in finder.list([])
    )
    if not manifest.exists() or manifest.stat().st_mtime < newest:
        call_command("collectstatic", interactive=False, verbosity=0)


_collect_static()
