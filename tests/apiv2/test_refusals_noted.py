"""Which refusals are noted on an app (`apiv2.refusals_noted`): API refusals whose credentials name an
existing client, in each scheme's own way of naming it; nothing for pages, the token endpoints, a
request with no credentials or a malformed one."""
import time

from access.store.usage import usage_read
from tests.factories import basic_header
from tests.oauth1.signing import signed_send
from tests.oauth2.helpers import client_auth as oauth2_client_auth


def noted(consumer):
    """[(scheme, reason)] of the app's recent refusals, newest first."""
    return [(entry["scheme"], entry["reason"]) for entry in usage_read(consumer.client_key, days=1).recent]


def test_basic_names_its_client_key_in_the_header_or_the_query(client, aladdin_key):
    wrong = basic_header("Aladdin", "wrong password")
    client.get("/v2", HTTP_AUTHORIZATION=wrong, HTTP_X_CLIENT_KEY=aladdin_key.client_key)
    client.get(f"/v2?client_key={aladdin_key.client_key}", HTTP_AUTHORIZATION=wrong)
    client.get("/v2", HTTP_AUTHORIZATION=wrong)  # no key: 400, nobody's
    assert noted(aladdin_key) == [("basic", "invalid_credentials")] * 2


def test_oauth1_names_its_consumer_key_in_a_signed_form_body_too(client, app, alice_token):
    from oauthlib.oauth1 import SIGNATURE_TYPE_BODY

    response = signed_send(client, "POST", "/v2/products", app, token=alice_token, consumer_secret="wrong",
                           signature_type=SIGNATURE_TYPE_BODY, params={"name": "Lamp", "price": "1.00"})
    assert response.status_code == 401
    client.get("/v2/products", HTTP_AUTHORIZATION=f'OAuth oauth_consumer_key="{app.client_key}", oauth_nonce="a b"')
    assert noted(app) == [("oauth1", "invalid_credentials")]  # the malformed header named no key we read


def test_the_token_endpoints_and_the_pages_note_nothing(client, app):
    client.post("/oauth2/token", {"grant_type": "client_credentials"}, **oauth2_client_auth(app, "wrong secret"))
    client.get(f"/apps/{app.pk}/usage", HTTP_AUTHORIZATION=basic_header("developer", "x"),
               HTTP_X_CLIENT_KEY=app.client_key)
    client.get("/v2/status", HTTP_X_CLIENT_KEY=app.client_key)
    assert noted(app) == []


def test_a_refusal_after_the_throttle_counted_is_taken_off_the_served(api, aladdin_key, rates):
    rates(client_key="2/hour", account="100/hour")
    statuses = [api.get("/v2/products/77").status_code, api.get("/v2").status_code, api.get("/v2").status_code]
    assert statuses == [404, 200, 429]
    day = usage_read(aladdin_key.client_key, days=1, now=time.time()).days[0]
    assert day.counted == 3 and day.refused == {"not_found": 1, "rate_limited": 1, "+counted": 2}
