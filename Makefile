# RegionLink — one command each: demo, test, lint, format, bench.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1
CHROMIUM ?= /usr/bin/chromium

.PHONY: demo test lint format bench install install-dev chromium messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e ".[dev]"
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

var/secret_key:
	mkdir -p var
	$(BIN)/python -c "import secrets; print(secrets.token_urlsafe(48))" > $@
	chmod 600 $@

# The demo runs as in production (DEBUG off, WhiteNoise static), on an SQLite file under var/,
# with the background worker for imports (log in var/worker.log).
demo: install var/secret_key
	@export DEBUG=0 SECRET_KEY="$$(cat var/secret_key)" ALLOWED_HOSTS="$(HOST),localhost,127.0.0.1" \
	  EMAIL_BACKEND=file; \
	$(BIN)/regionlink setup --demo && \
	echo "" && echo "RegionLink: http://$(HOST):$(PORT)/  (dừng: Ctrl+C; e-mail minh họa lưu ở var/mail/)" && \
	{ $(BIN)/regionlink db_worker --no-startup-delay >var/worker.log 2>&1 & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/regionlink serve --host $(HOST) --port $(PORT); }

# Debian's chromium drives the browser tests; never a downloaded browser.
chromium:
	@if [ ! -x "$(CHROMIUM)" ]; then \
	  echo "Cài chromium (Debian) cho kiểm thử trình duyệt…"; \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; fi; \
	fi

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: install-dev chromium lint
	PLAYWRIGHT_CHROMIUM=$(CHROMIUM) $(BIN)/pytest $(PYTEST_ARGS)

# All suites (territory, aggregate, import, api) on a fresh SQLite file, or on DATABASE_URL;
# BENCH_ARGS="aggregate api" runs some; see bench/__main__.py for the BENCH_* sizes.
bench: install-dev
	$(BIN)/python -m bench $(BENCH_ARGS)

# Extract Vietnamese source strings and compile the English catalogue (needs gettext).
# DEBUG=1: these commands only read source files, and without it settings refuse to load
# unless SECRET_KEY and ALLOWED_HOSTS are set.
messages: install-dev
	cd src/regionlink && export DEBUG=1 && \
	  ../../$(BIN)/regionlink makemessages -l en --no-obsolete --no-location \
	  -i "web/static/vendor/*" && ../../$(BIN)/regionlink compilemessages -l en

clean:
	rm -rf $(VENV) var/static .pytest_cache .ruff_cache
