# uxcx: `make report` runs the sample study; `make test` runs the whole suite.
# Each target creates .venv with python3 -m venv when missing and installs what it needs.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STUDY  ?= data/sample/study.yml
JOBS   ?= 2
# Extra pytest arguments, e.g. make test PYTEST_ARGS="-k ledger"
PYTEST_ARGS ?=

.PHONY: setup report test lab sample validate bench clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else "uxcx needs Python 3.10 or newer; set PYTHON=python3.x")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name uxcx --display-name "uxcx (.venv)" >/dev/null
	touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

setup: $(VENV)/.installed

report: $(VENV)/.installed      ## run every notebook on $(STUDY) into reports/<study name>/
	$(BIN)/uxcx report $(STUDY) --jobs $(JOBS)

test: $(VENV)/.installed-dev    ## the whole test suite
	$(BIN)/python -m pytest -n 2 $(PYTEST_ARGS)

lab: $(VENV)/.installed         ## JupyterLab on notebooks/ with the kit's kernel
	$(BIN)/jupyter lab notebooks/

sample: $(VENV)/.installed      ## regenerate the sample study in data/sample/
	$(BIN)/uxcx sample data/sample

validate: $(VENV)/.installed    ## check $(STUDY) and print its ledger
	$(BIN)/uxcx validate $(STUDY)

$(VENV)/.installed-bench: pyproject.toml $(VENV)/.installed-dev
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	touch $@

bench: $(VENV)/.installed-bench ## speed against peer libraries (writes benchmarks/README.md)
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) reports/*/
