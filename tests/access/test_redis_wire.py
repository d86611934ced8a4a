"""The hot path's own connection to Redis (`access.redis_wire`) against a private redis-server with a
password, on TCP, TLS and a Unix socket: set-up from the URL, answers in order, error answers, a server
that closed the connection, and a server that hangs."""
import os
import shutil
import signal
import subprocess
import tempfile
import time

import pytest
import redis
from redis.exceptions import NoScriptError

from access.redis_wire import Wire
from tests.servers import free_port, redis_server

pytestmark = pytest.mark.skipif(not (shutil.which("redis-server") and shutil.which("openssl")),
                                reason="redis-server or openssl is not installed")
PASSWORD = "wire-test-password"


@pytest.fixture(scope="module")
def server():
    port, tls_port, folder = free_port(), free_port(), tempfile.mkdtemp()
    socket_path, cert, key = (os.path.join(folder, name) for name in ("redis.sock", "cert.pem", "key.pem"))
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                    "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True)
    process = redis_server(
        port, "--requirepass", PASSWORD, "--unixsocket", socket_path, "--unixsocketperm", "700",
        "--tls-port", str(tls_port), "--tls-cert-file", cert, "--tls-key-file", key, "--tls-ca-cert-file", cert,
        "--tls-auth-clients", "no", password=PASSWORD)
    admin = redis.Redis(port=port, password=PASSWORD)
    yield {"port": port, "socket": socket_path, "process": process, "admin": admin, "tls_port": tls_port,
           "cert": cert}
    process.kill()
    process.wait(timeout=10)
    shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.parametrize("kind", ["tcp", "unix", "tls", "tls-unverified"])
def test_the_url_sets_up_the_connection(server, kind):
    url = {
        "tcp": f"redis://:{PASSWORD}@127.0.0.1:{server['port']}/2",
        "unix": f"unix://:{PASSWORD}@{server['socket']}?db=2",
        "tls": f"rediss://:{PASSWORD}@127.0.0.1:{server['tls_port']}/2?ssl_ca_certs={server['cert']}",
        "tls-unverified": f"rediss://:{PASSWORD}@127.0.0.1:{server['tls_port']}/2?ssl_cert_reqs=none",
    }[kind]
    wire = Wire(url, 0.5)
    assert wire.send([("SET", f"{kind}-key", "v"), ("GET", f"{kind}-key"), ("DEL", "none")]).answers() == [
        b"OK", b"v", 0]
    assert redis.Redis(port=server["port"], password=PASSWORD, db=2).get(f"{kind}-key") == b"v"
    assert redis.Redis(port=server["port"], password=PASSWORD, db=0).get(f"{kind}-key") is None
    wire.close()


def test_tls_checks_the_servers_certificate(server):
    with pytest.raises(redis.ConnectionError):
        Wire(f"rediss://:{PASSWORD}@127.0.0.1:{server['tls_port']}/0", 0.5).send([("PING",)])


def test_a_wrong_password_is_a_connection_error_that_does_not_quote_it(server):
    with pytest.raises(redis.ConnectionError) as raised:
        Wire(f"redis://:not-the-password@127.0.0.1:{server['port']}/0", 0.5).send([("PING",)])
    assert "not-the-password" not in str(raised.value)


def test_an_error_answer_comes_after_the_others_and_the_connection_goes_on(server):
    wire = Wire(f"redis://:{PASSWORD}@127.0.0.1:{server['port']}/0", 0.5)
    wire.send([("SET", "text", "not a number")]).answers()
    sent = wire.send([("INCR", "text"), ("SET", "after", "1")])
    with pytest.raises(redis.ResponseError):
        sent.answers()
    assert server["admin"].get("after") == b"1"  # the command after the error ran, its answer was read
    with pytest.raises(NoScriptError):
        wire.send([("EVALSHA", "0" * 40, 0)]).answers()
    assert wire.send([("GET", "after")]).answers() == [b"1"]


def test_a_connection_the_server_closed_is_made_again(server):
    wire = Wire(f"redis://:{PASSWORD}@127.0.0.1:{server['port']}/0", 0.5)
    assert wire.send([("CLIENT", "SETNAME", "wire-under-test")]).answers() == [b"OK"]
    assert server["admin"].client_kill_filter(_type="normal", skipme=True) >= 1
    time.sleep(0.05)
    assert wire.send([("CLIENT", "GETNAME")]).answers() == [None]  # a new connection, no name


def test_a_hung_server_costs_one_timeout_and_the_next_send_connects_again(server):
    wire = Wire(f"redis://:{PASSWORD}@127.0.0.1:{server['port']}/0", 0.3)
    wire.send([("PING",)]).answers()
    os.kill(server["process"].pid, signal.SIGSTOP)
    try:
        sent = wire.send([("SET", "during", "1")])
        started = time.monotonic()
        with pytest.raises(redis.TimeoutError):
            sent.answers()
        assert 0.25 < time.monotonic() - started < 1.0
        with pytest.raises(redis.TimeoutError):
            sent.answers()  # read once: the same error again, no second wait
    finally:
        os.kill(server["process"].pid, signal.SIGCONT)
    assert wire.send([("PING",)]).answers() == [b"PONG"]
