# Ladder: `make run` to try it, `make test` to prove it. See README.md.
#
# The embedded default (make run / make install) needs only Python 3.11 and Node: SQLite under
# var/, Celery eager, email to the console. make test runs on PostgreSQL and Redis.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

# make test runs against real services; these are the defaults on the development machines.
TEST_DATABASE_URL ?= $(or $(DATABASE_URL),postgres://postgres@127.0.0.1:5432/ladder)
TEST_REDIS_URL ?= $(or $(REDIS_URL),redis://127.0.0.1:6379/0)
# In parallel by default (pytest-xdist: one worker per core, at most 4); each worker uses its own
# Redis database, TEST_REDIS_URL's number plus the worker's index (config/settings.py), so
# a run needs that many free databases from TEST_REDIS_URL's on. PYTEST_ARGS replaces these
# arguments: PYTEST_ARGS="tests/frameworks -x" runs one folder serially. worksteal hands each
# worker a long run of consecutive tests (so a module's shared cast, tests/conftest.py
# module_world, is made once) and lets an idle worker take the rest of a busy one's share, so
# the slow browser journeys do not leave one worker finishing alone. --durations=25 ends the
# output with the 25 slowest set-ups, calls and tear-downs, so CI shows where the time goes.
PYTEST_ARGS ?= -n auto --maxprocesses=4 --dist worksteal --durations=25
# ruff over the whole tree (rules in pyproject.toml), on by default: make test LINT=0 skips it.
LINT ?= 1
SYSTEM_PACKAGES := chromium poppler-utils fonts-liberation

.PHONY: install run test bench bench-national lock assets system-packages security lint clean help

help:
	@echo "make run      set up (venv, packages, database, demo data) and serve at http://$(HOST):$(PORT)"
	@echo "make install  the same set-up without serving"
	@echo "make test     the whole test suite on PostgreSQL and Redis, in parallel, after ruff (LINT=0 skips ruff)"
	@echo "make lint     ruff over the code"
	@echo "make bench    seed synthetic data at two sizes and print the performance table"
	@echo "make bench-national  the same pages with 200 organisations (about 50,000 trainees): var/bench/national.json"

# --- Python ----------------------------------------------------------------------------------

$(VENV)/.runtime: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements-dev.txt $(VENV)/.runtime
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@

# --- Front end: the NHS.UK frontend built from its Sass sources, offline ----------------------

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

build/static/css/ladder.css: node_modules/.package-lock.json scripts/build-assets.mjs $(wildcard static/scss/*.scss)
	node scripts/build-assets.mjs

assets: build/static/css/ladder.css

# --- The embedded default ---------------------------------------------------------------------

install: $(VENV)/.runtime assets
	mkdir -p var/media
	$(MANAGE) migrate --noinput
	$(MANAGE) seed_demo --quiet

run: install
	@$(MANAGE) seed_demo --logins-only --address http://$(HOST):$(PORT)/
	$(MANAGE) runserver $(HOST):$(PORT)

# --- Tests on PostgreSQL and Redis ------------------------------------------------------------

system-packages:
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v pdftoppm >/dev/null || missing="$$missing poppler-utils"; \
	fc-list 2>/dev/null | grep -q "Liberation Sans" || missing="$$missing fonts-liberation"; \
	command -v soffice >/dev/null || missing="$$missing libreoffice-writer"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing system packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	  else \
	    echo "The tests need these system packages:$$missing. Install them with: sudo apt-get install$$missing"; \
	    exit 1; \
	  fi; \
	fi

# PYTHONDONTWRITEBYTECODE emptied: with it set (as in the image), each of the 4 workers
# re-rewrote every test module's asserts (about 13 of its 19 s of collection) and every
# manage.py, Celery worker or python -c a test starts recompiled Ladder's modules, on
# every run. The .pyc files land in __pycache__/, which git ignores.
test: $(VENV)/.dev assets system-packages security $(if $(filter 1,$(LINT)),lint)
	@DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) $(PY) scripts/check_services.py
	PYTHONDONTWRITEBYTECODE= DJANGO_ENV=test DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) \
	  $(PY) -m pytest $(PYTEST_ARGS)

# --- Security: bandit over Ladder's code, pip-audit over the pins (scripts/security_checks.py) -

security: $(VENV)/.dev
	$(PY) scripts/security_checks.py

# --- Lint: ruff with the rules in pyproject.toml ([tool.ruff]); part of make test unless LINT=0 -

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .

# --- The benchmark: its own PostgreSQL database (dropped and created afresh), never var/ ------

BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/ladder_bench
BENCH_REDIS_URL ?= $(TEST_REDIS_URL)
BENCH_ARGS ?=

bench: $(VENV)/.dev assets
	@DATABASE_URL=$(BENCH_DATABASE_URL) REDIS_URL=$(BENCH_REDIS_URL) $(PY) scripts/check_services.py
	BENCH_DATABASE_URL=$(BENCH_DATABASE_URL) BENCH_REDIS_URL=$(BENCH_REDIS_URL) $(PY) -m bench $(BENCH_ARGS)

# Seeds (resumably: run it again to continue) a national database, BENCH_DATABASE_URL's name +
# _national, never dropped, and a reference one, + _large, recreated; see bench/national.py.
bench-national: $(VENV)/.dev assets
	@DATABASE_URL=$(BENCH_DATABASE_URL) REDIS_URL=$(BENCH_REDIS_URL) $(PY) scripts/check_services.py
	BENCH_DATABASE_URL=$(BENCH_DATABASE_URL) BENCH_REDIS_URL=$(BENCH_REDIS_URL) $(PY) -m bench national $(BENCH_ARGS)

# --- Housekeeping -----------------------------------------------------------------------------

lock:
	@echo "Pin with: $(PIP) install -U <pkg> && $(PIP) freeze, then edit requirements*.txt"

clean:
	rm -rf $(VENV) node_modules build var .pytest_cache
