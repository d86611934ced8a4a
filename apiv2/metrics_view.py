"""`/metrics`: the service's metrics in Prometheus's text format, for the configured networks and the
holder of the metrics token only (README, "Metrics").

Who may read them: a client whose address (the one client-address rule, `access.client_address`) is in
`METRICS_ALLOWED_NETWORKS`, or one that sends `Authorization: Bearer <METRICS_TOKEN>`, under a host
`ALLOWED_HOSTS` names. Anyone else's request goes on like any other, to the site's 404: nothing tells
that the endpoint exists.
"""
import hashlib
import hmac
import ipaddress
import os

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpResponse
from prometheus_client import REGISTRY, CollectorRegistry, generate_latest, multiprocess
from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4

from access.client_address import client_address

METRICS_PATH = "/metrics"
MULTIPROCESS_DIRECTORY = "PROMETHEUS_MULTIPROC_DIR"  # prometheus_client's own variable (gunicorn.conf.py)


def metrics_allowed(request):
    """May this request read the metrics?"""
    try:
        request.get_host()  # a host we do not serve is the request-shape rule's 400, as for any URL
    except DisallowedHost:
        return False
    return _holds_the_token(request) or _from_allowed_network(request)


def _holds_the_token(request):
    token = settings.METRICS_TOKEN
    words = request.META.get("HTTP_AUTHORIZATION", "").split()
    if not token or len(words) != 2 or words[0].lower() != "bearer":
        return False
    # Digests compared, so neither the time taken nor an early length check tells anything of the token.
    return hmac.compare_digest(hashlib.sha256(words[1].encode()).digest(), hashlib.sha256(token.encode()).digest())


def _from_allowed_network(request):
    try:
        address = ipaddress.ip_address(client_address(request))
    except ValueError:
        return False
    if address.version == 6 and address.ipv4_mapped is not None:  # ::ffff:127.0.0.1 from a dual-stack socket
        address = address.ipv4_mapped
    return any(address in network for network in settings.METRICS_ALLOWED_NETWORKS)


def metrics_response():
    """Every metric of this process, or under gunicorn of every worker of this instance (prometheus_client's
    multiprocess mode: each worker writes its own files in `PROMETHEUS_MULTIPROC_DIR`)."""
    directory = os.environ.get(MULTIPROCESS_DIRECTORY)
    if directory:
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry, path=directory)
    else:
        registry = REGISTRY
    # The classic text format (version 0.0.4), which every Prometheus reads.
    response = HttpResponse(generate_latest(registry), content_type=CONTENT_TYPE_PLAIN_0_0_4)
    response["Cache-Control"] = "no-store"
    return response
