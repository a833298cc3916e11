# ovop — every chore has one entry point here. See README.md.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
CONSTRAINTS := requirements/constraints.txt
# Test workers (pytest-xdist): one per core by default; TEST_WORKERS=0 runs in one process.
TEST_WORKERS ?= auto
export OVOP_HOME := $(CURDIR)

.PHONY: run test lint typecheck deploy-check format security bench loadtest install install-dev lock messages clean

$(PY):
	@$(PYTHON) scripts/bootstrap_venv.py $(VENV)

$(VENV)/.installed: $(PY) pyproject.toml $(CONSTRAINTS)
	$(PY) -m pip install --quiet --disable-pip-version-check -c $(CONSTRAINTS) -e .
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(PY) -m pip install --quiet --disable-pip-version-check -c $(CONSTRAINTS) -e '.[dev]'
	@touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

run: install
	DEBUG=1 $(PY) -m ovop migrate --noinput
	DEBUG=1 $(PY) -m ovop load_regions
	DEBUG=1 $(PY) -m ovop seed_demo
	@echo "ovop is running on http://127.0.0.1:$(PORT)/ — stop with Ctrl+C."
	DEBUG=1 $(PY) -m ovop runserver 127.0.0.1:$(PORT)

test: install-dev
	$(PY) -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

# ruff (lint and format) and the layer contract (import-linter, see pyproject.toml).
lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

# The README's PostgreSQL deployment, performed for real behind nginx (root, PostgreSQL).
deploy-check:
	scripts/deploy_check.sh

# mypy with django-stubs; strict on services, selectors, rules and the ranking maths.
typecheck: install-dev
	$(VENV)/bin/mypy

format: install-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# bandit (code) and pip-audit (pinned dependencies); see scripts/security_checks.sh.
security: install-dev
	scripts/security_checks.sh

bench: install-dev
	$(PY) -m pip install --quiet --disable-pip-version-check -c $(CONSTRAINTS) -e '.[dev,bench]'
	$(PY) -m bench $(BENCH_ARGS)

# 50 users for 60 s against gunicorn (2 workers) on the bench database; see bench/loadtest/.
loadtest: install-dev
	$(PY) -m pip install --quiet --disable-pip-version-check -c $(CONSTRAINTS) -e '.[dev,bench]'
	$(PY) -m bench.loadtest $(LOADTEST_ARGS)

# Rewrite the pinned constraints from the current environment (after changing pyproject.toml).
lock: install-dev
	$(PY) -m pip freeze --exclude-editable --exclude ovop | grep -v '^-e' > $(CONSTRAINTS)

# Re-extract and compile the translation catalogue (needs GNU gettext; the .mo is committed).
messages: install-dev
	cd src/ovop && DEBUG=1 ../../$(PY) -m ovop makemessages -l id --no-obsolete --no-location
	cd src/ovop && DEBUG=1 ../../$(PY) -m ovop compilemessages -l id

clean:
	rm -rf $(VENV) var/ovop.sqlite3* .pytest_cache .mypy_cache .import_linter_cache
