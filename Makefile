# Doorstep: `make run` serves the demo, `make test` runs the whole suite.
SHELL := /bin/bash
.DEFAULT_GOAL := help

HOST ?= 127.0.0.1
PORT ?= 5000
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := wsgi

# The first Python >= 3.12 that actually runs (a pyenv shim may exist and still fail).
PYTHON ?= $(shell for p in python3.14 python3.13 python3.12 $$(ls -d $$HOME/.pyenv/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV); do \
	  if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then echo $$p; break; fi; done)

.PHONY: help install chromium run test test-sqlite test-postgres bench lint format clean

help:
	@echo "make run    - install, migrate, load the demo and serve on http://$(HOST):$(PORT)"
	@echo "make test   - install dev extras and run the whole suite (SQLite, and PostgreSQL if TEST_DATABASE_URL is set)"
	@echo "make bench  - benchmarks against a same-run baseline (bench/README.md)"
	@echo "make lint   - ruff check and format check"

$(BIN)/python:
	@if [ -z "$(PYTHON)" ]; then \
	  echo "Doorstep needs Python 3.12 or newer. Install python3.12 (e.g. 'apt-get install python3.12-venv' or 'pyenv install 3.12') and run make again."; \
	  exit 1; fi
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml requirements.lock
	$(BIN)/pip install --quiet -c requirements.lock -e '.[dev]'
	@touch $@

install: $(VENV)/.installed

run: $(VENV)/.installed
	@mkdir -p instance
	$(BIN)/flask db upgrade
	$(BIN)/flask demo load --if-empty
	$(BIN)/flask geo demo --if-missing
	@$(BIN)/flask demo credentials
	@echo "Serving Doorstep on http://$(HOST):$(PORT)"
	$(BIN)/flask run --host $(HOST) --port $(PORT)

# Browser journeys drive Debian's Chromium (Playwright cannot download browsers here).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Debian's chromium for the browser tests..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "Browser tests need Debian's chromium (apt-get install -y chromium); they will be skipped."; fi; }

test: $(VENV)/.installed chromium
	$(BIN)/python -m pytest
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
	  echo "== Again on PostgreSQL ($$TEST_DATABASE_URL)"; \
	  PORTAL_TEST_DATABASE_URL="$$TEST_DATABASE_URL" $(BIN)/python -m pytest; \
	else echo "TEST_DATABASE_URL is not set: PostgreSQL run skipped."; fi

bench: $(VENV)/.installed
	$(BIN)/python -m bench

lint: $(VENV)/.installed
	$(BIN)/ruff check portal tests bench wsgi.py gunicorn.conf.py
	$(BIN)/ruff format --check portal tests bench wsgi.py gunicorn.conf.py

format: $(VENV)/.installed
	$(BIN)/ruff check --fix portal tests bench wsgi.py
	$(BIN)/ruff format portal tests bench wsgi.py

clean:
	rm -rf $(VENV) instance .pytest_cache .ruff_cache
