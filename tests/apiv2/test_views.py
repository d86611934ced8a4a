"""Liveness and readiness (`apiv2.views.LiveView`, `ReadyView`): liveness needs nothing; readiness asks
the database and the shared store through the client requests use, and says 503 when either is down."""
import pytest
import requests

from tests.servers import free_port, gunicorn_server

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/v2/live", "/v2/live/"])
def test_live_answers_ok_without_credentials(client, path):
    answer = client.get(path)
    assert answer.status_code == 200 and answer.json() == {"status": "ok"}


@pytest.mark.parametrize("path", ["/v2/ready", "/v2/ready/"])
def test_ready_answers_ok_when_the_database_and_the_store_answer(client, path):
    answer = client.get(path)
    assert answer.status_code == 200
    assert answer.json() == {"status": "ok", "database": "ok", "cache": "ok"}


@pytest.mark.live
@pytest.mark.django_db(transaction=True)
def test_with_redis_unreachable_not_ready_but_live():
    closed = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
    with gunicorn_server(workers=1, extra_env={"REDIS_URL": closed}) as base_url:
        ready = requests.get(f"{base_url}/v2/ready", timeout=30)
        live = requests.get(f"{base_url}/v2/live", timeout=30)
    assert ready.status_code == 503
    assert ready.json() == {"status": 503, "message": "Service Unavailable", "additional": "Unreachable: cache.",
                            "reference": "", "database": "ok", "cache": "unreachable"}
    assert live.status_code == 200 and live.json() == {"status": "ok"}


@pytest.mark.live
def test_live_asks_not_even_the_database(tmp_path):
    nowhere = f"sqlite:///{tmp_path}/no/such/folder/db.sqlite3"  # cannot be opened
    closed = f"redis://127.0.0.1:{free_port()}/0"
    with gunicorn_server(workers=1, extra_env={"DATABASE_URL": nowhere, "REDIS_URL": closed}) as base_url:
        ready = requests.get(f"{base_url}/v2/ready", timeout=30)
        live = requests.get(f"{base_url}/v2/live", timeout=30)
    assert ready.status_code == 503
    assert (ready.json()["database"], ready.json()["cache"]) == ("unreachable", "unreachable")
    assert live.status_code == 200 and live.json() == {"status": "ok"}
