"""The test suite: PostgreSQL by default, because locking and constraints are what we test."""

import os

from .base import *  # noqa: F403
from .base import configure_database, env

DEBUG = False
SECRET_KEY = "test-only-secret-key"  # noqa: S105
DATABASES = {
    "default": configure_database(
        env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/bijeen")
    )
}
# Tests must see what a fresh connection sees; no persistent connections between tests.
DATABASES["default"]["CONN_MAX_AGE"] = 0
# Each test run gets a test database of its own, so two runs on one PostgreSQL server (two
# checkouts, CI beside a developer) never drop each other's. The run id is kept in the
# environment, so processes a test starts with these settings find the same database.
_RUN_ID = os.environ.setdefault("BIJEEN_TEST_RUN_ID", str(os.getpid()))
DATABASES["default"]["TEST"] = {"NAME": f"test_{DATABASES['default']['NAME']}_{_RUN_ID}"}
# Tests log staff in directly; the two-factor tests switch it on (tests/backoffice/).
ADMIN_REQUIRE_2FA = False
# A staff session's last-seen time is written at login only, so a slow test never sees an
# extra session write between two requests it compares (tests/backoffice/ set it to 60).
STAFF_SESSION_SEEN_RESOLUTION = 10**9
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Tests see every change at once; tests/test_pagecache.py switches the page cache on.
BIJEEN_PAGE_CACHE_SECONDS = 0
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
