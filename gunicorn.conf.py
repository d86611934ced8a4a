"""gunicorn settings for `make serve` and `make bench`. Read by gunicorn from the working directory."""
import multiprocessing
import os
import shutil
import tempfile

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2))
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# The path only, never the query string: an OAuth PLAINTEXT signature or a client key may travel there.
accesslog = os.environ.get("ACCESS_LOG", "-")
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'
# Whether X-Forwarded-Proto marks a request as HTTPS is Django's call (TRUST_X_FORWARDED_PROTO ->
# SECURE_PROXY_SSL_HEADER). gunicorn would otherwise set the https scheme itself for loopback peers,
# and Django's is_secure() would believe it even with that setting off.
secure_scheme_headers = {}

# --- Metrics: prometheus_client's multiprocess mode (`/metrics` sums every worker's files) ---------------
# PROMETHEUS_MULTIPROC_DIR as the operator set it (one directory per gunicorn instance), else a directory
# of this instance's own, made at start and removed at exit. Set before any worker imports
# prometheus_client: the library picks its mode at import. It starts empty, so counts begin at zero
# with the instance, as Prometheus expects of a restarted target.
METRICS_DIRECTORY = "PROMETHEUS_MULTIPROC_DIR"


def on_starting(server):
    directory = os.environ.get(METRICS_DIRECTORY)
    if directory:
        os.makedirs(directory, exist_ok=True)
        for name in os.listdir(directory):
            if name.endswith(".db"):
                os.remove(os.path.join(directory, name))
    else:
        os.environ[METRICS_DIRECTORY] = server.metrics_directory_made = tempfile.mkdtemp(
            prefix="apiplatform-metrics-", dir=worker_tmp_dir)


def child_exit(server, worker):
    """A worker's live gauges end with it; its counts stay in the totals."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def on_exit(server):
    made = getattr(server, "metrics_directory_made", None)
    if made:
        shutil.rmtree(made, ignore_errors=True)


# LOG_FORMAT=json (docs/contract.md, "Configuration"): Django writes one JSON access line per request
# (`apiproject.access_log`), with the request ID, scheme and outcome gunicorn cannot know, so gunicorn
# writes none; its own lines (workers booting, timeouts) are JSON lines too. A malformed value is
# reported by the application's configuration check as it loads.
if os.environ.get("LOG_FORMAT", "").strip().lower() == "json":
    from gunicorn.glogging import Logger

    from apiproject.log_lines import JsonLines

    accesslog = None

    class JsonLinesLogger(Logger):
        def setup(self, cfg):
            super().setup(cfg)
            for handler in self.error_log.handlers:
                handler.setFormatter(JsonLines())

    logger_class = JsonLinesLogger
