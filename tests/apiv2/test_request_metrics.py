"""Every answer in the metrics (`apiv2.request_metrics`): counted by route group, scheme, outcome and reason
code, timed by route group; the tokens the token endpoints hand out, by grant type; rate-limit,
failed-password and nonce refusals. Read from `/metrics` over HTTP, as Prometheus reads them, through
Django's test client (the whole middleware stack, one process: the counts are this process's)."""
from tests.factories import ALICE_PASSWORD, basic_header, make_bearer_token, make_consumer, make_request_token
from tests.oauth1.signing import send, sign, signed_send
from tests.scraped import by, grown, samples

REQUESTS = "apiplatform_requests_total"
REQUEST_LABELS = ("group", "scheme", "outcome", "reason", "status")


def scrape(client):
    response = client.get("/metrics")
    assert response.status_code == 200, response.status_code
    return samples(response.content.decode())


def growth(client, traffic, name, *labels):
    """What `traffic()` added to the samples of `name`, by the values of `labels`."""
    before = by(scrape(client), name, *labels)
    traffic()
    return grown(before, by(scrape(client), name, *labels))


def basic_for(user, password, client_key):
    return {"HTTP_AUTHORIZATION": basic_header(user.username, password), "HTTP_X_CLIENT_KEY": client_key}


def test_api_requests_are_counted_by_scheme_and_outcome(client, app, alice, alice_token):
    own_key = make_consumer(alice).client_key
    bearer = make_bearer_token(app, alice).value

    def traffic():
        assert client.get("/v2", **basic_for(alice, ALICE_PASSWORD, own_key)).status_code == 200
        assert client.get("/v2", **basic_for(alice, "not her password", own_key)).status_code == 401
        signed = sign("GET", "/v2", app, token=alice_token)
        assert send(client, "GET", signed).status_code == 200
        assert send(client, "GET", signed).status_code == 401  # its nonce again
        assert client.get("/v2", HTTP_AUTHORIZATION=f"Bearer {bearer}").status_code == 200
        assert client.get("/v2", HTTP_AUTHORIZATION="Bearer no-such-token").status_code == 401
        assert client.get("/v2").status_code == 401
        assert client.get("/v2/products/0", HTTP_AUTHORIZATION=f"Bearer {bearer}").status_code == 404

    assert growth(client, traffic, REQUESTS, *REQUEST_LABELS) == {
        ("api", "basic", "served", "", "200"): 1,
        ("api", "basic", "refused", "invalid_credentials", "401"): 1,
        ("api", "oauth1", "served", "", "200"): 1,
        ("api", "oauth1", "refused", "invalid_credentials", "401"): 1,
        ("api", "oauth2", "served", "", "200"): 1,
        ("api", "oauth2", "refused", "invalid_credentials", "401"): 1,
        ("api", "none", "refused", "not_authenticated", "401"): 1,
        ("api", "oauth2", "refused", "not_found", "404"): 1,
    }


def test_a_refused_request_is_counted_under_the_scheme_it_was_sent_in(client, app, alice, alice_token):
    """Refused before any credentials were taken: the scheme is the one the request's credentials came in,
    OAuth 1.0a's in the header, the query or a form body alike; a refusal of the gate has its own code."""
    someone_elses_key = make_consumer(app.user).client_key

    def traffic():
        assert client.get("/v2", **basic_for(alice, ALICE_PASSWORD, someone_elses_key)).status_code == 403
        for signature_type in ("AUTH_HEADER", "QUERY", "BODY"):
            refused = signed_send(client, "POST", "/v2/products", app, token=alice_token, consumer_secret="wrong",
                                  signature_type=signature_type, params={"name": "Lamp", "price": "1.00"})
            assert refused.status_code == 401, (signature_type, refused.content)

    assert growth(client, traffic, REQUESTS, "scheme", "outcome", "reason") == {
        ("basic", "refused", "client_key_not_owned"): 1,
        ("oauth1", "refused", "invalid_credentials"): 3,
    }


def test_answers_are_timed_by_route_group_and_scrapes_are_not_counted(client, app, token_call):
    def traffic():
        assert client.get("/v2/status").status_code == 200
        assert client.get("/login").status_code == 200
        assert token_call(app, grant_type="client_credentials").status_code == 200

    assert growth(client, traffic, "apiplatform_request_duration_seconds_count", "group") == {
        ("api",): 1, ("pages",): 1, ("token",): 1}


def test_tokens_issued_are_counted_by_grant_type(client, app, alice, token_call):
    def traffic():
        assert token_call(app, grant_type="client_credentials").status_code == 200
        assert token_call(app, secret="not the secret", grant_type="client_credentials").status_code == 401
        request_token = make_request_token(app, authorized_by=alice)
        exchanged = signed_send(client, "POST", "/oauth/access_token", app, token=request_token,
                                verifier=request_token.verifier)
        assert exchanged.status_code == 200, exchanged.content
        again = signed_send(client, "POST", "/oauth/access_token", app, token=request_token,
                            verifier=request_token.verifier)
        assert again.status_code == 401

    assert growth(client, traffic, "apiplatform_tokens_issued_total", "grant_type") == {
        ("client_credentials",): 1, ("oauth1",): 1}


def test_a_rate_limit_refusal_is_counted_with_its_scope(client, aladdin, aladdin_key, password, rates):
    rates(client_key="2/hour", account="100/hour")
    basic = basic_for(aladdin, password, aladdin_key.client_key)
    before = scrape(client)
    assert [client.get("/v2", **basic).status_code for _ in range(3)] == [200, 200, 429]
    after = scrape(client)

    def grew(name, *labels):
        return grown(by(before, name, *labels), by(after, name, *labels))

    assert grew("apiplatform_rate_limit_refusals_total", "scope") == {("client_key",): 1}
    assert grew(REQUESTS, "scheme", "outcome", "reason") == {("basic", "served", ""): 2,
                                                             ("basic", "refused", "rate_limited"): 1}


def test_failed_password_refusals_are_counted(client, aladdin, aladdin_key, password, settings):
    settings.FAILED_LOGIN_LIMIT_PER_USERNAME = 2
    wrong = basic_for(aladdin, "a guess", aladdin_key.client_key)

    def traffic():
        assert [client.get("/v2", **wrong).status_code for _ in range(3)] == [401, 401, 429]
        right = client.get("/v2", **basic_for(aladdin, password, aladdin_key.client_key))
        assert right.status_code == 429  # the owner at this address waits too

    assert growth(client, traffic, "apiplatform_failed_login_refusals_total") == {(): 2}


def test_replayed_nonces_are_counted(client, app, alice_token):
    signed = sign("GET", "/v2", app, token=alice_token)

    def traffic():
        assert [send(client, "GET", signed).status_code for _ in range(3)] == [200, 401, 401]

    assert growth(client, traffic, "apiplatform_nonce_replays_refused_total", "kind") == {("replayed",): 2}
