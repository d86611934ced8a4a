"""`make run`'s server speaks HTTP/1.1 as keep-alive clients expect (Node's agent, passport's npm `oauth`):
every request on a reused connection gets its answer, and a connection is closed only after saying so."""
import http.client
import json
import subprocess
from urllib.parse import urlsplit

import pytest

from tests.servers import PROJECT_DIR, dev_server, dev_server_command

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]


def test_make_run_serves_with_gunicorn_reloading_in_debug():
    env, command = dev_server_command(8000)
    assert env == {"DEBUG": "1"}
    assert "gunicorn" in command[0] and "--reload" in command


def test_one_connection_answers_every_request():
    with dev_server() as base:
        address = urlsplit(base)
        connection = http.client.HTTPConnection(address.hostname, address.port, timeout=10)
        for _ in range(10):
            connection.request("GET", "/v2/status")
            response = connection.getresponse()
            assert response.status == 200 and json.loads(response.read())["status"] == "ok"
            if response.getheader("Connection", "").lower() == "close":
                connection.close()  # said so: the client opens a new one
        connection.close()


NODE_KEEP_ALIVE = """
const http = require('http');
const agent = new http.Agent({keepAlive: true, maxSockets: 1});
const url = new URL(process.argv[process.argv.length - 1]);
const body = 'a=1&b=2';
(async () => {
  const statuses = [];
  for (let i = 0; i < 10; i++) {  // a GET, then an (unsigned) form POST, on one kept-alive socket
    const post = i % 2 === 1;
    statuses.push(await new Promise((resolve) => {
      const request = http.request({
        host: url.hostname, port: url.port, agent, method: post ? 'POST' : 'GET',
        path: post ? '/oauth/request_token' : '/v2/status',
        headers: post ? {'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': body.length} : {},
      }, (response) => { response.resume(); response.on('end', () => resolve(response.statusCode)); });
      request.setTimeout(5000, () => request.destroy(new Error('no answer')));
      request.on('error', (error) => resolve(error.code || error.message));
      request.end(post ? body : undefined);
    }));
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  console.log(JSON.stringify(statuses));
  agent.destroy();
})();
"""


def test_node_keep_alive_agent_gets_every_answer():
    with dev_server() as base:
        node = subprocess.run(["node", "-e", NODE_KEEP_ALIVE, f"{base}/v2/status"], cwd=PROJECT_DIR,
                              capture_output=True, text=True, timeout=60, check=True)
    # Django's runserver leaves this client waiting for the answer to its first POST.
    assert json.loads(node.stdout) == [200, 400] * 5, node.stdout
