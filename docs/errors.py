"""The guide's error catalogue, built from the API's own error classes so the page shows real texts."""
import json

from apiv2 import errors
from apiv2.exceptions import error_body

CATALOGUE = [
    ("Bad Credentials", errors.CouldNotAuthenticate,
     "Unknown user, wrong password, bad signature or unknown token: one answer, so it never says which."),
    ("No API Access – Locked Account", errors.AccountLocked,
     "The account is locked because of an unpaid balance. You may want to offer your user a direct link "
     "to the reference URL, where they can see what is owed and how to pay."),
    ("API Access is disabled", errors.AccountDisabled,
     "The account was suspended for a violation of the API terms. To resolve it, the user contacts us "
     "at the reference URL."),
    ("No App Key given", errors.ClientKeyMissing,
     "HTTP Basic without a client key in X-Client-Key or client_key."),
    ("Invalid client key", errors.InvalidClientKey, "The client key is unknown or was revoked."),
    ("Client key of another account", errors.ClientKeyNotOwned,
     "With HTTP Basic, the client key must belong to the account whose credentials you send."),
]


def error_catalogue(request):
    """(title, status, JSON body, explanation) for each refusal, with this deployment's references."""
    entries = []
    for title, error_class, text in CATALOGUE:
        error = error_class()
        body = error_body(error.status_code, error.message, error.additional, error.reference_url(request))
        entries.append((title, error.status_code, json.dumps(body, indent=2, ensure_ascii=False), text))
    return entries
