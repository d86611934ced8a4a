"""`make bench`: gunicorn with production settings on loopback, driven by wrk, scenario by scenario.

Prints requests/s, p50 and p99 latency, error counts and Redis's CPU per request per scenario, each
as a ratio to the unauthenticated reference, as a table and as JSON, once per Redis topology (one
server, a three-master Cluster; `BENCH_TOPOLOGIES`). Bounded in time; loopback only.
"""
import argparse
import json
import os
import random
import re
import runpy
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.error import HTTPError
from urllib.request import Request, urlopen

from cryptography.fernet import Fernet

from bench.port import free_port
from bench.stores import TOPOLOGIES, bench_store

PROJECT_DIR = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
PASSWORD = "bench password"


# --- Backends ---------------------------------------------------------------------------------


# The bench's own database, dropped and made again for each topology: BENCH_DATABASE keeps it apart from
# other people's on a shared machine. Redis is the topology's own (`bench.stores`).
DATABASE_NAME = os.environ.get("BENCH_DATABASE", "bench")


def fresh_database():
    """PostgreSQL on this machine when reachable, else SQLite: an empty database, as DATABASE_URL."""
    try:
        import psycopg

        with psycopg.connect(f"postgresql://postgres@{HOST}:5432/postgres", autocommit=True,
                             connect_timeout=3) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{DATABASE_NAME}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
        return {"DATABASE_URL": f"postgres://postgres@{HOST}:5432/{DATABASE_NAME}"}
    except Exception as error:  # noqa: BLE001 - any failure means "not reachable", said below
        print(f"PostgreSQL not reachable ({error.__class__.__name__}); using SQLite")
        path = PROJECT_DIR / "bench.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return {"DATABASE_URL": f"sqlite:///{path}"}


def pick_backends(flush=True):
    """A fresh database and the Redis on 127.0.0.1:6379 when it answers, for `bench.instructions`, which
    drives the service in its own process and starts no Redis."""
    from bench.stores import shared_store

    store = shared_store(flush=flush)
    store.close()
    return {**fresh_database(), **store.env}


def production_env(backends):
    # The topology's store alone decides where shared state lives, whatever the shell exports.
    inherited = {name: value for name, value in os.environ.items() if not name.startswith("REDIS_")}
    return {
        **inherited,
        **backends,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "SECRET_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "ALLOWED_HOSTS": HOST,
        "TRUST_X_FORWARDED_PROTO": "1",
        # Limits stay in force (their cost is part of every request) but high enough never to bite.
        "API_RATE_LIMIT": "100000000/s",
        "API_ACCOUNT_RATE_LIMIT": "100000000/s",
        "ACCESS_LOG": "/dev/null",
    }


# --- Seeding (runs in a child process with the production environment) --------------------------


def seed(env, arguments):
    out = subprocess.run(
        [sys.executable, "-m", "bench.seed", *arguments], cwd=PROJECT_DIR, env=env,
        check=True, capture_output=True, text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


# --- Server -----------------------------------------------------------------------------------


def pinned(command, role, pin):
    """`command` on its own CPUs when pinning is asked for and possible: wrk on the first CPU, the server
    on the others, so that the load generator and the server do not take turns on one core."""
    cpus = sorted(os.sched_getaffinity(0))
    if not pin or len(cpus) < 2 or not shutil.which("taskset"):
        return command
    chosen = cpus[:1] if role == "wrk" else cpus[1:]
    return ["taskset", "-c", ",".join(map(str, chosen)), *command]


def served_workers():
    """The number of gunicorn workers `make serve` starts here: gunicorn.conf.py's own `workers`."""
    return runpy.run_path(str(PROJECT_DIR / "gunicorn.conf.py"))["workers"]


def start_server(env, port, workers, pin=False, log=None):
    """gunicorn on `port`, its output to the open file `log` (else ours), once it answers /v2/status."""
    subprocess.run([sys.executable, "manage.py", "migrate", "--no-input", "-v0"], cwd=PROJECT_DIR,
                   env=env, check=True)
    server = subprocess.Popen(
        pinned([sys.executable, "-m", "gunicorn", "apiproject.wsgi:application", "--config", "gunicorn.conf.py",
         "--bind", f"{HOST}:{port}", "--workers", str(workers), "--log-level", "warning"], "server", pin),
        cwd=PROJECT_DIR, env=env, stdout=log, stderr=log,
    )
    deadline = time.monotonic() + 120  # a loaded machine starts it slowly
    while time.monotonic() < deadline:
        try:
            urlopen(Request(f"http://{HOST}:{port}/v2/status", headers={"X-Forwarded-Proto": "https"}),
                    timeout=2)
            return server
        except OSError:
            time.sleep(0.3)
    server.terminate()
    raise SystemExit("gunicorn did not start" + (f": {Path(log.name).read_text()[-3000:]}" if log else ""))


# --- wrk --------------------------------------------------------------------------------------

# Each thread formats its requests once, in `init` (before the run is timed), and then hands out ready
# strings: formatting per request, and collecting the garbage it leaves in a table of thousands of
# signed requests, made wrk cost a signed scenario more CPU per request than the reference, on the
# same cores as the server. The order is as before: thread k sends k+n, k+2n, ... (n threads).
LUA_TEMPLATE = """
local requests = {requests}
local counter = 0
function setup(thread)
  thread:set("offset", counter)
  counter = counter + 1
end
function init(args)
  formatted = {{}}
  for k = 1, #requests do
    local item = requests[((offset + k * {threads}) % #requests) + 1]
    formatted[k] = wrk.format(item[1], item[2], item[3], item[4])
  end
  requests = nil
  collectgarbage()
  index = 0
end
function request()
  index = index % #formatted + 1
  return formatted[index]
end
"""


def lua_literal(value):
    if isinstance(value, dict):
        return "{" + ", ".join(f"[{lua_literal(k)}] = {lua_literal(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "{" + ", ".join(lua_literal(item) for item in value) + "}"
    if value is None:
        return "nil"
    return json.dumps(value)  # a JSON string literal is a valid Lua string literal for our ASCII data


def server_cpu_seconds(pid):
    """CPU seconds (user + system) used so far by gunicorn's master `pid` and its workers, alive or reaped,
    from /proc: what the app host spends on the requests."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # gone meanwhile
        parent, used, reaped = int(fields[1]), int(fields[11]) + int(fields[12]), int(fields[13]) + int(fields[14])
        if int(entry.name) == pid:
            total += used + reaped
        elif parent == pid:
            total += used
    return total / tick


def run_wrk(base_url, scenario, seconds, threads, connections, workdir, pin=False, redis_cpu=None, idle_rate=None,
            app_cpu=None):
    """One wrk run of `scenario`; `redis_cpu` (the store's `cpu_seconds`) and `app_cpu` (gunicorn's,
    `server_cpu_seconds`) are read just before and just after, and `idle_rate` (Redis's CPU seconds per
    second with no requests) taken off once more."""
    script = Path(workdir) / f"{scenario['name']}.lua"
    script.write_text(LUA_TEMPLATE.format(requests=lua_literal(scenario["requests"]), threads=threads))
    redis_before = redis_cpu() if redis_cpu else None
    app_before = app_cpu() if app_cpu else None
    started = time.monotonic()
    before = os.times()
    output = subprocess.run(
        # A response that takes seconds on a loaded machine is slow, not lost: counted, not a socket error.
        pinned(["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "--latency",
                "-s", str(script), base_url], "wrk", pin),
        check=True, capture_output=True, text=True, timeout=seconds + 60,
    ).stdout
    after = os.times()
    window = time.monotonic() - started
    redis_after = redis_cpu() if redis_cpu else None
    app_after = app_cpu() if app_cpu else None
    run = parse_wrk(output)
    # The app host's CPU per request: gunicorn's workers (Python, Django, our code, the store's client).
    run["app_cpu_us"] = (round(1e6 * (app_after - app_before) / max(run["requests"], 1), 1)
                         if app_before is not None else None)
    # The load generator's own CPU per request (start-up and script loading included): it shares the machine
    # with the server, so it should cost every scenario alike.
    used = (after.children_user + after.children_system) - (before.children_user + before.children_system)
    run["wrk_cpu_us"] = round(1e6 * used / max(run["requests"], 1), 1)
    # Redis's CPU per request, from its own counters (every node of a Cluster): what the requests cost the
    # store, plus its idle work over the run (cron, a Cluster's gossip), which the reference's row shows.
    run["redis_cpu_us"] = (round(1e6 * (redis_after - redis_before) / max(run["requests"], 1), 2)
                           if redis_before is not None else None)
    if redis_before is not None and idle_rate is not None:
        # The same less what Redis uses idle over as long a time: what the requests themselves cost it.
        used = redis_after - redis_before - idle_rate * window
        run["redis_cpu_us_above_idle"] = round(1e6 * used / max(run["requests"], 1), 2)
    else:
        run["redis_cpu_us_above_idle"] = None
    return run


def parse_wrk(output):
    def latency(label):
        match = re.search(rf"^\s*{label}%\s+([\d.]+)(us|ms|s)\s*$", output, re.M)
        value, unit = float(match.group(1)), match.group(2)
        return value * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "requests_per_s": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
        "p50_ms": round(latency("50"), 3),
        "p99_ms": round(latency("99"), 3),
        "non_2xx": int(non_2xx.group(1)) if non_2xx else 0,
        "socket_errors": errors,
    }


class PreflightFailed(Exception):
    """A scenario's first request did not answer 200: the scenario is left out of the run, and said so."""


def preflight(base_url, scenario):
    """One request of each scenario must answer 200 directly (no redirect) before load is applied."""
    method, path, headers, body = scenario["requests"][-1]
    request = Request(base_url + path, method=method, headers=headers or {},
                      data=body.encode() if body else None)
    try:
        with urlopen(request, timeout=120) as response:  # a loaded machine may take long
            status, text = response.status, ""
    except HTTPError as error:
        status, text = error.code, error.read(300).decode(errors="replace")
    if status != 200:
        raise PreflightFailed(f"preflight answered {status} {text}".strip())


# --- Main -------------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mode", choices=["normal", "large"], default=os.environ.get("BENCH_MODE", "normal"))
    parser.add_argument("--seconds", type=int, default=int(os.environ.get("BENCH_SECONDS", "3")),
                        help="per scenario and round")
    parser.add_argument("--rounds", type=int, default=int(os.environ.get("BENCH_ROUNDS", "21")),
                        help="scenarios run interleaved, round after round; the median round counts")
    parser.add_argument("--pin", action=argparse.BooleanOptionalAction,
                        default=os.environ.get("BENCH_PIN", "0") == "1",
                        help="wrk on one CPU, the server on the others (taskset)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    # As `make serve` runs it: gunicorn.conf.py's count (WEB_CONCURRENCY, else two per CPU) unless asked.
    parser.add_argument("--workers", type=int, default=int(os.environ.get("BENCH_WORKERS") or served_workers()))
    parser.add_argument("--only", nargs="+", metavar="SCENARIO",
                        default=os.environ.get("BENCH_ONLY", "").split() or None,
                        help="these scenarios only (the reference is always run)")
    parser.add_argument("--topologies", type=topologies, default=os.environ.get("BENCH_TOPOLOGIES", ""),
                        help="comma-separated, run one after the other: server (one redis-server), cluster "
                             "(three masters); both by default")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (Debian package `wrk`; `make bench` installs it)")

    print(f"Topologies: {', '.join(args.topologies)}; gunicorn workers: {args.workers}; wrk -t{args.threads} "
          f"-c{args.connections} -d{args.seconds}s x {args.rounds} rounds; mode: {args.mode}; "
          f"pinned: {'yes' if args.pin else 'no'}; load average (1 min): {os.getloadavg()[0]:.1f}", flush=True)
    sections = {}
    for topology in args.topologies:
        with tempfile.TemporaryDirectory(prefix=f"bench-{topology}-") as directory, \
                bench_store(topology, directory) as store:
            if store is not None:
                sections[topology] = run_topology(topology, store, args, Path(directory))
    print()
    print(json.dumps({"mode": args.mode, "workers": args.workers, "seconds": args.seconds, "rounds": args.rounds,
                      "pinned": args.pin, **sections}))
    failures = [f"{name} ({topology})" for topology, section in sections.items()
                for name, row in section["results"].items()
                if "left_out" in row or row["non_2xx"] or row["socket_errors"]]
    failures += [f"{section['store_failures_logged']} store failures logged ({topology})"
                 for topology, section in sections.items() if section["store_failures_logged"]]
    if failures:
        raise SystemExit(f"scenarios left out, unexpected non-2xx responses or socket errors, or store failures, in: "
                         f"{', '.join(failures)}")


def topologies(value):
    """`BENCH_TOPOLOGIES` / `--topologies`: names from `bench.stores.TOPOLOGIES`, comma-separated; empty: all."""
    names = [name.strip() for name in value.split(",") if name.strip()] or list(TOPOLOGIES)
    unknown = [name for name in names if name not in TOPOLOGIES]
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown topology {', '.join(unknown)}: choose from {', '.join(TOPOLOGIES)}")
    return names


def run_topology(topology, store, args, directory):
    """Every scenario against gunicorn on a fresh database and `store`: its table printed, its JSON section.
    gunicorn's log goes to `directory`; the store failures it tells of are counted (a figure measured while
    the service fell back to the database is not Redis's)."""
    backends = {**fresh_database(), **store.env}
    env = production_env(backends)
    database = "PostgreSQL" if backends["DATABASE_URL"].startswith("postgres") else "SQLite"
    print(f"\n== {topology}: {database} + {store.description}", flush=True)
    load = os.getloadavg()[0]
    port = free_port()
    log_path = directory / "gunicorn.log"
    with log_path.open("w") as log:
        server = start_server(env, port, args.workers, args.pin, log)
    base_url = f"http://{HOST}:{port}"
    try:
        seeded = seed(env, [])
        app_cpu = lambda: server_cpu_seconds(server.pid)  # noqa: E731 - read around each run
        results = measure(seeded, base_url, args, store, only=("reference", *args.only) if args.only else None,
                          app_cpu=app_cpu)
        if args.mode == "large":
            # The same OAuth scenario again, side by side with the reference, once the stores are full.
            print(f"Seeding {LARGE_SUMMARY} ...", flush=True)
            seed(env, ["--add-large", seeded["client_key"]])
            large = measure(seeded, base_url, args, store, only=("reference", "oauth1-hmac-sha1"), app_cpu=app_cpu)
            results.update({f"{name} (large)": row for name, row in large.items()})
    finally:
        server.terminate()
        server.wait(timeout=30)
    logged = log_path.read_text().splitlines()
    section = report(topology, results, database, store.description, (load, os.getloadavg()[0]))
    # A call that timed out is the loaded machine's doing; a store that errors is the store's.
    for what, marker in (("timeouts", "shared cache timed out"), ("failures", "shared cache unreachable")):
        lines = [line for line in logged if marker in line]
        section[f"store_{what}_logged"] = len(lines)
        if lines:
            distinct = sorted(set(lines), key=lines.index)
            print(f"The service logged {len(lines)} store {what} (it fell back or refused): "
                  + "; ".join(distinct[:5]), flush=True)
    return section


LARGE_SUMMARY = "100,000 access tokens and 1,000,000 nonces"


def measure(seeded, base_url, args, store, only=None, app_cpu=None):
    """Every scenario's runs, round after round: each round runs each scenario once, side by side with the
    reference, in the listed order and reversed every other round, so that no scenario always runs next
    to the reference (or always far from it). A warm-up run of each scenario comes first, not counted
    but for its errors."""
    from bench.scenarios import build_scenarios

    rounds, warm_up, described, left_out = {}, {}, {}, {}
    fastest = 0.0
    redis_cpu = store.cpu_seconds if store.clients else None
    idle_rate = idle_cpu_rate(redis_cpu) if redis_cpu else None
    if idle_rate is not None:
        print(f"Redis idle: {1e6 * idle_rate:.0f} us of CPU per second", flush=True)
    with tempfile.TemporaryDirectory() as workdir:
        for number in range(-1, args.rounds):  # -1: the warm-up
            # Enough unique pre-signed requests that no nonce repeats within a run: twice what the fastest
            # scenario managed so far (signing costs time between the runs, more on a loaded machine).
            budget = 10000 if number < 0 else int(2 * fastest * args.seconds) + 1000
            scenarios = [scenario for scenario in build_scenarios(seeded, base_url, budget)  # fresh nonces
                         if not only or scenario["name"] in only]
            listed = [scenario["name"] for scenario in scenarios]
            if number % 2:
                scenarios.reverse()
            for scenario in scenarios:
                described[scenario["name"]] = {key: scenario[key] for key in ("goal", "peer_of", "ceiling")
                                                if key in scenario}
                if scenario["name"] in left_out:
                    continue
                try:
                    preflight(base_url, scenario)
                except PreflightFailed as error:
                    if scenario["name"] == "reference":
                        raise SystemExit(f"reference: {error}") from None
                    left_out[scenario["name"]] = str(error)
                    print(f"{scenario['name']}: {error}; left out of this run", flush=True)
                    continue
                seconds = WARM_UP_SECONDS if number < 0 else args.seconds
                run = run_wrk(base_url, scenario, seconds, args.threads, args.connections, workdir, args.pin,
                              redis_cpu=redis_cpu, idle_rate=idle_rate, app_cpu=app_cpu)
                (warm_up if number < 0 else rounds).setdefault(scenario["name"], []).append(run)
                fastest = max(fastest, run["requests_per_s"])
            if number >= 0:
                print_round(number, rounds)
    ordered = [name for name in listed if name in rounds or name in left_out]  # as listed in `bench.scenarios`
    return {name: {**described[name], **({"left_out": left_out[name]} if name in left_out else
                                         median_round(rounds[name] + warm_up.get(name, []), rounds[name]))}
            for name in ordered}


WARM_UP_SECONDS = 2
IDLE_SECONDS = 2


def idle_cpu_rate(redis_cpu):
    """Redis's CPU seconds per second while no request comes (its cron; a Cluster's gossip between nodes),
    over IDLE_SECONDS: a fixed cost that a run of few requests would otherwise charge to each of them."""
    before, started = redis_cpu(), time.monotonic()
    time.sleep(IDLE_SECONDS)
    return (redis_cpu() - before) / (time.monotonic() - started)


def print_round(number, rounds):
    """One line per round as it ends: its requests/s and ratios, to watch the noise while it runs."""
    reference = rounds["reference"][-1]["requests_per_s"] if "reference" in rounds else 0
    parts = [f"{name} {runs[-1]['requests_per_s']:.0f}"
             + (f" ({runs[-1]['requests_per_s'] / reference:.2f})" if reference and name != "reference" else "")
             + f" [wrk {runs[-1]['wrk_cpu_us']:.0f} us/request"
             + (f", redis {runs[-1]['redis_cpu_us']:.1f}" if runs[-1]["redis_cpu_us"] is not None else "") + "]"
             for name, runs in rounds.items()]
    print(f"round {number + 1}: load {os.getloadavg()[0]:.1f}; " + ", ".join(parts), flush=True)


def median_round(all_runs, runs):
    """The round with the median requests/s, with the error counts of all runs (warm-up too) added up, and
    the median over the rounds of the app's and Redis's CPU per request (figures of their own, not the
    fastest round's)."""
    ordered = sorted(runs, key=lambda run: run["requests_per_s"])
    median = dict(ordered[len(ordered) // 2])
    median["non_2xx"] = sum(run["non_2xx"] for run in all_runs)
    median["socket_errors"] = sum(run["socket_errors"] for run in all_runs)
    median["rounds_requests_per_s"] = [run["requests_per_s"] for run in runs]
    for figure in ("app_cpu_us", "redis_cpu_us", "redis_cpu_us_above_idle"):
        values = [run[figure] for run in runs if run.get(figure) is not None]
        median[figure] = round(statistics.median(values), 2) if values else None
        median[f"rounds_{figure}"] = values
    return median


def report(topology, results, database, store, load):
    """The topology's table and its JSON section. `ratio`: the median, over the rounds, of the scenario's
    requests/s over the reference's in the same round (side by side, seconds apart, so a burst of load
    elsewhere hits both); `spread`: the middle half of those rounds' ratios (25th to 75th percentile);
    `ratio of medians`: the two medians divided, which may pair a quiet round with a busy one; `redis
    us/req`: microseconds of Redis CPU per request (median over the rounds). Then each goal (`goal` in
    `bench.scenarios`, judged on one Redis server, where the issue sets them) and each peer (`peer_of`)
    against ours."""
    print()
    print(f"{topology}: {database} + {store}")
    print(f"{'scenario':<30} {'req/s':>9} {'ratio':>6} {'spread':>11} {'ratio of medians':>17} {'p50 ms':>8} "
          f"{'p99 ms':>8} {'app us/req':>11} {'redis us/req':>13} {'above idle':>11} {'non-2xx':>8} "
          f"{'sock err':>8}")
    for name, row in results.items():
        if "left_out" in row:
            print(f"{name:<30} left out: {row['left_out']}")
            continue
        # Each figure against the reference measured in the same phase (empty or large stores).
        reference = results["reference (large)" if name.endswith("(large)") else "reference"]
        paired = [mine / theirs for mine, theirs in zip(row["rounds_requests_per_s"],
                                                        reference["rounds_requests_per_s"], strict=True) if theirs]
        row["ratio_to_reference"] = round(statistics.median(paired), 3) if paired else 0.0
        row["rounds_ratios"] = [round(ratio, 3) for ratio in paired]
        quartiles = statistics.quantiles(paired, n=4) if len(paired) > 1 else paired * 3
        row["ratio_spread"] = [round(quartiles[0], 3), round(quartiles[-1], 3)]
        row["ratio_interval"] = median_interval(paired)
        medians = reference["requests_per_s"]
        row["ratio_of_medians"] = round(row["requests_per_s"] / medians, 3) if medians else 0.0
        spread = "{:.2f}-{:.2f}".format(*row["ratio_spread"])
        app_cpu, redis_cpu, above_idle = ("-" if row.get(figure) is None else f"{row[figure]:.1f}"
                                          for figure in ("app_cpu_us", "redis_cpu_us", "redis_cpu_us_above_idle"))
        print(f"{name:<30} {row['requests_per_s']:>9.1f} {row['ratio_to_reference']:>6.2f} {spread:>11} "
              f"{row['ratio_of_medians']:>17.2f} {row['p50_ms']:>8.2f} {row['p99_ms']:>8.2f} {app_cpu:>11} "
              f"{redis_cpu:>13} "
              f"{above_idle:>11} {row['non_2xx']:>8} {row['socket_errors']:>8}")
    section = {"database": database, "cache": store, "load_average": load,
               "goals": verdicts(results, goals=topology == "server")}
    print()
    for line in section["goals"]:
        print(line)
    if "ratio_to_reference" in results.get("oauth1-hmac-sha1 (large)", {}):
        empty = results["oauth1-hmac-sha1"].get("ratio_to_reference", 0.0)
        large = results["oauth1-hmac-sha1 (large)"]["ratio_to_reference"]
        section["oauth_large_vs_empty"] = round(large / empty, 3) if empty else 0.0
        print(f"\nOAuth with {LARGE_SUMMARY} stored: {section['oauth_large_vs_empty']:.2f} x the empty-store figure")
    print(f"Load average (1 min) at start and end: {load[0]:.1f}, {load[1]:.1f}", flush=True)
    return {**section, "results": results}


def median_interval(ratios, resamples=2000):
    """The 95% bootstrap interval of the median of the rounds' ratios (the rounds drawn again with
    replacement, `resamples` times, with a fixed seed): how far one run's median can be trusted on a
    noisy machine. A goal within it could have read the other way in another run."""
    if len(ratios) < 2:
        return [round(ratios[0], 3)] * 2 if ratios else [0.0, 0.0]
    draw = random.Random(0)
    medians = sorted(statistics.median(draw.choices(ratios, k=len(ratios))) for _ in range(resamples))
    return [round(medians[int(0.025 * resamples)], 3), round(medians[int(0.975 * resamples) - 1], 3)]


def verdicts(results, goals=True):
    """A line per goal and per peer's ceiling (when `goals`): met or not (on the median), with the median's 95%
    interval; and a line per peer: behind ours or not."""
    lines = []
    for name, row in results.items():
        if "left_out" in row:
            if goals and "goal" in row:
                lines.append(f"goal {name} >= {row['goal']:.2f}x the reference: left out, NOT met")
            continue
        if goals and "goal" in row:
            met = "met" if row["ratio_to_reference"] >= row["goal"] else "NOT met"
            low, high = row.get("ratio_interval", [row["ratio_to_reference"]] * 2)
            lines.append(f"goal {name} >= {row['goal']:.2f}x the reference: {row['ratio_to_reference']:.2f} "
                         f"(95% interval {low:.2f}-{high:.2f}), {met}")
        if goals and "ceiling" in row:
            met = "met" if row["ratio_to_reference"] <= row["ceiling"] else "NOT met"
            low, high = row.get("ratio_interval", [row["ratio_to_reference"]] * 2)
            lines.append(f"goal {name} <= {row['ceiling']:.2f}x the reference: {row['ratio_to_reference']:.2f} "
                         f"(95% interval {low:.2f}-{high:.2f}), {met}")
        ours = results.get(row.get("peer_of"))
        if ours is not None and "left_out" not in ours:
            ahead = "ahead" if ours["ratio_to_reference"] > row["ratio_to_reference"] else "NOT ahead"
            lines.append(f"peer {name}: {row['ratio_to_reference']:.2f}; ours ({row['peer_of']}) "
                         f"{ours['ratio_to_reference']:.2f}, {ahead}")
    return lines


if __name__ == "__main__":
    main()
