"""Sealed, fast settings for the test suite: in-memory SQLite unless DATABASE_URL names one."""

import os

os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("SECRET_KEY", "test-secret-key-that-is-long-enough-0123456789")
os.environ.setdefault("DATABASE_URL", "sqlite://:memory:")
os.environ.setdefault("EMAIL_BACKEND", "console")

from regionlink.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
AXES_FAILURE_LIMIT = 3
LOGGING = {"version": 1, "disable_existing_loggers": False}
# The browser tests' live server answers from its own thread: with persistent connections it
# would still hold the PostgreSQL test database open when the suite drops it.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
