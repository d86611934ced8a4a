"""deploy/grafana-dashboard.json: it loads, has the structure Grafana imports (panels on a 24-column grid,
each with Prometheus targets from the dashboard's data-source variable), every query is PromQL that
`promtool` parses, and every metric a query names is one the service exposes."""
import json
import re
import shutil
import subprocess

import pytest
import yaml

from deploy.prometheus import DASHBOARD
from tests.deployment.metric_names import PROMETHEUS_SERIES, exposed_names, names_used

PANEL_TYPES = {"timeseries", "stat", "gauge", "bargauge", "table", "text", "row"}
DATA_SOURCE = {"type": "prometheus", "uid": "${datasource}"}
# What Grafana puts in a query before Prometheus sees it.
GRAFANA_VARIABLES = {"$__rate_interval": "5m", "$__interval": "1m", "$instance": ".*"}


def dashboard():
    return json.loads(DASHBOARD.read_text())


def targets():
    return [(panel["title"], target) for panel in dashboard()["panels"] for target in panel.get("targets", [])]


def test_the_dashboard_has_grafanas_structure():
    board = dashboard()
    assert board["title"] and board["uid"] and isinstance(board["schemaVersion"], int)
    variables = {variable["name"]: variable for variable in board["templating"]["list"]}
    assert variables["datasource"]["type"] == "datasource" and variables["datasource"]["query"] == "prometheus"
    assert variables["instance"]["datasource"] == DATA_SOURCE
    panels = board["panels"]
    assert len(panels) >= 10
    assert len({panel["id"] for panel in panels}) == len(panels)
    occupied = set()
    for panel in panels:
        assert panel["type"] in PANEL_TYPES and panel["title"], panel
        grid = panel["gridPos"]
        assert all(isinstance(grid[key], int) for key in ("h", "w", "x", "y")), panel["title"]
        assert grid["w"] > 0 and grid["h"] > 0 and grid["x"] + grid["w"] <= 24, panel["title"]
        cells = {(x, y) for x in range(grid["x"], grid["x"] + grid["w"])
                 for y in range(grid["y"], grid["y"] + grid["h"])}
        assert not cells & occupied, f"{panel['title']} overlaps another panel"
        occupied |= cells
        assert panel["datasource"] == DATA_SOURCE and panel["targets"], panel["title"]
        ref_ids = [target["refId"] for target in panel["targets"]]
        assert len(set(ref_ids)) == len(ref_ids), panel["title"]


def test_every_query_names_metrics_the_service_exposes():
    exposed = exposed_names() | PROMETHEUS_SERIES
    for title, target in targets():
        used = names_used(target["expr"])
        assert used and used - exposed == set(), (title, target["expr"])


def test_the_dashboard_shows_every_metric_of_the_service():
    shown = {name for _, target in targets() for name in names_used(target["expr"])}
    families = {re.sub(r"_(total|bucket|sum|count)$", "", name) for name in exposed_names()}
    assert {family for family in families if not any(name.startswith(family) for name in shown)} == set()


@pytest.mark.skipif(shutil.which("promtool") is None, reason="promtool is not installed: `make prometheus`")
def test_every_query_is_promql(tmp_path):
    """Each query as a recording rule, with Grafana's variables filled in: `promtool check rules` parses it."""
    def filled(expression):
        for variable, value in GRAFANA_VARIABLES.items():
            expression = expression.replace(variable, value)
        return expression

    rules = [{"record": f"dashboard:query_{number}", "expr": filled(target["expr"])}
             for number, (_, target) in enumerate(targets())]
    path = tmp_path / "dashboard-queries.yml"
    path.write_text(yaml.safe_dump({"groups": [{"name": "dashboard", "rules": rules}]}))
    result = subprocess.run(["promtool", "check", "rules", str(path)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
