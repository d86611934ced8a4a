"""Instructions per warm request of each scenario, counted by callgrind in one process without HTTP.

`make bench` measures requests/s, which a loaded machine makes noisy; this counts what one request
costs the CPU (Django's WSGI handler called directly, no sockets, no wrk), exactly and repeatably,
so a change to the hot path can be judged on its own. One process under callgrind warms every scenario
up, then runs N requests of each, counted from zero and dumped around each scenario's requests.
`--profile NAME` prints a cProfile of NAME's warm requests instead.

    .venv/bin/python -m bench.instructions [--requests 200] [--profile oauth1-hmac-sha1]
"""
import argparse
import cProfile
import io
import json
import os
import pstats
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1:8000"  # what the requests say; nothing listens there
SCENARIOS = ("reference", "basic+client_key", "oauth1-hmac-sha1", "oauth1-plaintext")
WARM_UP = 30


def prepare():
    """A fresh bench database and Redis db, seeded; the environment and credentials to drive them with."""
    from bench.run import pick_backends, production_env, seed

    # A remembered password outlives the runs (each takes minutes under callgrind): a warm Basic request
    # never hashes the password, and no run should pay for it when another did not.
    env = {**production_env(pick_backends(flush=False)), "BASIC_CREDENTIALS_CACHE_SECONDS": "3600"}
    subprocess.run([sys.executable, "manage.py", "migrate", "--no-input", "-v0"], cwd=PROJECT_DIR, env=env,
                   check=True)
    return {"env": {name: env[name] for name in env if name not in os.environ or os.environ[name] != env[name]},
            "seeded": seed(env, [])}


def drive(state, names, count, profile=False):
    """For each scenario in turn, WARM_UP requests, then `count` more between a "ready" and
    a "done" line on stdout (waiting for a line on stdin after each, while callgrind is told to count
    from zero and to dump); profiled instead when asked. Every request must answer 200."""
    os.environ.update(state["env"])
    from apiproject.wsgi import application as handler  # as gunicorn loads it (`settle` included)
    from bench.scenarios import build_scenarios

    def environs(name, first, number):
        # Signed just before they are sent: under callgrind minutes pass, and a timestamp ages.
        scenarios = {scenario["name"]: scenario
                     for scenario in build_scenarios(state["seeded"], f"http://{HOST}", first + number)}
        requests = scenarios[name]["requests"]
        return [wsgi_environ(*requests[index % len(requests)]) for index in range(first, first + number)]

    def send(name, environ):
        statuses = []
        body = b"".join(handler(environ, lambda status, headers, exc_info=None: statuses.append(status)))
        if not statuses[0].startswith("200"):
            raise SystemExit(f"{name}: {statuses[0]} {body[:200]!r}")

    for name in names:
        for environ in environs(name, 0, WARM_UP):
            send(name, environ)
        measured = environs(name, WARM_UP, count)
        profiler = cProfile.Profile() if profile else None
        if profiler is None:
            print("ready", flush=True)
            sys.stdin.readline()
        else:
            profiler.enable()
        for environ in measured:
            send(name, environ)
        if profiler is None:
            print("done", flush=True)
            sys.stdin.readline()
        else:
            profiler.disable()
            stats = pstats.Stats(profiler)
            stats.sort_stats("cumulative").print_stats(os.environ.get("PROFILE_FILTER", ""), 80)


def wsgi_environ(method, path, headers, body):
    environ = {
        "REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": "", "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000", "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": HOST, "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO((body or "").encode()),
        "wsgi.errors": sys.stderr, "wsgi.multithread": False, "wsgi.multiprocess": True,
    }
    for name, value in (headers or {}).items():
        environ["HTTP_" + name.upper().replace("-", "_")] = value
    return environ


def instructions(state_file, names, count):
    """{scenario: instructions callgrind counts over its `count` measured requests}: one process under
    callgrind, counting from zero (`callgrind_control -z`) before each scenario's requests and dumping
    (`-d`) after them, so start-up and warm-up are never counted."""
    with tempfile.TemporaryDirectory() as workdir:
        process = subprocess.Popen(
            ["valgrind", "--tool=callgrind", f"--callgrind-out-file={workdir}/out",
             sys.executable, "-m", "bench.instructions", "--drive", *names, "--state", state_file,
             "--requests", str(count)],
            cwd=PROJECT_DIR, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )
        counted = {}
        for number, name in enumerate(names, start=1):
            for line, command in (("ready", "-z"), ("done", "-d")):
                if process.stdout.readline().strip() != line:
                    raise SystemExit(f"{name}: the driven process stopped ({process.wait()})")
                subprocess.run(["callgrind_control", command, str(process.pid)], check=True, capture_output=True)
                process.stdin.write("\n")
                process.stdin.flush()
            dump = Path(workdir) / f"out.{number}"
            while not (dump.exists() and re.search(r"^totals: \d+", dump.read_text(), re.M)):
                time.sleep(0.5)
            counted[name] = int(re.search(r"^totals: (\d+)", dump.read_text(), re.M).group(1))
        process.wait()
    return counted


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=200, help="measured requests per scenario")
    parser.add_argument("--scenarios", nargs="*", default=list(SCENARIOS))
    parser.add_argument("--profile", metavar="SCENARIO", help="print a cProfile of this scenario instead")
    parser.add_argument("--drive", nargs="+", metavar="SCENARIO", help=argparse.SUPPRESS)
    parser.add_argument("--state", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.drive:
        drive(json.loads(Path(args.state).read_text()), args.drive, args.requests)
        return
    state = prepare()
    if args.profile:
        drive(state, [args.profile], args.requests, profile=True)
        return
    if not shutil.which("valgrind"):
        raise SystemExit("valgrind is not installed (Debian package `valgrind`)")
    with tempfile.NamedTemporaryFile("w", suffix=".json") as state_file:
        state_file.write(json.dumps(state))
        state_file.flush()
        # The shared store warm before callgrind starts: no counted request pays for a password hash.
        subprocess.run([sys.executable, "-m", "bench.instructions", "--drive", *args.scenarios, "--state",
                        state_file.name, "--requests", "0"], cwd=PROJECT_DIR, check=True, capture_output=True,
                       input="\n" * 2 * len(args.scenarios), text=True)
        counted = instructions(state_file.name, args.scenarios, args.requests)
    per_request = {name: counted[name] // args.requests for name in args.scenarios}
    reference = per_request.get("reference")
    print(f"{'scenario':<20} {'instructions/request':>21} {'vs reference':>13}")
    for name, value in per_request.items():
        ratio = f"{value / reference:.3f}" if reference else "-"
        print(f"{name:<20} {value:>21,} {ratio:>13}")
    print(json.dumps({"requests": args.requests, "instructions_per_request": per_request}))


if __name__ == "__main__":
    main()
