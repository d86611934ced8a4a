"""Prometheus for the local stack: `deploy/prometheus.yml` pointed at the running gunicorn instances, with the
alert rules of `deploy/alerts.yml`, served on loopback.

It runs as our own process (Debian's `prometheus` binary, `make prometheus` installs it), its data in the
stack's directory, never as the system's service.
"""
import shutil
from pathlib import Path

import yaml

DEPLOY_DIR = Path(__file__).resolve().parent
SCRAPE_CONFIG = DEPLOY_DIR / "prometheus.yml"
ALERT_RULES = DEPLOY_DIR / "alerts.yml"
DASHBOARD = DEPLOY_DIR / "grafana-dashboard.json"
# Short, so a person (or the deployment test) sees a request in Prometheus a moment after sending it.
STACK_SCRAPE_INTERVAL = "1s"


def prometheus_binary():
    """Prometheus from Debian's package, or None."""
    return shutil.which("prometheus") or shutil.which("prometheus", path="/usr/bin")


def prometheus_config_write(directory, *, targets, scrape_interval=STACK_SCRAPE_INTERVAL):
    """`deploy/prometheus.yml` with `targets` (host:port of each instance) in `directory`; its path."""
    config = yaml.safe_load(SCRAPE_CONFIG.read_text())
    config["global"].update(scrape_interval=scrape_interval, evaluation_interval=scrape_interval)
    config["rule_files"] = [str(ALERT_RULES)]
    (job,) = config["scrape_configs"]
    job["static_configs"] = [{"targets": list(targets)}]
    path = Path(directory) / "prometheus.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    return path


def prometheus_command(binary, config, directory, *, host, port):
    """The command line of our Prometheus: `config`, its data under `directory`, on host:port."""
    return [binary, f"--config.file={config}", f"--storage.tsdb.path={Path(directory) / 'prometheus-data'}",
            f"--web.listen-address={host}:{port}", "--storage.tsdb.retention.time=2d", "--log.level=warn"]
