"""A real deployment: nginx from Debian terminating TLS in front of two gunicorn instances (DEBUG off,
production settings) sharing one PostgreSQL database and one Redis, all started by the test on spare ports.

Everything here goes over https through nginx, as a client on the internet would, unless it says otherwise.
"""
import html
import re
import shutil
import tempfile
import time
from collections import Counter
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
import requests
from oauthlib.oauth1 import Client
from requests_oauthlib import OAuth1, OAuth1Session

from deploy.stack import stack_running
from tests.deployment.conftest import (
    FAILED_LOGIN_LIMIT,
    FAILED_LOGIN_LIMIT_PER_ADDRESS,
    RATE_BUDGET,
    WORKERS_PER_INSTANCE,
    stack_client,
)
from tests.factories import ALICE_PASSWORD, CALLBACK, basic_header, make_bearer_token, make_consumer
from tests.oauth1.browser import CSRF, NEXT, REQUEST_TOKEN
from tests.scraped import by, samples
from tests.servers import free_port, redis_server

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]

def upstream(response):
    return response.headers["X-Stack-Upstream"]


def instances(stack):
    return {urlsplit(url).netloc for url in stack.instance_urls}


def oauth1(app, token, signature_method="HMAC-SHA1"):
    return OAuth1(app.client_key, app.client_secret, token.key, token.secret, signature_method=signature_method)


def approve(browser, base_url, authorize_url, username, password):
    """A person at a browser: opens the authorize page, signs in when asked, presses Authorize; the answer,
    unredirected. A browser sends `Origin` with each form over https, and Django's CSRF check wants it."""
    origin = {"Origin": base_url}
    page = browser.get(authorize_url)
    assert urlsplit(page.url).path == "/login", page.url
    page = browser.post(page.url, headers=origin, data={
        "username": username, "password": password, "csrfmiddlewaretoken": CSRF.search(page.text).group(1),
        "next": html.unescape(NEXT.search(page.text).group(1)),
    })
    assert page.status_code == 200 and page.url.startswith(f"{base_url}/oauth/authorize"), page.text
    return browser.post(f"{base_url}/oauth/authorize", headers=origin, allow_redirects=False, data={
        "csrfmiddlewaretoken": CSRF.search(page.text).group(1),
        "oauth_token": REQUEST_TOKEN.search(page.text).group(1),
        "decision": "authorize",
    })


# --- The topology -----------------------------------------------------------------------------------------


def test_nginx_serves_https_from_both_instances_in_turn(stack, client_at):
    https = client_at()
    answers = [https.get(f"{stack.https_url}/v2/status") for _ in range(4)]
    assert [answer.status_code for answer in answers] == [200] * 4
    assert {upstream(answer) for answer in answers} == instances(stack)
    assert upstream(answers[0]) != upstream(answers[1])
    assert "max-age=" in answers[0].headers["Strict-Transport-Security"]  # DEBUG off: production settings


def test_the_request_id_is_nginxs_never_one_a_client_wrote(stack, client_at):
    """The service keeps a trusted proxy's X-Request-ID: so nginx sets its own, and a client cannot choose
    the ID its request goes by in the logs."""
    answer = client_at().get(f"{stack.https_url}/v2/status", headers={"X-Request-ID": "chosen-by-the-client"})
    assert answer.status_code == 200
    assert answer.headers["X-Request-ID"] != "chosen-by-the-client"
    assert re.fullmatch(r"[0-9a-f]{32}", answer.headers["X-Request-ID"])  # nginx's $request_id


# --- OAuth 1.0a over https ---------------------------------------------------------------------------------


def test_three_legged_flow_then_signed_calls_with_hmac_sha1_and_plaintext(stack, client_at, app, alice):
    base = stack.https_url
    oauth = stack_client(OAuth1Session(app.client_key, client_secret=app.client_secret, callback_uri=CALLBACK), stack)
    assert oauth.fetch_request_token(f"{base}/oauth/request_token")["oauth_callback_confirmed"] == "true"

    answer = approve(client_at(), base, oauth.authorization_url(f"{base}/oauth/authorize"), "alice", ALICE_PASSWORD)
    assert answer.status_code == 302 and answer.headers["Location"].startswith(CALLBACK + "?oauth_token=")
    oauth.parse_authorization_response(answer.headers["Location"])
    access = oauth.fetch_access_token(f"{base}/oauth/access_token")
    token = SimpleNamespace(key=access["oauth_token"], secret=access["oauth_token_secret"])

    https = client_at()
    created = https.post(f"{base}/v2/products", data={"name": "Lamp", "price": "12.50"}, auth=oauth1(app, token))
    assert created.status_code == 201, created.text
    listed = https.get(f"{base}/v2/products", auth=oauth1(app, token))
    assert [product["name"] for product in listed.json()["results"]] == ["Lamp"]
    # PLAINTEXT is allowed over https; the instances know the request is https only from nginx's header.
    root = https.get(f"{base}/v2", auth=oauth1(app, token, "PLAINTEXT"))
    assert root.status_code == 200, root.text
    assert root.json()["account"]["username"] == "alice"
    assert {upstream(created), upstream(listed)} == instances(stack)


def test_plaintext_over_plain_http_is_never_served(stack, client_at, app, alice_token):
    plaintext = oauth1(app, alice_token, "PLAINTEXT")
    http = client_at()
    through_nginx = http.get(f"{stack.http_url}/v2/products", auth=plaintext, allow_redirects=False)
    direct = http.get(f"{stack.instance_urls[0]}/v2/products", auth=plaintext, allow_redirects=False)
    for answer in (through_nginx, direct):
        assert answer.status_code == 301, answer.text
        assert answer.headers["Location"].startswith("https://")
        assert "results" not in answer.text
    # The same credentials over https are good: only the channel was refused.
    assert http.get(f"{stack.https_url}/v2/products", auth=plaintext).status_code == 200


def test_a_nonce_is_accepted_once_across_both_instances(stack, client_at, app, alice_token):
    signer = Client(app.client_key, client_secret=app.client_secret, resource_owner_key=alice_token.key,
                    resource_owner_secret=alice_token.secret)
    uri, headers, _ = signer.sign(f"{stack.https_url}/v2", "GET")
    https = client_at()
    first, replay = https.get(uri, headers=headers), https.get(uri, headers=headers)
    assert upstream(first) != upstream(replay)  # round robin: the replay reaches the other instance
    assert (first.status_code, replay.status_code) == (200, 401), replay.text
    assert replay.json()["message"] == "Could not authenticate:"


def test_a_lock_is_seen_by_both_instances_on_the_next_request(stack, client_at, app, alice, alice_token):
    https = client_at()
    before = [https.get(f"{stack.https_url}/v2", auth=oauth1(app, alice_token)) for _ in range(2)]
    assert [answer.status_code for answer in before] == [200, 200]

    locked = stack.manage("suspend", "alice", "--billing", "--note", "deployment test")
    assert "locked" in locked.stdout, locked.stdout + locked.stderr

    after = [https.get(f"{stack.https_url}/v2", auth=oauth1(app, alice_token)) for _ in range(2)]
    assert {upstream(answer) for answer in after} == instances(stack)
    for answer in after:
        assert answer.status_code == 403
        assert answer.json()["message"] == "No API Access"
        assert answer.json()["reference"] == f"{stack.https_url}/billing"  # nginx passed the host and https on


def test_both_instances_spend_one_rate_budget(stack, client_at, app, alice_token):
    """One budget, not one per instance: as on one instance's workers, a count travels with a worker's next
    read of the shared store, so the workers together may let through one request more each, no more."""
    https = client_at()
    answers = [https.get(f"{stack.https_url}/v2", auth=oauth1(app, alice_token)) for _ in range(2 * RATE_BUDGET)]
    statuses = [answer.status_code for answer in answers]
    served = statuses.count(200)
    assert statuses == [200] * served + [429] * (2 * RATE_BUDGET - served)
    workers = len(stack.instance_urls) * WORKERS_PER_INSTANCE
    assert RATE_BUDGET <= served <= RATE_BUDGET + workers, statuses
    # One count, either instance: the n-th request reads the n-1 before it, less at most one owed by each
    # other worker (one budget per instance would leave twice as much).
    remaining = [int(answer.headers["X-RateLimit-Remaining"]) for answer in answers[:served]]
    assert all(max(0, RATE_BUDGET - 1 - n) <= left <= max(0, RATE_BUDGET - 1 - n + workers - 1)
               for n, left in enumerate(remaining)), remaining
    assert {upstream(answer) for answer in answers[:served]} == instances(stack)
    assert answers[-1].json()["message"] == "Too many requests" and "Retry-After" in answers[-1].headers


# --- Failed passwords, with the client address nginx writes in X-Forwarded-For -----------------------------


def basic(username, password, client_key):
    return {"Authorization": basic_header(username, password), "X-Client-Key": client_key}


def guess_until_refused(stack, guesser, username, client_key, limit):
    answers = [guesser.get(f"{stack.https_url}/v2", headers=basic(username, f"guess {n}", client_key))
               for n in range(limit + 1)]
    return [answer.status_code for answer in answers], answers[-1]


def test_a_guesser_is_refused_after_the_limit(stack, client_at, person):
    owner = person("owner", "the owner's passphrase")
    key = make_consumer(owner).client_key
    statuses, refused = guess_until_refused(stack, client_at("127.0.0.2"), "owner", key, FAILED_LOGIN_LIMIT)
    assert statuses == [401] * FAILED_LOGIN_LIMIT + [429]
    assert refused.json()["message"] == "Too many requests" and int(refused.headers["Retry-After"]) > 0


def test_the_owner_at_another_address_still_gets_in(stack, client_at, person):
    owner = person("owner", "the owner's passphrase")
    key = make_consumer(owner).client_key
    statuses, _ = guess_until_refused(stack, client_at("127.0.0.2"), "owner", key, FAILED_LOGIN_LIMIT)
    assert statuses[-1] == 429

    at_home = client_at("127.0.0.3")
    api = at_home.get(f"{stack.https_url}/v2", headers=basic("owner", "the owner's passphrase", key))
    assert api.status_code == 200, api.text
    page = at_home.get(f"{stack.https_url}/login")
    signed_in = at_home.post(f"{stack.https_url}/login", allow_redirects=False, headers={"Origin": stack.https_url},
                             data={"username": "owner", "password": "the owner's passphrase",
                                   "csrfmiddlewaretoken": CSRF.search(page.text).group(1)})
    assert signed_in.status_code == 302, signed_in.text


def test_a_client_written_x_forwarded_for_is_not_believed(stack, client_at, person):
    """Each guess names a new address in its own X-Forwarded-For; nginx appends the real one, and that is
    the one counted: the guesser's address runs out, while everyone else's does not."""
    users = [person(f"user{n}", f"passphrase {n}") for n in range(FAILED_LOGIN_LIMIT_PER_ADDRESS + 1)]
    keys = [make_consumer(user).client_key for user in users]
    guesser = client_at("127.0.0.4")
    statuses = [
        guesser.get(f"{stack.https_url}/v2", headers={
            **basic(user.username, "wrong", key), "X-Forwarded-For": f"198.51.100.{n + 1}"}).status_code
        for n, (user, key) in enumerate(zip(users, keys, strict=True))
    ]
    assert statuses == [401] * FAILED_LOGIN_LIMIT_PER_ADDRESS + [429]

    # The last user was refused with the guesser's address; from another address she is fine.
    last, passphrase = users[-1], f"passphrase {len(users) - 1}"
    answer = client_at("127.0.0.5").get(f"{stack.https_url}/v2", headers=basic(last.username, passphrase, keys[-1]))
    assert answer.status_code == 200, answer.text


# --- Metrics: Prometheus scrapes each instance's /metrics ---------------------------------------------------

REQUESTS = "apiplatform_requests_total"
PROMETHEUS_WAIT_SECONDS = 30


def needs_prometheus(stack):
    if stack.prometheus_url is None:
        pytest.skip("Prometheus is not installed: `make prometheus` or `apt-get install prometheus`")


def instance_counts(stack, session):
    """The API's request counts read from each instance's /metrics directly (loopback may read them):
    {(instance, scheme, outcome, reason): count}."""
    counts = Counter()
    for url in stack.instance_urls:
        answer = session.get(f"{url}/metrics")
        assert answer.status_code == 200, answer.text
        for key, count in by(samples(answer.text), REQUESTS, "scheme", "outcome", "reason", group="api").items():
            counts[(urlsplit(url).netloc, *key)] += count
    return counts


def prometheus_query(stack, session, query):
    """{labels as a sorted tuple of (name, value): value} of an instant query to Prometheus's HTTP API."""
    answer = session.get(f"{stack.prometheus_url}/api/v1/query", params={"query": query})
    assert answer.status_code == 200 and answer.json()["status"] == "success", answer.text
    return {tuple(sorted(result["metric"].items())): float(result["value"][1])
            for result in answer.json()["data"]["result"]}


def eventually(read, until):
    """`read()` again until `until(value)` holds (Prometheus scrapes every second); the last value."""
    deadline = time.monotonic() + PROMETHEUS_WAIT_SECONDS
    while True:
        value = read()
        if until(value) or time.monotonic() > deadline:
            return value
        time.sleep(0.5)


def test_prometheus_counts_requests_by_scheme_and_outcome_from_both_instances(stack, client_at, app, alice,
                                                                            alice_token):
    needs_prometheus(stack)
    https = client_at()
    own_key = make_consumer(alice).client_key
    bearer = make_bearer_token(app, alice).value
    kinds = [
        (("basic", "served", ""), 200, {"headers": basic("alice", ALICE_PASSWORD, own_key)}),
        (("basic", "refused", "invalid_credentials"), 401, {"headers": basic("alice", "a guess", own_key)}),
        (("oauth1", "served", ""), 200, {"auth": oauth1(app, alice_token)}),
        (("oauth1", "refused", "invalid_credentials"), 401,
         {"auth": OAuth1(app.client_key, "not the secret", alice_token.key, alice_token.secret)}),
        (("oauth2", "served", ""), 200, {"headers": {"Authorization": f"Bearer {bearer}"}}),
        (("oauth2", "refused", "invalid_credentials"), 401, {"headers": {"Authorization": "Bearer no-such-token"}}),
        (("none", "refused", "not_authenticated"), 401, {}),
    ]
    before = instance_counts(stack, https)
    sent = Counter()
    for key, status, arguments in kinds:
        for _ in range(2):  # round robin: one to each instance
            answer = https.get(f"{stack.https_url}/v2", **arguments)
            assert answer.status_code == status, answer.text
            sent[(upstream(answer), *key)] += 1
    for key, _, _ in kinds:
        assert {instance for (instance, *counted) in sent if tuple(counted) == key} == instances(stack), key

    def in_prometheus():
        query = f'sum by (instance, scheme, outcome, reason) ({REQUESTS}{{group="api"}})'
        found = {tuple(dict(labels).get(name, "") for name in ("instance", "scheme", "outcome", "reason")): value
                 for labels, value in prometheus_query(stack, https, query).items()}
        return {key: found.get(key, 0) for key in sent}

    expected = {key: before[key] + count for key, count in sent.items()}
    assert eventually(in_prometheus, lambda found: found == expected) == expected


def test_a_store_outage_shows_in_prometheus_as_errors_and_fallbacks(stack, alice):
    """A stack of its own on a private Redis (the suite's is never stopped), which then stops: requests go
    on from the database, and Prometheus sees each instance's failed calls and fallbacks."""
    needs_prometheus(stack)
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed: `make redis`")
    own_key = make_consumer(alice).client_key
    port = free_port()
    private_redis = redis_server(port)
    directory = Path(tempfile.mkdtemp(prefix="api-stack-outage-"))
    try:
        env = {**stack.env, "REDIS_URL": f"redis://127.0.0.1:{port}/0"}
        with stack_running(directory, env, workers=1) as outage:
            https = stack_client(requests.Session(), outage)

            def statuses(n):
                headers = basic("alice", ALICE_PASSWORD, own_key)
                return [https.get(f"{outage.https_url}/v2", headers=headers).status_code for _ in range(n)]

            assert statuses(2) == [200, 200]
            private_redis.terminate()
            private_redis.wait(timeout=10)
            assert statuses(4) == [200] * 4  # from the database, two on each instance

            def per_instance(metric):
                query = f"sum by (instance) ({metric})"
                found = prometheus_query(outage, https, query)
                return {dict(labels)["instance"]: value for labels, value in found.items()}

            def seen():
                return {"errors": per_instance('apiplatform_store_errors_total{operation="read"}'),
                        "read fallbacks": per_instance('apiplatform_store_fallbacks_total{operation="read"}'),
                        "count fallbacks": per_instance('apiplatform_store_fallbacks_total{operation="count"}')}

            every_instance = instances(outage)
            found = eventually(seen, lambda found: all(
                set(counts) == every_instance and all(value >= 2 for value in counts.values())
                for counts in found.values()))
            assert all(set(counts) == every_instance and min(counts.values()) >= 2 for counts in found.values()), found
    finally:
        if private_redis.poll() is None:
            private_redis.terminate()
            private_redis.wait(timeout=10)
        shutil.rmtree(directory, ignore_errors=True)
