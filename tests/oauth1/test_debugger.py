"""The signature debugger on the app page and the opt-in base string in bad-signature 401s: what they
show is what the verifier computes, for requests signed by an independent library (Authlib)."""
import html
import re
import time
from datetime import timedelta
from types import SimpleNamespace
from urllib.parse import urlencode

import pytest
from authlib.oauth1 import SIGNATURE_TYPE_BODY, SIGNATURE_TYPE_HEADER, SIGNATURE_TYPE_QUERY, ClientAuth
from authlib.oauth1.rfc5849.signature import generate_signature_base_string
from authlib.oauth1.rfc5849.wrapper import OAuth1Request
from django.utils import timezone
from oauthlib.oauth1 import SIGNATURE_PLAINTEXT

from consumers.oauth1.bridge import BASE_STRING_PREFIX, INVALID
from consumers.oauth1.models import RequestToken
from consumers.oauth1.nonces import REPLAYED, STALE
from consumers.oauth1.policy import PLAINTEXT_OVER_HTTP
from consumers.oauth1.services import access_token_revoke
from consumers.services import consumer_secret_rotate, consumer_signature_debug_set
from tests.factories import make_access_token, make_consumer, make_request_token, make_user
from tests.oauth1.signing import sign

FORM = "application/x-www-form-urlencoded"
ODD_URL = "https://testserver/v2/products?page=1&q=desk%20lamp&plus=1%2B1&utf=caf%C3%A9&rep=1&rep=2&empty="


def authlib_signed(app, token, method, url, signature_type=SIGNATURE_TYPE_HEADER, form=None, secret=None):
    """(url, headers, body) signed by Authlib, and the base string Authlib computed for it."""
    auth = ClientAuth(app.client_key, secret or app.client_secret, token.key, token.secret,
                      signature_type=signature_type)
    headers = {"Content-Type": FORM} if form is not None else {}
    body = urlencode(form) if form is not None else ""
    url, headers, body = auth.sign(method, url, headers, body)
    body = body.decode() if isinstance(body, bytes) else body
    base_string = generate_signature_base_string(OAuth1Request(method, url, body, headers))
    return (url, headers, body), base_string


def send(client, method, signed, secure=True):
    url, headers, body = signed
    extra = {"HTTP_AUTHORIZATION": headers["Authorization"]} if "Authorization" in headers else {}
    return client.generic(method, url.removeprefix("https://testserver").removeprefix("http://testserver"),
                          data=body or "", secure=secure,
                          content_type=headers.get("Content-Type", "application/octet-stream"), **extra)


def debugger(client, app, method, signed):
    url, headers, body = signed
    page = client.post(f"/apps/{app.pk}/", {"method": method, "url": url, "body": body or "",
                                            "authorization": headers.get("Authorization", "")})
    assert page.status_code == 200
    text = page.content.decode()
    shown = {name: html.unescape(value) for name, value in
             re.findall(r'<code data-debug="([a-z_]+)">([^<]*)</code>', text)}
    shown["verdict"] = re.sub(r"<[^>]+>|\s+", " ", re.search(r'id="debug-verdict">(.*?)</li>', text, re.S).group(1))
    return shown, text


@pytest.fixture
def owner(client, developer, app):
    client.force_login(developer)
    return client


@pytest.mark.parametrize(("method", "signature_type", "form"), [
    ("GET", SIGNATURE_TYPE_HEADER, None),
    ("GET", SIGNATURE_TYPE_QUERY, None),
    ("POST", SIGNATURE_TYPE_BODY, {"name": "Desk lamp", "price": "12.50"}),
    ("POST", SIGNATURE_TYPE_HEADER, {"name": "Café chair", "price": "40.00"}),
])
def test_the_debugger_computes_what_the_verifier_accepts(owner, app, alice_token, method, signature_type, form):
    url = ODD_URL if method == "GET" else "https://testserver/v2/products"
    signed, authlib_base_string = authlib_signed(app, alice_token, method, url, signature_type, form)

    shown, page = debugger(owner, app, method, signed)
    assert shown["base_string"] == authlib_base_string
    assert shown["expected_signature"] == shown["sent_signature"]
    assert "The signatures match." in shown["verdict"]
    assert app.client_secret not in page and alice_token.secret not in page

    assert send(owner, method, signed).status_code in (200, 201)  # the verifier agrees


def test_a_wrong_secret_shows_a_different_signature_over_the_same_base_string(owner, app, alice_token):
    signed, authlib_base_string = authlib_signed(app, alice_token, "GET", ODD_URL, secret="not-the-secret")
    shown, _ = debugger(owner, app, "GET", signed)
    assert shown["base_string"] == authlib_base_string
    assert shown["expected_signature"] != shown["sent_signature"]
    assert "The signatures differ." in shown["verdict"]


def test_the_debugger_says_what_stops_it(owner, app):
    page = owner.post(f"/apps/{app.pk}/", {"method": "GET", "url": "https://testserver/v2/products"})
    assert "No oauth_ parameters in the header, the body or the query." in page.content.decode()


def test_a_bad_signature_401_carries_the_base_string_only_when_the_owner_opted_in(owner, client, app, alice_token):
    signed, authlib_base_string = authlib_signed(app, alice_token, "GET", ODD_URL, secret="not-the-secret")
    refused = send(client, "GET", signed)
    assert refused.status_code == 401 and refused.json()["additional"] == INVALID  # off by default

    assert owner.post(f"/apps/{app.pk}/signature-debug", {"enabled": "on"}).status_code == 302
    signed, authlib_base_string = authlib_signed(app, alice_token, "GET", ODD_URL, secret="not-the-secret")
    refused = send(client, "GET", signed)
    additional = refused.json()["additional"]
    assert refused.status_code == 401 and additional.startswith(f"{INVALID} {BASE_STRING_PREFIX}")
    base_string = additional.removeprefix(f"{INVALID} {BASE_STRING_PREFIX}")
    assert base_string == authlib_base_string
    shown, _ = debugger(owner, app, "GET", signed)
    assert shown["base_string"] == base_string  # the debugger and the verifier agree
    assert app.client_secret not in additional and alice_token.secret not in additional

    assert owner.post(f"/apps/{app.pk}/signature-debug", {"enabled": "off"}).status_code == 302
    signed, _ = authlib_signed(app, alice_token, "GET", ODD_URL, secret="not-the-secret")
    assert send(client, "GET", signed).json()["additional"] == INVALID


def test_the_token_endpoints_carry_it_too(client, app):
    consumer_signature_debug_set(consumer=app, enabled=True)
    auth = ClientAuth(app.client_key, "not-the-secret", redirect_uri="oob")
    url, headers, body = auth.sign("POST", "https://testserver/oauth/request_token", {}, "")
    base_string = generate_signature_base_string(OAuth1Request("POST", url, body, headers))
    refused = client.post("/oauth/request_token", HTTP_AUTHORIZATION=headers["Authorization"], secure=True)
    assert refused.status_code == 401
    assert refused.json()["additional"] == f"{INVALID} {BASE_STRING_PREFIX}{base_string}"


def test_only_the_owner_sees_the_debugger_and_the_switch(client, app, alice_token):
    stranger = make_user("stranger")
    client.force_login(stranger)
    signed, _ = authlib_signed(app, alice_token, "GET", ODD_URL)
    assert client.post(f"/apps/{app.pk}/", {"method": "GET", "url": signed[0]}).status_code == 404
    assert client.post(f"/apps/{app.pk}/signature-debug", {"enabled": "on"}).status_code == 404
    app.refresh_from_db()
    assert app.signature_debug is False


def test_the_switch_is_off_by_default_and_says_so(owner, app):
    page = owner.get(f"/apps/{app.pk}/").content.decode()
    assert re.search(r'id="signature-debug-state">off<', page)
    followed = owner.post(f"/apps/{app.pk}/signature-debug", {"enabled": "on"}, follow=True).content.decode()
    assert re.search(r'id="signature-debug-state">on<', followed)


# --- The debugger agrees with the server both ways ----------------------------------------------------


def end_overlap(app):
    """As if the overlap had run out: a save, like any change, so cached copies are forgotten."""
    app.previous_secret_expires_at = timezone.now() - timedelta(seconds=1)
    app.save(update_fields=["previous_secret_expires_at"])


def test_during_an_overlap_the_previous_secret_matches_as_the_server_accepts_it(owner, app, alice_token):
    old = app.client_secret
    consumer_secret_rotate(consumer=app, overlap=timedelta(hours=1))
    signed, authlib_base_string = authlib_signed(app, alice_token, "GET", ODD_URL, secret=old)

    shown, page = debugger(owner, app, "GET", signed)
    assert shown["base_string"] == authlib_base_string
    assert shown["expected_signature"] == shown["sent_signature"]
    assert "The signatures match." in shown["verdict"] and "previous secret" in shown["verdict"]
    assert "with the previous secret" in re.sub(r"\s+", " ", page) and old not in page
    assert send(owner, "GET", signed).status_code == 200  # the server agrees

    end_overlap(app)
    signed, _ = authlib_signed(app, alice_token, "GET", ODD_URL, secret=old)
    shown, _ = debugger(owner, app, "GET", signed)
    assert "The signatures differ." in shown["verdict"]
    assert send(owner, "GET", signed).status_code == 401  # and agrees again


def test_the_current_secret_is_named_when_it_matches_during_an_overlap(owner, app, alice_token):
    consumer_secret_rotate(consumer=app, overlap=timedelta(hours=1))
    signed, _ = authlib_signed(app, alice_token, "GET", ODD_URL)
    shown, page = debugger(owner, app, "GET", signed)
    assert "The signatures match." in shown["verdict"] and "previous" not in shown["verdict"]
    assert "Signed with this app’s current secret" in page


def test_a_timestamp_outside_the_window_says_the_server_would_refuse_it(owner, app, alice_token):
    two_hours_ago = str(int(time.time()) - 7200)
    signed = sign("GET", "/v2/products", app, token=alice_token, timestamp=two_hours_ago, origin="https://testserver")

    shown, page = debugger(owner, app, "GET", signed)
    assert "The signatures match." in shown["verdict"]  # the signature is good...
    assert f"The server would still refuse the request: {STALE}" in html.unescape(re.sub(r"\s+", " ", shown["verdict"]))
    refusal = re.sub(r"<[^>]+>|\s+", " ", re.search(r'id="debug-server-refusal">(.*?)</div>', page, re.S).group(1))
    assert "The server would refuse this request even so" in refusal and STALE in html.unescape(refusal)
    assert refusals(page) == [f"“{STALE}” Sign it again with the current time (oauth_timestamp in seconds since "
                              "1970, UTC) and a new oauth_nonce."]

    refused = send(owner, "GET", signed)  # ...and the server refuses it, in the same words
    assert refused.status_code == 401 and refused.json()["additional"] == STALE


def test_a_timestamp_within_the_window_says_nothing_more(owner, app, alice_token):
    signed = sign("GET", "/v2/products", app, token=alice_token, origin="https://testserver",
                  timestamp=str(int(time.time()) - 60))
    shown, page = debugger(owner, app, "GET", signed)
    assert "The signatures match." in shown["verdict"] and "refuse" not in shown["verdict"]
    assert 'id="debug-server-refusal"' not in page


@pytest.mark.parametrize("url", [
    "http://[::1/v2/products",  # an IPv6 host never closed
    "https://testserver:99999/v2/products",  # a port out of range
    "https://testserver:http/v2/products",  # a port that is no number
    "/v2/products",  # no scheme, no host
    "ftp://testserver/v2/products",
])
def test_a_url_it_cannot_read_is_a_form_error_never_a_500(owner, app, alice_token, settings, url):
    settings.DEBUG = False
    signed = sign("GET", "/v2/products", app, token=alice_token, origin="https://testserver")
    owner.raise_request_exception = False  # a 500 is an answer here, not an exception in the test
    page = owner.post(f"/apps/{app.pk}/", {"method": "GET", "url": url, "authorization": signed[1]["Authorization"]})
    assert page.status_code == 200
    text = page.content.decode()
    assert 'id="verdict"' not in text
    assert ("This URL cannot be read" in text) or ("Enter the full URL with http:// or https://" in text)


# --- What the server would refuse beyond the signature: the debugger asks the server's own rules ------


def refusals(page):
    """The debugger's list of what the server would refuse, each line in words, tags gone."""
    found = re.search(r'<ul id="debug-server-refusals">(.*?)</ul>', page, re.S)
    if found is None:
        return []
    return [html.unescape(re.sub(r"<[^>]+>|\s+", " ", item)).strip()
            for item in re.findall(r"<li>(.*?)</li>", found.group(1), re.S)]


def test_a_nonce_the_server_accepted_is_flagged_as_used(owner, app, alice_token):
    signed = sign("GET", "/v2/products", app, token=alice_token, origin="https://testserver")
    assert send(owner, "GET", signed).status_code == 200

    shown, page = debugger(owner, app, "GET", signed)
    assert "The signatures match." in shown["verdict"]
    verdict = html.unescape(re.sub(r"\s+", " ", shown["verdict"]))
    assert f"The server would still refuse the request: {REPLAYED}" in verdict
    (line,) = refusals(page)
    assert line.startswith(f"“{REPLAYED}”") and "each request needs a new one" in line

    refused = send(owner, "GET", signed)  # the server agrees, in the same words
    assert refused.status_code == 401 and refused.json()["additional"] == REPLAYED


def test_the_debugger_does_not_use_up_the_nonce(owner, app, alice_token):
    signed = sign("GET", "/v2/products", app, token=alice_token, origin="https://testserver")
    for _ in range(2):  # checked, and checked again
        shown, page = debugger(owner, app, "GET", signed)
        assert "The signatures match." in shown["verdict"] and refusals(page) == []
        assert 'id="debug-server-refusal"' not in page

    assert send(owner, "GET", signed).status_code == 200  # then sent for real: still accepted


def test_the_nonce_of_a_token_request_is_looked_at_too(owner, app):
    signed = sign("POST", "/oauth/request_token", app, callback="oob", origin="https://testserver")
    _, page = debugger(owner, app, "POST", signed)
    assert refusals(page) == []
    assert send(owner, "POST", signed).status_code == 200
    _, page = debugger(owner, app, "POST", signed)
    assert [line.split("”")[0] for line in refusals(page)] == [f"“{REPLAYED}"]


def test_an_access_token_of_another_app_is_flagged(owner, app, alice):
    other_app = make_consumer(make_user("other-developer"), name="Other")
    others_token = make_access_token(other_app, alice)
    signed = sign("GET", "/v2/products", app, token=others_token, origin="https://testserver")

    shown, page = debugger(owner, app, "GET", signed)
    assert "The signatures differ." in shown["verdict"]  # this app has no such token: its secret is not used
    (line,) = refusals(page)
    assert line.startswith(f"“{INVALID}”") and "access token of another app" in line
    assert "Other" not in line and others_token.secret not in page  # which app, and its secret, are not said

    refused = send(owner, "GET", signed)
    assert refused.status_code == 401 and refused.json()["additional"] == INVALID


@pytest.mark.parametrize(("token_of", "said"), [
    ("revoked", "This access token was revoked"),
    ("unknown", "No token has this oauth_token"),
    ("request", "This is a request token: API requests are signed with the access token"),
])
def test_a_token_the_server_would_not_take_for_an_api_request_is_flagged(owner, app, alice_token, token_of, said):
    if token_of == "revoked":
        access_token_revoke(access_token=alice_token)
        token = alice_token
    elif token_of == "unknown":
        token = SimpleNamespace(key="u" * 40, secret="s" * 40)
    else:
        token = make_request_token(app)
    signed = sign("GET", "/v2/products", app, token=token, origin="https://testserver")

    _, page = debugger(owner, app, "GET", signed)
    (line,) = refusals(page)
    assert line.startswith(f"“{INVALID}”") and said in line
    refused = send(owner, "GET", signed)
    assert refused.status_code == 401 and refused.json()["additional"] == INVALID


def test_an_expired_or_used_request_token_at_the_access_token_endpoint_is_flagged(owner, app, alice):
    expired = make_request_token(app, authorized_by=alice)
    RequestToken.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    signed = sign("POST", "/oauth/access_token", app, token=expired, verifier=expired.verifier,
                  origin="https://testserver")
    _, page = debugger(owner, app, "POST", signed)
    (line,) = refusals(page)
    assert line.startswith(f"“{INVALID}”") and "This request token has expired" in line
    assert send(owner, "POST", signed).status_code == 401

    live = make_request_token(app, authorized_by=alice)
    signed = sign("POST", "/oauth/access_token", app, token=live, verifier=live.verifier, origin="https://testserver")
    _, page = debugger(owner, app, "POST", signed)
    assert refusals(page) == []  # the request token it takes, live: nothing to say
    assert send(owner, "POST", signed).status_code == 200
    signed = sign("POST", "/oauth/access_token", app, token=live, verifier=live.verifier, origin="https://testserver")
    _, page = debugger(owner, app, "POST", signed)
    assert any("already exchanged" in line for line in refusals(page))


def test_plaintext_over_plain_http_is_flagged_as_the_server_refuses_it(owner, app, alice_token):
    signed = sign("GET", "/v2/products", app, token=alice_token, signature_method=SIGNATURE_PLAINTEXT)
    assert signed[0].startswith("http://")

    shown, page = debugger(owner, app, "GET", signed)
    assert "The signatures match." in shown["verdict"]
    (line,) = refusals(page)
    assert line.startswith(f"“{PLAINTEXT_OVER_HTTP}”") and "use an https:// URL" in line

    refused = send(owner, "GET", signed, secure=False)
    assert refused.status_code == 400 and refused.json()["additional"] == PLAINTEXT_OVER_HTTP
    over_https = sign("GET", "/v2/products", app, token=alice_token, signature_method=SIGNATURE_PLAINTEXT,
                      origin="https://testserver")
    _, page = debugger(owner, app, "GET", over_https)
    assert refusals(page) == []


@pytest.mark.parametrize("method", ["RSA-SHA1", "HMAC-SHA256"])
def test_a_signature_method_the_server_does_not_accept_is_said_in_its_words(owner, app, alice_token, method):
    url, headers, body = sign("GET", "/v2/products", app, token=alice_token, origin="https://testserver")
    headers = {**headers, "Authorization": headers["Authorization"].replace(
        'oauth_signature_method="HMAC-SHA1"', f'oauth_signature_method="{method}"')}

    page = owner.post(f"/apps/{app.pk}/", {"method": "GET", "url": url, "authorization": headers["Authorization"]})
    assert page.status_code == 200
    problem = html.unescape(re.search(r'id="debug-problem"><p>(.*?)</p>', page.content.decode(), re.S).group(1))
    refused = send(owner, "GET", (url, headers, body))
    assert refused.status_code == 400 and refused.json()["additional"] == problem
    assert method in problem and "use HMAC-SHA1 or PLAINTEXT" in problem


def test_several_refusals_are_listed_in_the_servers_order_and_it_answers_the_first(owner, app, alice_token):
    two_hours_ago = str(int(time.time()) - 7200)
    signed = sign("GET", "/v2/products", app, token=SimpleNamespace(key="u" * 40, secret="s" * 40),
                  timestamp=two_hours_ago, origin="https://testserver")
    _, page = debugger(owner, app, "GET", signed)
    assert [line.split("”")[0] for line in refusals(page)] == [f"“{STALE}", f"“{INVALID}"]
    assert send(owner, "GET", signed).json()["additional"] == STALE


@pytest.mark.parametrize(("url", "authorization", "body"), [
    ("https://testserver/v2/products", 'OAuth oauth_consumer_key="%zz"', ""),
    ("https://testserver/v2/products", 'OAuth oauth_consumer_key="abc', ""),
    ("https://testserver/v2/products", "OAuth " + ", ".join(f'oauth_{n}="1"' for n in (
        "consumer_key", "token", "signature_method", "signature", "timestamp", "nonce")), ""),
    ("https://testserver/v2/products?oauth_token=%00&oauth_nonce=%FF", "", ""),
    ("https://testserver/v2/products", "", "oauth_consumer_key=%E0%A4%A&oauth_token=x"),
    ("https://testserver/%zz/../v2?oauth_consumer_key=k", "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==", "a=%"),
    ("https://testserver/oauth/access_token", "OAuth realm=\"x\"", "oauth_signature_method=PLAINTEXT"),
])
def test_every_input_answers_with_a_page(owner, app, settings, url, authorization, body):
    settings.DEBUG = False
    owner.raise_request_exception = False
    page = owner.post(f"/apps/{app.pk}/", {"method": "POST", "url": url, "authorization": authorization,
                                           "body": body})
    assert page.status_code == 200


@pytest.mark.parametrize("token_key", ["t" * 40, "\x00" * 20, "ok-" + "é" * 30, "x" * 300])
def test_any_oauth_token_answers_with_a_page(owner, app, settings, token_key):
    settings.DEBUG = False
    owner.raise_request_exception = False
    signed = sign("GET", "/v2/products", app, token=SimpleNamespace(key=token_key, secret="s"),
                  origin="https://testserver")
    url, headers, _ = signed
    page = owner.post(f"/apps/{app.pk}/", {"method": "GET", "url": url, "authorization": headers["Authorization"]})
    assert page.status_code == 200
