"""Settings for the test suite: the product's settings plus a fast password hasher.

The database and the cache stay real: SQLite and a database cache table by default, PostgreSQL and
Redis when DATABASE_URL and REDIS_URL are set.
"""
import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key")
# In the environment, so the servers a test starts (gunicorn) open the secrets the tests stored.
os.environ.setdefault("SECRET_ENCRYPTION_KEYS", "dGVzdC1vbmx5LWVuY3J5cHRpb24ta2V5LTMyLWJ5dGU=")

from apiproject.settings import *  # noqa: E402,F401,F403
from apiproject.settings import BASE_DIR, CACHES, DATABASES  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

# Tests talk plain HTTP to live servers; the HTTPS redirect is covered by its own test.
SECURE_SSL_REDIRECT = False

# One id per test run, handed down to the servers a run starts, so that runs side by side on one
# machine keep to their own test database and their own keys in a shared Redis.
TEST_RUN_ID = os.environ.setdefault("TEST_RUN_ID", str(os.getpid()))
CACHES["default"]["KEY_PREFIX"] = f"test-{TEST_RUN_ID}"

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory, so a server in another process (gunicorn) sees the test database.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / f"test-db-{TEST_RUN_ID}.sqlite3")}
else:
    DATABASES["default"]["TEST"] = {"NAME": f"test_{DATABASES['default']['NAME']}_{TEST_RUN_ID}"}

# Live servers in tests serve static files straight from the finders, without collectstatic.
WHITENOISE_USE_FINDERS = True

# Tests serve statics from the finders (above); no collected folder to look for.
STATIC_ROOT = None
