"""gunicorn settings for `make serve` and `make bench`. Read by gunicorn from the working directory."""
import multiprocessing
import os

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
