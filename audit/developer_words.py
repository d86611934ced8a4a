"""What an audited change says to the developer it is about: one line of words per event, built from the
facts it is known to carry (never its `detail` shown as it is, never staff's private notes)."""
from django.template.defaultfilters import pluralize

from audit.models import AuditEvent

Action = AuditEvent.Action

# The account states (`accounts.models.AccountState`'s values) as the move to each reads.
STATE_REACHED = {
    "active": "API access restored",
    "locked": "API access locked for an unpaid balance",
    "disabled": "API access disabled for a violation of the API terms",
}


def event_words(event):
    """One sentence on what `event` changed, from the facts its action records."""
    detail = event.detail if isinstance(event.detail, dict) else {}
    words = WORDS.get(event.action)
    return words(detail) if words is not None else event.get_action_display()


def _registered(detail):
    return "App registered" + (", awaiting review" if detail.get("review_status") == "pending" else "")


def _updated(detail):
    if "signature_debug" in detail:
        return ("Base strings in bad-signature answers turned on" if detail["signature_debug"]
                else "Base strings in bad-signature answers turned off")
    if detail.get("previous_secret_expired"):
        return "Previous secret expired before its overlap ended"
    edited = "App details edited"
    if detail.get("name"):
        edited += f": name “{detail['name']}”, callback URL {detail.get('callback_url') or 'none'}"
    return edited + (", and sent to review" if detail.get("review_status") == "pending" else "")


def _rotated(detail):
    seconds = detail.get("overlap_seconds")
    if isinstance(seconds, (int, float)) and seconds > 0:
        hours = round(seconds / 3600)
        return f"Secret rotated; the previous one kept working for {hours} hour{pluralize(hours)}"
    return "Secret rotated; the previous one stopped working at once"


def _reviewed(detail):
    return {"approved": "Approved in review", "rejected": "Rejected in review"}.get(
        detail.get("review_status"), "Reviewed")


def _state_changed(detail):
    return STATE_REACHED.get(detail.get("to"), "API access changed")


def _payment(detail):
    amount, currency = detail.get("amount"), detail.get("currency")
    return f"Payment of {amount} {currency} received" if amount and currency else "Payment received"


def _api_password(done):
    return lambda detail: f"API password “{detail['name']}” {done}" if detail.get("name") else f"API password {done}"


def _basic_sign_in_password(detail):
    return ("Sign-in password turned on for HTTP Basic" if detail.get("sign_in_password_in_basic")
            else "Sign-in password turned off for HTTP Basic: only API passwords work there")


WORDS = {
    Action.CLIENT_REGISTERED: _registered,
    Action.CLIENT_UPDATED: _updated,
    Action.CLIENT_SECRET_ROTATED: _rotated,
    Action.CLIENT_REVOKED: lambda detail: "App revoked: its key and every token issued to it stopped working",
    Action.CLIENT_REINSTATED: lambda detail: "App reinstated: its key works again, earlier tokens stay revoked",
    Action.CLIENT_REVIEWED: _reviewed,
    Action.ACCOUNT_STATE_CHANGED: _state_changed,
    Action.PAYMENT_RECEIVED: _payment,
    Action.API_PASSWORD_CREATED: _api_password("created"),
    Action.API_PASSWORD_REVOKED: _api_password("revoked"),
    Action.BASIC_SIGN_IN_PASSWORD_SET: _basic_sign_in_password,
    Action.FAILED_LOGINS_CLEARED: lambda detail: "Failed sign-ins cleared: the wait after them ended",
}
