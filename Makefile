# The two commands a newcomer needs: `make run` and `make test`. Everything else is optional.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Local targets ask for debug explicitly: production is the settings' default.
MANAGE := DJANGO_DEBUG=1 $(BIN)/python manage.py
INSTALLED := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install lock setup run test test-fast e2e lint format bench clean

$(INSTALLED): pyproject.toml
	@echo "Installing ExamPrep's dependencies into $(VENV) (about 30 s the first time)..."
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip setuptools
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(INSTALLED)
	@echo "Dependencies installed."

# pip and setuptools are kept current on every install, not only when the venv is created.
install: $(INSTALLED)
	@$(BIN)/python -m pip install --quiet --upgrade pip setuptools || echo "pip/setuptools not upgraded (offline?)"

## lock: pin every runtime dependency with hashes (requirements.lock, which the Dockerfile installs)
lock: install
	$(BIN)/python -m pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --generate-hashes --strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links \
		--output-file requirements.lock pyproject.toml

## setup: install, migrate, load the blueprints and the bank, create demo accounts (idempotent)
setup: install
	@echo "Migrating the database, loading the blueprints and the bank, creating demo accounts..."
	$(MANAGE) migrate --noinput
	$(MANAGE) load_blueprint
	$(MANAGE) import_questions fixtures/bank
	$(MANAGE) import_questions fixtures/bank-mla
	$(MANAGE) create_demo_accounts

## run: setup, then serve on http://127.0.0.1:8000
run: setup
	@echo "ExamPrep is at http://$(HOST):$(PORT)/ (Ctrl-C stops it)"
	$(MANAGE) runserver $(HOST):$(PORT)

## test: the whole suite, browser tests included (SQLite unless DATABASE_URL is set)
test: install
	DJANGO_DEBUG=1 $(BIN)/pytest

test-fast: install
	DJANGO_DEBUG=1 $(BIN)/pytest -m "not e2e"

e2e: install
	DJANGO_DEBUG=1 $(BIN)/pytest -m e2e

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## bench: speed and memory figures on the large dataset (see docs/benchmarks.md; minutes)
bench: install
	$(BIN)/python -m tests.bench.run

clean:
	rm -rf $(VENV) staticfiles .pytest_cache *.egg-info
