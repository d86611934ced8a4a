"""`/metrics` (`apiv2.metrics_view`): Prometheus's text for the configured networks (the client-address
rule's address) and the holder of the metrics token; for anyone else the very 404 of a URL that does not
exist."""
from ipaddress import ip_network

import pytest

OUTSIDE = "203.0.113.9"
TOKEN = "a-metrics-token-of-at-least-32-characters"

pytestmark = pytest.mark.django_db


def metrics(client, address="127.0.0.1", **headers):
    return client.get("/metrics", REMOTE_ADDR=address, **headers)


def assert_like_a_missing_page(client, answer, address):
    missing = client.get("/no-such-page", REMOTE_ADDR=address)
    assert (answer.status_code, answer["Content-Type"]) == (404, missing["Content-Type"])
    assert answer.content == missing.content.replace(b"/no-such-page", b"/metrics")
    assert b"apiplatform_" not in answer.content


def test_loopback_reads_the_metrics_in_prometheus_text_format(client):
    answer = metrics(client)
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("text/plain; version=0.0.4")
    assert answer["Cache-Control"] == "no-store"
    text = answer.content.decode()
    for name, kind in (("apiplatform_requests_total", "counter"), ("apiplatform_request_duration_seconds", "histogram"),
                       ("apiplatform_store_round_trip_seconds", "histogram"),
                       ("apiplatform_tokens_issued_total", "counter")):
        assert f"# TYPE {name} {kind}" in text.splitlines(), name


def test_another_address_gets_the_404_of_a_page_that_does_not_exist(client):
    assert_like_a_missing_page(client, metrics(client, OUTSIDE), OUTSIDE)


def test_the_token_lets_any_address_read_them(client, settings):
    settings.METRICS_TOKEN = TOKEN
    assert metrics(client, OUTSIDE, HTTP_AUTHORIZATION=f"Bearer {TOKEN}").status_code == 200
    for wrong in (f"Bearer {TOKEN[:-1]}", f"Bearer {TOKEN}x", f"Basic {TOKEN}", TOKEN, "Bearer"):
        assert_like_a_missing_page(client, metrics(client, OUTSIDE, HTTP_AUTHORIZATION=wrong), OUTSIDE)


def test_without_a_configured_token_no_bearer_gets_in(client, settings):
    settings.METRICS_TOKEN = ""
    assert metrics(client, OUTSIDE, HTTP_AUTHORIZATION="Bearer ").status_code == 404
    assert metrics(client, OUTSIDE, HTTP_AUTHORIZATION="Bearer x").status_code == 404


def test_the_configured_networks_replace_loopback(client, settings):
    settings.METRICS_ALLOWED_NETWORKS = (ip_network("203.0.113.0/24"), ip_network("2001:db8::/32"))
    assert metrics(client, OUTSIDE).status_code == 200
    assert metrics(client, "2001:db8::7").status_code == 200
    assert metrics(client, "127.0.0.1").status_code == 404
    assert metrics(client, "198.51.100.1").status_code == 404


def test_loopback_over_a_dual_stack_socket_is_loopback(client):
    assert metrics(client, "::ffff:127.0.0.1").status_code == 200
    assert metrics(client, "::1").status_code == 200


def test_behind_a_proxy_the_client_address_is_the_one_the_proxy_saw(client, settings):
    """nginx on loopback forwards everyone: the address that counts is the one it appends."""
    settings.TRUSTED_PROXIES = 1
    forwarded = metrics(client, "127.0.0.1", HTTP_X_FORWARDED_FOR=OUTSIDE)
    assert forwarded.status_code == 404
    assert metrics(client, "127.0.0.1", HTTP_X_FORWARDED_FOR=f"{OUTSIDE}, 127.0.0.1").status_code == 200
    # A client's own X-Forwarded-For is not believed without a proxy in front.
    settings.TRUSTED_PROXIES = 0
    assert metrics(client, OUTSIDE, HTTP_X_FORWARDED_FOR="127.0.0.1").status_code == 404


def test_a_host_not_served_is_refused_as_for_any_url(client):
    answer = client.get("/metrics", HTTP_HOST="attacker.example", REMOTE_ADDR="127.0.0.1")
    assert answer.status_code == 400
    assert b"apiplatform_" not in answer.content
