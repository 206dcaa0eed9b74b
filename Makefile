# Two commands on a fresh machine: `make run` and `make test`. Both set up .venv first (idempotent).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml requirements.lock | sha256sum | cut -c1-12)
DB     ?= newsetl.duckdb

.PHONY: setup run test lint bench clean lock

# Bytecode for newsetl's own modules, compiled where stale: an editable install compiles none, and with
# PYTHONDONTWRITEBYTECODE set (as on the CI machine) every process (CLI, fork server) compiled ~50 modules again on each run.
setup: $(STAMP)
	@$(BIN)/python -m compileall -q flows tasks warehouse > /dev/null

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@echo "installing into $(VENV) (log: $(VENV)/install.log)"
	@$(BIN)/python -m pip install --disable-pip-version-check --upgrade pip > $(VENV)/install.log 2>&1 \
		|| (cat $(VENV)/install.log; exit 1)
	@$(BIN)/python -m pip install --disable-pip-version-check -c requirements.lock -e '.[dev,bench]' \
		>> $(VENV)/install.log 2>&1 || (cat $(VENV)/install.log; exit 1)
	rm -f $(VENV)/.installed-* && touch $@

run: setup
	$(BIN)/newsetl ingest --db $(DB)

test: setup lint
	$(BIN)/python -m pytest

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy flows tasks warehouse

bench: setup
	$(BIN)/python bench/eval_decode.py
	$(BIN)/python bench/eval_html.py
	$(BIN)/python bench/bench_normalize.py
	$(BIN)/python bench/bench_facts.py

# Re-pin every transitive dependency after changing pyproject.toml.
lock: setup
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^-e ' > requirements.lock

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache $(DB)
