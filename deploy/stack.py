"""Start and stop the local production stack: nginx terminating TLS in front of two gunicorn instances
that share one database and one Redis, and Prometheus scraping each instance, each on a spare (or given)
loopback port.

`make stack` (`deploy/__main__.py`) runs it for a person; `tests/deployment` run their requests through it.
"""
import os
import shutil
import signal
import ssl
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.error import HTTPError, URLError
from urllib.parse import urlsplit
from urllib.request import HTTPSHandler, ProxyHandler, Request, build_opener

from bench.port import free_port as spare_port
from deploy.certificates import certificates_make, certificates_valid
from deploy.nginx import nginx_config_write
from deploy.prometheus import prometheus_binary, prometheus_command, prometheus_config_write

PROJECT_DIR = Path(__file__).resolve().parent.parent
LOOPBACK = "127.0.0.1"
START_TIMEOUT_SECONDS = 60
STOP_TIMEOUT_SECONDS = 10


def nginx_binary():
    """nginx from Debian's package (`make nginx` installs it), or None."""
    # /usr/sbin is not on every user's PATH.
    return shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")


def production_env(base, **variables):
    """`base` (e.g. os.environ) with the production settings, DEBUG off, behind one TLS-terminating proxy,
    then `variables` (DATABASE_URL, REDIS_URL, SECRET_KEY, SECRET_ENCRYPTION_KEYS, limits...)."""
    return {
        **base,
        "DJANGO_SETTINGS_MODULE": "apiproject.settings",
        "DEBUG": "0",
        "TRUST_X_FORWARDED_PROTO": "1",
        "TRUSTED_PROXIES": "1",
        "ALLOWED_HOSTS": "localhost,127.0.0.1",
        **variables,
    }


@dataclass
class Stack:
    """A running stack: where to reach it and how to run `manage.py` against its database and Redis."""

    https_url: str  # through nginx, TLS
    http_url: str  # through nginx, plain HTTP
    instance_urls: tuple  # each gunicorn instance directly, plain HTTP
    ca_file: Path
    env: dict = field(repr=False)
    directory: Path = None
    processes: tuple = field(default=(), repr=False)
    prometheus_url: str = None  # Prometheus scraping each instance, when installed

    def manage(self, *arguments, check=True):
        """`manage.py ARGUMENTS` with the instances' environment; the completed process (text output)."""
        return manage(self.env, *arguments, check=check)

    def exited(self):
        """The first of the stack's processes that has stopped on its own (its command line), or None."""
        return next((" ".join(map(str, process.args[:3])) for process in self.processes
                     if process.poll() is not None), None)


def manage(env, *arguments, check=True):
    """`manage.py ARGUMENTS` with `env`; the completed process (text output)."""
    return subprocess.run([sys.executable, "manage.py", *arguments], cwd=PROJECT_DIR, env=env,
                          capture_output=True, text=True, check=check, timeout=300)


@contextmanager
def stack_running(directory, env, *, instances=2, workers=2, https_port=None, http_port=None, host=LOOPBACK,
                  prometheus_port=None):
    """Run the stack with its files in `directory` until the block ends; yield the `Stack`.

    Every process is stopped on the way out, whatever happened inside. The certificate in `directory`
    is reused while it is valid (so a person trusts its CA once). Prometheus runs when it is installed.
    """
    nginx = nginx_binary()
    if nginx is None:
        raise RuntimeError("nginx is not installed: `make nginx` (or `apt-get install nginx`) installs it")
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    tls_files = (directory / "ca.pem", directory / "server.pem", directory / "server.key")
    if not certificates_valid(*tls_files):
        tls_files = certificates_make(directory)
    ca_file, certificate, key = tls_files

    instance_ports = [spare_port() for _ in range(instances)]
    https_port, http_port = https_port or spare_port(), http_port or spare_port()
    config = nginx_config_write(directory, https_port=https_port, http_port=http_port, certificate=certificate,
                                key=key, upstreams=[f"{LOOPBACK}:{port}" for port in instance_ports])
    processes = []
    try:
        for number, port in enumerate(instance_ports, start=1):
            command = [sys.executable, "-m", "gunicorn", "apiproject.wsgi:application", "--config", "gunicorn.conf.py",
                       "--bind", f"{LOOPBACK}:{port}", "--workers", str(workers)]
            processes.append(_start(command, env, directory / f"gunicorn-{number}.log"))
        instance_urls = tuple(f"http://{LOOPBACK}:{port}" for port in instance_ports)
        for url, process in zip(instance_urls, processes, strict=True):
            # As nginx sends it: with DEBUG off an instance serves only requests marked https.
            _wait_until_answering(url, process, headers={"X-Forwarded-Proto": "https"})
        log = directory / "nginx-error.log"
        processes.append(_start([nginx, "-p", str(directory), "-c", str(config), "-e", str(log)], env, log))
        https_url = f"https://{host}:{https_port}"
        _wait_until_answering(https_url, processes[-1], context=ssl.create_default_context(cafile=str(ca_file)))
        prometheus_url = None
        prometheus = prometheus_binary()
        if prometheus is not None:
            # Each instance directly, as an operator's Prometheus scrapes each one (deploy/prometheus.yml).
            targets = [urlsplit(url).netloc for url in instance_urls]
            prometheus_port = prometheus_port or spare_port()
            config = prometheus_config_write(directory, targets=targets)
            command = prometheus_command(prometheus, config, directory, host=LOOPBACK, port=prometheus_port)
            processes.append(_start(command, env, directory / "prometheus.log"))
            prometheus_url = f"http://{LOOPBACK}:{prometheus_port}"
            _wait_until_answering(prometheus_url, processes[-1], path="/-/ready", only_success=True)
        yield Stack(https_url=https_url, http_url=f"http://{host}:{http_port}", ca_file=ca_file, env=env,
                    instance_urls=instance_urls, directory=directory, processes=tuple(processes),
                    prometheus_url=prometheus_url)
    finally:
        _stop(processes[::-1])  # nginx first: no request reaches an instance on its way out


def _start(command, env, log):
    """Run `command`, its output appended to `log`, in its own session: a Ctrl-C reaches only us, and we
    stop the processes ourselves, in order."""
    with open(log, "ab") as output:
        process = subprocess.Popen(command, cwd=PROJECT_DIR, env=env, stdout=output, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, start_new_session=True)
    process.log = log
    return process


def _stop(processes):
    """SIGTERM to each in turn, then wait for them together (a gunicorn instance takes about 2 s);
    SIGKILL to the whole session of any still running after a while."""
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + STOP_TIMEOUT_SECONDS
    for process in processes:
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)  # a stuck worker too
            process.wait(timeout=STOP_TIMEOUT_SECONDS)


def _wait_until_answering(base_url, process, headers=None, context=None, path="/v2/status", only_success=False):
    """Until `base_url``path` answers at all (any HTTP status; with `only_success`, a 2xx: Prometheus says
    503 until it is ready); fail with the log's end if the process exits or the time runs out."""
    # Straight to loopback: no proxy from the environment.
    opener = build_opener(ProxyHandler({}), HTTPSHandler(context=context))
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited with {process.returncode}:\n{_tail(process.log)}")
        try:
            with opener.open(Request(f"{base_url}{path}", headers=headers or {}), timeout=5):
                return
        except HTTPError:
            if not only_success:
                return  # an answer: it is serving
            time.sleep(0.1)
        except (URLError, OSError):  # not listening yet, or a worker still booting
            time.sleep(0.1)
    raise RuntimeError(f"{' '.join(map(str, process.args[:3]))} did not answer within "
                       f"{START_TIMEOUT_SECONDS} s:\n{_tail(process.log)}")


def _tail(log, lines=20):
    try:
        return "\n".join(Path(log).read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"
