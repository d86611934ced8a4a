"""Why a request may not go on: the refusal vocabulary, as reasons with stable codes and no HTTP in them.

Each reason carries the words of our published guide (`message`, and `additional` where the guide
fixes it) and the name of the page that helps (`help_page`), so the API and the pages say the same.
Domain code raises or returns these; the API layer (`apiv2.errors`) gives each code its status.
"""


class Refusal(Exception):
    code = "malformed_request"
    message = "Bad Request"
    additional = ""
    help_page = ""  # URL name of the page that helps, e.g. "billing"

    def __init__(self, additional=None):
        if additional is not None:
            self.additional = additional
        super().__init__(self.code)


def refuse_if(refusal):
    """Raise `refusal` unless it is None: for rules that answer with a refusal or nothing."""
    if refusal is not None:
        raise refusal


class MalformedRequest(Refusal):
    """The request itself is wrong (a protocol rule, an unknown scope name); `additional` says what to fix."""

    code = "malformed_request"


class ClientKeyMissing(Refusal):
    code = "client_key_missing"
    message = "Must give an app key via X-Client-Key header or client_key query string parameter"


class InvalidCredentials(Refusal):
    """Unknown user, wrong password, bad signature, unknown token, deactivated user: one reason, so the
    answer never says which."""

    code = "invalid_credentials"
    message = "Could not authenticate:"
    additional = "Invalid credentials."


class ClientKeyInvalid(Refusal):
    """Unknown or revoked client key, or one whose owner staff deactivated."""

    code = "client_key_invalid"
    message = "Invalid client key"


class ClientKeyNotOwned(Refusal):
    code = "client_key_not_owned"
    message = "Client key does not belong to the authenticated account"


class AppNotApproved(Refusal):
    """A client awaiting staff review (CLIENT_REVIEW), used on behalf of someone other than its owner."""

    code = "app_not_approved"
    message = "App not yet approved"
    additional = "This app is awaiting review and can only be used by its owner's account."


class AccountLocked(Refusal):
    code = "account_locked"
    message = "No API Access"
    additional = "The authenticated account is locked due to an unpaid balance."
    help_page = "billing"


class AccountDisabled(Refusal):
    code = "account_disabled"
    message = "API Access is disabled"
    additional = "API access has been disabled for this user due to API terms violation."
    help_page = "contact"


class InsufficientScope(Refusal):
    code = "insufficient_scope"
    message = "Insufficient scope"

    def __init__(self, scope):
        self.scope = scope
        super().__init__(f"This request needs the '{scope}' scope.")


class TooManyFailedAttempts(Refusal):
    code = "too_many_failed_attempts"
    message = "Too many requests"

    def __init__(self, wait):
        self.wait = wait
        super().__init__(f"Too many failed sign-in attempts; retry in {wait} seconds.")


class SecretsUnreadable(Refusal):
    """A stored secret that none of this deployment's encryption keys opens."""

    code = "secrets_unreadable"
    message = "Service Unavailable"
    additional = "Stored credentials cannot be read with this deployment's encryption keys."


class SharedStateUnavailable(Refusal):
    """Neither the shared cache nor the database could keep a rule (a counter, a nonce, a forget)."""

    code = "service_unavailable"
    message = "Service Unavailable"
    additional = "A backing service could not be reached; try again shortly."
