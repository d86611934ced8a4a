"""gunicorn.conf.py runs prometheus_client's multiprocess mode: one scrape of /metrics sums the answers of
every worker, workers that have exited included, and an instance's metrics start empty."""
import pytest
import requests

from tests.scraped import samples, total
from tests.servers import gunicorn_server

STATUS_SERVED = {"group": "api", "scheme": "none", "outcome": "served", "status": "200"}
# Each worker answers one request and exits; the next request is a new worker's.
ONE_REQUEST_EACH = {"GUNICORN_CMD_ARGS": "--max-requests 1"}

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]


def status_served(base_url):
    text = requests.get(f"{base_url}/metrics", timeout=30).text
    return total(samples(text), "apiplatform_requests_total", **STATUS_SERVED)


def test_one_scrape_counts_the_answers_of_every_worker_gone_or_running():
    with gunicorn_server(workers=2, extra_env=ONE_REQUEST_EACH) as base_url:
        before = status_served(base_url)
        for _ in range(4):
            assert requests.get(f"{base_url}/v2/status", timeout=30).status_code == 200
        assert status_served(base_url) - before == 4


def test_a_configured_directory_is_emptied_at_start(tmp_path):
    directory = tmp_path / "metrics"
    env = {**ONE_REQUEST_EACH, "PROMETHEUS_MULTIPROC_DIR": str(directory)}
    with gunicorn_server(workers=1, extra_env=env) as base_url:
        for _ in range(3):
            assert requests.get(f"{base_url}/v2/status", timeout=30).status_code == 200
        first_run = status_served(base_url)
    files_of_the_first_run = set(directory.glob("*.db"))
    assert first_run >= 3 and files_of_the_first_run
    with gunicorn_server(workers=1, extra_env=env) as base_url:
        assert status_served(base_url) < first_run  # only this run's readiness checks
        assert files_of_the_first_run - set(directory.glob("*.db")) == files_of_the_first_run
