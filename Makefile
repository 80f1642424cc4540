# vaultplan: every target installs what it needs into .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
CHECKOV_VENV := .venv-checkov
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION := 20
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: demo test lint typecheck pytest fuzz bench golden docs site clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# The locked environment (requirements/dev.lock, pip and setuptools included), then vaultplan
# itself with no dependencies and no build isolation (the lock's setuptools builds it).
$(STAMP): requirements/dev.lock pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -r requirements/dev.lock
	$(BIN)/python -m pip install -q --no-deps --no-build-isolation -e .
	touch $(STAMP)

# checkov pins boto3/packaging versions that clash with ours, so it lives in its own venv.
$(CHECKOV_VENV)/bin/checkov:
	$(PYTHON) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/pip install -q checkov==3.3.30

demo: $(STAMP)
	$(BIN)/vaultplan synth

lint: $(STAMP)
	$(BIN)/ruff check src tests scripts benchmarks
	$(BIN)/ruff format --check src tests scripts benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy

test: lint typecheck site
	$(MAKE) --no-print-directory pytest

pytest: $(STAMP) $(CHECKOV_VENV)/bin/checkov
	VAULTPLAN_CHECKOV=$(CURDIR)/$(CHECKOV_VENV)/bin/checkov $(BIN)/pytest -q

# The hostile-input fuzz suite with N examples (random each run; CI runs a fixed 3,930);
# every broken example is collected and the run ends with "N examples, K failures".
# KNOWN=1 adds the strategies of issue 11 defects still being fixed.
N ?= 10000
fuzz: $(STAMP)
	VAULTPLAN_FUZZ_EXAMPLES=$(N) VAULTPLAN_FUZZ_COLLECT=1 VAULTPLAN_FUZZ_KNOWN=$(KNOWN) \
		$(BIN)/pytest -q -p no:cacheprovider tests/fuzz

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

# Regenerate every golden file (scripts/golden_*.py); review the diff before committing.
golden: $(STAMP)
	for s in scripts/golden_*.py; do $(BIN)/python $$s || exit 1; done

# Regenerate the generated pages of docs/ (scripts/docs_*.py), then build the site.
docs: $(STAMP)
	for s in scripts/docs_*.py; do $(BIN)/python $$s || exit 1; done
	$(MAKE) --no-print-directory site

# Build the site into site/ as committed (mkdocs-material, offline: no web fonts, no plugin
# that fetches); a warning fails it. `make test` runs this, and tests/test_docs.py checks that
# the generated pages are up to date (regenerating them here would hide a stale one).
site: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet

clean:
	rm -rf $(VENV) $(CHECKOV_VENV) cdk.out site .mypy_cache .ruff_cache .pytest_cache
