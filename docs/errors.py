"""The guide's error catalogue, built from the refusals themselves so the page shows the real texts."""
import json

from access import refusals
from apiv2.errors import ApiError
from apiv2.exceptions import error_body

CATALOGUE = [
    ("Bad Credentials", refusals.InvalidCredentials,
     "Unknown user, wrong password, bad signature or unknown token: one answer, so it never says which."),
    ("No API Access – Locked Account", refusals.AccountLocked,
     "The account is locked because of an unpaid balance. You may want to offer your user a direct link "
     "to the reference URL, where they can see what is owed and how to pay."),
    ("API Access is disabled", refusals.AccountDisabled,
     "The account was suspended for a violation of the API terms. To resolve it, the user contacts us "
     "at the reference URL."),
    ("No App Key given", refusals.ClientKeyMissing,
     "HTTP Basic without a client key in X-Client-Key or client_key."),
    ("Invalid client key", refusals.ClientKeyInvalid, "The client key is unknown or was revoked."),
    ("Client key of another account", refusals.ClientKeyNotOwned,
     "With HTTP Basic, the client key must belong to the account whose credentials you send."),
    ("App not yet approved", refusals.AppNotApproved,
     "Where new apps are reviewed, an app awaiting review works only for its developer's own account: "
     "other users cannot authorize it until staff approve it. Its status is on your apps page."),
]


def error_catalogue(request):
    """(title, status, JSON body, explanation) for each refusal, with this deployment's references."""
    entries = []
    for title, refusal_class, text in CATALOGUE:
        error = ApiError(refusal_class())
        body = error_body(error.status_code, error.message, error.additional, error.reference_url(request))
        entries.append((title, error.status_code, json.dumps(body, indent=2, ensure_ascii=False), text))
    return entries
