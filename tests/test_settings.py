"""Configuration from the environment: production refuses unsafe set-ups, a newcomer needs nothing."""
import os
import runpy
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

PROJECT_DIR = Path(__file__).resolve().parent.parent
PRODUCTION_KEY = "k3Y-for-tests-only-0123456789-abcdefghijklmnopqrstuvwxyzABCDEFGH"


def manage(*args, **env):
    base = {k: v for k, v in os.environ.items()
            if k not in {"DEBUG", "SECRET_KEY", "SECRET_ENCRYPTION_KEYS", "DJANGO_SETTINGS_MODULE"}}
    return subprocess.run([sys.executable, "manage.py", *args], cwd=PROJECT_DIR, env={**base, **env},
                          capture_output=True, text=True, timeout=120)


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_debug_mode_starts_with_nothing_configured():
    result = manage("check", DEBUG="1")
    assert result.returncode == 0, result.stderr


def test_production_settings_pass_the_deploy_check():
    result = manage("check", "--deploy", "--fail-level", "WARNING", SECRET_KEY=PRODUCTION_KEY,
                    SECRET_ENCRYPTION_KEYS=Fernet.generate_key().decode())
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_without_a_secret_encryption_key_fails_the_check():
    result = manage("check", "--deploy", SECRET_KEY=PRODUCTION_KEY)
    assert result.returncode != 0
    assert "apiproject.E001" in result.stderr and "SECRET_ENCRYPTION_KEYS is not set" in result.stderr


def test_a_malformed_secret_encryption_key_fails_the_check():
    good = Fernet.generate_key().decode()
    result = manage("check", SECRET_KEY=PRODUCTION_KEY, SECRET_ENCRYPTION_KEYS=f"{good},not-a-fernet-key")
    assert result.returncode != 0
    assert "apiproject.E002" in result.stderr and "key 2 is not a Fernet key" in result.stderr
    assert "not-a-fernet-key" not in result.stderr  # a key is never echoed


@pytest.mark.django_db
def test_production_redirects_plain_http_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/v2/status")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/v2/status"


@pytest.mark.django_db
def test_forwarded_proto_is_trusted_only_when_configured(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/v2/status", HTTP_X_FORWARDED_PROTO="https").status_code == 301
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert client.get("/v2/status", HTTP_X_FORWARDED_PROTO="https").status_code == 200


# --- Malformed values stop start-up with a message naming the variable (apiproject.config) -------

@pytest.mark.parametrize("name, value", [
    ("FAILED_LOGIN_LIMIT_PER_IP", "abc"),
    ("API_RATE_LIMIT", "100/fortnight"),
    ("TRUSTED_PROXIES", "-1"),
    ("LOG_LEVEL", "LOUD"),
    ("LOG_FORMAT", "yaml"),
])
def test_a_malformed_value_stops_start_up_naming_the_variable(name, value):
    result = manage("check", DEBUG="1", **{name: value})
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stderr.startswith("Configuration error:")
    assert f"{name} " in result.stderr and repr(value) in result.stderr
    assert "Traceback" not in result.stderr


def test_every_malformed_value_is_named_at_once():
    result = manage("check", DEBUG="1", FAILED_LOGIN_WINDOW_SECONDS="15m", SHARED_CACHE_TIMEOUT_SECONDS="0")
    assert result.returncode == 2
    assert "FAILED_LOGIN_WINDOW_SECONDS must be a whole number" in result.stderr
    assert "SHARED_CACHE_TIMEOUT_SECONDS must be a number of seconds above 0" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_malformed_url_is_named_without_its_password():
    result = manage("check", DEBUG="1", DATABASE_URL="postgres://app:hunter2@db:port/app",
                    REDIS_URL="http://:hunter3@cache:6379/0")
    assert result.returncode == 2
    assert "DATABASE_URL is not a database URL" in result.stderr
    assert "REDIS_URL is not a Redis URL" in result.stderr
    assert "hunter" not in result.stderr


def test_well_formed_values_of_every_kind_start():
    result = manage("check", DEBUG="yes", TRUSTED_PROXIES="2", SHARED_CACHE_TIMEOUT_SECONDS="0.5",
                    API_RATE_LIMIT="10/second", API_ACCOUNT_RATE_LIMIT="5000/hour", LOG_LEVEL="warning",
                    FAILED_LOGIN_LIMIT_PER_IP=" 50 ", SUPPORT_EMAIL="help@api.example")
    assert result.returncode == 0, result.stderr


def test_gunicorn_stops_on_a_malformed_value_instead_of_booting_workers_forever():
    from tests.servers import free_port

    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    result = subprocess.run(
        [sys.executable, "-m", "gunicorn", "apiproject.wsgi:application", "--workers", "1",
         "--bind", f"127.0.0.1:{free_port()}"],
        cwd=PROJECT_DIR, env={**env, "API_RATE_LIMIT": "lots"}, capture_output=True, text=True, timeout=60)
    assert result.returncode == 4  # gunicorn's "App failed to load."
    assert "API_RATE_LIMIT must be a rate like 1200/min (got 'lots')" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_defaults_need_only_debug_or_a_secret_key():
    from apiproject.config import DEVELOPMENT_ENCRYPTION_KEY, DEVELOPMENT_SECRET_KEY, ProjectConfig

    production = ProjectConfig.from_environ({"SECRET_KEY": PRODUCTION_KEY})
    assert production == ProjectConfig(
        DEBUG=False, SECRET_KEY=PRODUCTION_KEY, SECRET_ENCRYPTION_KEYS=(),
        ALLOWED_HOSTS=("localhost", "127.0.0.1"), DATABASE_URL=f"sqlite:///{PROJECT_DIR / 'db.sqlite3'}",
        REDIS_URL="", TRUST_X_FORWARDED_PROTO=False, TRUSTED_PROXIES=0,
        API_RATE_LIMIT="1200/min", API_ACCOUNT_RATE_LIMIT="3000/min",
        FAILED_LOGIN_LIMIT_PER_USERNAME=10, FAILED_LOGIN_LIMIT_PER_IP=100, FAILED_LOGIN_WINDOW_SECONDS=900,
        BASIC_CREDENTIALS_CACHE_SECONDS=300, SUPPORT_EMAIL="support@example.com", LOG_LEVEL="INFO",
        SHARED_CACHE_TIMEOUT_SECONDS=0.25,
    )
    development = ProjectConfig.from_environ({"DEBUG": "1"})
    assert development.SECRET_KEY == DEVELOPMENT_SECRET_KEY
    assert development.SECRET_ENCRYPTION_KEYS == (DEVELOPMENT_ENCRYPTION_KEY,)


def test_an_empty_environment_lacks_only_the_secret_key():
    from apiproject.config import ConfigurationError, ProjectConfig

    with pytest.raises(ConfigurationError) as raised:
        ProjectConfig.from_environ({})
    assert len(raised.value.problems) == 1
    assert raised.value.problems[0].startswith("SECRET_KEY must be set when DEBUG is off")


def test_blank_means_the_default():
    from apiproject.config import ProjectConfig

    config = ProjectConfig.from_environ({"DEBUG": "1", "TRUSTED_PROXIES": "", "LOG_LEVEL": "  "})
    assert (config.TRUSTED_PROXIES, config.LOG_LEVEL) == (0, "INFO")


@pytest.mark.parametrize("topology", [
    {"REDIS_URL": "redis://127.0.0.1:6379/5"},
    {"REDIS_URL": "redis://mymaster/0", "REDIS_TOPOLOGY": "sentinel", "REDIS_SENTINELS": "127.0.0.1:26379"},
    {"REDIS_URL": "redis://127.0.0.1:7000/0", "REDIS_TOPOLOGY": "cluster"},
])
def test_djangos_cache_is_the_database_table_in_every_topology(monkeypatch, topology):
    """Django's Redis cache can follow neither Sentinel nor Cluster: only the store talks to Redis."""
    for name, value in topology.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("CACHE_KEY_PREFIX", "staging-2")
    caches = runpy.run_path(str(PROJECT_DIR / "apiproject" / "settings.py"))["CACHES"]
    table = {"BACKEND": "django.core.cache.backends.db.DatabaseCache",
             "LOCATION": "shared_cache", "OPTIONS": {"MAX_ENTRIES": 10**12}}
    assert caches == {"default": {**table, "KEY_PREFIX": "staging-2"}, "database": table}


def test_client_review_is_off_unless_turned_on():
    from apiproject.config import ConfigurationError, ProjectConfig

    assert ProjectConfig.from_environ({"DEBUG": "1"}).CLIENT_REVIEW is False
    assert ProjectConfig.from_environ({"DEBUG": "1", "CLIENT_REVIEW": "on"}).CLIENT_REVIEW is True
    with pytest.raises(ConfigurationError, match="CLIENT_REVIEW must be on or off"):
        ProjectConfig.from_environ({"DEBUG": "1", "CLIENT_REVIEW": "sometimes"})


def test_deployments_sharing_one_redis_keep_apart_by_their_key_prefix(monkeypatch):
    """CACHE_KEY_PREFIX: `make stack` and the deployment test run beside others on one Redis database."""
    from apiproject.config import ConfigurationError, ProjectConfig

    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/5")
    monkeypatch.delenv("CACHE_KEY_PREFIX", raising=False)
    assert runpy.run_path(str(PROJECT_DIR / "apiproject" / "settings.py"))["CACHES"]["default"]["KEY_PREFIX"] \
        == "apiplatform"
    monkeypatch.setenv("CACHE_KEY_PREFIX", "staging-2")
    assert runpy.run_path(str(PROJECT_DIR / "apiproject" / "settings.py"))["CACHES"]["default"]["KEY_PREFIX"] \
        == "staging-2"
    with pytest.raises(ConfigurationError, match="CACHE_KEY_PREFIX must be 1 to 100 letters"):
        ProjectConfig.from_environ({"DEBUG": "1", "CACHE_KEY_PREFIX": "a:b"})


# --- Redis topologies: REDIS_URL, REDIS_TOPOLOGY and REDIS_SENTINELS together -------------------------------

@pytest.mark.parametrize("env, problem", [
    ({"REDIS_TOPOLOGY": "ring"}, "REDIS_TOPOLOGY must be one of server, sentinel, cluster (got 'ring')"),
    ({"REDIS_URL": "redis://mymaster/0", "REDIS_TOPOLOGY": "sentinel"},
     "REDIS_SENTINELS must be set when REDIS_TOPOLOGY is sentinel"),
    ({"REDIS_URL": "redis://mymaster/0", "REDIS_TOPOLOGY": "sentinel", "REDIS_SENTINELS": "s1:26379,s2"},
     "REDIS_SENTINELS has 's2', which is not host:port"),
    ({"REDIS_URL": "redis://mymaster/0", "REDIS_TOPOLOGY": "sentinel", "REDIS_SENTINELS": "s1:99999"},
     "REDIS_SENTINELS has 's1:99999', which is not host:port"),
    ({"REDIS_URL": "redis://10.0.0.1:6379/0", "REDIS_TOPOLOGY": "sentinel", "REDIS_SENTINELS": "s1:26379"},
     "REDIS_URL must have no port with REDIS_TOPOLOGY=sentinel: its host is the master's service name"),
    ({"REDIS_URL": "redis://127.0.0.1:7000/3", "REDIS_TOPOLOGY": "cluster"},
     "REDIS_URL must use database 0 with REDIS_TOPOLOGY=cluster"),
    ({"REDIS_URL": "unix:///run/redis.sock", "REDIS_TOPOLOGY": "cluster"},
     "REDIS_URL must be redis:// or rediss:// with REDIS_TOPOLOGY=cluster"),
    ({"REDIS_TOPOLOGY": "cluster"}, "REDIS_TOPOLOGY is cluster but REDIS_URL is unset"),
    ({"REDIS_URL": "redis://127.0.0.1:6379/0", "REDIS_SENTINELS": "s1:26379"},
     "REDIS_SENTINELS is set but REDIS_TOPOLOGY is server"),
    ({"REDIS_URL": "redis://127.0.0.1:6379/0?socket_timeout=5"},
     "REDIS_URL must not set socket_timeout (SHARED_CACHE_TIMEOUT_SECONDS is the timeout)"),
    ({"REDIS_URL": "rediss://app:hunter4@cache:6379/0?ssl_certfle=/etc/app.crt"},
     "REDIS_URL has an option redis-py does not take (ssl_certfle)"),
    ({"REDIS_URL": "rediss://app:hunter4@cache:6379/0?ssl_ca_certs=/nonexistent/ca.pem"},
     "REDIS_URL names ssl_ca_certs '/nonexistent/ca.pem', a file this process cannot read"),
])
def test_a_redis_topology_that_cannot_work_is_named_at_start_up(env, problem):
    from apiproject.config import ConfigurationError, ProjectConfig

    with pytest.raises(ConfigurationError) as raised:
        ProjectConfig.from_environ({"DEBUG": "1", **env})
    assert problem in str(raised.value)
    assert "hunter" not in str(raised.value)


def test_a_sentinel_without_sentinels_stops_manage_py_naming_the_variable():
    result = manage("check", DEBUG="1", REDIS_URL="redis://mymaster/0", REDIS_TOPOLOGY="sentinel")
    assert result.returncode == 2
    assert "REDIS_SENTINELS must be set when REDIS_TOPOLOGY is sentinel" in result.stderr
    assert "Traceback" not in result.stderr


def test_well_formed_topologies_are_read():
    from apiproject.config import ProjectConfig

    sentinel = ProjectConfig.from_environ({
        "DEBUG": "1", "REDIS_TOPOLOGY": "Sentinel", "REDIS_SENTINELS": "s1:26379, 10.0.0.2:26380,[::1]:26381",
        "REDIS_URL": f"rediss://app:pw@mymaster/0?ssl_ca_certs={__file__}&ssl_certfile={__file__}"
                     f"&ssl_keyfile={__file__}&ssl_min_version=771&protocol=3",
        "REDIS_SENTINEL_USERNAME": "watcher", "REDIS_SENTINEL_PASSWORD": "sentinel pw",
    })
    assert sentinel.REDIS_TOPOLOGY == "sentinel"
    assert sentinel.REDIS_SENTINELS == (("s1", 26379), ("10.0.0.2", 26380), ("::1", 26381))
    assert (sentinel.REDIS_SENTINEL_USERNAME, sentinel.REDIS_SENTINEL_PASSWORD) == ("watcher", "sentinel pw")
    cluster = ProjectConfig.from_environ({"DEBUG": "1", "REDIS_TOPOLOGY": "cluster",
                                          "REDIS_URL": "redis://app:pw@node1:7000/0"})
    assert (cluster.REDIS_TOPOLOGY, cluster.REDIS_SENTINELS) == ("cluster", ())
    assert ProjectConfig.from_environ({"DEBUG": "1"}).REDIS_TOPOLOGY == "server"
