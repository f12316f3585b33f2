# Practica: `make run` starts the platform with demo data; `make test` runs the whole suite.
# Both create .venv (with a Python 3.12+) and install the pinned dependencies first.

VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/test
INTEGRATION_DATABASE_URL ?= $(TEST_DATABASE_URL)
INTEGRATION_REDIS_URL ?= redis://127.0.0.1:6379/0
# pytest-xdist processes for the fast tier (auto: one per core; 0: run in this process).
PYTEST_WORKERS ?= auto

.DEFAULT_GOAL := help
.PHONY: help install lock run test test-fast test-fast-pg test-integration test-browser screenshots assets assets-check lint format check bench demo clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' -v port='$(PORT)' \
	  '{gsub(/\$$\(PORT\)/, port, $$2); printf "  make %-18s %s\n", $$1, $$2}'

# Every dependency, direct or not, comes from requirements.lock at the version and with the hashes
# it names (pip refuses anything else); the project itself is then installed without resolving.
$(VENV)/.installed: requirements.lock pyproject.toml
	@PYBIN=$$(scripts/find-python) || exit 1; \
	  [ -x $(PY) ] || { echo "Creating $(VENV) with $$PYBIN"; $$PYBIN -m venv $(VENV); }
	$(PY) -m pip install --quiet --require-hashes -r requirements.lock
	$(PY) -m pip install --quiet --no-deps -e .
	@touch $@

install: $(VENV)/.installed ## Create .venv and install the locked dependencies (requirements.lock)

# After changing pyproject.toml's dependencies: `make lock`, then `make install`, and commit both
# files (a test fails while they disagree).
lock: ## Recompile requirements.lock from pyproject.toml: every transitive dependency, with hashes
	[ -x $(PY) ] && $(PY) -m uv --version >/dev/null 2>&1 || $(MAKE) --no-print-directory install
	$(PY) -m uv pip compile pyproject.toml --extra dev --generate-hashes --universal \
	  --python-version 3.12 --quiet -o requirements.lock

run: install ## Migrate, load demo data and serve at http://127.0.0.1:$(PORT) (PORT=... to change)
	PORT=$(PORT) $(PY) scripts/run.py

demo: install ## Load (or refresh) the demo data only
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo_data

test: install ## Run the whole suite: fast tier (SQLite, then PostgreSQL), integration tier (PostgreSQL, Redis, worker), browser tier
	$(MAKE) --no-print-directory test-fast
	$(MAKE) --no-print-directory test-fast-pg
	$(MAKE) --no-print-directory test-integration
	$(MAKE) --no-print-directory test-browser

test-fast: install ## Fast tier only: SQLite, tasks in-process
	env -u DATABASE_URL -u REDIS_URL -u CELERY_BROKER_URL \
	  $(PY) -m pytest -m "not integration and not browser" -q -n $(PYTEST_WORKERS)

# SQLite ignores select_for_update and stores what PostgreSQL refuses, so the fast tier runs on
# both. Without a PostgreSQL server it skips loudly, unless CI=true (then it fails).
test-fast-pg: install ## Fast tier on PostgreSQL (TEST_DATABASE_URL), tasks in-process
	@if $(PY) scripts/pg-reachable "$(TEST_DATABASE_URL)"; then \
	  echo "Fast tier on PostgreSQL: $(TEST_DATABASE_URL)"; \
	  env -u REDIS_URL -u CELERY_BROKER_URL DATABASE_URL=$(TEST_DATABASE_URL) \
	    $(PY) -m pytest -m "not integration and not browser and not sqlite_only" -q -n $(PYTEST_WORKERS); \
	elif [ "$$CI" = true ]; then \
	  echo "CI=true but the fast tier cannot run on PostgreSQL ($(TEST_DATABASE_URL) unreachable)" >&2; exit 1; \
	else \
	  echo "FAST TIER ON POSTGRESQL NOT RUN: $(TEST_DATABASE_URL) is unreachable (see README)."; \
	fi

test-integration: install ## Integration tier: real PostgreSQL, Redis and a Celery worker process
	DATABASE_URL=$(INTEGRATION_DATABASE_URL) REDIS_URL=$(INTEGRATION_REDIS_URL) \
	  $(PY) -m pytest -m integration -v

test-browser: install ## Browser tier: pages in headless Chromium (Debian's chromium) via Playwright
	env -u DATABASE_URL -u REDIS_URL -u CELERY_BROKER_URL $(PY) -m pytest -m browser -q

screenshots: install ## Refresh docs/images/ from the browser tier's screenshots
	SCREENSHOTS_DIR=$(CURDIR)/docs/images $(MAKE) --no-print-directory test-browser

assets: ## Rebuild the workflow editor bundle (needs Node and npm; the bundle is committed)
	cd frontend/editor && npm ci --no-audit --no-fund && npm run build

assets-check: assets ## Rebuild the bundle and fail if it differs from the committed one
	git diff --exit-code --stat -- candidates/static/candidates/ || \
	  { echo "The committed editor bundle does not match frontend/editor: run make assets and commit."; exit 1; }

lint: install ## ruff check and format check
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: install ## Apply ruff formatting and safe fixes
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

check: install ## Django system checks and missing-migration check
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

bench: install ## Run the benchmarks and print their figures
	@for script in bench/bench_*.py; do echo "== $$script"; $(PY) $$script || exit 1; done

clean: ## Remove the virtualenv and local data (var/)
	rm -rf $(VENV) var
