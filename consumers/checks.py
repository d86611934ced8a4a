"""Start-up checks of the production configuration: a dangerous set-up fails `manage.py check` (and
`migrate`, `runserver`) loudly instead of misbehaving at request time.

The one place for such checks; registered when the `consumers` app is ready. A malformed value never
gets this far: `apiproject.config` refuses it, naming the variable, while the settings load.
"""
from cryptography.fernet import Fernet
from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security)
def secret_encryption_keys_check(app_configs, **kwargs):
    """Client and token secrets cannot be stored or read without a valid SECRET_ENCRYPTION_KEYS."""
    keys = settings.SECRET_ENCRYPTION_KEYS
    if not keys:
        return [Error(
            "SECRET_ENCRYPTION_KEYS is not set: client and token secrets cannot be stored or read.",
            hint="Set it to one or more comma-separated Fernet keys (newest first), apart from SECRET_KEY.",
            id="apiproject.E001",
        )]
    errors = []
    for position, key in enumerate(keys, start=1):
        try:
            Fernet(key)
        except ValueError:
            errors.append(Error(
                f"SECRET_ENCRYPTION_KEYS: key {position} is not a Fernet key.",
                hint="A Fernet key is 32 random bytes in URL-safe base64 (44 characters).",
                id="apiproject.E002",
            ))
    return errors
