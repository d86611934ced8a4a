"""Settings for the API platform: Django's, filled from the project's configuration (`apiproject.config`).

With DEBUG off this is a production deployment: HTTPS only, HSTS, secure cookies.
"""
import os

import dj_database_url

from apiproject.config import BASE_DIR, ProjectConfig
from consumers.scopes import SCOPES

# Parsed once, every problem at once (ConfigurationError); manage.py and wsgi.py print it and exit.
CONFIG = ProjectConfig.from_environ(os.environ)

# --- Core -------------------------------------------------------------------------------------

DEBUG = CONFIG.DEBUG
# Without SECRET_KEY and with DEBUG off, CONFIG refuses to start: there is no production default.
SECRET_KEY = CONFIG.SECRET_KEY

# Fernet keys for the client and token secrets stored in the database (`consumers.secret_box`),
# apart from SECRET_KEY: the first encrypts, every one decrypts (rotation). Without them and with
# DEBUG off, the start-up check in `consumers.checks` fails. Make one with
# `python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"`.
SECRET_ENCRYPTION_KEYS = list(CONFIG.SECRET_ENCRYPTION_KEYS)

ALLOWED_HOSTS = list(CONFIG.ALLOWED_HOSTS)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "access",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "accounts",
    # Before `consumers`: its admin replaces the toolkit's page for the application model (ours).
    "oauth2_provider",
    "consumers",
    "apiv2",
    "docs",
    "audit",
]

MIDDLEWARE = [
    # First: every log line of a request carries its ID, and every answer, a 500 too, says it.
    "apiproject.request_ids.RequestIdMiddleware",
    "apiproject.access_log.AccessLogMiddleware",
    # Then: it times the rest of the answer, and answers /metrics to those allowed before anything else.
    "apiv2.request_metrics.RequestMetricsMiddleware",
    "apiproject.content_security.ContentSecurityPolicyMiddleware",
    # Before anything reads the request: one Django cannot read (Host, field count, body size) is refused.
    "apiproject.request_shape.RequestShapeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "apiproject.urls"
WSGI_APPLICATION = "apiproject.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            "builtins": ["apiproject.template_helpers"],
        },
    },
]

# --- Storage ----------------------------------------------------------------------------------

DATABASES = {
    "default": dj_database_url.parse(
        CONFIG.DATABASE_URL,
        conn_max_age=60,
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several workers share one file: wait for locks instead of failing, let readers run beside a writer.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Shared state (nonces, rate limits, cached lookups) must be visible to every worker, so there is
# no per-process cache: Redis when REDIS_URL is set, else a table in the database. Only the shared store
# (`access.store`) talks to Redis, through the client `access.store.redis_client` makes for the topology:
# one server, a master found through Sentinel, or a Cluster (docs/contract.md, "Configuration").
REDIS_URL = CONFIG.REDIS_URL
REDIS_TOPOLOGY = CONFIG.REDIS_TOPOLOGY  # "server", "sentinel" or "cluster"
REDIS_SENTINELS = CONFIG.REDIS_SENTINELS  # ((host, port), ...) with "sentinel"
REDIS_SENTINEL_USERNAME = CONFIG.REDIS_SENTINEL_USERNAME
REDIS_SENTINEL_PASSWORD = CONFIG.REDIS_SENTINEL_PASSWORD
SHARED_CACHE_TIMEOUT_SECONDS = CONFIG.SHARED_CACHE_TIMEOUT_SECONDS
# Django's cache is the database table in every topology: its Redis backend can follow neither Sentinel
# nor Cluster, and nothing uses Django's cache API on Redis. "database" is the table the store falls
# back to when Redis cannot be reached. The default alias keeps the deployment's key prefix: the store
# prefixes its Redis keys with it, so deployments (and test runs) sharing one Redis keep apart.
_DATABASE_CACHE = {
    "BACKEND": "django.core.cache.backends.db.DatabaseCache",
    "LOCATION": "shared_cache",
    # Never cull: past MAX_ENTRIES Django deletes a third of the rows by key, counters included, which
    # would reset failed-login and rate limits. Expired rows go with `manage.py prune_expired` instead.
    "OPTIONS": {"MAX_ENTRIES": 10**12},
}
CACHES = {
    "default": {**_DATABASE_CACHE, "KEY_PREFIX": CONFIG.CACHE_KEY_PREFIX},
    "database": {**_DATABASE_CACHE},
}

# --- Auth -------------------------------------------------------------------------------------

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
AUTHENTICATION_BACKENDS = ["accounts.backends.FailedLoginLimitedBackend"]
# Failed password checks allowed per username from one client IP, per IP, and per username over
# every IP, in each window, across workers (accounts.failed_logins).
FAILED_LOGIN_LIMIT_PER_USERNAME = CONFIG.FAILED_LOGIN_LIMIT_PER_USERNAME
FAILED_LOGIN_LIMIT_PER_IP = CONFIG.FAILED_LOGIN_LIMIT_PER_IP
FAILED_LOGIN_WINDOW_SECONDS = CONFIG.FAILED_LOGIN_WINDOW_SECONDS
FAILED_LOGIN_CEILING_PER_USERNAME = CONFIG.FAILED_LOGIN_CEILING_PER_USERNAME  # over every address
SIGNUP_RATE_LIMIT = CONFIG.SIGNUP_RATE_LIMIT  # accounts created per client address
# How long a verified Basic password is remembered (as a keyed digest) before PBKDF2 runs again.
BASIC_CREDENTIALS_CACHE_SECONDS = CONFIG.BASIC_CREDENTIALS_CACHE_SECONDS

# --- API --------------------------------------------------------------------------------------

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "apiv2.schemes.basic.ClientKeyBasicAuthentication",
        "apiv2.schemes.oauth1.OAuth1Authentication",
        "apiv2.schemes.oauth2.OAuth2Authentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "apiv2.permissions.HasRequiredScope",
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "apiv2.parsers.NestingLimitedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_THROTTLE_CLASSES": ["apiv2.throttling.ApiRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "client_key": CONFIG.API_RATE_LIMIT,
        "account": CONFIG.API_ACCOUNT_RATE_LIMIT,
    },
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "apiv2.exceptions.api_exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}

# OpenAPI 3 for /v2 at /v2/schema, shown at /docs/api with assets we serve (no CDN).
SPECTACULAR_SETTINGS = {
    "TITLE": "API platform /v2",
    "DESCRIPTION": "Products of the authenticated account. Authentication: see /docs/authentication.",
    "VERSION": "2",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # No links inside the operation buttons (a link in a button is unreachable by keyboard).
    "SWAGGER_UI_SETTINGS": {"deepLinking": False},
    "PREPROCESSING_HOOKS": ["docs.schema.only_the_api"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "docs.schema.add_error_responses",
    ],
}

# OAuth 2.0 (django-oauth-toolkit) for the same registered clients: a client is the toolkit's
# application; our validator loads and stores, our server serves only our grants, and the gate decides.
OAUTH2_PROVIDER_APPLICATION_MODEL = "consumers.Consumer"
OAUTH2_PROVIDER = {
    "OAUTH2_SERVER_CLASS": "consumers.oauth2.server.Server",
    "OAUTH2_VALIDATOR_CLASS": "consumers.oauth2.validator.OAuth2Validator",
    "OAUTH2_BACKEND_CLASS": "consumers.oauth2.bridge.OAuthLibCore",
    "SCOPES_BACKEND_CLASS": "consumers.oauth2.scopes.ClientScopes",
    "SCOPES": dict(SCOPES),
    "ACCESS_TOKEN_EXPIRE_SECONDS": CONFIG.OAUTH2_ACCESS_TOKEN_SECONDS,
    # An access token names its client (`consumers.oauth2.bearer_tokens`); a refresh token stays random.
    "ACCESS_TOKEN_GENERATOR": "consumers.oauth2.bearer_tokens.access_token_generate",
    "REFRESH_TOKEN_GENERATOR": "oauthlib.oauth2.rfc6749.tokens.random_token_generator",
    "AUTHORIZATION_CODE_EXPIRE_SECONDS": 60,
    "PKCE_REQUIRED": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,  # S256 only
    "ROTATE_REFRESH_TOKEN": True,
    "REFRESH_TOKEN_GRACE_PERIOD_SECONDS": 0,  # a used refresh token is refused at once
    "REFRESH_TOKEN_REUSE_PROTECTION": True,  # and replaying it ends the whole grant
    # A refresh token left unused for 30 days after its access token expired stops working, and
    # `manage.py cleartokens` may then delete it (used ones are kept until then, for reuse detection).
    "REFRESH_TOKEN_EXPIRE_SECONDS": 30 * 24 * 3600,
    # Access and refresh tokens are kept as SHA-256 checksums only: a database dump holds no usable token.
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,  # never in the query string
    "REQUEST_APPROVAL_PROMPT": "force",  # the consent page always asks, as the OAuth 1.0a page does
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,  # RFC 9207 `iss` on the way back to the client
    # RFC 8628: our validator's `validate_device_code` finds the approving user; the toolkit's hook for
    # that looks the device code up before the client has authenticated, and fails on an unknown one.
    "OAUTH_PRE_TOKEN_VALIDATION": [],
}
# The toolkit warns that `http` redirect URIs are allowed. Ours follow the registered callback rule that
# OAuth 1.0a shares (`consumers.validators`: http or https, as a developer registered it, e.g. loopback
# for native apps); the toolkit's scheme list is not what decides.
SILENCED_SYSTEM_CHECKS = ["oauth2_provider.W008"]

# New clients await staff review before other users may authorize them (consumers.services).
CLIENT_REVIEW = CONFIG.CLIENT_REVIEW

# --- Pages ------------------------------------------------------------------------------------

# Where the contact and billing pages send people.
SUPPORT_EMAIL = CONFIG.SUPPORT_EMAIL
# The currency every amount on the billing pages is in.
BILLING_CURRENCY = CONFIG.BILLING_CURRENCY
# How to pay (the billing page) and the payment provider's signed notifications (`accounts.payment_notices`).
BILLING_PAYMENT_URL = CONFIG.BILLING_PAYMENT_URL
BILLING_BANK_DETAILS = list(CONFIG.BILLING_BANK_DETAILS)
BILLING_WEBHOOK_SECRET = CONFIG.BILLING_WEBHOOK_SECRET
BILLING_WEBHOOK_TOLERANCE_SECONDS = CONFIG.BILLING_WEBHOOK_TOLERANCE_SECONDS

# Outgoing mail (password reset): SMTP, or the console in debug when no server is named.
if DEBUG and not CONFIG.EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = CONFIG.EMAIL_HOST or "localhost"
EMAIL_PORT = CONFIG.EMAIL_PORT
EMAIL_HOST_USER = CONFIG.EMAIL_HOST_USER
EMAIL_HOST_PASSWORD = CONFIG.EMAIL_HOST_PASSWORD
EMAIL_USE_TLS = CONFIG.EMAIL_USE_TLS
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = CONFIG.DEFAULT_FROM_EMAIL

# --- Security ---------------------------------------------------------------------------------

TRUST_X_FORWARDED_PROTO = CONFIG.TRUST_X_FORWARDED_PROTO
if TRUST_X_FORWARDED_PROTO:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Proxies in front: with N > 0 the client address is the Nth entry from the right of X-Forwarded-For
# (docs/contract.md), the one rule for everything that counts by address.
TRUSTED_PROXIES = CONFIG.TRUSTED_PROXIES

# A stale form (a consent tab left open while signing in again elsewhere) gets the site's own page.
CSRF_FAILURE_VIEW = "apiproject.error_views.csrf_failure"
X_FRAME_OPTIONS = "DENY"
# Every HTML page (`apiproject.content_security`): scripts, styles, fonts and fetches from this origin
# only, nothing inline; images may be data: URIs (Swagger UI's icons). No form-action: Authorize
# redirects to the app's callback, on whatever host the app registered.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
])
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# --- Metrics ----------------------------------------------------------------------------------

# Who may read /metrics (`apiv2.metrics_view`): these networks, or the holder of the token.
METRICS_ALLOWED_NETWORKS = CONFIG.METRICS_ALLOWED_NETWORKS
METRICS_TOKEN = CONFIG.METRICS_TOKEN

# --- Static files, i18n -----------------------------------------------------------------------

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
# Dates in Django's own output (the admin) as on every other page: 2026-11-29 08:43 UTC.
FORMAT_MODULE_PATH = ["apiproject.formats"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Every line says which request it belongs to (`apiproject.request_ids`), in LOG_FORMAT.
    "filters": {"request_id": {"()": "apiproject.request_ids.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "apiproject.log_lines.JsonLines"},
        "text": {"()": "apiproject.log_lines.TextLines"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["request_id"],
                             "formatter": CONFIG.LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": CONFIG.LOG_LEVEL},
    "loggers": {
        # One line per request; with text logs gunicorn's access log is that line instead.
        "apiproject.access": {"level": "NOTSET" if CONFIG.LOG_FORMAT == "json" else "WARNING"},
        # oauthlib logs signature base strings (with oauth_verifier), collected parameters and
        # signatures at DEBUG/INFO. A level, not a redacting filter: its messages are free text
        # that a filter would have to parse, and a new oauthlib message could slip past it. Our
        # bridge logs and answers refusals itself, so nothing below WARNING is lost that we use.
        "oauthlib": {"level": "WARNING"},
        # The toolkit's DEBUG messages name client keys and grant details; nothing below WARNING we use.
        "oauth2_provider": {"level": "WARNING"},
    },
}
