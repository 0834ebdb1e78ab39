# Fact-check report: curated data/ -> executed notebooks (build/) -> report/.
# `make help` lists the targets; parameters are overridable, e.g. `make report AS_OF=2024-01-10`.

PYTHON_SYSTEM ?= python3
VENV          ?= .venv
BUILD         ?= build
REPORT        ?= report
AS_OF         ?=
FORMATS       ?=
PARAMS        ?=
JOBS          ?= $(shell nproc 2>/dev/null || echo 2)

PY        := $(VENV)/bin/python
NOTEBOOKS := $(sort $(wildcard notebooks/*.ipynb))
EXECUTED  := $(patsubst notebooks/%,$(BUILD)/executed/%,$(NOTEBOOKS))
DATA      := $(wildcard data/*)
PACKAGE   := $(wildcard factcheck/*.py)
TEMPLATE  := $(wildcard factcheck/templates/report/*)
VENV_OK   := $(VENV)/.installed
PARAM_ARGS := $(if $(AS_OF),--set as_of=$(AS_OF)) $(if $(FORMATS),--set "formats=$(FORMATS)") $(foreach p,$(PARAMS),--set $(p))

.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

.PHONY: help
## List the targets.
help:
	@awk '/^## /{doc=substr($$0,4)} /^[a-z][a-z-]*:/{if(doc){sub(/:.*/,"",$$1); printf "  make %-10s %s\n",$$1,doc; doc=""}}' $(MAKEFILE_LIST)
	@echo "  Parameters: AS_OF=YYYY-MM-DD FORMATS='html pdf' PARAMS='name=value ...' (see make params)"

.PHONY: venv
## Create or refresh .venv from the pinned requirements.txt.
venv: $(VENV_OK)

$(VENV_OK): requirements.txt
	@test -x $(PY) || $(PYTHON_SYSTEM) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -r requirements.txt
	$(PY) -m pip check --disable-pip-version-check >/dev/null
	@touch $@

.PHONY: browser
## Make sure a Chromium is present (installs Debian's chromium as root).
browser:
	@if [ -n "$$CHROMIUM" ] || command -v chromium >/dev/null || command -v chromium-browser >/dev/null || command -v google-chrome >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "Installing Debian's chromium (needed to print the PDF and test the HTML)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else echo "No Chromium found. Install it with 'sudo apt-get install chromium', or set CHROMIUM=/path/to/chromium."; exit 1; fi

.PHONY: params
## List every parameter, its default and its meaning.
params: $(VENV_OK)
	@$(PY) -m factcheck.params list

$(BUILD)/valid.stamp: $(DATA) $(PACKAGE) | $(VENV_OK)
	@$(PY) -m factcheck.validate --stamp $@

# Always re-resolved, but rewritten only when a value changes, so unchanged parameters rebuild nothing.
$(BUILD)/params.json $(BUILD)/notebook-params.json &: FORCE $(BUILD)/valid.stamp params.yml
	@$(PY) -m factcheck.params resolve --out $(BUILD)/params.json --notebook-out $(BUILD)/notebook-params.json $(PARAM_ARGS)

$(BUILD)/deps.mk: factcheck/config.py data/datapackage.json | $(VENV_OK)
	@mkdir -p $(BUILD) && $(PY) -m factcheck.build deps --build-dir $(BUILD) > $@

ifneq ($(filter report test bench $(REPORT)/% $(BUILD)/%,$(MAKECMDGOALS)),)
include $(BUILD)/deps.mk
endif

$(BUILD)/executed/%.ipynb: notebooks/%.ipynb $(BUILD)/notebook-params.json $(PACKAGE) | $(BUILD)/valid.stamp
	@echo "executing $<"
	@$(PY) -m factcheck.build execute $< $@ --params $(BUILD)/params.json --failed-dir $(BUILD)/failed

$(REPORT)/manifest.json: $(EXECUTED) $(BUILD)/params.json $(TEMPLATE) $(PACKAGE) $(DATA) params.yml requirements.txt
	@$(MAKE) --no-print-directory browser
	@echo "assembling $(REPORT)/"
	@$(PY) -m factcheck.build assemble $(EXECUTED) --params $(BUILD)/params.json --report-dir $(REPORT)

.PHONY: report
## Build report/report.html and report/report.pdf (only what changed is redone).
report: $(VENV_OK)
	@$(MAKE) --no-print-directory -j$(JOBS) $(REPORT)/manifest.json

.PHONY: check-fresh
## Fail if report/ is stale against data, notebooks, parameters, lock file, template or package.
check-fresh: $(VENV_OK)
	@$(PY) -m factcheck.build check-fresh --report-dir $(REPORT)

.PHONY: test
## Check the committed report is fresh, build it, then run the test suite.
test: $(VENV_OK)
	@$(MAKE) --no-print-directory browser
	@command -v pdftotext >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null; } || { echo "Install poppler-utils for pdftotext"; exit 1; }
	@$(MAKE) --no-print-directory check-fresh
	@$(MAKE) --no-print-directory report
	$(PY) -m pytest -q tests

.PHONY: bench
## Measure cold build, no-op and one-notebook rebuilds, report sizes and chart drawing time.
bench: $(VENV_OK)
	@$(MAKE) --no-print-directory browser
	$(PY) -m factcheck.bench

.PHONY: clean
## Remove everything derived (build/ and .venv stay out of report/; report/ is kept).
clean:
	rm -rf $(BUILD)

.PHONY: FORCE
FORCE:
