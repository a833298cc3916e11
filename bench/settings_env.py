"""Point Django at the bench database and set it up (import before any model).

The national dataset lives in its own database: var/bench-national.sqlite3, or the database
DATABASE_URL names (e.g. ``DATABASE_URL=postgres://postgres@127.0.0.1:5432/ovop_bench``).
"""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ovop.settings")
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
# Mail from bench writes (the demo's notifications) goes nowhere.
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench-national.sqlite3'}")

import django  # noqa: E402

django.setup()
