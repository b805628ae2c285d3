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

# The sample's event log is git-ignored (a few million rows): written when missing or older
# than its generator, before the sample study's report needs it.
SAMPLE_EVENTS := data/sample/events/_manifest.json
$(SAMPLE_EVENTS): lib/uxcx/datasets/sample_events.py lib/uxcx/datasets/sample_events_model.py \
                  lib/uxcx/datasets/sample.py lib/uxcx/datasets/sample_model.py | $(VENV)/.installed
	$(BIN)/uxcx sample data/sample --events-only >/dev/null

report: $(VENV)/.installed $(if $(filter data/sample/study.yml,$(STUDY)),$(SAMPLE_EVENTS)) ## run every notebook on $(STUDY) into reports/<study name>/
	$(BIN)/uxcx report $(STUDY) --jobs $(JOBS)

test: $(VENV)/.installed-dev    ## the whole test suite
	$(BIN)/python -m pytest -n 2 $(PYTEST_ARGS)

lab: $(VENV)/.installed $(SAMPLE_EVENTS) ## JupyterLab on notebooks/ with the kit's kernel (the sample study with its event log)
	$(BIN)/jupyter lab notebooks/

sample: $(VENV)/.installed      ## regenerate the sample study in data/sample/
	$(BIN)/uxcx sample data/sample

validate: $(VENV)/.installed $(if $(filter data/sample/study.yml,$(STUDY)),$(SAMPLE_EVENTS)) ## check $(STUDY) and print its ledger
	$(BIN)/uxcx validate $(STUDY)

$(VENV)/.installed-bench: pyproject.toml $(VENV)/.installed-dev
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	touch $@

bench: $(VENV)/.installed-bench ## speed against peer libraries (writes benchmarks/README.md)
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) reports/*/
