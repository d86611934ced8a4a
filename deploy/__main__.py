"""`make stack`: the production stack (deploy/stack.py) on this machine for a person to try, until Ctrl-C.

PostgreSQL and Redis on 127.0.0.1 when they answer (or DATABASE_URL / REDIS_URL when set), else SQLite
and the database cache, said as it starts. Its files live in `.stack/`: the local CA to trust, the keys
its database's secrets are sealed with, the logs.
"""
import argparse
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time

from cryptography.fernet import Fernet

from deploy.stack import PROJECT_DIR, manage, nginx_binary, production_env, spare_port, stack_running

DIRECTORY = PROJECT_DIR / ".stack"
POSTGRES = "postgres://postgres@127.0.0.1:5432"
DATABASE_NAME = "apiplatform_stack"
REDIS = "redis://127.0.0.1:6379/0"
KEY_PREFIX = "apiplatform-stack"  # apart from anything else in that Redis database
PROMETHEUS_PORT = 9090  # Prometheus's usual port, when it is free


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=int(os.environ.get("STACK_PORT") or 8443),
                        help="nginx's https port (default 8443, or STACK_PORT; a spare one when taken)")
    parser.add_argument("manage", nargs=argparse.REMAINDER,
                        help="manage ARGS: run manage.py ARGS on the stack's database instead (e.g. createsuperuser)")
    args = parser.parse_args()
    DIRECTORY.mkdir(exist_ok=True)
    keys, fresh = stack_keys()
    env = production_env(os.environ, **keys, DATABASE_URL=database_url(fresh), REDIS_URL=redis_url(),
                         CACHE_KEY_PREFIX=KEY_PREFIX)
    if args.manage:
        if args.manage[0] != "manage":
            parser.error("the only command is: manage ARGS")
        raise SystemExit(subprocess.run([sys.executable, "manage.py", *args.manage[1:]], cwd=PROJECT_DIR,
                                        env=env, check=False).returncode)
    if nginx_binary() is None:
        raise SystemExit("nginx is not installed: `make stack` installs it with apt (as root)")
    print("Migrating and collecting static files...", flush=True)
    manage(env, "migrate", "--no-input", "-v0")
    manage(env, "collectstatic", "--no-input", "-v0")

    port = args.port if port_free(args.port) else spare_port()
    if port != args.port:
        print(f"Port {args.port} is taken; using {port}.")
    prometheus_port = PROMETHEUS_PORT if port_free(PROMETHEUS_PORT) else spare_port()
    # Ctrl-C stops the stack, even where the shell started us with SIGINT ignored; so does `kill`.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        with stack_running(DIRECTORY, env, https_port=port, host="localhost", prometheus_port=prometheus_port) as stack:
            seeded = stack.manage("seed_demo", "--base-url", stack.https_url).stdout
            print_welcome(stack, re.search(r"Client key:\s+(\S+)", seeded).group(1))
            while (exited := stack.exited()) is None:
                time.sleep(0.5)
            print(f"\n{exited} stopped on its own; stopping the rest (logs in .stack/).", file=sys.stderr)
            raise SystemExit(1)
    except KeyboardInterrupt:
        print("\nStopping...", flush=True)
    print("Stopped.")


def stack_keys():
    """SECRET_KEY and SECRET_ENCRYPTION_KEYS, made once and kept in .stack/keys.json (mode 600): the
    database's client secrets are sealed with them. Also whether they were just made."""
    path = DIRECTORY / "keys.json"
    if path.exists():
        return json.loads(path.read_text()), False
    keys = {"SECRET_KEY": secrets.token_urlsafe(50), "SECRET_ENCRYPTION_KEYS": Fernet.generate_key().decode()}
    path.touch(mode=0o600)
    path.write_text(json.dumps(keys))
    return keys, True


def database_url(fresh):
    """DATABASE_URL when set; else the stack's own PostgreSQL database (made anew with new keys: the old
    one's secrets could not be opened); else SQLite in .stack/."""
    if os.environ.get("DATABASE_URL"):
        print("Database: DATABASE_URL")
        return os.environ["DATABASE_URL"]
    sqlite = DIRECTORY / "stack.sqlite3"
    try:
        import psycopg

        with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True, connect_timeout=3) as connection:
            exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME]).fetchone()
            if exists and fresh:
                connection.execute(f"DROP DATABASE {DATABASE_NAME} WITH (FORCE)")
            if fresh or not exists:
                connection.execute(f"CREATE DATABASE {DATABASE_NAME}")
    except Exception as error:  # noqa: BLE001 - any failure means "not reachable", said here
        print(f"PostgreSQL at 127.0.0.1:5432 did not answer ({error.__class__.__name__}): using SQLite, {sqlite}")
        if fresh:
            sqlite.unlink(missing_ok=True)
        return f"sqlite:///{sqlite}"
    print(f"Database: PostgreSQL, {DATABASE_NAME} on 127.0.0.1:5432")
    return f"{POSTGRES}/{DATABASE_NAME}"


def redis_url():
    """REDIS_URL when set; else Redis database 0 on 127.0.0.1 (keys under their own prefix); else none."""
    if os.environ.get("REDIS_URL"):
        print("Redis: REDIS_URL")
        return os.environ["REDIS_URL"]
    try:
        import redis

        redis.Redis.from_url(REDIS, socket_connect_timeout=3).ping()
    except Exception as error:  # noqa: BLE001
        print(f"Redis at 127.0.0.1:6379 did not answer ({error.__class__.__name__}): shared state in the database")
        return ""
    print(f"Redis: {REDIS}, keys prefixed {KEY_PREFIX}")
    return REDIS


def port_free(port):
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def print_welcome(stack, client_key):
    base, ca = stack.https_url, stack.ca_file.relative_to(PROJECT_DIR)
    print(f"""
The API platform as deployed: nginx terminating TLS, round robin over {len(stack.instance_urls)} gunicorn instances
(DEBUG off, production settings, TRUSTED_PROXIES=1), one database and one Redis between them.

  {base}/            (plain http on {stack.http_url} redirects here)

The certificate is signed by a certificate authority made for this stack only: {ca}.
Trust it per command, or skip the check:

  curl --cacert {ca} {base}/v2/status
  curl -k {base}/v2/status

In a browser, accept the warning, or import {ca} as an authority (and remove it when done).
Which instance answered is in the X-Stack-Upstream header. Demo developer: Aladdin / open sesame.

  curl --cacert {ca} -u 'Aladdin:open sesame' -H 'X-Client-Key: {client_key}' {base}/v2

Staff pages at /admin/: make a staff user with `.venv/bin/python -m deploy manage createsuperuser`
(any manage.py command runs on the stack's database that way, e.g. `suspend Aladdin --billing --note x`).

{prometheus_words(stack)}
Logs: .stack/nginx-access.log, .stack/nginx-error.log, .stack/gunicorn-*.log, .stack/prometheus.log. Ctrl-C stops
everything.
""", flush=True)


def prometheus_words(stack):
    if stack.prometheus_url is None:
        return "Prometheus is not installed (`make prometheus`), so nothing scrapes the instances' /metrics.\n"
    return f"""Prometheus scrapes each instance's /metrics every second, with the alert rules of deploy/alerts.yml:

  {stack.prometheus_url}/graph?g0.expr=sum+by+(scheme,outcome)(apiplatform_requests_total)
  {stack.prometheus_url}/alerts

Grafana, where you run one: import deploy/grafana-dashboard.json with {stack.prometheus_url} as its data source.
"""


if __name__ == "__main__":
    main()
