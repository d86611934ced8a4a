"""The payment provider's signed notifications, over HTTP: a good one records the payment once and lifts
a billing lock on the next API request; anything else is refused in JSON and changes nothing."""
import hashlib
import hmac
import json
import threading
import time
from decimal import Decimal

import pytest
import requests
from django.test import Client
from hypothesis import HealthCheck, given, settings, strategies as st

from accounts.models import AccountState, BalanceEntry, PaymentNotice
from accounts.policy import account_state
from accounts.selectors import account_balance_due
from accounts.services import account_charge, account_suspend
from audit.models import AuditEvent
from tests.factories import basic_header

URL = "/billing/notifications"
SECRET = "whsec-test-0123456789-abcdefghijklmnopqrstuvwxyz"
PROVIDER_IP = "198.51.100.20"


@pytest.fixture(autouse=True)
def notices_on(settings):
    settings.BILLING_WEBHOOK_SECRET = SECRET
    settings.BILLING_WEBHOOK_TOLERANCE_SECONDS = 300
    settings.BILLING_CURRENCY = "EUR"


def sign(body, secret=SECRET, timestamp=None):
    """The provider's side, written from the scheme itself (not from our code)."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def notice(notice_id="evt_1", account="Aladdin", amount="12.50", currency="EUR", **more):
    return json.dumps({"id": notice_id, "account": account, "amount": amount, "currency": currency,
                       **more}).encode()


def send(body, signature=None, client=None):
    client = client or Client(REMOTE_ADDR=PROVIDER_IP)
    headers = {} if signature == "" else {"HTTP_X_SIGNATURE": sign(body) if signature is None else signature}
    return client.post(URL, data=body, content_type="application/json", **headers)


@pytest.fixture
def locked(aladdin):
    account_charge(user=aladdin, amount="12.50", description="November usage")
    account_suspend(user=aladdin, reason="billing")
    return aladdin


def nothing_changed(user, due="12.50", state=AccountState.LOCKED):
    assert not BalanceEntry.objects.filter(kind=BalanceEntry.Kind.PAYMENT).exists()
    assert not PaymentNotice.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.PAYMENT_RECEIVED).exists()
    assert account_balance_due(user) == Decimal(due)
    assert account_state(user) == state


def test_a_signed_notice_records_the_payment_and_the_lock_lifts_on_the_next_request(api, locked):
    assert api.get("/v2").status_code == 403
    response = send(notice())
    assert response.status_code == 200, response.content
    assert response.json() == {"status": 200, "recorded": "evt_1", "account": "Aladdin", "amount": "12.50",
                               "currency": "EUR", "balance_due": "0.00", "account_state": "active"}
    assert api.get("/v2").status_code == 200

    payment = BalanceEntry.objects.get(kind=BalanceEntry.Kind.PAYMENT)
    assert (payment.user, payment.amount, payment.recorded_by) == (locked, Decimal("12.50"), None)
    received = AuditEvent.objects.get(action=AuditEvent.Action.PAYMENT_RECEIVED)
    assert (received.subject, received.actor, received.actor_ip) == ("Aladdin", None, PROVIDER_IP)
    assert received.detail == {"notification": "evt_1", "amount": "12.50", "currency": "EUR",
                               "balance_due": "0.00"}
    lifted = AuditEvent.objects.get(action=AuditEvent.Action.ACCOUNT_STATE_CHANGED, detail__to="active")
    assert lifted.detail["from"] == "locked" and "billing lock lifted" in lifted.detail["note"]


def test_a_part_payment_keeps_the_lock(api, locked):
    assert send(notice(amount="5.00")).json()["balance_due"] == "7.50"
    assert api.get("/v2").json()["message"] == "No API Access"
    assert send(notice(notice_id="evt_2", amount="7.50")).json()["account_state"] == "active"
    assert api.get("/v2").status_code == 200


def test_a_payment_never_lifts_a_terms_disable(aladdin):
    account_charge(user=aladdin, amount="12.50")
    account_suspend(user=aladdin, reason="terms")
    assert send(notice()).json()["account_state"] == "disabled"


def test_each_notice_is_recorded_once(locked):
    body = notice()
    assert send(body).status_code == 200
    again = send(body)  # the same notice, even freshly signed
    assert again.status_code == 409
    assert again.json() == {"status": 409, "message": "Already recorded",
                            "additional": "Notification 'evt_1' was recorded before; nothing changed.",
                            "reference": ""}
    assert BalanceEntry.objects.filter(kind=BalanceEntry.Kind.PAYMENT).count() == 1
    assert AuditEvent.objects.filter(action=AuditEvent.Action.PAYMENT_RECEIVED).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_copies_at_once_record_one_payment(live_server, locked):
    body = notice()
    signature = sign(body)
    barrier, statuses = threading.Barrier(4), []

    def post():
        barrier.wait()
        statuses.append(requests.post(f"{live_server.url}{URL}", data=body, timeout=30, headers={
            "Content-Type": "application/json", "X-Signature": signature}).status_code)

    threads = [threading.Thread(target=post) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200, 409, 409, 409]
    assert BalanceEntry.objects.filter(kind=BalanceEntry.Kind.PAYMENT).count() == 1


def error(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"status", "message", "additional", "reference"} and body["status"] == status
    return body


@pytest.mark.parametrize("signature, says", [
    ("", "The X-Signature header is missing."),
    ("v1=" + "0" * 64, "must read t=<unix time>,v1="),
    ("t=now,v1=" + "0" * 64, "must read t=<unix time>,v1="),
    (f"t={int(time.time())}", "must read t=<unix time>,v1="),
    (f"t={int(time.time())},v1=" + "0" * 64, "does not sign this body"),
    (f"t={int(time.time())},v1=XYZ", "must read t=<unix time>,v1="),
])
def test_a_missing_or_wrong_signature_is_refused(locked, signature, says):
    body = error(send(notice(), signature=signature), 401)
    assert body["message"] == "Could not authenticate:" and says in body["additional"]
    nothing_changed(locked)


def test_another_secret_or_another_body_is_refused(locked):
    assert error(send(notice(), signature=sign(notice(), secret="x" * 40)), 401)
    assert error(send(notice(amount="1200.00"), signature=sign(notice())), 401)
    nothing_changed(locked)


def test_one_good_signature_among_several_is_enough(locked):
    body = notice()
    timestamp = int(time.time())
    old = sign(body, secret="y" * 40, timestamp=timestamp).split(",")[1]
    assert send(body, signature=f"{sign(body, timestamp=timestamp)},{old}").status_code == 200


@pytest.mark.parametrize("skew", [-330, 330, -10**6])  # past the 300 s tolerance however slow the request
def test_a_stale_or_future_timestamp_is_refused(locked, skew):
    body = notice()
    refused = error(send(body, signature=sign(body, timestamp=int(time.time()) + skew)), 401)
    assert "more than 300 seconds away" in refused["additional"]
    nothing_changed(locked)


@pytest.mark.parametrize("body, says", [
    (b"", "not JSON"),
    (b"{", "not JSON"),
    (b"\xff\xfe", "not JSON"),
    (b"[1, 2]", "JSON object"),
    (b"[" * 100000, "not JSON"),
    (notice(amount="12.505"), '"amount"'),
    (notice(amount="-1"), '"amount"'),
    (notice(amount="0.00"), '"amount"'),
    (notice(amount="1e3"), '"amount"'),
    (notice(amount="NaN"), '"amount"'),
    (notice(amount=12.5), '"amount"'),
    (notice(amount="12345678901.00"), '"amount"'),
    (notice(currency="euro"), '"currency"'),
    (notice(currency=None), '"currency"'),
    (notice(notice_id=""), '"id"'),
    (notice(notice_id=7), '"id"'),
    (notice(notice_id="x" * 201), '"id"'),
    (notice(notice_id="evt\n1"), '"id"'),
    (notice(account=["Aladdin"]), '"account"'),
    (json.dumps({"account": "Aladdin", "amount": "12.50", "currency": "EUR"}).encode(), '"id"'),
])
def test_a_malformed_body_is_refused(locked, body, says):
    refused = error(send(body), 400)
    assert says in refused["additional"]
    nothing_changed(locked)


def test_an_unknown_account_is_refused(locked):
    refused = error(send(notice(account="nobody")), 422)
    assert refused["message"] == "Unknown account" and "'nobody'" in refused["additional"]
    nothing_changed(locked)


def test_another_currency_is_refused(locked):
    refused = error(send(notice(currency="USD")), 422)
    assert refused["additional"] == "Amounts here are in EUR, not USD."
    nothing_changed(locked)


def test_without_a_secret_configured_every_notice_is_refused(locked, settings):
    settings.BILLING_WEBHOOK_SECRET = ""
    body = notice()
    assert error(send(body, signature=sign(body, secret="")), 503)["message"] == "Payment notifications are off"
    nothing_changed(locked)


def test_only_post_and_no_csrf_token_needed(locked):
    strict = Client(enforce_csrf_checks=True, REMOTE_ADDR=PROVIDER_IP)
    assert error(strict.get(URL), 405)["additional"] == "Payment notifications are sent with POST."
    assert send(notice(), client=strict).status_code == 200


def test_an_oversized_body_is_refused_in_json(locked, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    error(send(notice(padding="x" * 2000)), 413)
    nothing_changed(locked)


def test_a_refusal_of_the_shared_cache_records_nothing(locked, aladdin_key, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # configured, nothing listening: the lock cannot be lifted
    error(send(notice()), 503)
    nothing_changed(locked)


@pytest.mark.django_db(transaction=True)
def test_the_lock_lifts_for_basic_on_a_real_server(live_server, locked, aladdin_key, password):
    """Over real HTTP, as the provider and the app would each call."""
    headers = {"Authorization": basic_header("Aladdin", password), "X-Client-Key": aladdin_key.client_key}
    assert requests.get(f"{live_server.url}/v2", headers=headers, timeout=10).status_code == 403
    body = notice()
    recorded = requests.post(f"{live_server.url}{URL}", data=body, timeout=10,
                             headers={"Content-Type": "application/json", "X-Signature": sign(body)})
    assert recorded.status_code == 200, recorded.text
    assert requests.get(f"{live_server.url}/v2", headers=headers, timeout=10).status_code == 200


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8)
notice_like = st.fixed_dictionaries({}, optional={
    "id": json_values | st.text(max_size=30), "account": json_values | st.just("Aladdin"),
    "amount": json_values | st.decimals(allow_nan=True).map(str), "currency": json_values | st.just("EUR")})
header_text = st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0xFF), max_size=120)


@pytest.mark.django_db
@given(body=notice_like.map(lambda data: json.dumps(data).encode()) | st.binary(max_size=200),
       signed=st.booleans(), signature=header_text)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_no_input_makes_a_500(locked, body, signed, signature):
    """Signed garbage (every body check) and unsigned garbage (every header check): a JSON answer."""
    response = send(body, signature=sign(body) if signed else signature)
    assert response.status_code in {200, 400, 401, 409, 422}, response.content[:300]
    if response.status_code != 200:
        error(response, response.status_code)
