# The two commands of the README: `make run` and `make test`. Everything else is a helper;
# `make help` (or a bare `make`) lists them all.
#
# Each public target has a `## ` comment above it; `make help` shows the first line of it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.DEFAULT_GOAL := help
.PHONY: help run run-groenwaard test test-quick lint format install messages worker bench \
	bench-smoke bench-profile bench-inprocess bench-network drills screenshots requirements clean

## List the targets with what they do
help:
	@echo "Usage: make TARGET [VAR=value ...]   (the README's two: make run, make test)"
	@echo
	@awk '/^## / { if (!inblock) desc = substr($$0, 4); inblock = 1; next } \
	  { inblock = 0 } \
	  /^[a-zA-Z][a-zA-Z0-9_-]*:([^=]|$$)/ && desc != "" { \
	    split($$0, t, ":"); printf "  %-14s %s\n", t[1], desc; desc = "" }' \
	  $(firstword $(MAKEFILE_LIST))
	@echo
	@echo "Variables: PYTEST_ARGS (test, test-quick), BENCH_ARGS (bench*), HOST and PORT (run),"
	@echo "PG_DRILL_ARGS and KILL_DRILL_ARGS (drills), REQUIREMENTS_ARGS (requirements)."

# Re-install whenever the pinned requirements change. requirements/dev.txt is the complete
# set (runtime and dev tools, pip itself included), every file checked against its hash.
$(BIN)/.installed: requirements/base.txt requirements/dev.txt
	@$(PYTHON) -c "import ensurepip, venv" 2>/dev/null || { \
	  echo "Python's venv module is missing: apt-get install python3-venv"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/dev.txt
	touch $@

PO_FILES := $(wildcard locale/*/LC_MESSAGES/*.po)
MO_FILES := $(PO_FILES:.po=.mo)

## Create .venv with the pinned requirements and compile the translations
install: $(BIN)/.installed $(MO_FILES)

# Compiled translations are built at setup, not committed (pure Python, no gettext).
locale/%.mo: locale/%.po $(BIN)/.installed
	$(BIN)/python scripts/compile_messages.py

## Refresh the English catalogue after changing translatable strings (needs gettext)
messages: $(BIN)/.installed
	$(BIN)/python manage.py makemessages -l en --no-location --ignore=.venv --ignore=tests --ignore=scripts

## Set up the embedded SQLite database with demo data and serve on http://127.0.0.1:8000
## (with the mail worker and the reminders beside the web server; mail goes to the console)
run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py demo_data
	$(BIN)/python manage.py demo_reactions
	$(BIN)/python manage.py db_worker --interval 2 & worker=$$!; \
	$(BIN)/python manage.py send_reminders --every 60 & reminders=$$!; \
	trap 'kill $$worker $$reminders 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

## make run as a second demo municipality with its own name, logo and colours
## (Gemeente Groenwaard: deploy/themes/groenwaard.env; docs/make-it-yours.md)
run-groenwaard:
	set -a && . deploy/themes/groenwaard.env && set +a && $(MAKE) run

## The mail worker in the foreground: delivers queued e-mail, retrying with backoff
worker: install
	$(BIN)/python manage.py db_worker --interval 2

## Lint, check for missing migrations, run the whole suite on PostgreSQL
## (DATABASE_URL, or the local server on 127.0.0.1:5432). In CI (CI=true) a missing tool
## (Chromium, nginx, wrk, ...) fails its tests instead of skipping them.
test: lint
	DATABASE_URL=sqlite://:memory: $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## Lint, then the suite without browser, concurrency, drill, bench and fuzz tests (under a minute)
test-quick: lint
	BIJEEN_TEST_TIER=quick $(BIN)/python -m pytest -n auto \
	  -m "not browser and not concurrency and not drill and not bench and not fuzz" \
	  --durations=15 $(PYTEST_ARGS)

## ruff check, ruff format --check and the import contracts (lint-imports)
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

## Fix what ruff can fix and format the code
format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## Benchmark the production stack: nginx (TLS) -> two gunicorn app servers -> PostgreSQL, Redis.
## A few minutes; prints a table and writes bench/results/<time>.md and .json.
## Installs Debian's nginx and wrk when missing (as root). docs/performance.md explains it.
bench: install
	$(BIN)/python -m bench.run $(BENCH_ARGS)

## The benchmark in tiny sizes, in seconds (the test suite runs it too: tests/bench/)
bench-smoke: install
	$(BIN)/python -m bench.run --smoke --out $(or $(BENCH_OUT),/tmp/bijeen-bench-smoke) $(BENCH_ARGS)

## The full benchmark with py-spy sampling app server 1 (profiles in bench/results/)
bench-profile: install
	$(BIN)/python -m bench.run --profile $(BENCH_ARGS)

## CPU, SQL statements and Python calls of one request, in one process, without the load
## (comparable between commits on any host); --profile writes cProfile summaries
bench-inprocess: install
	$(BIN)/python -m bench.inprocess $(BENCH_ARGS)

## The event row lock with PostgreSQL across a network namespace, 0.5 ms each way (root)
bench-network: install
	$(BIN)/python -m bench.network $(BENCH_ARGS)

PG_DRILL_ARGS ?=
KILL_DRILL_ARGS ?=
REDIS_DRILL_ARGS ?=
## Fault drills (docs/drills.md): PostgreSQL restart, killed workers, Redis outage, SMTP outage
## PostgreSQL is restarted during a stream of sign-ups, gunicorn workers are killed
## mid-request, Redis is stopped and hung, then the SMTP outage test runs. The three
## scripts each start their own throw-away PostgreSQL (and Redis; never the machine's
## servers) and exit non-zero on a broken invariant.
## PG_DRILL_ARGS=--strict-503 also fails on any 500 during the outage; REDIS_DRILL_ARGS
## passes options to the Redis drill.
drills: install
	$(BIN)/python -m scripts.drills.postgres_restart $(PG_DRILL_ARGS)
	$(BIN)/python -m scripts.drills.worker_kill $(KILL_DRILL_ARGS)
	$(BIN)/python -m scripts.drills.redis_outage $(REDIS_DRILL_ARGS)
	$(BIN)/python -m pytest -q \
	  "tests/registrations/test_mail.py::test_smtp_outage_delays_mail_without_failing_the_sign_up"

## PNGs of the main pages at phone and desktop width in docs/screenshots/ (needs chromium)
screenshots: install
	$(BIN)/python scripts/screenshots.py

# pip-compile against pip's default index (PyPI) only, ignoring this machine's pip
# configuration (extra indexes, find-links, constraints), so the hashes are those of
# PyPI's own files and a clean machine can check them.
REQUIREMENTS_ARGS ?=
PIP_COMPILE = env -u PIP_INDEX_URL -u PIP_EXTRA_INDEX_URL -u PIP_FIND_LINKS -u PIP_CONSTRAINT \
	PIP_CONFIG_FILE=/dev/null CUSTOM_COMPILE_COMMAND="make requirements" \
	$(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
	--no-emit-index-url --no-emit-find-links $(REQUIREMENTS_ARGS)

## Recompile requirements/*.txt (pinned, hashed) from pyproject.toml after changing it
## base.txt: [project.dependencies]; dev.txt: those plus the dev extra, at base.txt's pins.
## Existing pins are kept where the ranges allow; to move one on:
## make requirements REQUIREMENTS_ARGS="--upgrade-package django" (or --upgrade for all).
requirements: $(BIN)/.installed
	$(PIP_COMPILE) --output-file requirements/base.txt pyproject.toml
	$(PIP_COMPILE) --extra dev --constraint requirements/base.txt \
	  --output-file requirements/dev.txt pyproject.toml

## Remove .venv, the SQLite database and the caches
clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-* staticfiles .pytest_cache .ruff_cache
