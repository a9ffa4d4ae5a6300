"""Test runs: fast hashing, media in a temporary folder, same database switch as base."""

import os
import tempfile

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "civic-cms-tests-only"  # noqa: S105
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = tempfile.mkdtemp(prefix="civic-cms-test-media-")
CIVIC_IMPORT_JOURNAL = os.environ.get("CIVIC_IMPORT_JOURNAL") or os.path.join(
    tempfile.mkdtemp(prefix="civic-cms-test-state-"), "import-journal"
)
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
WAGTAILADMIN_BASE_URL = "http://testserver"
# Tests exercise the resolvers on every request; the response cache's own tests
# (tests/delivery) turn it on.
CIVIC_GRAPHQL_CACHE_SECONDS = 0
# Renditions are made by the task worker (delivery.renditions); here at once, when an image
# is saved, so that every test reads them as a reader does once the worker has run. The
# tests of the worker itself, and the imports, use the database queue production has. The
# same for contact form notifications (contact.notifications): sent at the commit.
QUEUED_TASKS = {
    **TASKS,  # noqa: F405
    "media": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["renditions"]},
}
TASKS = {
    **TASKS,  # noqa: F405
    "media": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "QUEUES": ["renditions"],
    },
    "notifications": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "QUEUES": ["notifications"],
    },
}
# The embedded cache, in a folder of this run unless CIVIC_CACHE_DIR names one.
if CACHES["default"]["BACKEND"] == "cms.cache.EmbeddedCache":  # noqa: F405
    CACHES["default"]["LOCATION"] = os.environ.get("CIVIC_CACHE_DIR") or tempfile.mkdtemp(  # noqa: F405
        prefix="civic-cms-test-cache-"
    )

# SQLite: the test database is a file, as on the embedded defaults, not Django's shared
# in-memory database, whose table locks fail concurrent writers at once instead of
# making them wait (the busy timeout does not apply to them).
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(tempfile.mkdtemp(prefix="civic-cms-test-db-"), "test.sqlite3")
    }
    # A throwaway file: no need to wait for the disk on every commit.
    _options = DATABASES["default"]["OPTIONS"]  # noqa: F405
    _options["init_command"] = ";".join(
        filter(None, [_options.get("init_command", ""), "PRAGMA synchronous=OFF"])
    )

# PostgreSQL: the same for a throwaway test database, whose commits need not wait for the
# disk either (tests that commit, e.g. the concurrency and server tests, commit thousands
# of times).
if DATABASES["default"]["ENGINE"].endswith("postgresql"):  # noqa: F405
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c synchronous_commit=off"  # noqa: F405
