"""The sample names the service's metrics expose (`access.metrics`), and the names a PromQL text uses: for the
tests that hold the alert rules and the dashboard to metrics that exist."""
import re

from prometheus_client.metrics import MetricWrapperBase

from access import metrics

SUFFIXES = {"counter": ("_total",), "histogram": ("_bucket", "_sum", "_count"), "gauge": ("",)}
# Prometheus's own, for every scraped target.
PROMETHEUS_SERIES = {"up"}
METRIC_NAME = re.compile(r"\b(apiplatform_[a-z_]+|up)\b")


def exposed_names():
    names = set()
    for value in vars(metrics).values():
        if isinstance(value, MetricWrapperBase):
            for family in value.describe():
                names.update(family.name + suffix for suffix in SUFFIXES[family.type])
    return names


def names_used(expression):
    return set(METRIC_NAME.findall(expression))
