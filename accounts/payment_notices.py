"""The payment provider's notifications: checking a signed notice and reading what it says.

Signed the way Stripe and GitHub sign their webhooks: the header `X-Signature: t=<unix time>,v1=<hex>`
carries an HMAC-SHA256, made with the shared secret (BILLING_WEBHOOK_SECRET), over `<t>.<raw body>`.
The timestamp inside the signature bounds a replay to the tolerance window; the notice's `id`, stored
once (`accounts.services.account_payment_notice_record`), stops a replay inside it.
"""
import hashlib
import hmac
import json
import re
from dataclasses import dataclass
from decimal import Decimal

from access.refusals import Refusal

SIGNATURE_HEADER = "X-Signature"
SIGNATURE_SCHEME = "v1"
TIMESTAMP = re.compile(r"[0-9]{1,12}")
HEX_DIGEST = re.compile(r"[0-9a-f]{64}")
AMOUNT = re.compile(r"[0-9]{1,10}(\.[0-9]{1,2})?")
CURRENCY = re.compile(r"[A-Z]{3}")
NOTICE_ID_LENGTH = 200
USERNAME_LENGTH = 150


class NoticeRefused(Refusal):
    """Why a notice is not recorded, in the refusal vocabulary (`access.refusals`: a stable `code`, the
    words for the provider's log); the API layer gives each code its status (`apiv2.errors`)."""

    code = "malformed"
    message = "Invalid request"


class NoticesOff(NoticeRefused):
    code = "not_configured"
    message = "Payment notifications are off"
    additional = "This server has no payment notification secret configured."


class BadSignature(NoticeRefused):
    code = "bad_signature"
    message = "Could not authenticate:"
    additional = "The X-Signature header does not sign this body with our shared secret."


class StaleNotice(NoticeRefused):
    code = "stale"
    message = "Could not authenticate:"


class MalformedNotice(NoticeRefused):
    code = "malformed"


class UnknownAccount(NoticeRefused):
    code = "unknown_account"
    message = "Unknown account"


class WrongCurrency(NoticeRefused):
    code = "wrong_currency"
    message = "Wrong currency"


class AlreadyRecorded(NoticeRefused):
    code = "already_recorded"
    message = "Already recorded"


@dataclass(frozen=True)
class NoticeBody:
    notice_id: str
    account: str
    amount: Decimal
    currency: str


def payment_notice_read(*, body, signature, secret, now, tolerance):
    """The notice in `body` (bytes) if `signature` (the header's value) signs it with `secret` within
    `tolerance` seconds of `now`; else NoticeRefused saying why. The body is read only once signed."""
    if not secret:
        raise NoticesOff()
    timestamp, candidates = _signature_parts(signature)
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    # Every candidate is compared in constant time, so the time taken says nothing about a near miss.
    matches = [hmac.compare_digest(expected, candidate) for candidate in candidates]
    if not any(matches):
        raise BadSignature()
    if abs(now - int(timestamp)) > tolerance:
        raise StaleNotice(f"The signature's timestamp is more than {tolerance} seconds away from the "
                          "server's clock; sign the notice again with the current time.")
    return _notice(body)


def _signature_parts(header):
    """(t, [v1 signatures]) from `t=...,v1=...[,v1=...]`; several v1 let a provider sign with two secrets."""
    timestamp, candidates = None, []
    for part in header.split(","):
        name, _, value = part.strip().partition("=")
        if name == "t":
            timestamp = value
        elif name == SIGNATURE_SCHEME and HEX_DIGEST.fullmatch(value):
            candidates.append(value)
    if not header:
        raise BadSignature(f"The {SIGNATURE_HEADER} header is missing.")
    if timestamp is None or not TIMESTAMP.fullmatch(timestamp) or not candidates:
        raise BadSignature(f"The {SIGNATURE_HEADER} header must read t=<unix time>,{SIGNATURE_SCHEME}=<hex "
                           "HMAC-SHA256 of \"<t>.<body>\">.")
    return timestamp, candidates


def _notice(body):
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise MalformedNotice("The body is not JSON.") from None
    if not isinstance(data, dict):
        raise MalformedNotice("The body must be a JSON object.")
    notice_id = _text(data, "id", NOTICE_ID_LENGTH)
    account = _text(data, "account", USERNAME_LENGTH)
    amount, currency = data.get("amount"), data.get("currency")
    if not isinstance(amount, str) or not AMOUNT.fullmatch(amount) or Decimal(amount) <= 0:
        raise MalformedNotice('"amount" must be a string with a positive amount and at most two decimal '
                              'places, such as "12.50".')
    if not isinstance(currency, str) or not CURRENCY.fullmatch(currency):
        raise MalformedNotice('"currency" must be a three-letter currency code such as "EUR".')
    return NoticeBody(notice_id=notice_id, account=account, amount=Decimal(amount), currency=currency)


def _text(data, name, limit):
    value = data.get(name)
    if not isinstance(value, str) or not 0 < len(value) <= limit or not value.isprintable():
        raise MalformedNotice(f'"{name}" must be a string of 1 to {limit} printable characters.')
    return value
