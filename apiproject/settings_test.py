"""Settings for the test suite: the product's settings plus a fast password hasher.

The database and the cache stay real: SQLite and a database cache table by default, PostgreSQL and
Redis when DATABASE_URL and REDIS_URL are set.
"""
import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key")

from apiproject.settings import *  # noqa: E402,F401,F403
from apiproject.settings import BASE_DIR, DATABASES  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

# Tests talk plain HTTP to live servers; the HTTPS redirect is covered by its own test.
SECURE_SSL_REDIRECT = False

# A file, not memory, so a server in another process (gunicorn) sees the test database.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "test-db.sqlite3")}
