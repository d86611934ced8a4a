"""The OAuth 2.0 section's examples on /docs/authentication: curl lines and requests-oauthlib code for
each grant, the device flow and the migration exchange, with this deployment's URLs filled in.

tests/pages/test_docs_oauth2.py runs them against a live server, as they are shown, so they cannot
drift from what the endpoints accept. Credentials come from the environment (`CLIENT_KEY`,
`CLIENT_SECRET`, and `TOKEN`, `TOKEN_SECRET` for the exchange), never from the page.
"""
from dataclasses import dataclass

from django.urls import reverse
from oauth2_provider.settings import oauth2_settings

from consumers.oauth2.device import DEVICE_CODE_LIFETIME
from consumers.oauth2.exchange import ACCESS_TOKEN_TYPE, GRANT_TYPE as TOKEN_EXCHANGE

DEVICE_CODE = "urn:ietf:params:oauth:grant-type:device_code"
URL_NAMES = {
    "authorize": "oauth2-authorize",
    "token": "oauth2-token",
    "device_authorization": "oauth2-device-authorization",
    "device": "oauth2-device",
    "revoke": "oauth2-revoke-token",
    "introspect": "oauth2-introspect",
    "metadata": "oauth2-metadata",
}

# (id, title, language, code). Placeholders in capitals are this deployment's URLs.
EXAMPLES = [
    ("oauth2-code-python", "Authorization code with PKCE", "python", """\
import os
from urllib.parse import parse_qsl, urlsplit
from requests_oauthlib import OAuth2Session

oauth = OAuth2Session(os.environ["CLIENT_KEY"], redirect_uri=os.environ["CALLBACK_URL"],
                      scope=["products:read"], pkce="S256")
url, state = oauth.authorization_url("AUTHORIZE_URL")
print("Open this page, approve, then paste the address you were sent to:")
print(url)
# Read the answer here rather than passing it as authorization_response: requests-oauthlib refuses an
# http:// address there, and a callback on this computer (http://127.0.0.1:8080/...) is one.
answer = dict(parse_qsl(urlsplit(input("> ")).query))
if answer.get("state") != state or "code" not in answer:
    raise SystemExit(f"Not approved: {answer.get('error', 'the state does not match')}")
token = oauth.fetch_token("TOKEN_URL", code=answer["code"], client_secret=os.environ["CLIENT_SECRET"])
print(oauth.get("PRODUCTS_URL").json())

# An hour later the access token has expired: a refresh gives a new pair (the old refresh token stops).
token = oauth.refresh_token("TOKEN_URL", auth=(os.environ["CLIENT_KEY"], os.environ["CLIENT_SECRET"]))
print(oauth.get("PRODUCTS_URL").json())"""),
    ("oauth2-client-credentials-python", "Client credentials (your own account)", "python", """\
import os
from oauthlib.oauth2 import BackendApplicationClient
from requests_oauthlib import OAuth2Session

oauth = OAuth2Session(client=BackendApplicationClient(client_id=os.environ["CLIENT_KEY"]))
oauth.fetch_token("TOKEN_URL", client_secret=os.environ["CLIENT_SECRET"])
print(oauth.get("PRODUCTS_URL").json())"""),
    ("oauth2-client-credentials-curl", "Client credentials with curl", "bash", """\
curl -s -u "$CLIENT_KEY:$CLIENT_SECRET" -d grant_type=client_credentials "TOKEN_URL\""""),
    ("oauth2-refresh-curl", "Refresh with curl", "bash", """\
curl -s -u "$CLIENT_KEY:$CLIENT_SECRET" -d grant_type=refresh_token -d refresh_token="$REFRESH_TOKEN" "TOKEN_URL\""""),
    ("oauth2-bearer-curl", "Calling the API with the access token", "bash", """\
curl -s -H "Authorization: Bearer $ACCESS_TOKEN" "PRODUCTS_URL\""""),
    ("oauth2-device-python", "Device flow", "python", f"""\
import os
import time
import requests

auth = (os.environ["CLIENT_KEY"], os.environ["CLIENT_SECRET"])
codes = requests.post("DEVICE_AUTHORIZATION_URL", auth=auth,
                      data={{"client_id": auth[0], "scope": "products:read"}}).json()
print(f"On your phone or computer, open {{codes['verification_uri']}} and type {{codes['user_code']}}", flush=True)
interval = codes["interval"]
while True:
    time.sleep(interval)
    answer = requests.post("TOKEN_URL", auth=auth, data={{
        "grant_type": "{DEVICE_CODE}",
        "device_code": codes["device_code"], "client_id": auth[0]}}).json()
    if answer.get("error") == "slow_down":
        interval += 5
    elif answer.get("error") != "authorization_pending":
        break
print(answer)  # access_token and refresh_token, or the error that ended it (access_denied, expired_token)"""),
    ("oauth2-device-curl", "Device flow with curl", "bash", f"""\
curl -s -u "$CLIENT_KEY:$CLIENT_SECRET" -d client_id="$CLIENT_KEY" -d scope=products:read "DEVICE_AUTHORIZATION_URL"
# then, every `interval` seconds until the answer is not authorization_pending:
curl -s -u "$CLIENT_KEY:$CLIENT_SECRET" -d client_id="$CLIENT_KEY" -d device_code="$DEVICE_CODE" \\
  -d grant_type={DEVICE_CODE} "TOKEN_URL\""""),
    ("oauth2-exchange-python", "From OAuth 1.0a to OAuth 2.0 without asking the user again", "python", f"""\
import os
import requests
from requests_oauthlib import OAuth1

oauth1 = OAuth1(os.environ["CLIENT_KEY"], os.environ["CLIENT_SECRET"],
                os.environ["TOKEN"], os.environ["TOKEN_SECRET"])
tokens = requests.post("TOKEN_URL", auth=oauth1, data={{
    "grant_type": "{TOKEN_EXCHANGE}",
    "subject_token": os.environ["TOKEN"],
    "subject_token_type": "{ACCESS_TOKEN_TYPE}",
}}).json()
print(tokens)  # access_token, refresh_token, token_type, expires_in, scope; the OAuth 1.0a token is now revoked"""),
]


@dataclass(frozen=True)
class Example:
    id: str  # the element's id on the page, e.g. "oauth2-code-python"
    title: str
    language: str
    code: str


def examples(urls):
    """{name: Example} with `urls` (placeholder -> this deployment's URL) filled in; the name is the
    id without its "oauth2-" and with underscores, for the template (`oauth2.examples.code_python`)."""
    filled = {}
    for example_id, title, language, code in EXAMPLES:
        for placeholder, url in urls.items():
            code = code.replace(placeholder, url)
        filled[example_id.removeprefix("oauth2-").replace("-", "_")] = Example(example_id, title, language, code)
    return filled


def oauth2_context(request):
    """What the guide's OAuth 2.0 section shows: this deployment's URLs, the rules in force, the
    examples."""
    absolute = request.build_absolute_uri
    urls = {name: absolute(reverse(url_name)) for name, url_name in URL_NAMES.items()}
    return {
        "urls": urls,
        "access_token_minutes": oauth2_settings.ACCESS_TOKEN_EXPIRE_SECONDS // 60,
        "interval": oauth2_settings.DEVICE_FLOW_INTERVAL,
        "device_minutes": int(DEVICE_CODE_LIFETIME.total_seconds()) // 60,
        "device_code_grant": DEVICE_CODE,
        "token_exchange_grant": TOKEN_EXCHANGE,
        "access_token_type": ACCESS_TOKEN_TYPE,
        "examples": examples({
            "DEVICE_AUTHORIZATION_URL": urls["device_authorization"], "AUTHORIZE_URL": urls["authorize"],
            "TOKEN_URL": urls["token"], "PRODUCTS_URL": absolute(reverse("product-list")),
        }),
    }
