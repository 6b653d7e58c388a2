"""Test settings: the real settings, with an environment that suits the test client.

Not a settings split: it only supplies environment defaults before the one settings
module reads them, exactly as an operator's environment would.
"""

import os
import tempfile

os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("SESSION_COOKIE_SECURE", "false")
os.environ.setdefault("CSRF_COOKIE_SECURE", "false")
os.environ.setdefault("SECURE_HSTS_SECONDS", "0")
os.environ.setdefault("STATICFILES_STORAGE", "django.contrib.staticfiles.storage.StaticFilesStorage")
os.environ.setdefault("CACHE_URL", "locmemcache://")
os.environ.setdefault("STATIC_ROOT", tempfile.mkdtemp(prefix="runcms-static-"))
# Rendition slots of this test run only, not shared with other runs on the machine.
os.environ.setdefault("RUNCMS_RENDITION_LOCK_DIR", tempfile.mkdtemp(prefix="runcms-slots-"))
os.environ.setdefault("API_ANON_RATE", "100000/minute")
# Published: English only, as by default (tests turn other languages on with the `languages` fixture);
# traditional Chinese falls back to simplified, then to English.
os.environ.setdefault("LANGUAGE_FALLBACKS", "zh-hant:zh-hans")
os.environ.setdefault("JOBS_URL", "")  # jobs run in-process at once
# Playwright's sync API runs an event loop in the test thread; the ORM calls the test makes
# between browser steps are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from runcms.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Serve app static files straight from their folders, as after collectstatic.
WHITENOISE_USE_FINDERS = True

# pytest-xdist: each worker has its own test database (pytest-django adds the suffix) and,
# on Redis, its own Redis database, since tests clear the cache (FLUSHDB) between them.
_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if _worker.startswith("gw") and CACHES["default"]["BACKEND"].startswith("django_redis."):  # noqa: F405
    _base, _, _db = CACHES["default"]["LOCATION"].rpartition("/")  # noqa: F405
    # Redis has 16 databases (0-15) by default.
    CACHES["default"]["LOCATION"] = f"{_base}/{(int(_db or 0) + int(_worker[2:])) % 16}"  # noqa: F405

# PostgreSQL's JIT compiles a query whose estimated cost is high. The test database's tables are
# tiny and never analysed, so the planner guesses large and compiles queries that take a
# millisecond to run: turning it off saved about 6% of the machine's time over the sync, query
# and history tests. Commits (transactional tests) need not wait for the disk either.
if DATABASES["default"]["ENGINE"].endswith("postgresql"):  # noqa: F405
    _options = DATABASES["default"].setdefault("OPTIONS", {})  # noqa: F405
    _options["options"] = f"{_options.get('options', '')} -c jit=off -c synchronous_commit=off".strip()

# A second connection to the test database, as a read replica would be, for the router's tests
# (tests/runcms/test_replicas.py switch DATABASE_ROUTERS on). Unused by every other test.
DATABASES.setdefault("replica", {**DATABASES["default"], "TEST": {"MIRROR": "default"}})  # noqa: F405
