# The README's commands. Everything runs in .venv, made here from the pinned requirements.lock.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test install lint format typecheck lock clean mutation

install: $(STAMP)

$(STAMP): requirements.lock pyproject.toml scripts/bootstrap_venv.py
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Omzien needs Python 3.11 or newer.")'
	$(PYTHON) scripts/bootstrap_venv.py $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $@

demo: install
	@mkdir -p var
	$(BIN)/omzien migrate --noinput
	$(BIN)/omzien demo-data
	@echo ""
	@echo "Omzien runs on http://$(HOST):$(PORT)/  (stop with Ctrl+C)"
	$(BIN)/omzien runserver $(HOST):$(PORT)

test: install
	@$(BIN)/python -m pytest $(PYTEST_ARGS); status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest collected no tests: that is a failure here."; exit 1; fi; \
	exit $$status

lint: install
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts
	$(BIN)/mypy
	$(BIN)/lint-imports

# Mutation testing of the rules people rely on most (slow: see docs/testing.md).
# mutmut (and its terminal UI) is installed on demand: it is not needed to run or test Omzien.
mutation: install
	$(BIN)/python -m pip install --quiet --disable-pip-version-check mutmut==3.8.1
	rm -rf mutants
	PYTHONPATH=src $(BIN)/mutmut run --max-children 2
	$(BIN)/mutmut results

format: install
	$(BIN)/ruff format src tests benchmarks scripts
	$(BIN)/ruff check --fix src tests benchmarks scripts

# Regenerate the lock file after changing dependencies in pyproject.toml.
lock: install
	$(BIN)/pip-compile --quiet --extra dev --strip-extras --no-emit-index-url --no-emit-find-links --allow-unsafe -o requirements.lock pyproject.toml

clean:
	rm -rf $(VENV) var/static .pytest_cache .mypy_cache .ruff_cache .import_linter_cache
