"""Configuration from the environment: production refuses unsafe set-ups, a newcomer needs nothing."""
import os
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
