"""Instructions per warm request of each scenario, counted by callgrind in one process without HTTP.

`make bench` measures requests/s, which a loaded machine makes noisy; this counts what one request
costs the CPU (Django's WSGI handler called directly, no sockets, no wrk), exactly and repeatably,
so a change to the hot path can be judged on its own. Each scenario runs twice under callgrind,
with no measured requests and with N (after the same warm-up), and the difference is divided by N.
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
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1:8000"  # what the requests say; nothing listens there
SCENARIOS = ("reference", "basic+client_key", "oauth1-hmac-sha1", "oauth1-plaintext")
WARM_UP = 30
SIGNED = 1000  # pre-signed requests per OAuth scenario, the same number in every run


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


def drive(state, scenario_name, count, profile=False):
    """WARM_UP requests of the scenario, then `count` more (profiled when asked); each must answer 200."""
    os.environ.update(state["env"])
    from django.core.wsgi import get_wsgi_application

    from bench.scenarios import build_scenarios

    handler = get_wsgi_application()
    scenarios = {scenario["name"]: scenario for scenario in build_scenarios(state["seeded"], f"http://{HOST}", SIGNED)}
    requests = scenarios[scenario_name]["requests"]
    environs = [wsgi_environ(*requests[index % len(requests)]) for index in range(WARM_UP + count)]

    def send(environ):
        statuses = []
        body = b"".join(handler(environ, lambda status, headers, exc_info=None: statuses.append(status)))
        if not statuses[0].startswith("200"):
            raise SystemExit(f"{scenario_name}: {statuses[0]} {body[:200]!r}")

    for environ in environs[:WARM_UP]:
        send(environ)
    profiler = cProfile.Profile() if profile else None
    if profiler:
        profiler.enable()
    for environ in environs[WARM_UP:]:
        send(environ)
    if profiler:
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


def instructions(state_file, scenario_name, count):
    """Instructions callgrind counts for the whole run (start-up and warm-up included)."""
    with tempfile.TemporaryDirectory() as workdir:
        run = subprocess.run(
            ["valgrind", "--tool=callgrind", f"--callgrind-out-file={workdir}/out",
             sys.executable, "-m", "bench.instructions", "--drive", scenario_name, "--state", state_file,
             "--requests", str(count)],
            cwd=PROJECT_DIR, capture_output=True, text=True, check=True,
        )
    return int(re.search(r"Collected : (\d+)", run.stderr).group(1))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=200, help="measured requests per scenario")
    parser.add_argument("--scenarios", nargs="*", default=list(SCENARIOS))
    parser.add_argument("--profile", metavar="SCENARIO", help="print a cProfile of this scenario instead")
    parser.add_argument("--drive", metavar="SCENARIO", help=argparse.SUPPRESS)
    parser.add_argument("--state", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.drive:
        drive(json.loads(Path(args.state).read_text()), args.drive, args.requests)
        return
    state = prepare()
    if args.profile:
        drive(state, args.profile, args.requests, profile=True)
        return
    if not shutil.which("valgrind"):
        raise SystemExit("valgrind is not installed (Debian package `valgrind`)")
    with tempfile.NamedTemporaryFile("w", suffix=".json") as state_file:
        state_file.write(json.dumps(state))
        state_file.flush()
        for name in args.scenarios:  # every run starts from the same warm shared store
            subprocess.run([sys.executable, "-m", "bench.instructions", "--drive", name, "--state", state_file.name,
                            "--requests", "0"], cwd=PROJECT_DIR, check=True, capture_output=True)
        runs = [(name, count) for name in args.scenarios for count in (0, args.requests)]
        with ThreadPoolExecutor(max_workers=2) as pool:
            totals = dict(zip(runs, pool.map(lambda run: instructions(state_file.name, *run), runs), strict=True))
    per_request = {name: (totals[name, args.requests] - totals[name, 0]) // args.requests for name in args.scenarios}
    reference = per_request.get("reference")
    print(f"{'scenario':<20} {'instructions/request':>21} {'vs reference':>13}")
    for name, value in per_request.items():
        ratio = f"{value / reference:.3f}" if reference else "-"
        print(f"{name:<20} {value:>21,} {ratio:>13}")
    print(json.dumps({"requests": args.requests, "instructions_per_request": per_request}))


if __name__ == "__main__":
    main()
