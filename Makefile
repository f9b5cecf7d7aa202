# PeerLearn: `make run` serves the app, `make test` runs lint (`make lint`) and then the whole suite.
# Both set up everything they need on a fresh machine (Python 3.11 and Node).

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
TOOLS := .tools
BUN_VERSION := 1.4.5
PORT ?= 3000
export PATH := $(CURDIR)/$(TOOLS)/node_modules/.bin:$(CURDIR)/$(VENV)/bin:$(PATH)
export REFLEX_USE_SYSTEM_BUN := 1
export PEERLEARN_DATA_DIR ?= $(CURDIR)/data

.PHONY: run test test-fast lint setup migrate clean

$(VENV)/.installed: requirements.txt
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(TOOLS)/node_modules/.bin/bun:
	mkdir -p $(TOOLS)
	npm install --silent --no-audit --no-fund --prefix $(TOOLS) bun@$(BUN_VERSION)

setup: $(VENV)/.installed $(TOOLS)/node_modules/.bin/bun

migrate: setup
	$(PY) -m peerlearn.cli migrate

run: setup
	PEERLEARN_SEED_DEMO=$${PEERLEARN_SEED_DEMO:-1} PORT=$(PORT) $(PY) -m peerlearn.cli prepare
	PORT=$(PORT) $(PY) -m peerlearn.cli serve

lint: setup
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

test: setup lint
	$(PY) -m pytest

# Everything except the browser tests and the slow media/recommender tests: the quick loop while editing.
test-fast: setup
	$(PY) -m pytest -m "not browser and not slow"

clean:
	rm -rf .web $(VENV) $(TOOLS) data reflex.lock
