"""The requests each scenario sends: (method, path, headers, body) tuples for wrk to cycle through.

Each scenario is a row of data: its name, its requests, and optionally `goal` (the least ratio to the
reference it must reach on one Redis server, issue 25) or `peer_of` (the scenario of ours this peer must
stay behind) with `ceiling` (the most ratio to the reference it may reach, issue 25).
The reference comes first. OAuth requests are signed ahead of time with oauthlib's client, each with a
fresh nonce, so no request repeats within a run (a repeat would be refused as a replay and counted as
an error).
"""
import base64

from oauthlib.oauth1 import SIGNATURE_HMAC_SHA1, SIGNATURE_PLAINTEXT, Client

FORWARDED_HTTPS = {"X-Forwarded-Proto": "https"}
PRODUCTS = "/v2/products"
AUTHLIB_PRODUCTS = "/bench/authlib/products"
DOT_PRODUCTS = "/bench/dot/products"


def build_scenarios(seeded, base_url, budget):
    basic = base64.b64encode(f"{seeded['username']}:{seeded['password']}".encode()).decode()
    # Behind a TLS-terminating proxy the server sees https: that is the URL the signature covers.
    https_url = base_url.replace("http://", "https://", 1)
    return [
        {"name": "reference", "requests": [("GET", "/bench/reference/products", FORWARDED_HTTPS, None)]},
        {"name": "basic+client_key", "goal": 0.85, "requests": [("GET", PRODUCTS, {
            **FORWARDED_HTTPS, "Authorization": f"Basic {basic}", "X-Client-Key": seeded["client_key"],
        }, None)]},
        {"name": "oauth1-hmac-sha1", "goal": 0.80,
         "requests": signed(seeded, https_url, PRODUCTS, SIGNATURE_HMAC_SHA1, budget)},
        {"name": "oauth1-plaintext", "requests": signed(seeded, https_url, PRODUCTS, SIGNATURE_PLAINTEXT, budget)},
        {"name": "authlib-peer-hmac", "peer_of": "oauth1-hmac-sha1", "ceiling": 0.7,
         "requests": signed(seeded, https_url, AUTHLIB_PRODUCTS, SIGNATURE_HMAC_SHA1, budget)},
        {"name": "oauth2-bearer", "goal": 0.85, "requests": [("GET", PRODUCTS, bearer(seeded), None)]},
        {"name": "dot-peer-bearer", "peer_of": "oauth2-bearer", "ceiling": 0.7,
         "requests": [("GET", DOT_PRODUCTS, bearer(seeded), None)]},
    ]


def bearer(seeded):
    """A Bearer token is sent as it is, again and again (RFC 6750 has no nonce)."""
    return {**FORWARDED_HTTPS, "Authorization": f"Bearer {seeded['bearer_token']}"}


def signed(seeded, https_url, path, method, count):
    client = Client(seeded["client_key"], client_secret=seeded["client_secret"],
                    resource_owner_key=seeded["token_key"], resource_owner_secret=seeded["token_secret"],
                    signature_method=method)
    requests = []
    for _ in range(count):
        _, headers, _ = client.sign(https_url + path, http_method="GET")
        requests.append(("GET", path, {**FORWARDED_HTTPS, "Authorization": headers["Authorization"]}, None))
    return requests
