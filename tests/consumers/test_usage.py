"""An app's usage page (`consumers.usage`, `consumers.views.ConsumerUsageView`): requests sent through the
API with each scheme, served and refused, then the page shows them counted by outcome and lists the
refusals, with no credential kept. On the database fallback, and on Redis when REDIS_URL is set."""
import re
from datetime import timedelta
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.utils import timezone

from access.store.usage import refusal_note
from tests.factories import basic_header, make_bearer_token, make_consumer, make_user
from tests.oauth1.signing import signed_send
from tests.redis_commands import store_client, stored_keys
from tests.servers import free_port

SECRET_QUERY = "query-value-never-kept"


def basic(client, key, password, path="/v2/products", **extra):
    return client.get(path, HTTP_AUTHORIZATION=basic_header("Aladdin", password), HTTP_X_CLIENT_KEY=key, **extra)


def usage_page(client, user, consumer):
    client.force_login(user)
    response = client.get(f"/apps/{consumer.pk}/usage")
    client.logout()
    assert response.status_code == 200
    return response.content.decode()


def today_row(page):
    """{column heading: cell} of the table's first row (today, the newest)."""
    table = page[page.index('id="usage-table"'):]
    headings = [re.sub(r"<[^>]+>", "", cell).strip()
                for cell in re.findall(r'<th scope="col">(.*?)</th>', table[:table.index("</thead>")], re.S)]
    row = re.search(r"<tr><th scope=\"row\">(.*?)</th>(.*?)</tr>", table, re.S)
    cells = [row.group(1)] + [re.sub(r"<[^>]+>", "", cell).strip()
                              for cell in re.findall(r"<td>(.*?)</td>", row.group(2))]
    return dict(zip(headings, cells, strict=True))


def refusal_rows(page):
    """[(method, path, scheme, reason, address)] of the recent refusals, newest first."""
    if 'id="refusals-table"' not in page:
        return []
    table = page[page.index('id="refusals-table"'):page.index("</table>", page.index('id="refusals-table"'))]
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>", 1)[1], re.S):
        cells = [unescape(re.sub(r"<[^>]+>", "", cell)).split("Check")[0].strip()
                 for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        rows.append(tuple(cells[1:]))
    return rows


def test_the_page_counts_each_outcome_and_lists_the_refusals(client, aladdin, aladdin_key, password, rates):
    rates(client_key="4/hour", account="100/hour")
    key = aladdin_key.client_key
    assert [basic(client, key, password).status_code for _ in range(3)] == [200, 200, 200]
    assert basic(client, key, "wrong password").status_code == 401
    assert basic(client, key, password, path="/v2/products/999999").status_code == 404  # counted, then refused
    assert basic(client, key, password).status_code == 429
    page = usage_page(client, aladdin, aladdin_key)
    row = today_row(page)
    assert row["Served"] == "3"
    assert row["Refused: invalid_credentials"] == "1" and row["Refused: not_found"] == "1"
    assert row["Rate-limited: rate_limited"] == "1"
    assert refusal_rows(page) == [
        ("GET", "/v2/products", "basic", "rate_limited", "127.0.0.1"),
        ("GET", "/v2/products/999999", "basic", "not_found", "127.0.0.1"),
        ("GET", "/v2/products", "basic", "invalid_credentials", "127.0.0.1"),
    ]
    assert '<a href="/docs/errors/invalid_credentials"><code>invalid_credentials</code></a>' in page
    assert "<svg" in page and 'class="usage-served"' in page and "style=" not in page.split("<svg", 1)[1]
    again = usage_page(client, aladdin, aladdin_key)  # a reload changes nothing
    assert cards(again) == cards(page)


def cards(page):
    return page[page.index('<div class="card" id="usage">'):page.index("</main>")]


def test_a_bad_signature_links_to_the_debugger_with_its_method_and_url(client, developer, app, alice_token):
    assert signed_send(client, "GET", "/v2/products", app, token=alice_token).status_code == 200
    bad = signed_send(client, "GET", f"/v2/products?page=1&secret={SECRET_QUERY}", app, token=alice_token,
                      consumer_secret="not the secret")
    assert bad.status_code == 401
    page = usage_page(client, developer, app)
    assert today_row(page)["Served"] == "1"
    assert refusal_rows(page) == [("GET", "/v2/products", "oauth1", "invalid_credentials", "127.0.0.1")]
    link = unescape(re.search(r'class="debug-link" href="([^"]+)"', page).group(1))
    parts = urlsplit(link)
    assert parts.path == f"/apps/{app.pk}/" and parts.fragment == "signature-debugger"
    assert parse_qs(parts.query) == {"method": ["GET"], "url": ["http://testserver/v2/products"]}
    client.force_login(developer)
    debugger = client.get(link).content.decode()
    assert 'value="http://testserver/v2/products"' in debugger
    assert re.search(r'<option value="GET" selected>', debugger)


def test_bearer_refusals_are_noted_on_the_tokens_app_expired_tokens_included(client, developer, app, alice):
    live = make_bearer_token(app, alice, scopes=["account:read"])
    expired = make_bearer_token(app, alice, expires_in=-60)
    assert client.get("/v2", HTTP_AUTHORIZATION=f"Bearer {live.value}").status_code == 200
    assert client.get("/v2/products", HTTP_AUTHORIZATION=f"Bearer {live.value}").status_code == 403  # scope
    assert client.get("/v2/products", HTTP_AUTHORIZATION=f"Bearer {expired.value}").status_code == 401
    page = usage_page(client, developer, app)
    row = today_row(page)
    assert row["Served"] == "1"
    assert row["Refused: insufficient_scope"] == "1" and row["Refused: invalid_credentials"] == "1"
    assert [refusal[2:4] for refusal in refusal_rows(page)] == [("oauth2", "invalid_credentials"),
                                                                 ("oauth2", "insufficient_scope")]
    assert live.value not in page and expired.value not in page


def test_no_secret_is_kept_nor_shown(client, aladdin, aladdin_key, password, app, developer, alice_token):
    """Passwords, signatures, tokens and query values sent with refused requests appear nowhere: not in
    what the store holds, not on the page."""
    wrong_password = "hunter2-wrong-password"
    basic(client, aladdin_key.client_key, wrong_password,
          path=f"/v2/products?password={SECRET_QUERY}&client_key={aladdin_key.client_key}")
    client.get(f"/v2/products?client_key={aladdin_key.client_key}&token={SECRET_QUERY}",
               HTTP_AUTHORIZATION=basic_header("Aladdin", wrong_password))
    bad = signed_send(client, "GET", f"/v2/products?q={SECRET_QUERY}", app, token=alice_token,
                      consumer_secret="not the secret")
    assert bad.status_code == 401
    bearer = make_bearer_token(app, None, expires_in=-60)
    client.get(f"/v2/products?x={SECRET_QUERY}", HTTP_AUTHORIZATION=f"Bearer {bearer.value}")
    secrets = [wrong_password, SECRET_QUERY, alice_token.key, alice_token.secret, app.client_secret, bearer.value,
               basic_header("Aladdin", wrong_password).split()[1], password]
    stored = stored_text()
    page = usage_page(client, aladdin, aladdin_key) + usage_page(client, developer, app)
    assert "invalid_credentials" in stored and page.count("invalid_credentials") >= 4
    for secret in secrets:
        assert secret not in stored and secret not in page, secret


def stored_text():
    """Everything the store holds about usage, as text."""
    if settings.REDIS_URL:
        redis = store_client()
        parts = []
        for key in stored_keys("usage:*"):
            kind = redis.type(key).decode()
            parts.append(str({"string": redis.get, "hash": redis.hgetall,
                              "list": lambda name: redis.lrange(name, 0, -1)}[kind](key)))
        return "\n".join(parts)
    table = settings.CACHES["database"]["LOCATION"]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT cache_key FROM {connection.ops.quote_name(table)} WHERE cache_key LIKE %s",
                       ["%usage:%"])
        keys = [row[0].split(":", 2)[2] for row in cursor.fetchall()]
    return "\n".join(str(value) for value in caches["database"].get_many(keys).values())


def test_a_made_up_client_key_leaves_nothing(client, aladdin, password):
    """Strangers cannot fill the store: a refusal is noted only for a client that exists."""
    for made_up in ["made-up-key-0000000001", "x" * 90, "\u2603"]:
        client.get("/v2/products", HTTP_AUTHORIZATION=basic_header("Aladdin", password), HTTP_X_CLIENT_KEY=made_up)
    client.get("/v2/products", HTTP_AUTHORIZATION="Bearer not-a-token-we-issued")
    client.get("/v2/products", HTTP_AUTHORIZATION="OAuth oauth_consumer_key=\"unknown-key-000001\"")
    assert stored_text() == ""


def test_another_developers_app_is_a_404(client, aladdin_key, developer):
    client.force_login(developer)
    assert client.get(f"/apps/{aladdin_key.pk}/usage").status_code == 404
    own = make_consumer(developer)
    assert client.get(f"/apps/{own.pk}/usage").status_code == 200


def test_nothing_of_one_developers_traffic_shows_on_anothers_page(client, aladdin, aladdin_key, password):
    other = make_user("other-developer")
    other_key = make_consumer(other)
    basic(client, aladdin_key.client_key, "wrong password")
    page = usage_page(client, other, other_key)
    assert refusal_rows(page) == [] and 'id="no-refusals"' in page
    assert today_row(page)["Served"] == "0"


def test_a_store_that_cannot_be_reached_leaves_the_answer_as_it_was(client, aladdin, aladdin_key, password,
                                                                   settings):
    settings.REDIS_URL = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
    settings.SHARED_CACHE_TIMEOUT_SECONDS = 0.05
    assert basic(client, aladdin_key.client_key, "wrong password").status_code == 401
    page = usage_page(client, aladdin, aladdin_key)
    assert 'id="usage-unreadable"' in page


@pytest.mark.parametrize("days_ago, shown", [(6, True), (8, False)])
def test_refusals_older_than_seven_days_are_not_listed(client, aladdin, aladdin_key, days_ago, shown):
    when = (timezone.now() - timedelta(days=days_ago)).timestamp()
    refusal_note(aladdin_key.client_key, reason="invalid_credentials", counted=False, now=when,
                 entry={"method": "GET", "path": "/v2", "scheme": "basic", "address": "192.0.2.1"})
    assert bool(refusal_rows(usage_page(client, aladdin, aladdin_key))) is shown
