# Two commands do all set-up on a fresh clone: `make run` serves, `make test` tests.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run serve test lint bench install clean chromium interop-clients screenshots nginx redis prometheus stack

$(STAMP): requirements.txt requirements-test.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -r requirements-test.txt
	touch $(STAMP)

install: $(STAMP)

# The development server is gunicorn, as in production, reloading on code changes: Django's runserver
# closes HTTP/1.1 connections without saying `Connection: close`, and keep-alive clients (Node's agent)
# then fail on every other request. gthread workers keep connections alive as HTTP/1.1 clients expect.
DEV_SERVER = $(VENV)/bin/gunicorn apiproject.wsgi:application --config gunicorn.conf.py --reload \
	--worker-class gthread --workers 1 --threads 8 --bind 127.0.0.1:8000

run: $(STAMP)
	DEBUG=1 $(PY) manage.py migrate --no-input
	DEBUG=1 $(PY) manage.py seed_demo --base-url http://127.0.0.1:8000
	DEBUG=1 $(DEV_SERVER)

# Production serving: gunicorn, DEBUG off. Needs SECRET_KEY (and DATABASE_URL, REDIS_URL, ...) set.
serve: $(STAMP)
	$(PY) manage.py migrate --no-input
	$(PY) manage.py collectstatic --no-input -v0
	$(VENV)/bin/gunicorn apiproject.wsgi:application --config gunicorn.conf.py

# Browser tests drive Debian's chromium from apt, never a downloaded browser build.
chromium:
	test -x /usr/bin/chromium || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium)

# nginx from Debian's package, for the deployment test (tests/deployment) and `make stack`; we only ever run
# our own nginx master on spare ports. The package must not start the system's service on port 80: while apt
# runs, a policy-rc.d says no (unless the machine has one already).
nginx:
	test -x /usr/sbin/nginx || ( created=; \
		if [ ! -e /usr/sbin/policy-rc.d ]; then printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && \
			chmod +x /usr/sbin/policy-rc.d && created=1; fi; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx; status=$$?; \
		if [ -n "$$created" ]; then rm -f /usr/sbin/policy-rc.d; fi; exit $$status )

# Redis from Debian's packages (redis-server, and redis-sentinel for Sentinel), for the topology tests
# (tests/topologies), which start their own servers, sentinels and clusters on spare ports. As with nginx,
# the packages must not start the system's services: a policy-rc.d says no while apt runs.
redis:
	test -x /usr/bin/redis-sentinel -a -x /usr/bin/redis-server || ( created=; \
		if [ ! -e /usr/sbin/policy-rc.d ]; then printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && \
			chmod +x /usr/sbin/policy-rc.d && created=1; fi; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server redis-sentinel; \
		status=$$?; if [ -n "$$created" ]; then rm -f /usr/sbin/policy-rc.d; fi; exit $$status )

# Prometheus from Debian's package (promtool checks deploy/'s rules; `make stack` and the deployment test
# run their own Prometheus on a spare port). As with nginx, the package must not start the system's service.
prometheus:
	test -x /usr/bin/prometheus -a -x /usr/bin/promtool || ( created=; \
		if [ ! -e /usr/sbin/policy-rc.d ]; then printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && \
			chmod +x /usr/sbin/policy-rc.d && created=1; fi; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq prometheus; status=$$?; \
		if [ -n "$$created" ]; then rm -f /usr/sbin/policy-rc.d; fi; exit $$status )

# axe-core for the browser tests' accessibility checks, pinned in package-lock.json.
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund


# The interop suite's client libraries (tests/interop): Ruby's oauth and oauth2 and Perl's Net::OAuth from
# apt when missing (the tests check each library's version), Node's (oauth, oauth-1.0a, openid-client) at
# the versions in tests/interop/package-lock.json (Node itself from apt too).
INTEROP := tests/interop
interop-clients: $(INTEROP)/node_modules/.package-lock.json
	ruby -roauth -roauth2 -e 1 2>/dev/null && perl -MNet::OAuth -e 1 2>/dev/null || (apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ruby-oauth ruby-oauth2 libnet-oauth-perl)

$(INTEROP)/node_modules/.package-lock.json: $(INTEROP)/package.json $(INTEROP)/package-lock.json
	command -v npm >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm)
	cd $(INTEROP) && npm ci --no-audit --no-fund --silent

test: $(STAMP) chromium nginx redis prometheus node_modules/.package-lock.json interop-clients
	$(PY) -m pytest $(PYTEST_ARGS)

# The deployment for a person to try: nginx with TLS (a local CA in .stack/) in front of two gunicorn instances
# with production settings, on PostgreSQL and Redis when they answer, and Prometheus scraping both instances;
# prints the URLs; Ctrl-C stops it.
stack: $(STAMP) nginx prometheus
	$(PY) -m deploy

# Ruff with ruff.toml (style, pyflakes, import order, bugbear); CI runs it before the tests.
lint: $(STAMP)
	$(VENV)/bin/ruff check .

# PNGs of every page at phone (390px) and desktop (1280px) width in ./screenshots/, for a reviewer.
screenshots: $(STAMP) chromium node_modules/.package-lock.json
	$(PY) -m pytest tests/pages/screenshots.py -q -p no:cacheprovider

# Load on loopback with wrk against gunicorn with production settings; prints a table and JSON.
# BENCH_MODE=large then seeds 100,000 access tokens and 1,000,000 nonces and measures OAuth again.
# BENCH_SECONDS per scenario and round, BENCH_ROUNDS rounds (default 3 s x 21 rounds; each ratio is the
# median of the rounds' side-by-side ratios to the reference). BENCH_DATABASE / BENCH_REDIS_DB: its own
# database and Redis db (BENCH_REDIS_FLUSH=0 leaves the db's other keys alone); BENCH_PIN=1: taskset.
bench: $(STAMP)
	command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	$(PY) -m pip install --quiet -r requirements-bench.txt
	$(PY) -m bench.run

clean:
	rm -rf $(VENV) node_modules db.sqlite3* test-db-*.sqlite3* bench.sqlite3* .stack
