"""`make bench`: gunicorn with production settings on loopback, driven by wrk, scenario by scenario.

Prints requests/s, p50 and p99 latency and error counts per scenario, each as a ratio to the
unauthenticated reference, as a table and as JSON. Bounded in time; loopback only.
"""
import argparse
import json
import os
import random
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.request import Request, urlopen

from cryptography.fernet import Fernet

from bench.port import free_port

PROJECT_DIR = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
PASSWORD = "bench password"


# --- Backends ---------------------------------------------------------------------------------


# The bench's own database (dropped and made again) and Redis db (flushed unless BENCH_REDIS_FLUSH=0):
# BENCH_DATABASE and BENCH_REDIS_DB keep it apart from other people's on a shared machine.
DATABASE_NAME = os.environ.get("BENCH_DATABASE", "bench")
REDIS_DB = int(os.environ.get("BENCH_REDIS_DB", "2"))
REDIS_FLUSH = os.environ.get("BENCH_REDIS_FLUSH", "1") == "1"


def pick_backends(flush=REDIS_FLUSH):
    """PostgreSQL and Redis on this machine when reachable, else SQLite and the database cache. The Redis
    db is emptied first unless `flush` is off (every key the bench writes is unique to its run)."""
    env = {}
    try:
        import psycopg

        with psycopg.connect(f"postgresql://postgres@{HOST}:5432/postgres", autocommit=True,
                             connect_timeout=3) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{DATABASE_NAME}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
        env["DATABASE_URL"] = f"postgres://postgres@{HOST}:5432/{DATABASE_NAME}"
    except Exception as error:  # noqa: BLE001 - any failure means "not reachable", said below
        print(f"PostgreSQL not reachable ({error.__class__.__name__}); using SQLite")
        path = PROJECT_DIR / "bench.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        env["DATABASE_URL"] = f"sqlite:///{path}"
    try:
        import redis

        client = redis.Redis.from_url(f"redis://{HOST}:6379/{REDIS_DB}", socket_connect_timeout=3)
        if flush:
            client.flushdb()
        else:
            client.ping()
        env["REDIS_URL"] = f"redis://{HOST}:6379/{REDIS_DB}"
    except Exception as error:  # noqa: BLE001
        print(f"Redis not reachable ({error.__class__.__name__}); shared state in the database")
    return env


def production_env(backends):
    return {
        **os.environ,
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


def start_server(env, port, workers, pin=False):
    subprocess.run([sys.executable, "manage.py", "migrate", "--no-input", "-v0"], cwd=PROJECT_DIR,
                   env=env, check=True)
    server = subprocess.Popen(
        pinned([sys.executable, "-m", "gunicorn", "apiproject.wsgi:application", "--config", "gunicorn.conf.py",
         "--bind", f"{HOST}:{port}", "--workers", str(workers), "--log-level", "warning"], "server", pin),
        cwd=PROJECT_DIR, env=env,
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
    raise SystemExit("gunicorn did not start")


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


def run_wrk(base_url, scenario, seconds, threads, connections, workdir, pin=False):
    script = Path(workdir) / f"{scenario['name']}.lua"
    script.write_text(LUA_TEMPLATE.format(requests=lua_literal(scenario["requests"]), threads=threads))
    before = os.times()
    output = subprocess.run(
        # A response that takes seconds on a loaded machine is slow, not lost: counted, not a socket error.
        pinned(["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "--latency",
                "-s", str(script), base_url], "wrk", pin),
        check=True, capture_output=True, text=True, timeout=seconds + 60,
    ).stdout
    after = os.times()
    run = parse_wrk(output)
    # The load generator's own CPU per request (start-up and script loading included): it shares the machine
    # with the server, so it should cost every scenario alike.
    used = (after.children_user + after.children_system) - (before.children_user + before.children_system)
    run["wrk_cpu_us"] = round(1e6 * used / max(run["requests"], 1), 1)
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


def preflight(base_url, scenario):
    """One request of each scenario must answer 200 directly (no redirect) before load is applied."""
    method, path, headers, body = scenario["requests"][-1]
    request = Request(base_url + path, method=method, headers=headers or {},
                      data=body.encode() if body else None)
    with urlopen(request, timeout=120) as response:  # a loaded machine may take long
        if response.status != 200:
            raise SystemExit(f"{scenario['name']}: preflight answered {response.status}")


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
    parser.add_argument("--workers", type=int, default=int(os.environ.get("BENCH_WORKERS", "3")))
    parser.add_argument("--only", nargs="+", metavar="SCENARIO",
                        default=os.environ.get("BENCH_ONLY", "").split() or None,
                        help="these scenarios only (the reference is always run)")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (Debian package `wrk`; `make bench` installs it)")

    backends = pick_backends()
    env = production_env(backends)
    database = "PostgreSQL" if backends["DATABASE_URL"].startswith("postgres") else "SQLite"
    cache = "Redis" if "REDIS_URL" in backends else "database cache"
    print(f"Backends: {database} + {cache}; gunicorn workers: {args.workers}; wrk -t{args.threads} "
          f"-c{args.connections} -d{args.seconds}s x {args.rounds} rounds; mode: {args.mode}; "
          f"pinned: {'yes' if args.pin else 'no'}; load average (1 min): {os.getloadavg()[0]:.1f}", flush=True)

    load = os.getloadavg()[0]
    port = free_port()
    server = start_server(env, port, args.workers, args.pin)
    base_url = f"http://{HOST}:{port}"
    try:
        seeded = seed(env, [])
        results = measure(seeded, base_url, args, only=("reference", *args.only) if args.only else None)
        if args.mode == "large":
            # The same OAuth scenario again, side by side with the reference, once the stores are full.
            print(f"Seeding {LARGE_SUMMARY} ...", flush=True)
            seed(env, ["--add-large", seeded["client_key"]])
            large = measure(seeded, base_url, args, only=("reference", "oauth1-hmac-sha1"))
            results.update({f"{name} (large)": row for name, row in large.items()})
    finally:
        server.terminate()
        server.wait(timeout=30)

    report(results, database, cache, args, (load, os.getloadavg()[0]))


LARGE_SUMMARY = "100,000 access tokens and 1,000,000 nonces"


def measure(seeded, base_url, args, only=None):
    """Every scenario's runs, round after round: each round runs each scenario once, side by side with the
    reference, in the listed order and reversed every other round, so that no scenario always runs next
    to the reference (or always far from it). A warm-up run of each scenario comes first, not counted
    but for its errors."""
    from bench.scenarios import build_scenarios

    rounds, warm_up, described = {}, {}, {}
    fastest = 0.0
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
                preflight(base_url, scenario)
                seconds = WARM_UP_SECONDS if number < 0 else args.seconds
                run = run_wrk(base_url, scenario, seconds, args.threads, args.connections, workdir, args.pin)
                described[scenario["name"]] = {key: scenario[key] for key in ("goal", "peer_of") if key in scenario}
                (warm_up if number < 0 else rounds).setdefault(scenario["name"], []).append(run)
                fastest = max(fastest, run["requests_per_s"])
            if number >= 0:
                print_round(number, rounds)
    ordered = [name for name in listed if name in rounds]  # as listed in `bench.scenarios`
    return {name: {**described[name], **median_round(rounds[name] + warm_up.get(name, []), rounds[name])}
            for name in ordered}


WARM_UP_SECONDS = 2


def print_round(number, rounds):
    """One line per round as it ends: its requests/s and ratios, to watch the noise while it runs."""
    reference = rounds["reference"][-1]["requests_per_s"] if "reference" in rounds else 0
    parts = [f"{name} {runs[-1]['requests_per_s']:.0f}"
             + (f" ({runs[-1]['requests_per_s'] / reference:.2f})" if reference and name != "reference" else "")
             + f" [wrk {runs[-1]['wrk_cpu_us']:.0f} us/request]"
             for name, runs in rounds.items()]
    print(f"round {number + 1}: load {os.getloadavg()[0]:.1f}; " + ", ".join(parts), flush=True)


def median_round(all_runs, runs):
    """The round with the median requests/s, with the error counts of all runs (warm-up too) added up."""
    ordered = sorted(runs, key=lambda run: run["requests_per_s"])
    median = dict(ordered[len(ordered) // 2])
    median["non_2xx"] = sum(run["non_2xx"] for run in all_runs)
    median["socket_errors"] = sum(run["socket_errors"] for run in all_runs)
    median["rounds_requests_per_s"] = [run["requests_per_s"] for run in runs]
    return median


def report(results, database, cache, args, load):
    """`ratio`: the median, over the rounds, of the scenario's requests/s over the reference's in the same
    round (side by side, seconds apart, so a burst of load elsewhere hits both); `spread`: the middle half
    of those rounds' ratios (25th to 75th percentile); `ratio of medians`: the two medians divided,
    which may pair a quiet round with a busy one. Then each goal (`goal` in `bench.scenarios`) and
    each peer (`peer_of`) against ours."""
    print()
    print(f"{'scenario':<30} {'req/s':>9} {'ratio':>6} {'spread':>11} {'ratio of medians':>17} {'p50 ms':>8} "
          f"{'p99 ms':>8} {'non-2xx':>8} {'sock err':>8}")
    for name, row in results.items():
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
        print(f"{name:<30} {row['requests_per_s']:>9.1f} {row['ratio_to_reference']:>6.2f} {spread:>11} "
              f"{row['ratio_of_medians']:>17.2f} {row['p50_ms']:>8.2f} {row['p99_ms']:>8.2f} "
              f"{row['non_2xx']:>8} {row['socket_errors']:>8}")
    summary = {"load_average": load, "goals": verdicts(results)}
    print()
    for line in summary["goals"]:
        print(line)
    if "oauth1-hmac-sha1 (large)" in results:
        empty = results["oauth1-hmac-sha1"]["ratio_to_reference"]
        large = results["oauth1-hmac-sha1 (large)"]["ratio_to_reference"]
        summary["oauth_large_vs_empty"] = round(large / empty, 3) if empty else 0.0
        print(f"\nOAuth with {LARGE_SUMMARY} stored: {summary['oauth_large_vs_empty']:.2f} x the empty-store figure")
    print(f"Load average (1 min) at start and end: {load[0]:.1f}, {load[1]:.1f}")
    print()
    print(json.dumps({"mode": args.mode, "database": database, "cache": cache, "workers": args.workers,
                      "seconds": args.seconds, "rounds": args.rounds, "pinned": args.pin, **summary,
                      "results": results}))
    failures = [name for name, row in results.items() if row["non_2xx"] or row["socket_errors"]]
    if failures:
        raise SystemExit(f"unexpected non-2xx responses or socket errors in: {', '.join(failures)}")


def median_interval(ratios, resamples=2000):
    """The 95% bootstrap interval of the median of the rounds' ratios (the rounds drawn again with
    replacement, `resamples` times, with a fixed seed): how far one run's median can be trusted on a
    noisy machine. A goal within it could have read the other way in another run."""
    if len(ratios) < 2:
        return [round(ratios[0], 3)] * 2 if ratios else [0.0, 0.0]
    draw = random.Random(0)
    medians = sorted(statistics.median(draw.choices(ratios, k=len(ratios))) for _ in range(resamples))
    return [round(medians[int(0.025 * resamples)], 3), round(medians[int(0.975 * resamples) - 1], 3)]


def verdicts(results):
    """A line per goal and per peer: met or not (on the median), with the median's 95% interval."""
    lines = []
    for name, row in results.items():
        if "goal" in row:
            met = "met" if row["ratio_to_reference"] >= row["goal"] else "NOT met"
            low, high = row.get("ratio_interval", [row["ratio_to_reference"]] * 2)
            lines.append(f"goal {name} >= {row['goal']:.2f}x the reference: {row['ratio_to_reference']:.2f} "
                         f"(95% interval {low:.2f}-{high:.2f}), {met}")
        ours = results.get(row.get("peer_of"))
        if ours is not None:
            ahead = "ahead" if ours["ratio_to_reference"] > row["ratio_to_reference"] else "NOT ahead"
            lines.append(f"peer {name}: {row['ratio_to_reference']:.2f}; ours ({row['peer_of']}) "
                         f"{ours['ratio_to_reference']:.2f}, {ahead}")
    return lines


if __name__ == "__main__":
    main()
