"""The service's metrics (`prometheus_client`), defined once on the ground floor so every floor counts on them.

Under gunicorn they are kept in prometheus_client's multiprocess mode (`gunicorn.conf.py` sets
`PROMETHEUS_MULTIPROC_DIR` before a worker imports this), so one scrape of `/metrics` sums every worker's.
Names, labels and their values are a contract with the alert rules and the dashboard in `deploy/`
(README, "Metrics"); the label values are few and fixed: never a key, a username or a path.
"""
from prometheus_client import Counter, Histogram

# Route groups (`apiv2.request_metrics`): the API, the token endpoints, the pages.
API, TOKEN, PAGES = "api", "token", "pages"
SERVED, REFUSED, FAILED = "served", "refused", "failed"

REQUESTS = Counter(
    "apiplatform_requests",
    "Requests answered, by route group, scheme (basic, oauth1, oauth2 or none), outcome (served, refused "
    "or failed), reason code of a refusal and HTTP status.",
    ["group", "scheme", "outcome", "reason", "status"])
REQUEST_SECONDS = Histogram(
    "apiplatform_request_duration_seconds", "Time from a request's arrival to its answer, by route group.",
    ["group"], buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0))

STORE_ROUND_TRIP_SECONDS = Histogram(
    "apiplatform_store_round_trip_seconds",
    "Calls to the shared store's Redis (a round trip each: a request's read, its count, a nonce claim), "
    "failed ones included, by operation.",
    ["operation"], buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0))
STORE_ERRORS = Counter(
    "apiplatform_store_errors",
    "Calls to the shared store's Redis that failed, by operation and error (timeout or unreachable).",
    ["operation", "error"])
STORE_FALLBACKS = Counter(
    "apiplatform_store_fallbacks",
    "Reads and counts made in the database because the configured Redis could not be reached, by operation.",
    ["operation"])

RATE_LIMIT_REFUSALS = Counter(
    "apiplatform_rate_limit_refusals",
    "Requests refused with 429 past a rate limit, by the limit's scope (client_key or account).", ["scope"])
FAILED_LOGIN_REFUSALS = Counter(
    "apiplatform_failed_login_refusals",
    "Password checks refused (429, or the sign-in form's wait) because of earlier failed passwords.")
NONCE_REPLAYS = Counter(
    "apiplatform_nonce_replays_refused",
    "OAuth 1.0a requests refused for their nonce: replayed, or signed before the store's memory began "
    "(forgotten).",
    ["kind"])
TOKENS_ISSUED = Counter(
    "apiplatform_tokens_issued",
    "Access tokens handed to clients: oauth1 for OAuth 1.0a's access-token step, else the OAuth 2.0 grant "
    "type (authorization_code, refresh_token, client_credentials, device_code, token_exchange).",
    ["grant_type"])
