"""The project's own settings (docs/contract.md, "Configuration"): one typed object, parsed from the environment.

Every variable is read here once, with its type and default, and every malformed value is reported
together in one message that names the variable: an operator fixes a deployment from that message
instead of from a traceback per attempt. `settings.py` turns the object into Django settings, and
code reads `django.conf.settings` at call time (so a test can override a setting).
"""
import base64
import hashlib
import ipaddress
import math
import os
import re
import string
import sys
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.validators import validate_email
from redis import ConnectionPool
from redis.connection import parse_url as parse_redis_url

BASE_DIR = Path(__file__).resolve().parent.parent

DEVELOPMENT_SECRET_KEY = "development-only-secret-key-never-use-in-production"
DEVELOPMENT_ENCRYPTION_KEY = base64.urlsafe_b64encode(
    hashlib.sha256(b"development-only-secret-encryption-key-never-use-in-production").digest()
).decode()

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off"}
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
LOG_FORMATS = ("text", "json")
# DRF's parse_rate looks only at the first letter of the period, so "2/mango" would be two a
# minute; we accept the spellings its documentation uses and refuse the rest.
RATE = re.compile(r"([0-9]+)/(s|sec|second|m|min|minute|h|hour|d|day)")
WHOLE_NUMBER = re.compile(r"[+-]?[0-9]+")
REDIS_TOPOLOGIES = ("server", "sentinel", "cluster")
# host:port, the host a name, an IPv4 address or an IPv6 address in brackets.
HOST_AND_PORT = re.compile(r"(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):([0-9]{1,5})")
# SHARED_CACHE_TIMEOUT_SECONDS is the timeout of every call; in the URL they would quietly win over it.
REDIS_URL_TIMEOUTS = ("socket_timeout", "socket_connect_timeout")
REDIS_URL_FILES = ("ssl_certfile", "ssl_keyfile", "ssl_ca_certs")


class ConfigurationError(ImproperlyConfigured):
    """One or more malformed variables; `str()` is the whole report, one line per problem."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("\n".join(["Configuration error:", *(f"  {problem}" for problem in self.problems)]))


@contextmanager
def stop_on_configuration_error(status=2):
    """Print the report to stderr and exit: a message to act on, not a traceback to read."""
    try:
        yield
    except ConfigurationError as error:
        print(error, file=sys.stderr, flush=True)
        raise SystemExit(status) from None


class _Malformed(ValueError):
    """What is wrong with a value; `from_environ` adds the variable's name, the value and the expectation."""


def _flag(value):
    word = value.lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise _Malformed("must be on or off")


def _whole_number(minimum):
    def parse(value):
        if not WHOLE_NUMBER.fullmatch(value):  # int() would also take "1_000" and non-ASCII digits
            raise _Malformed("must be a whole number")
        number = int(value)
        if number < minimum:
            raise _Malformed(f"must be {minimum} or more")
        return number
    return parse


def _seconds(value):
    try:
        number = float(value)
    except ValueError:
        raise _Malformed("must be a number of seconds") from None
    if not math.isfinite(number) or number <= 0:
        raise _Malformed("must be a number of seconds above 0")
    return number


def _rate(value):
    match = RATE.fullmatch(value)
    if not match:
        raise _Malformed("must be a rate like 1200/min")
    if int(match.group(1)) < 1:
        raise _Malformed("must allow at least 1 request")
    return value


def _log_level(value):
    if value.upper() not in LOG_LEVELS:
        raise _Malformed(f"must be one of {', '.join(LOG_LEVELS)}")
    return value.upper()


def _log_format(value):
    if value.lower() not in LOG_FORMATS:
        raise _Malformed(f"must be one of {', '.join(LOG_FORMATS)}")
    return value.lower()


def _text(value):
    return value


def _key_prefix(value):
    if not re.fullmatch(r"[A-Za-z0-9._-]{1,100}", value):
        raise _Malformed("must be 1 to 100 letters, digits, '-', '_' or '.'")
    return value


def _comma_list(value):
    return tuple(item.strip() for item in value.split(",") if item.strip())


def _email(value):
    try:
        validate_email(value)
    except ValidationError:
        raise _Malformed("must be an email address") from None
    return value


def _currency(value):
    if not re.fullmatch(r"[A-Z]{3}", value.upper()):
        raise _Malformed("must be a three-letter ISO 4217 currency code")
    return value.upper()


PAYMENT_URL_FIELDS = ("account", "amount", "currency", "reference")
WEBHOOK_SECRET_LENGTH = 32


def _payment_url(value):
    """A checkout URL template: http(s), a host, and only our placeholders ({amount}, ...) as they are."""
    try:
        fields_used = [(name, spec, conversion) for _, name, spec, conversion in string.Formatter().parse(value)
                       if name is not None]
    except ValueError:
        fields_used = None
    if fields_used is None or any(name not in PAYMENT_URL_FIELDS or spec or conversion
                                  for name, spec, conversion in fields_used):
        raise _Malformed("may use only the placeholders " + ", ".join(f"{{{name}}}" for name in PAYMENT_URL_FIELDS))
    try:
        parts = urlsplit(value.format(**dict.fromkeys(PAYMENT_URL_FIELDS, "x")))
        usable = parts.scheme in ("http", "https") and bool(parts.hostname)
    except ValueError:  # e.g. a broken IPv6 host
        usable = False
    if not usable:
        raise _Malformed("must be an https:// URL")
    return value


def _bank_details(value):
    return tuple(line.strip() for line in value.split(";") if line.strip())


def _webhook_secret(value):
    if len(value) < WEBHOOK_SECRET_LENGTH:
        raise _Malformed(f"must be at least {WEBHOOK_SECRET_LENGTH} characters")
    return value


def _seconds_between(low, high):
    def parse(value):
        number = _whole_number(low)(value)
        if number > high:
            raise _Malformed(f"must be {high} or less")
        return number
    return parse


def _host(value):
    if not re.fullmatch(r"[A-Za-z0-9.:\[\]-]+", value):
        raise _Malformed("must be a host name or address")
    return value


def _database_url(value):
    try:
        dj_database_url.parse(value)
    except Exception:  # noqa: BLE001 - its errors may quote the URL, password and all
        raise _Malformed("is not a database URL that dj-database-url understands") from None
    return value


def _redis_url(value):
    try:
        options = parse_redis_url(value)
    except Exception:  # noqa: BLE001 - its errors may quote parts of the URL
        raise _Malformed("is not a Redis URL") from None
    timeouts = [name for name in REDIS_URL_TIMEOUTS if name in options]
    if timeouts:
        raise _Malformed(f"must not set {' or '.join(timeouts)} (SHARED_CACHE_TIMEOUT_SECONDS is the timeout)")
    for name in REDIS_URL_FILES:
        if name in options and not os.access(options[name], os.R_OK):
            # A path is no secret; a certificate that cannot be read would fail every call.
            raise _Malformed(f"names {name} {_shorten(options[name])!r}, a file this process cannot read")
    try:
        # A connection object is made, not connected: an option redis-py does not take fails here, at
        # start-up, instead of on the first request.
        ConnectionPool.from_url(value).make_connection()
    except TypeError as error:
        # The message names the option (its value is not in it): "... unexpected keyword argument 'x'".
        name = re.search(r"'(\w+)'", str(error))
        raise _Malformed(f"has an option redis-py does not take ({name.group(1) if name else 'unknown'})") from None
    except Exception:  # noqa: BLE001 - a value redis-py refuses; its errors may quote it
        raise _Malformed("has an option value redis-py refuses") from None
    return value


def _redis_topology(value):
    if value.lower() not in REDIS_TOPOLOGIES:
        raise _Malformed(f"must be one of {', '.join(REDIS_TOPOLOGIES)}")
    return value.lower()


def _host_and_port_list(value):
    """`host:port,host:port` as ((host, port), ...); a bracketed IPv6 address loses its brackets."""
    addresses = []
    for item in _comma_list(value):
        match = HOST_AND_PORT.fullmatch(item)
        if not match or not 1 <= int(match.group(2)) <= 65535:
            raise _Malformed(f"has {_shorten(item, 40)!r}, which is not host:port")
        addresses.append((match.group(1).strip("[]"), int(match.group(2))))
    if not addresses:
        raise _Malformed("names no host:port")
    return tuple(addresses)


METRICS_TOKEN_LENGTH = 32
LOOPBACK_NETWORKS = (ipaddress.ip_network("127.0.0.0/8"), ipaddress.ip_network("::1/128"))


def _networks(value):
    """Comma-separated networks in CIDR form (an address alone is its own network), as ip_network objects."""
    networks = []
    for item in _comma_list(value):
        try:
            networks.append(ipaddress.ip_network(item))
        except ValueError:
            try:
                loose = ipaddress.ip_network(item, strict=False)
            except ValueError:
                raise _Malformed(f"has {_shorten(item, 50)!r}, which is not a network like 10.0.0.0/8") from None
            raise _Malformed(f"has {item!r}, which sets bits past its prefix; did you mean {loose}?") from None
    if not networks:
        raise _Malformed("names no network")
    return tuple(networks)


def _metrics_token(value):
    if len(value) < METRICS_TOKEN_LENGTH:
        raise _Malformed(f"must be at least {METRICS_TOKEN_LENGTH} characters")
    return value


def _setting(default, parse, expected, *, secret=False):
    """A variable: its default (used when unset or blank), its parser, and what a good value looks like.

    A secret's value is never shown in a problem, not even a wrong one: it may be a real key.
    """
    metadata = {"parse": parse, "expected": expected, "secret": secret}
    return field(default=default, metadata=metadata)


@dataclass(frozen=True)
class ProjectConfig:
    """Every variable of ours, typed; the field name is the variable's and the Django setting's name."""

    DEBUG: bool = _setting(False, _flag, "1, true, yes or on; or 0, false, no or off (default off)")
    # Unset means the development key with DEBUG on, and refusing to start with DEBUG off.
    SECRET_KEY: str = _setting("", _text, "a long random string", secret=True)
    # Fernet keys, newest first; whether each is a Fernet key is a start-up check (consumers.checks).
    SECRET_ENCRYPTION_KEYS: tuple[str, ...] = _setting(
        (), _comma_list, "comma-separated Fernet keys, newest first", secret=True)
    ALLOWED_HOSTS: tuple[str, ...] = _setting(
        ("localhost", "127.0.0.1"), _comma_list, "comma-separated host names (default localhost,127.0.0.1)")
    DATABASE_URL: str = _setting(
        f"sqlite:///{BASE_DIR / 'db.sqlite3'}", _database_url,
        "e.g. postgres://user@host:5432/name or sqlite:////path/to/file", secret=True)
    REDIS_URL: str = _setting(
        "", _redis_url, "e.g. redis://host:6379/0 (for sentinel: redis://master-name/0), or unset", secret=True)
    # How the Redis of REDIS_URL is deployed (`access.store.redis_client`): one server, a master found
    # through Sentinel (REDIS_URL's host is then the master's service name), or a Cluster (REDIS_URL
    # names one node; the client finds the rest).
    REDIS_TOPOLOGY: str = _setting("server", _redis_topology, "server, sentinel or cluster (default server)")
    REDIS_SENTINELS: tuple[tuple[str, int], ...] = _setting(
        (), _host_and_port_list, "comma-separated host:port of the sentinels, e.g. s1:26379,s2:26379,s3:26379")
    # The sentinels' own credentials (their `requirepass` or ACL user), which may differ from the master's.
    REDIS_SENTINEL_USERNAME: str = _setting("", _text, "the sentinels' ACL user name, or unset")
    REDIS_SENTINEL_PASSWORD: str = _setting("", _text, "the sentinels' password, or unset", secret=True)
    # Deployments (or test runs) sharing one Redis database keep apart by the prefix of their keys.
    CACHE_KEY_PREFIX: str = _setting(
        "apiplatform", _key_prefix, "letters, digits, '-', '_' or '.' (default apiplatform)")
    TRUST_X_FORWARDED_PROTO: bool = _setting(
        False, _flag, "1, true, yes or on; or 0, false, no or off (default off)")
    TRUSTED_PROXIES: int = _setting(
        0, _whole_number(0), "the number of proxies in front, 0 or more (default 0)")
    API_RATE_LIMIT: str = _setting(
        "1200/min", _rate, "requests/period, period s, sec, m, min, h, hour, d or day (default 1200/min)")
    API_ACCOUNT_RATE_LIMIT: str = _setting(
        "3000/min", _rate, "requests/period, period s, sec, m, min, h, hour, d or day (default 3000/min)")
    FAILED_LOGIN_LIMIT_PER_USERNAME: int = _setting(
        10, _whole_number(1), "a whole number, 1 or more (default 10)")
    FAILED_LOGIN_LIMIT_PER_IP: int = _setting(
        100, _whole_number(1), "a whole number, 1 or more (default 100)")
    FAILED_LOGIN_WINDOW_SECONDS: int = _setting(
        900, _whole_number(1), "a whole number of seconds, 1 or more (default 900)")
    # Over every address: far above what a person mistypes, so only a spread-out attack reaches it.
    FAILED_LOGIN_CEILING_PER_USERNAME: int = _setting(
        1000, _whole_number(1), "a whole number, 1 or more (default 1000)")
    # Accounts created from one client address.
    SIGNUP_RATE_LIMIT: str = _setting(
        "20/hour", _rate, "accounts/period, period s, sec, m, min, h, hour, d or day (default 20/hour)")
    BASIC_CREDENTIALS_CACHE_SECONDS: int = _setting(
        300, _whole_number(1), "a whole number of seconds, 1 or more (default 300)")
    # How long an OAuth 2.0 access token works; the refresh token gets the client a new one.
    OAUTH2_ACCESS_TOKEN_SECONDS: int = _setting(
        3600, _whole_number(60), "a whole number of seconds, 60 or more (default 3600)")
    # New clients start "pending": usable only by their owner until staff accept them in the admin.
    CLIENT_REVIEW: bool = _setting(False, _flag, "1, true, yes or on; or 0, false, no or off (default off)")
    SUPPORT_EMAIL: str = _setting(
        "support@example.com", _email, "an email address (default support@example.com)")
    BILLING_CURRENCY: str = _setting(
        "USD", _currency, "a three-letter currency code such as USD or EUR (default USD)")
    # How a locked account pays (the billing page): a checkout link and/or bank details, else staff.
    BILLING_PAYMENT_URL: str = _setting(
        "", _payment_url, "an https:// URL with {amount}, {currency}, {account} or {reference} where the "
        "payment provider wants them, or unset")
    BILLING_BANK_DETAILS: tuple[str, ...] = _setting(
        (), _bank_details, "the lines of the bank details, separated by ';', or unset")
    # The payment provider signs each notification with this; unset, the endpoint refuses them all.
    BILLING_WEBHOOK_SECRET: str = _setting(
        "", _webhook_secret, f"a random string of {WEBHOOK_SECRET_LENGTH} characters or more, or unset",
        secret=True)
    # How far a notification's signed timestamp may be from our clock: the replay window.
    BILLING_WEBHOOK_TOLERANCE_SECONDS: int = _setting(
        300, _seconds_between(30, 3600), "a whole number of seconds from 30 to 3600 (default 300)")
    # Outgoing mail (password reset). Unset host: the console in debug, else an SMTP server on localhost.
    EMAIL_HOST: str = _setting("", _host, "the SMTP server's host name, or unset")
    EMAIL_PORT: int = _setting(25, _whole_number(1), "the SMTP port, e.g. 587 (default 25)")
    EMAIL_HOST_USER: str = _setting("", _text, "the SMTP user name, or unset")
    EMAIL_HOST_PASSWORD: str = _setting("", _text, "the SMTP password, or unset", secret=True)
    EMAIL_USE_TLS: bool = _setting(False, _flag, "1, true, yes or on; or 0, false, no or off (default off)")
    DEFAULT_FROM_EMAIL: str = _setting(
        "no-reply@example.com", _email, "an email address (default no-reply@example.com)")
    LOG_LEVEL: str = _setting("INFO", _log_level, f"one of {', '.join(LOG_LEVELS)} (default INFO)")
    # json: one JSON object a line with the request's fields, and one access line per request from
    # Django (`apiproject.access_log`) in place of gunicorn's (`gunicorn.conf.py` reads it too).
    LOG_FORMAT: str = _setting("text", _log_format, f"{' or '.join(LOG_FORMATS)} (default text)")
    # Connect and read timeout of every Redis call: a stalled Redis costs a request this, not minutes.
    SHARED_CACHE_TIMEOUT_SECONDS: float = _setting(
        0.25, _seconds, "seconds, above 0, e.g. 0.25 (default 0.25)")

    # Who may read /metrics: clients (by the client-address rule) in these networks, and any client that
    # sends METRICS_TOKEN as a Bearer token; everyone else gets the site's 404.
    METRICS_ALLOWED_NETWORKS: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...] = _setting(
        LOOPBACK_NETWORKS, _networks,
        "comma-separated networks in CIDR form, e.g. 10.0.0.0/8,fd00::/8 (default 127.0.0.0/8,::1/128)")
    METRICS_TOKEN: str = _setting(
        "", _metrics_token, f"a random string of {METRICS_TOKEN_LENGTH} characters or more, or unset", secret=True)

    @classmethod
    def from_environ(cls, environ):
        """The configuration in `environ` (such as os.environ); ConfigurationError lists every problem."""
        values, problems, malformed = {}, [], set()
        for setting in fields(cls):
            name, spec = setting.name, setting.metadata
            raw = environ.get(name)
            if raw is None or not raw.strip():
                continue  # unset or blank: the default
            try:
                # A secret is taken as written: trimming a key would change it.
                values[name] = spec["parse"](raw if spec["secret"] else raw.strip())
            except _Malformed as problem:
                malformed.add(name)
                shown = "value not shown" if spec["secret"] else f"got {_shorten(raw)!r}"
                problems.append(f"{name} {problem} ({shown}); expected {spec['expected']}")

        debug = values.get("DEBUG", False)
        if debug:
            values.setdefault("SECRET_KEY", DEVELOPMENT_SECRET_KEY)
            values.setdefault("SECRET_ENCRYPTION_KEYS", (DEVELOPMENT_ENCRYPTION_KEY,))
        elif "SECRET_KEY" not in values and "DEBUG" not in malformed:
            # Not when DEBUG itself is malformed: the operator may have meant it on.
            problems.append("SECRET_KEY must be set when DEBUG is off (it is unset); expected a long random "
                            "string, e.g. from python -c 'import secrets; print(secrets.token_urlsafe(50))'")
        if not malformed & {"REDIS_URL", "REDIS_TOPOLOGY", "REDIS_SENTINELS"}:
            problems.extend(_redis_topology_problems(values))
        payment_url = values.get("BILLING_PAYMENT_URL", "")
        if not debug and payment_url.startswith("http://") and "DEBUG" not in malformed:
            problems.append("BILLING_PAYMENT_URL must be an https:// URL when DEBUG is off (got "
                            f"{_shorten(payment_url)!r}); people type card details there")
        if not debug and "DEBUG" not in malformed and any(
                network.prefixlen == 0 for network in values.get("METRICS_ALLOWED_NETWORKS", ())):
            problems.append("METRICS_ALLOWED_NETWORKS must not let every address read the metrics when DEBUG is "
                            "off; expected the scrapers' networks, or METRICS_TOKEN for a scraper anywhere")
        if problems:
            raise ConfigurationError(problems)
        return cls(**values)


def _redis_topology_problems(values):
    """What is wrong with REDIS_URL, REDIS_TOPOLOGY and REDIS_SENTINELS together (each alone parsed)."""
    url, topology = values.get("REDIS_URL", ""), values.get("REDIS_TOPOLOGY", "server")
    sentinels = values.get("REDIS_SENTINELS", ())
    if topology != "sentinel" and sentinels:
        return [f"REDIS_SENTINELS is set but REDIS_TOPOLOGY is {topology}; expected REDIS_TOPOLOGY=sentinel, "
                "or REDIS_SENTINELS unset"]
    if topology == "server":
        return []
    if not url:
        return [f"REDIS_TOPOLOGY is {topology} but REDIS_URL is unset; expected REDIS_URL naming "
                + ("the master's service name, e.g. redis://mymaster/0" if topology == "sentinel"
                   else "one node of the cluster, e.g. redis://node1:6379/0")]
    options, problems = parse_redis_url(url), []
    if url.startswith("unix:"):
        problems.append(f"REDIS_URL must be redis:// or rediss:// with REDIS_TOPOLOGY={topology} (value not shown)")
    if topology == "cluster" and options.get("db", 0) != 0:
        problems.append("REDIS_URL must use database 0 with REDIS_TOPOLOGY=cluster (a Redis Cluster has only db 0) "
                        "(value not shown)")
    if topology == "sentinel":
        if not sentinels:
            problems.append("REDIS_SENTINELS must be set when REDIS_TOPOLOGY is sentinel (it is unset); "
                            "expected comma-separated host:port of the sentinels, e.g. s1:26379,s2:26379,s3:26379")
        if "port" in options:
            problems.append("REDIS_URL must have no port with REDIS_TOPOLOGY=sentinel: its host is the master's "
                            "service name, e.g. redis://mymaster/0; the sentinels go in REDIS_SENTINELS "
                            "(value not shown)")
    return problems


def _shorten(value, limit=60):
    return value if len(value) <= limit else value[:limit] + "..."
