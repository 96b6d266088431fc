# kam: every target carries a "## help" line; `make help` lists them.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.kam-installed

.DEFAULT_GOAL := help
.PHONY: help setup report test lint format lab demo-data clean

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

report: setup ## set up and render the demo engagement (and its key-account plans) into reports/demo/
	$(BIN)/kam render data/demo --out reports/demo --accounts key

test: setup ## run the whole test suite
	$(BIN)/python -m pytest

lint: setup ## ruff lint and format check
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

format: setup ## ruff: sort imports and format
	$(BIN)/ruff check --fix --select I . && $(BIN)/ruff format .

lab: setup ## open JupyterLab on the notebooks
	$(BIN)/jupyter lab notebooks

demo-data: setup ## regenerate data/demo/ from its seeded generator
	$(BIN)/python data/make_demo.py

clean: ## remove rendered reports
	find reports -mindepth 1 -maxdepth 1 ! -name README.md -exec rm -rf {} +
