"""Who may read /metrics, as configured (`apiproject.config`): networks in CIDR form, loopback by default, a
token of some length; a malformed or dangerous value stops start-up naming the variable."""
from ipaddress import ip_network

import pytest

from apiproject.config import ConfigurationError, ProjectConfig
from tests.test_settings import PRODUCTION_KEY, manage


def config(**environ):
    return ProjectConfig.from_environ({"SECRET_KEY": PRODUCTION_KEY, **environ})


def problems(**environ):
    with pytest.raises(ConfigurationError) as raised:
        config(**environ)
    return raised.value.problems


def test_by_default_only_loopback_reads_the_metrics_and_there_is_no_token():
    default = config()
    assert [str(network) for network in default.METRICS_ALLOWED_NETWORKS] == ["127.0.0.0/8", "::1/128"]
    assert default.METRICS_TOKEN == ""


def test_networks_are_read_in_cidr_form_an_address_alone_being_its_own():
    networks = config(METRICS_ALLOWED_NETWORKS=" 10.0.0.0/8, fd00::/8 ,192.0.2.7 ").METRICS_ALLOWED_NETWORKS
    assert networks == (ip_network("10.0.0.0/8"), ip_network("fd00::/8"), ip_network("192.0.2.7/32"))


@pytest.mark.parametrize("value, problem", [
    ("10.0.0.0/33", "METRICS_ALLOWED_NETWORKS has '10.0.0.0/33', which is not a network like 10.0.0.0/8"),
    ("intranet", "METRICS_ALLOWED_NETWORKS has 'intranet', which is not a network like 10.0.0.0/8"),
    ("10.1.2.3/8", "METRICS_ALLOWED_NETWORKS has '10.1.2.3/8', which sets bits past its prefix; did you mean "
                   "10.0.0.0/8?"),
    (",", "METRICS_ALLOWED_NETWORKS names no network"),
])
def test_a_malformed_network_is_named(value, problem):
    (found,) = problems(METRICS_ALLOWED_NETWORKS=value)
    assert found.startswith(problem), found


@pytest.mark.parametrize("everyone", ["0.0.0.0/0", "10.0.0.0/8,::/0"])
def test_production_refuses_to_show_the_metrics_to_every_address(everyone):
    (found,) = problems(METRICS_ALLOWED_NETWORKS=everyone)
    assert found.startswith("METRICS_ALLOWED_NETWORKS must not let every address read the metrics when DEBUG is off")
    assert config(DEBUG="1", METRICS_ALLOWED_NETWORKS=everyone).METRICS_ALLOWED_NETWORKS[-1].prefixlen == 0


def test_a_short_token_is_refused_without_being_shown():
    (found,) = problems(METRICS_TOKEN="short-but-secret")
    assert found.startswith("METRICS_TOKEN must be at least 32 characters (value not shown)")
    assert "short-but-secret" not in found
    assert config(METRICS_TOKEN="x" * 32).METRICS_TOKEN == "x" * 32


def test_manage_py_stops_on_a_malformed_network_naming_it():
    result = manage("check", DEBUG="1", METRICS_ALLOWED_NETWORKS="10.0.0.0/8,localhost")
    assert result.returncode == 2, result.stdout + result.stderr
    assert "METRICS_ALLOWED_NETWORKS has 'localhost', which is not a network" in result.stderr
    assert "Traceback" not in result.stderr
