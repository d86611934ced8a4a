"""HTTP Basic plus client key: the guide's example over real HTTP, and every Basic row of the error table."""
import pytest
import requests
from django.urls import reverse

from accounts.services import account_suspend
from consumers.services import consumer_revoke
from tests.factories import basic_header, make_consumer, make_user

KEY_MISSING = {
    "status": 400,
    "message": "Must give an app key via X-Client-Key header or client_key query string parameter",
    "additional": "",
    "reference": "",
}


def get_root(client, authorization=None, key=None, query_key=None):
    headers = {}
    if authorization is not None:
        headers["HTTP_AUTHORIZATION"] = authorization
    if key is not None:
        headers["HTTP_X_CLIENT_KEY"] = key
    path = "/v2" if query_key is None else f"/v2?client_key={query_key}"
    return client.get(path, **headers)


# --- The guide's example, over real HTTP --------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_guide_example_with_key_in_header_over_http(live_server, aladdin, aladdin_key):
    response = requests.get(
        f"{live_server.url}/v2",
        headers={"X-Client-Key": aladdin_key.client_key,
                 "Authorization": "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="},
        allow_redirects=False,
    )
    assert response.status_code == 200
    body = response.json()
    assert body["account"] == {"username": "Aladdin", "state": "active"}
    assert body["auth"]["scheme"] == "basic"
    assert sorted(body["scopes"]) == ["account:read", "products:read", "products:write"]


@pytest.mark.django_db(transaction=True)
def test_guide_example_with_key_in_query_over_http(live_server, aladdin, aladdin_key, password):
    response = requests.get(
        f"{live_server.url}/v2/products",
        params={"client_key": aladdin_key.client_key},
        auth=("Aladdin", password),
        allow_redirects=False,
    )
    assert response.status_code == 200
    assert set(response.json()) == {"count", "next", "previous", "results"}


# --- The error table, row by row ----------------------------------------------------------------


def test_basic_without_any_client_key_is_400(client, aladdin, password):
    response = get_root(client, basic_header("Aladdin", password))
    assert response.status_code == 400
    assert response.json() == KEY_MISSING


def test_empty_client_key_counts_as_missing(client, aladdin, password):
    response = get_root(client, basic_header("Aladdin", password), key="", query_key="")
    assert response.json() == KEY_MISSING


@pytest.mark.parametrize("username,password_given", [("Aladdin", "wrong"), ("Nobody", "open sesame")])
def test_bad_credentials_are_one_401_without_a_hint(client, aladdin_key, username, password_given):
    response = get_root(client, basic_header(username, password_given), key=aladdin_key.client_key)
    assert response.status_code == 401
    assert response.json() == {
        "status": 401, "message": "Could not authenticate:", "additional": "Invalid credentials.",
        "reference": "",
    }
    assert response["WWW-Authenticate"].startswith("Basic ")


def test_unknown_client_key_is_403(client, aladdin, password):
    response = get_root(client, basic_header("Aladdin", password), key="no-such-key")
    assert response.status_code == 403
    assert response.json() == {"status": 403, "message": "Invalid client key", "additional": "", "reference": ""}


def test_revoked_client_key_answers_like_an_unknown_one(client, aladdin_key, password):
    consumer_revoke(consumer=aladdin_key)
    response = get_root(client, basic_header("Aladdin", password), key=aladdin_key.client_key)
    assert response.status_code == 403
    assert response.json()["message"] == "Invalid client key"


def test_another_accounts_key_is_refused(client, aladdin, password):
    someone_else = make_user("genie")
    their_key = make_consumer(someone_else)
    response = get_root(client, basic_header("Aladdin", password), key=their_key.client_key)
    assert response.status_code == 403
    assert response.json() == {
        "status": 403, "message": "Client key does not belong to the authenticated account",
        "additional": "", "reference": "",
    }


def test_locked_account_gets_no_api_access_with_a_link_to_pay(client, aladdin, aladdin_key, password):
    account_suspend(user=aladdin, reason="billing")
    response = get_root(client, basic_header("Aladdin", password), key=aladdin_key.client_key)
    assert response.status_code == 403
    assert response.json() == {
        "status": 403,
        "message": "No API Access",
        "additional": "The authenticated account is locked due to an unpaid balance.",
        "reference": f"http://testserver{reverse('billing')}",
    }


def test_disabled_account_gets_api_access_disabled_with_a_contact_link(client, aladdin, aladdin_key, password):
    account_suspend(user=aladdin, reason="terms")
    response = get_root(client, basic_header("Aladdin", password), key=aladdin_key.client_key)
    assert response.status_code == 403
    assert response.json() == {
        "status": 403,
        "message": "API Access is disabled",
        "additional": "API access has been disabled for this user due to API terms violation.",
        "reference": f"http://testserver{reverse('contact')}",
    }


def test_key_without_the_needed_scope_is_refused_naming_the_scope(client, aladdin, password):
    products_only = make_consumer(aladdin, scopes="products:read")
    response = get_root(client, basic_header("Aladdin", password), key=products_only.client_key)
    assert response.status_code == 403
    assert response.json() == {
        "status": 403, "message": "Insufficient scope",
        "additional": "This request needs the 'account:read' scope.", "reference": "",
    }


def test_rate_limit_answers_429_with_retry_after(api, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK,
                               "DEFAULT_THROTTLE_RATES": {"client_key": "2/hour", "account": "100/hour"}}
    assert api.get("/v2").status_code == 200
    assert api.get("/v2").status_code == 200
    response = api.get("/v2")
    assert response.status_code == 429
    body = response.json()
    assert body["status"] == 429 and body["message"] == "Too many requests"
    assert body["additional"].startswith("Retry in ")
    assert 1 <= int(response["Retry-After"]) <= 3600


# --- Key placement and check order --------------------------------------------------------------


def test_header_key_wins_over_query_key(client, aladdin, aladdin_key, password):
    response = get_root(client, basic_header("Aladdin", password), key=aladdin_key.client_key,
                        query_key="no-such-key")
    assert response.status_code == 200


def test_missing_key_is_reported_before_bad_credentials(client, aladdin):
    response = get_root(client, basic_header("Aladdin", "wrong"))
    assert response.status_code == 400


def test_bad_credentials_are_reported_before_a_bad_key(client, aladdin):
    response = get_root(client, basic_header("Aladdin", "wrong"), key="no-such-key")
    assert response.status_code == 401


def test_key_ownership_is_checked_before_account_state(client, aladdin, password):
    account_suspend(user=aladdin, reason="billing")
    their_key = make_consumer(make_user("genie"))
    response = get_root(client, basic_header("Aladdin", password), key=their_key.client_key)
    assert response.json()["message"] == "Client key does not belong to the authenticated account"


def test_account_state_is_checked_before_scope(client, aladdin, password):
    account_suspend(user=aladdin, reason="terms")
    products_only = make_consumer(aladdin, scopes="products:read")
    response = get_root(client, basic_header("Aladdin", password), key=products_only.client_key)
    assert response.json()["message"] == "API Access is disabled"


def test_no_credentials_at_all_is_a_401_with_a_challenge(client, db):
    response = client.get("/v2")
    assert response.status_code == 401
    assert response.json()["message"] == "Could not authenticate:"
    assert 'Basic realm="api"' in response["WWW-Authenticate"]


def test_inactive_django_user_cannot_authenticate(client, aladdin, aladdin_key, password):
    aladdin.is_active = False
    aladdin.save()
    response = get_root(client, basic_header("Aladdin", password), key=aladdin_key.client_key)
    assert response.status_code == 401


# --- Malformed Authorization headers ------------------------------------------------------------


@pytest.mark.parametrize("authorization", [
    "Basic",                                  # no credentials
    "Basic !!!not-base64!!!",                 # not base64
    "Basic QWxhZGRpbg==",                     # "Aladdin": no colon
    "Basic /w==",                             # 0xff: not UTF-8
    "Basic Og==",                             # ":": empty username
    "Basic QWxhZGRpbjpvcGVu IHNlc2FtZQ==",    # stray space splits the token
    "basic",
])
def test_malformed_basic_header_is_a_json_401(client, aladdin_key, authorization):
    response = get_root(client, authorization, key=aladdin_key.client_key)
    assert response.status_code == 401
    body = response.json()
    assert body["message"] == "Could not authenticate:"
    assert set(body) == {"status", "message", "additional", "reference"}


@pytest.mark.parametrize("authorization", ["", "   ", "Bearer abc", "Digest x=y", "\u00e9t\u00e9"])
def test_empty_or_foreign_authorization_is_a_json_401(client, aladdin_key, authorization):
    response = get_root(client, authorization, key=aladdin_key.client_key)
    assert response.status_code == 401
    assert response.json()["status"] == 401
