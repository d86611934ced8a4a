"""The nginx configuration of the local stack: TLS on loopback, round robin over the gunicorn instances.

It runs as our own master process (`nginx -p DIR -c DIR/nginx.conf`, in the foreground), never as the
system's service: every path it writes (pid, logs, temporary files) is inside DIR.
"""
import grp
import os
import pwd
from pathlib import Path

# Paths only, never query strings: an OAuth PLAINTEXT signature or a client key may travel there.
LOG_FORMAT = '$remote_addr [$time_local] "$request_method $uri $server_protocol" $status $body_bytes_sent ' \
             '$upstream_addr ${request_time}s'

TEMPLATE = """\
daemon off;
master_process on;
worker_processes 1;
pid {directory}/nginx.pid;
error_log {directory}/nginx-error.log warn;
{user}
events {{
    worker_connections 512;
}}

http {{
    log_format stack '{log_format}';
    access_log {directory}/nginx-access.log stack;
    client_body_temp_path {directory}/temp/body;
    proxy_temp_path {directory}/temp/proxy;
    fastcgi_temp_path {directory}/temp/fastcgi;
    uwsgi_temp_path {directory}/temp/uwsgi;
    scgi_temp_path {directory}/temp/scgi;
    # Bodies past Django's own limits get Django's answer (JSON under /v2), not nginx's page.
    client_max_body_size 20m;
    server_tokens off;

    # Round robin, nginx's default: consecutive requests go to consecutive instances.
    upstream django {{
{servers}
    }}

    server {{
        listen {listen}:{https_port} ssl;
        server_name _;
        ssl_certificate {certificate};
        ssl_certificate_key {key};
        ssl_protocols TLSv1.2 TLSv1.3;

{https_location}    }}

    # Plain HTTP, as a proxy would also accept it: the service must redirect, never serve.
    server {{
        listen {listen}:{http_port};
        server_name _;

{http_location}    }}
}}
"""

# One location for both listeners; only the scheme the client used differs.
LOCATION = """\
        location / {{
            proxy_pass http://django;
            proxy_redirect off;
            # The host and port the client asked for: OAuth 1.0a signs the URL with them.
            proxy_set_header Host $http_host;
            # This proxy appends the address it saw; the service trusts one proxy (TRUSTED_PROXIES=1).
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto {scheme};
            # The request's ID is nginx's own (the app trusts this proxy's), never one a client sent.
            proxy_set_header X-Request-ID $request_id;
            # Which instance answered, for the person trying the stack and for its tests.
            add_header X-Stack-Upstream $upstream_addr always;
        }}
"""


def nginx_config_write(directory, *, https_port, http_port, upstreams, certificate, key, listen="127.0.0.1"):
    """Write `nginx.conf` into `directory` (and its temporary folders); return the file's path.

    `upstreams` are "host:port" of the gunicorn instances.
    """
    directory = Path(directory)
    (directory / "temp").mkdir(exist_ok=True)
    config = TEMPLATE.format(
        directory=directory, user=_worker_user(directory), log_format=LOG_FORMAT, listen=listen,
        https_port=https_port, http_port=http_port, certificate=certificate, key=key,
        https_location=LOCATION.format(scheme="https"), http_location=LOCATION.format(scheme="http"),
        servers="\n".join(f"        server {upstream};" for upstream in upstreams),
    )
    path = directory / "nginx.conf"
    path.write_text(config)
    return path


def _worker_user(directory):
    """As root, nginx's workers drop to `nobody`; they only need to pass through `directory` (the master
    reads the key and opens the logs as root, and hands the temporary folders it creates to them)."""
    if os.geteuid() != 0:
        return ""  # the workers run as we do
    nobody = pwd.getpwnam("nobody")
    os.chmod(directory, 0o711)
    return f"user {nobody.pw_name} {grp.getgrgid(nobody.pw_gid).gr_name};"
