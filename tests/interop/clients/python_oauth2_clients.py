"""Drive one Python OAuth 2.0 client library through the interop steps; one JSON object per line.

Usage: python_oauth2_clients.py LIBRARY CONFIG_JSON, LIBRARY one of requests-oauthlib, authlib. The
endpoints come from the server's metadata (RFC 8414). Lines {"authorize": URL} ask the harness to
answer the consent page; it writes back the address the browser was sent to. {"device": USER_CODE}
asks it to approve a device. Lines {"step": ...} are results. Each library's own API where it has one.
"""
import json
import secrets
import sys
import time
from importlib.metadata import version

DEVICE_CODE = "urn:ietf:params:oauth:grant-type:device_code"


def emit(**fields):
    print(json.dumps(fields), flush=True)


def ask(**message):
    emit(**message)
    return sys.stdin.readline().strip()


def body_of(response):
    try:
        return response.json()
    except ValueError:
        return response.text


class RequestsOAuthlib:
    package = "requests-oauthlib"

    def __init__(self, config):
        import oauthlib.oauth2
        import requests_oauthlib
        self.oauthlib, self.library, self.config = oauthlib.oauth2, requests_oauthlib, config

    def session(self, **kwargs):
        c = self.config
        return self.library.OAuth2Session(c["client_id"], redirect_uri=c["redirect_uri"], scope=c["scope"].split(),
                                          **kwargs)

    def metadata(self, base):
        return body_of(self.library.OAuth2Session().get(f"{base}/.well-known/oauth-authorization-server"))

    def authorize(self, metadata, verifier=None):
        """(authorization URL, what the redemption needs); with `verifier`, that PKCE pair by hand."""
        if verifier is None:
            session = self.session(pkce="S256")
            url, _ = session.authorization_url(metadata["authorization_endpoint"])
        else:
            session = self.session()
            challenge = self.oauthlib.WebApplicationClient("").create_code_challenge(verifier, "S256")
            url, _ = session.authorization_url(metadata["authorization_endpoint"], code_challenge=challenge,
                                               code_challenge_method="S256")
        return url, session

    def redeem(self, metadata, session, callback, verifier=None):
        extra = {"code_verifier": verifier} if verifier else {}
        return session.fetch_token(metadata["token_endpoint"], authorization_response=callback,
                                   client_secret=self.config["client_secret"], **extra)

    def refresh(self, metadata, token):
        c = self.config
        return self.session(token=token).refresh_token(metadata["token_endpoint"],
                                                       auth=(c["client_id"], c["client_secret"]))

    def client_credentials(self, metadata, secret):
        client = self.oauthlib.BackendApplicationClient(client_id=self.config["client_id"])
        return self.library.OAuth2Session(client=client).fetch_token(metadata["token_endpoint"],
                                                                     client_secret=secret)

    def device(self, metadata):
        c = self.config
        session = self.library.OAuth2Session(client=self.oauthlib.DeviceClient(c["client_id"]))
        codes = session.post(metadata["device_authorization_endpoint"], auth=(c["client_id"], c["client_secret"]),
                             data={"client_id": c["client_id"], "scope": c["scope"]}).json()
        ask(device=codes["user_code"])
        interval = codes["interval"]
        while True:
            time.sleep(interval)
            try:
                return session.fetch_token(metadata["token_endpoint"], device_code=codes["device_code"],
                                           client_secret=c["client_secret"])
            except self.oauthlib.OAuth2Error as error:
                if error.error == "slow_down":
                    interval += 5
                elif error.error != "authorization_pending":
                    raise

    def revoke(self, metadata, token):
        c = self.config
        return self.library.OAuth2Session().post(metadata["revocation_endpoint"], data={"token": token},
                                                 auth=(c["client_id"], c["client_secret"])).status_code

    def introspect(self, metadata, token):
        c = self.config
        return body_of(self.library.OAuth2Session().post(metadata["introspection_endpoint"], data={"token": token},
                                                         auth=(c["client_id"], c["client_secret"])))

    def api(self, token):
        response = self.library.OAuth2Session(token=token).get(self.config["base"] + "/v2")
        return response.status_code, body_of(response)

    def error_of(self, error):
        return getattr(error, "error", None) or f"{type(error).__name__}: {error}"


class Authlib:
    package = "Authlib"

    def __init__(self, config):
        from authlib.integrations.requests_client import OAuth2Session, OAuthError
        self.session_class, self.error_class, self.config = OAuth2Session, OAuthError, config

    def session(self, **kwargs):
        c = self.config
        return self.session_class(c["client_id"], c["client_secret"], scope=c["scope"],
                                  redirect_uri=c["redirect_uri"], **kwargs)

    def metadata(self, base):
        return body_of(self.session_class().get(f"{base}/.well-known/oauth-authorization-server",
                                                withhold_token=True))

    def authorize(self, metadata, verifier=None):
        session = self.session(code_challenge_method="S256")
        session.code_verifier = verifier or secrets.token_urlsafe(48)
        url, session.expected_state = session.create_authorization_url(metadata["authorization_endpoint"],
                                                                       code_verifier=session.code_verifier)
        return url, session

    def redeem(self, metadata, session, callback, verifier=None):
        return session.fetch_token(metadata["token_endpoint"], authorization_response=callback,
                                   state=session.expected_state, code_verifier=verifier or session.code_verifier)

    def refresh(self, metadata, token):
        return self.session(token=token).refresh_token(metadata["token_endpoint"])

    def client_credentials(self, metadata, secret):
        c = self.config
        return self.session_class(c["client_id"], secret, scope=c["scope"]).fetch_token(
            metadata["token_endpoint"], grant_type="client_credentials")

    def device(self, metadata):
        c = self.config
        session = self.session()
        codes = session.post(metadata["device_authorization_endpoint"], auth=(c["client_id"], c["client_secret"]),
                             data={"client_id": c["client_id"], "scope": c["scope"]}).json()
        ask(device=codes["user_code"])
        interval = codes["interval"]
        while True:
            time.sleep(interval)
            try:
                return session.fetch_token(metadata["token_endpoint"], grant_type=DEVICE_CODE,
                                           device_code=codes["device_code"])
            except self.error_class as error:
                if error.error == "slow_down":
                    interval += 5
                elif error.error != "authorization_pending":
                    raise

    def revoke(self, metadata, token):
        return self.session().revoke_token(metadata["revocation_endpoint"], token=token).status_code

    def introspect(self, metadata, token):
        return body_of(self.session().introspect_token(metadata["introspection_endpoint"], token=token))

    def api(self, token):
        response = self.session_class(token=token).get(self.config["base"] + "/v2")
        return response.status_code, body_of(response)

    def error_of(self, error):
        return getattr(error, "error", None) or f"{type(error).__name__}: {error}"


LIBRARIES = {"requests-oauthlib": RequestsOAuthlib, "authlib": Authlib}


def main(name, config):
    library = LIBRARIES[name](config)
    emit(library=library.package, version=version(library.package))
    run_steps(library, config)


def step(name, run, on_error=None):
    """Run one step; what it returns is the result. A library's exception is a result, not a crash:
    `on_error` turns it into one (the OAuth error code), else it is reported as such."""
    try:
        emit(step=name, **run())
    except Exception as error:  # noqa: BLE001 - any failure of a library is that step's result
        if on_error is not None:
            emit(step=name, error=on_error(error))
        else:
            emit(step=name, failed=f"{type(error).__name__}: {error}")


def run_steps(library, config):
    metadata = library.metadata(config["base"])
    emit(step="discovery", metadata=metadata)
    state = {}

    def code_pkce():
        url, session = library.authorize(metadata)
        state["redeem"] = (session, ask(authorize=url))
        state["token"] = library.redeem(metadata, *state["redeem"])
        status, body = library.api(state["token"])
        return {"status": status, "body": body}

    def refresh():
        state["refreshed"] = library.refresh(metadata, state["token"])
        status, body = library.api(state["refreshed"])
        rotated = state["refreshed"]["refresh_token"] != state["token"]["refresh_token"]
        return {"status": status, "body": body, "rotated": rotated}

    def client_credentials():
        status, body = library.api(library.client_credentials(metadata, config["client_secret"]))
        return {"status": status, "body": body}

    def device():
        status, body = library.api(library.device(metadata))
        return {"status": status, "body": body}

    def introspect():
        return {"body": library.introspect(metadata, state["refreshed"]["access_token"])}

    def revoke():
        answered = library.revoke(metadata, state["refreshed"]["access_token"])
        status, body = library.api(state["refreshed"])
        return {"revoke_status": answered, "status": status, "body": body}

    def wrong_verifier():
        url, session = library.authorize(metadata, verifier=secrets.token_urlsafe(48))
        library.redeem(metadata, session, ask(authorize=url), verifier=secrets.token_urlsafe(48))
        return {"error": None}

    for name, run, on_error in [
        ("code_pkce", code_pkce, None),
        ("refresh", refresh, None),
        ("client_credentials", client_credentials, None),
        ("device", device, None),
        ("introspect", introspect, None),
        ("revoke", revoke, None),
        ("reused_code", lambda: library.redeem(metadata, *state["redeem"]) and {"error": None}, library.error_of),
        ("bad_secret", lambda: library.client_credentials(metadata, "a-wrong-secret") and {"error": None},
         library.error_of),
        ("wrong_verifier", wrong_verifier, library.error_of),
    ]:
        step(name, run, on_error)


if __name__ == "__main__":
    main(sys.argv[1], json.loads(sys.argv[2]))
