"""The one rule for a registered callback URL, shared by the registration pages and `createconsumer`.

OAuth callbacks must fall under it (`consumers.oauth1.policy.callback_refusal` compares same scheme,
host and port), and only http(s) can be compared that way: an `ftp://` or credential-carrying URL
would be accepted here and then match nothing, or worse, something unexpected.
"""
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

MAX_LENGTH = 200
_url = URLValidator(schemes=["http", "https"])


def validate_callback_url(value):
    """Raise ValidationError unless `value` is an http(s) URL without user, password or fragment."""
    message = "Enter an http:// or https:// URL, without a user name, password or #fragment."
    if len(value) > MAX_LENGTH:
        raise ValidationError(f"Keep the callback URL to {MAX_LENGTH} characters.", code="too_long")
    try:
        _url(value)
        parts = urlsplit(value)
    except (ValidationError, ValueError):
        raise ValidationError(message, code="invalid_callback") from None
    if parts.username is not None or parts.password is not None or parts.fragment or "#" in value:
        raise ValidationError(message, code="invalid_callback")
