# The two commands: `make run` (set up and start with demo data) and `make test` (the whole suite).
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
HOST ?= 127.0.0.1
PORT ?= 8000
# Links in QR codes, mails and PDFs follow the port the server runs on (unless SITE_URL is set).
SITE_URL ?= http://$(HOST):$(PORT)
export SITE_URL

.PHONY: run setup venv test audit test-sqlite test-postgres test-e2e lint fmt messages demo worker bench clean

$(VENV)/.installed: requirements.lock pyproject.toml
	@test -x $(PY) || $$(scripts/find-python) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	@touch $@

venv: $(VENV)/.installed

messages-compile: venv
	@cd ocop && ../$(PY) ../manage.py compilemessages --verbosity 0

setup: venv messages-compile
	$(MANAGE) migrate --noinput --verbosity 0
	$(MANAGE) load_admin_units
	$(MANAGE) seed_demo

run: setup
	@echo "Starting the task worker and the web server (Ctrl-C stops both):"
	@echo "  public site  http://$(HOST):$(PORT)/"
	@echo "  office       http://$(HOST):$(PORT)/office/   (log in with a demo account above)"
	@trap 'kill 0' EXIT INT TERM; \
	$(MANAGE) ocop_worker --queue-name '*' --interval 1 --verbosity 0 & \
	$(MANAGE) runserver $(HOST):$(PORT)

worker: venv
	$(MANAGE) ocop_worker --queue-name '*'

test: venv messages-compile lint audit test-sqlite test-postgres test-e2e
	@echo "All test stages passed."

# Known-vulnerable pins: pip-audit against the PyPI advisory service. Offline it cannot check: it says
# so loudly (NOT CHECKED) and goes on, unless AUDIT_REQUIRED=true, which makes it a failure.
audit: venv
	@echo "== Dependency audit (pip-audit, requirements.lock) =="
	@if $(PY) -c "import urllib.request; urllib.request.urlopen('https://pypi.org/pypi/pip/json', timeout=5)" 2>/dev/null; then \
	  out="$$($(VENV)/bin/pip-audit --requirement requirements.lock --no-deps --disable-pip --progress-spinner off 2>&1)"; code=$$?; \
	  echo "$$out" | grep -v -e "could not be audited" -e "pip_audit._cli"; \
	  skipped=$$(echo "$$out" | grep -c "could not be audited"); \
	  if [ "$$skipped" -gt 0 ]; then echo "!!! pip-audit: $$skipped dependencies NOT CHECKED (no advisory data from the index) !!!"; \
	    if [ "$$AUDIT_REQUIRED" = "true" ]; then exit 1; fi; fi; \
	  exit $$code; \
	elif [ "$$AUDIT_REQUIRED" = "true" ]; then echo "pip-audit: PyPI advisory service unreachable and AUDIT_REQUIRED=true: FAILING."; exit 1; \
	else echo "!!! pip-audit NOT CHECKED: the PyPI advisory service is unreachable. Dependencies were NOT audited. !!!"; fi

lint: venv
	$(VENV)/bin/ruff check ocop tests bench
	$(VENV)/bin/ruff format --check --quiet ocop tests bench
	$(MANAGE) makemigrations --check --dry-run --verbosity 1

test-sqlite: venv
	@echo "== Test suite on SQLite =="
	@scripts/pytest-stage "SQLite" -m "not e2e" $(PYTEST_ARGS)

test-postgres: venv
	@echo "== Test suite on PostgreSQL ($(PG_URL)) =="
	@if $(PY) -c "import psycopg,sys; psycopg.connect('$(PG_URL)', connect_timeout=3).close()" 2>/dev/null; then \
	  DATABASE_URL=$(PG_URL) scripts/pytest-stage "PostgreSQL" -m "not e2e" $(PYTEST_ARGS); \
	elif [ "$$CI" = "true" ]; then echo "PostgreSQL is not reachable at $(PG_URL): failing under CI."; exit 1; \
	else echo "PostgreSQL is not reachable at $(PG_URL): SKIPPED (set PG_URL)."; fi

test-e2e: venv
	@echo "== Browser tests in Chromium =="
	@if command -v chromium >/dev/null 2>&1; then \
	  scripts/pytest-stage "Chromium" -m e2e tests/e2e $(PYTEST_ARGS); \
	elif [ "$$CI" = "true" ]; then echo "Chromium is missing: failing under CI."; exit 1; \
	else echo "Chromium not installed (apt-get install chromium): browser tests SKIPPED."; fi

fmt: venv
	$(VENV)/bin/ruff check --fix ocop tests bench
	$(VENV)/bin/ruff format ocop tests bench

messages: venv
	cd ocop && ../$(PY) ../manage.py makemessages -l vi -l en --no-obsolete --ignore 'static/*' --verbosity 0
	@echo "Now translate the new entries in ocop/locale/vi/LC_MESSAGES/django.po"

bench: venv
	$(PY) bench/run_all.py

clean:
	rm -rf $(VENV) db.sqlite3* media staticfiles
