"""Settings for the test suite: the real settings with a throwaway key and plain static files."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-" + "x" * 50)
os.environ.setdefault("OVOP_PLAIN_STATIC", "1")

from ovop.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
ALLOWED_HOSTS = ["*"]
