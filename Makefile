# kam: every target carries a "## help" line; `make help` lists them.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.kam-installed

.DEFAULT_GOAL := help
.PHONY: help setup browser report course test lint format lab demo-data clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

setup: $(STAMP) ## create .venv; install kamlib, Jupyter, the "kam" kernel and the CJK chart font

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || \
		($(PYTHON) -m pip install --quiet --user virtualenv && $(PYTHON) -m virtualenv $(VENV))
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	$(BIN)/python -m ipykernel install --sys-prefix --name kam --display-name "Python (kam)"
	touch $@

browser: ## install Debian's Chromium and a CJK font (browser tests, --pdf) when missing
	@if command -v chromium >/dev/null 2>&1 && fc-list :lang=zh 2>/dev/null | grep -q .; then \
		exit 0; \
	elif [ "$$(id -u)" = 0 ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	elif command -v sudo >/dev/null 2>&1; then \
		sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	else \
		echo "note: install Debian's chromium and fonts-noto-cjk for the browser tests and --pdf"; \
	fi

report: setup browser ## set up and render the demo engagement (every format, its key-account plans) into reports/demo/
	@if command -v chromium >/dev/null 2>&1; then formats=all; else formats=html,xlsx,pptx,charts; \
		echo "note: no chromium, so no PDF (make browser installs it)"; fi; \
	$(BIN)/kam render data/demo --out reports/demo --accounts key --format $$formats

course: setup ## write the trainers' course pack (nbgrader course folder and handouts) into reports/course/
	$(BIN)/kam course reports/course --language zh

test: setup browser ## run the whole test suite
	$(BIN)/python -m pytest

lint: setup ## ruff lint and format check
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

format: setup ## ruff: sort imports and format
	$(BIN)/ruff check --fix --select I . && $(BIN)/ruff format .

lab: setup ## open JupyterLab on the notebooks
	$(BIN)/jupyter lab notebooks

demo-data: setup ## regenerate data/demo/ from its seeded generator
	$(BIN)/python data/make_demo.py

.PHONY: docs
docs: setup ## regenerate the lists of allowed values in README.md and the kam new templates
	$(BIN)/python -m kamlib.core.allowed

clean: ## remove what kam made for the demo (its report and the tests' screenshots), nothing else
	rm -rf reports/demo reports/demo.failed reports/.demo-* reports/course reports/.course-* reports/test-artefacts
