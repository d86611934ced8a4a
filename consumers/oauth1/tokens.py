"""Maker of every OAuth 1.0a credential we hand out: token keys, token secrets and verifiers."""
import secrets

# 240 bits each; URL-safe base64 gives 40 characters from [A-Za-z0-9_-].
TOKEN_BYTES = 30


def generate_token():
    return secrets.token_urlsafe(TOKEN_BYTES)
