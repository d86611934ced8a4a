"""Drive one Python OAuth 1.0a client library through the interop steps; one JSON object per line.

Usage: python_clients.py LIBRARY CONFIG_JSON, LIBRARY one of requests-oauthlib, authlib, oauth2.
Lines {"authorize": TOKEN} ask the harness to have the user authorize TOKEN; it answers with the
verifier on stdin. Lines {"step": ..., "status": ...} are results. Each library's own API only.
"""
import json
import sys
from importlib.metadata import version
from urllib.parse import parse_qsl, urlencode


def emit(**fields):
    print(json.dumps(fields), flush=True)


def verifier_for(token):
    emit(authorize=token)
    return sys.stdin.readline().strip()


def body_of(text):
    try:
        return json.loads(text)
    except ValueError:
        return text


class RequestsOAuthlib:
    package = "requests-oauthlib"

    def __init__(self, config):
        from requests_oauthlib import OAuth1Session
        self.session_class, self.config = OAuth1Session, config

    def flow(self, callback):
        c = self.config
        oauth = self.session_class(c["key"], client_secret=c["secret"], callback_uri=callback)
        token = oauth.fetch_request_token(c["base"] + "/oauth/request_token")["oauth_token"]
        access = oauth.fetch_access_token(c["base"] + "/oauth/access_token", verifier=verifier_for(token))
        return access["oauth_token"], access["oauth_token_secret"]

    def api(self, token, secret, signature_method="HMAC-SHA1"):
        c = self.config
        session = self.session_class(c["key"], c["secret"], token, secret, signature_method=signature_method)

        def call(method, path, form=None, json_body=None):
            response = session.request(method, c["base"] + path, data=form, json=json_body)
            return response.status_code, body_of(response.text)
        return call


class Authlib(RequestsOAuthlib):
    package = "Authlib"

    def __init__(self, config):
        from authlib.integrations.requests_client import OAuth1Session
        self.session_class, self.config = OAuth1Session, config

    def flow(self, callback):
        c = self.config
        oauth = self.session_class(c["key"], c["secret"], redirect_uri=callback)
        token = oauth.fetch_request_token(c["base"] + "/oauth/request_token")["oauth_token"]
        access = oauth.fetch_access_token(c["base"] + "/oauth/access_token", verifier=verifier_for(token))
        return access["oauth_token"], access["oauth_token_secret"]

    def api(self, token, secret, signature_method="HMAC-SHA1"):
        c = self.config
        session = self.session_class(c["key"], c["secret"], token=token, token_secret=secret,
                                     signature_method=signature_method)

        def call(method, path, form=None, json_body=None):
            response = session.request(method, c["base"] + path, data=form, json=json_body)
            return response.status_code, body_of(response.text)
        return call


class Oauth2:
    """PyPI `oauth2` (httplib2): the client much older code still uses."""
    package = "oauth2"

    def __init__(self, config):
        import oauth2
        self.oauth2, self.config = oauth2, config
        self.consumer = oauth2.Consumer(config["key"], config["secret"])

    def flow(self, callback):
        o, c = self.oauth2, self.config
        client = o.Client(self.consumer)
        response, content = client.request(c["base"] + "/oauth/request_token", "POST",
                                           body=urlencode({"oauth_callback": callback}))
        temporary = dict(parse_qsl(content.decode()))
        if response.status != 200:
            raise RuntimeError(f"request token: {response.status} {content[:300]!r}")
        token = o.Token(temporary["oauth_token"], temporary["oauth_token_secret"])
        token.set_verifier(verifier_for(temporary["oauth_token"]))
        response, content = o.Client(self.consumer, token).request(c["base"] + "/oauth/access_token", "POST")
        if response.status != 200:
            raise RuntimeError(f"access token: {response.status} {content[:300]!r}")
        access = dict(parse_qsl(content.decode()))
        return access["oauth_token"], access["oauth_token_secret"]

    def api(self, token, secret, signature_method="HMAC-SHA1"):
        o, c = self.oauth2, self.config
        client = o.Client(self.consumer, o.Token(token, secret))
        if signature_method == "PLAINTEXT":
            client.set_signature_method(o.SignatureMethod_PLAINTEXT())

        def call(method, path, form=None, json_body=None):
            body, headers = b"", {}  # bytes: on Python 3 it hashes any other body (oauth_body_hash)
            if form is not None:
                body, headers = urlencode(form), {"Content-Type": "application/x-www-form-urlencoded"}
            elif json_body is not None:
                body, headers = json.dumps(json_body).encode(), {"Content-Type": "application/json"}
            response, content = client.request(c["base"] + path, method, body=body, headers=headers)
            return response.status, body_of(content.decode())
        return call


LIBRARIES = {"requests-oauthlib": RequestsOAuthlib, "authlib": Authlib, "oauth2": Oauth2}


def main(name, config):
    library = LIBRARIES[name](config)
    emit(library=library.package, version=version(library.package))
    run_steps(library, config)


def run_steps(library, config):
    for step, callback in (("callback_flow", config["callback"]), ("oob_flow", "oob")):
        try:
            token, secret = library.flow(callback)
            emit(step=step, status=200, body={"token": bool(token and secret)})
        except Exception as error:  # a library's failure is a result, not a crash
            emit(step=step, status=0, body=f"{type(error).__name__}: {error}")
            return
    steps = [
        ("get_odd_query", "GET", config["odd_query_path"], {}),
        ("post_form", "POST", "/v2/products", {"form": {"name": "Desk lamp", "price": "12.50"}}),
        ("post_json", "POST", "/v2/products", {"json_body": {"name": "Café chair", "price": "40.00"}}),
        ("put_json", "PUT", "/v2/products/{id}", {"json_body": {"name": "Armchair", "price": "41.00"}}),
        ("patch_form", "PATCH", "/v2/products/{id}", {"form": {"price": "39.99"}}),
        ("delete", "DELETE", "/v2/products/{id}", {}),
    ]
    call, product_id = library.api(token, secret), None
    for step, method, path, kwargs in steps:
        try:
            status, body = call(method, path.format(id=product_id), **kwargs)
        except Exception as error:
            status, body = 0, f"{type(error).__name__}: {error}"
        if step == "post_json" and isinstance(body, dict):
            product_id = body.get("id")
        emit(step=step, status=status, body=body)
    try:
        status, body = library.api(token, secret, signature_method="PLAINTEXT")("GET", "/v2")
    except Exception as error:
        status, body = 0, f"{type(error).__name__}: {error}"
    emit(step="plaintext_get", status=status, body=body)


if __name__ == "__main__":
    main(sys.argv[1], json.loads(sys.argv[2]))
