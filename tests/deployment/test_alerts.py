"""deploy/'s Prometheus files: the alert rules pass `promtool check rules` and their own unit tests
(`promtool test rules deploy/alerts_test.yml`), the scrape configuration passes `promtool check config`,
and every metric they name is one the service exposes."""
import shutil
import subprocess

import pytest
import yaml

from deploy.prometheus import ALERT_RULES, DEPLOY_DIR, SCRAPE_CONFIG, prometheus_config_write
from tests.deployment.metric_names import PROMETHEUS_SERIES, exposed_names, names_used

PROMTOOL = shutil.which("promtool")
needs_promtool = pytest.mark.skipif(PROMTOOL is None, reason="promtool is not installed: `make prometheus`")


def promtool(*arguments):
    return subprocess.run([PROMTOOL, *arguments], cwd=DEPLOY_DIR, capture_output=True, text=True, timeout=60)


def rules():
    return [rule for group in yaml.safe_load(ALERT_RULES.read_text())["groups"] for rule in group["rules"]]


@needs_promtool
def test_the_alert_rules_pass_promtool_check_rules():
    result = promtool("check", "rules", str(ALERT_RULES))
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"SUCCESS: {len(rules())} rules found" in result.stdout


@needs_promtool
def test_the_alerts_fire_when_they_should_and_not_before():
    result = promtool("test", "rules", "alerts_test.yml")
    assert result.returncode == 0, result.stdout + result.stderr


@needs_promtool
def test_the_scrape_configuration_passes_promtool_check_config(tmp_path):
    for config in (SCRAPE_CONFIG, prometheus_config_write(tmp_path, targets=["127.0.0.1:1", "127.0.0.1:2"])):
        result = promtool("check", "config", str(config))
        assert result.returncode == 0, result.stdout + result.stderr


def test_every_metric_an_alert_names_is_exposed():
    exposed = exposed_names() | PROMETHEUS_SERIES
    used = {name for rule in rules() for name in names_used(rule["expr"])}
    assert used and used - exposed == set()


def test_the_alerts_cover_errors_the_store_refusals_and_latency():
    watched = " ".join(rule["expr"] for rule in rules())
    for name in ("apiplatform_requests_total", "apiplatform_store_errors_total", "apiplatform_store_fallbacks_total",
                 "apiplatform_request_duration_seconds_bucket"):
        assert name in watched, name
    assert 'status=~"5.."' in watched and 'outcome="refused"' in watched and "by (reason)" in watched
