"""Password reset by email: the answer takes the same time whether or not an account uses the address,
requests are limited per client address and per email address (a 429 that tells nothing), and the
mailed token never reaches gunicorn's or nginx's access log."""
import re
import socketserver
import statistics
import threading
import time
from contextlib import contextmanager
from urllib.parse import urlsplit

import pytest
import requests

from accounts.password_reset_limits import PER_ADDRESS, PER_EMAIL
from deploy.nginx import LOG_FORMAT
from tests.factories import make_user
from tests.servers import gunicorn_server

pytestmark = pytest.mark.django_db

HERE, ELSEWHERE = "198.51.100.66", "192.0.2.50"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
LINK = re.compile(r"https?://[^/\s]+(/account/reset/\S+)")


def ask(client, email, address=HERE):
    return client.post("/account/password-reset", {"email": email}, REMOTE_ADDR=address)


# --- The limits ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("registered", [True, False])
def test_past_the_limit_for_one_email_a_429_that_tells_nothing(client, mailoutbox, registered):
    if registered:
        make_user("devon", email="devon@example.com")
    for _ in range(PER_EMAIL + 1):  # forms with mistakes do not count
        assert client.post("/account/password-reset", {"email": "devon@"}, REMOTE_ADDR=HERE).status_code == 200
    for n in range(PER_EMAIL):
        assert ask(client, "devon@example.com", address=f"192.0.2.{n}")["Location"] == "/account/password-reset/sent"
    refused = ask(client, "Devon@Example.com", address=ELSEWHERE)  # any spelling, from anywhere
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 3600
    page = refused.content.decode()
    assert "Too many password reset requests" in page and "try again in about" in page
    assert "devon" not in page.lower()
    assert len(mailoutbox) == (PER_EMAIL if registered else 0)


def test_the_limited_page_is_the_same_for_a_known_and_an_unknown_email(client):
    make_user("devon", email="devon@example.com")
    pages = []
    for email in ("devon@example.com", "nobody@example.com"):
        for n in range(PER_EMAIL):
            ask(client, email, address=f"192.0.2.{n}")
        refused = ask(client, email, address=ELSEWHERE)
        pages.append((refused.status_code, refused["Retry-After"],
                      CSRF.sub("", refused.content.decode())))
    assert pages[0] == pages[1]


def test_past_the_limit_for_one_client_address_a_429_and_no_mail(client, mailoutbox):
    make_user("devon", email="devon@example.com")
    for n in range(PER_ADDRESS):
        assert ask(client, f"someone{n}@example.com").status_code == 302
    refused = ask(client, "devon@example.com")
    assert refused.status_code == 429 and refused.has_header("Retry-After")
    assert not mailoutbox
    assert ask(client, "devon@example.com", address=ELSEWHERE).status_code == 302  # another address
    assert len(mailoutbox) == 1


# --- Over HTTP: a mail server that takes its time, as real ones do ----------------------------------------

class SlowMailServer(socketserver.ThreadingTCPServer):
    """Just enough SMTP for Django's backend, on a spare loopback port; greets after `delay` seconds (a
    real server's DNS checks and banner delay) and keeps each message's recipients and text."""

    daemon_threads = allow_reuse_address = True

    def __init__(self, delay):
        super().__init__(("127.0.0.1", 0), SmtpSession)
        self.delay, self.messages = delay, []


class SmtpSession(socketserver.StreamRequestHandler):
    def handle(self):
        time.sleep(self.server.delay)
        self.say("220 mail.example.com ready")
        recipients = []
        while line := self.rfile.readline().decode("utf-8", "replace"):
            command = line[:4].upper()
            if command == "DATA":
                self.say("354 go on")
                text = []
                while (data := self.rfile.readline().decode("utf-8", "replace")) not in (".\r\n", ""):
                    text.append(data)
                self.server.messages.append((recipients, "".join(text)))
                recipients = []
                self.say("250 queued")
            elif command == "RCPT":
                recipients.append(line.split(":", 1)[1].strip(" <>\r\n"))
                self.say("250 ok")
            elif command == "QUIT":
                self.say("221 bye")
                return
            else:  # EHLO, HELO, MAIL, RSET, NOOP
                self.say("250 mail.example.com")

    def say(self, text):
        self.wfile.write(text.encode() + b"\r\n")


@contextmanager
def site_mailing_through_smtp(delay, **env):
    """gunicorn with mail sent over SMTP to a `SlowMailServer`; yields (base URL, the mail server)."""
    mail = SlowMailServer(delay)
    threading.Thread(target=mail.serve_forever, daemon=True).start()
    env = {"DJANGO_SETTINGS_MODULE": "tests.accounts.settings_smtp", "EMAIL_HOST": "127.0.0.1",
           "EMAIL_PORT": str(mail.server_address[1]), "TRUSTED_PROXIES": "1", **env}
    try:
        with gunicorn_server(workers=1, extra_env=env) as base_url:
            yield base_url, mail
    finally:
        mail.shutdown()
        mail.server_close()


class Browser:
    """A browser's cookies over plain HTTP: the site's are `Secure` (as in production), which `requests`
    keeps but would not send to an http URL."""

    def __init__(self, base_url):
        self.base_url, self.cookies = base_url, {}

    def send(self, method, path, **kwargs):
        cookie = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        headers = {**kwargs.pop("headers", {}), **({"Cookie": cookie} if cookie else {})}
        response = requests.request(method, f"{self.base_url}{path}", headers=headers, allow_redirects=False,
                                    **kwargs)
        self.cookies.update(response.cookies.items())
        return response

    def form(self, path):
        """The page at `path` and its form's CSRF field."""
        page = self.send("GET", path)
        return page, CSRF.search(page.text).group(1)


@pytest.mark.live
@pytest.mark.django_db(transaction=True)
def test_a_known_and_an_unknown_email_answer_in_the_same_time():
    rounds, delay = 25, 0.06
    for n in range(rounds):
        make_user(f"known{n}", email=f"known{n}@example.com")
    times = {"known": [], "unknown": []}
    with site_mailing_through_smtp(delay) as (base_url, mail):
        browser = Browser(base_url)
        _, csrf = browser.form("/account/password-reset")
        for n in range(rounds):
            for kind in ("known", "unknown") if n % 2 else ("unknown", "known"):
                started = time.perf_counter()
                answer = browser.send("POST", "/account/password-reset",
                                      data={"email": f"{kind}{n}@example.com", "csrfmiddlewaretoken": csrf},
                                      headers={"X-Forwarded-For": f"10.{n}.0.{len(times[kind])}"})
                times[kind].append(time.perf_counter() - started)
                assert answer.status_code == 302 and answer.headers["Location"] == "/account/password-reset/sent"
                time.sleep(delay + 0.1)  # the mail of a known address is sent after the answer; let it go
        deadline = time.monotonic() + 10
        while len(mail.messages) < rounds and time.monotonic() < deadline:
            time.sleep(0.05)
    assert sorted(to[0] for to, _ in mail.messages) == sorted(f"known{n}@example.com" for n in range(rounds))
    known, unknown = (statistics.median(times[kind]) * 1000 for kind in ("known", "unknown"))
    print(f"password reset, median of {rounds} answers: known {known:.1f} ms, unknown {unknown:.1f} ms")
    assert abs(known - unknown) < 15, f"known {known:.1f} ms, unknown {unknown:.1f} ms"


@pytest.mark.live
@pytest.mark.django_db(transaction=True)
def test_the_reset_token_never_reaches_the_access_log(tmp_path):
    devon = make_user("devon", email="devon@example.com")
    access_log = tmp_path / "access.log"
    with site_mailing_through_smtp(0, ACCESS_LOG=str(access_log)) as (base_url, mail):
        browser = Browser(base_url)
        _, csrf = browser.form("/account/password-reset")
        sent = browser.send("POST", "/account/password-reset",
                            data={"email": "devon@example.com", "csrfmiddlewaretoken": csrf})
        assert sent.status_code == 302
        deadline = time.monotonic() + 10
        while not mail.messages and time.monotonic() < deadline:
            time.sleep(0.05)
        ((_, text),) = mail.messages
        link = LINK.search(text.replace("=\r\n", "")).group(1)
        token = urlsplit(link).query.removeprefix("token=")
        opened = browser.send("GET", link)
        assert opened.status_code == 302 and token not in opened.headers["Location"]
        form, csrf = browser.form(opened.headers["Location"])
        assert "Choose a new password" in form.text
        new = "a brand new passphrase 8"
        done = browser.send("POST", opened.headers["Location"],
                            data={"new_password1": new, "new_password2": new, "csrfmiddlewaretoken": csrf})
        assert done.headers.get("Location") == "/account/reset/done", done.status_code
    devon.refresh_from_db()
    assert devon.check_password(new)
    logged = access_log.read_text()
    assert "/account/reset/" in logged and "set-password" in logged
    assert token not in logged
    # nginx in front (deploy/) logs the path without the query string too.
    assert "$uri" in LOG_FORMAT
    for with_query in ("$request ", "$request\"", "$request_uri", "$args", "$query_string", "$arg_"):
        assert with_query not in LOG_FORMAT

