# The two commands a newcomer needs: `make run` and `make test`. Everything else is optional.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
INSTALLED := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install setup run test test-fast e2e lint format bench clean

$(INSTALLED): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(INSTALLED)

install: $(INSTALLED)

## setup: install, migrate, load the blueprints and the bank, create demo accounts (idempotent)
setup: install
	$(MANAGE) migrate --noinput
	$(MANAGE) load_blueprint
	$(MANAGE) import_questions fixtures/bank
	$(MANAGE) create_demo_accounts

## run: setup, then serve on http://127.0.0.1:8000
run: setup
	@echo "ExamPrep is at http://$(HOST):$(PORT)/ (Ctrl-C stops it)"
	$(MANAGE) runserver $(HOST):$(PORT)

## test: the whole suite, browser tests included (SQLite unless DATABASE_URL is set)
test: install
	$(BIN)/pytest

test-fast: install
	$(BIN)/pytest -m "not e2e"

e2e: install
	$(BIN)/pytest -m e2e

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## bench: speed and memory figures (see docs/benchmarks.md)
bench: install
	$(BIN)/python -m tests.bench.run

clean:
	rm -rf $(VENV) staticfiles .pytest_cache *.egg-info
