# Fact-check report: curated data/ -> executed notebooks (build/) -> report/ (or views/<parameters>/).
# `make help` lists the targets; parameters are overridable, e.g. `make report AS_OF=2024-01-10`.

PYTHON_SYSTEM ?= python3
VENV          ?= .venv
AS_OF         ?=
FORMATS       ?=
PARAMS        ?=
NB            ?=
JOBS          ?= 2
# pytest-xdist workers for `make test` and `make test-unit` (0: one process, e.g. to use a debugger)
TEST_JOBS     ?= 2
# mutmut name globs to test only some mutants, e.g. MUTANTS='factcheck.summary*' (make mutation)
MUTANTS       ?=

PY       := $(VENV)/bin/python
VENV_OK  := $(VENV)/.installed
TEST_OK  := $(VENV)/.tested
LAB      := .venv-lab
LAB_OK   := $(LAB)/.installed
# Extra options for `jupyter lab`, e.g. LAB_ARGS="--port 9999"; as root JupyterLab needs --allow-root.
LAB_ARGS ?=
LAB_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)
# Parameters reach the build as data, in its environment, never as words of a shell command: a value may hold any
# character. `$(value ...)` keeps make from expanding a `$(...)` inside a value, too.
export FACTCHECK_AS_OF    := $(value AS_OF)
export FACTCHECK_FORMATS  := $(value FORMATS)
export FACTCHECK_PARAMS   := $(value PARAMS)
export FACTCHECK_JOBS     := $(value JOBS)
export FACTCHECK_NOTEBOOK := $(value NB)
QUIET    := $(if $(findstring s,$(firstword -$(MAKEFLAGS))),--quiet)
FACTCHECK := $(PY) -m factcheck $(QUIET)

.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

.PHONY: help
## List the targets.
help:
	@awk '/^## /{doc=doc (doc ? "\n                     " : "") substr($$0,4)} /^$$/{doc=""} \
	  /^[a-z][a-z-]*:/{if(doc){sub(/:.*/,"",$$1); printf "  make %-13s %s\n",$$1,doc; doc=""}}' $(MAKEFILE_LIST)
	@echo "  Parameters: AS_OF=YYYY-MM-DD FORMATS='html pdf' PARAMS='name=value ...' (see make params)"

.PHONY: venv
## Create or refresh .venv from the pinned, hashed requirements.txt, with this package installed editable,
## then set up the git filter that keeps notebook outputs out of git (make git-filter).
venv: $(VENV_OK)

# $(call install-lock,LOCK): install a hashed lock file into .venv, showing pip's progress (not what is already there)
define install-lock
	@echo "installing the pinned Python packages of $(1) into $(VENV)/"
	@{ $(PY) -m pip install --disable-pip-version-check --no-deps --require-hashes -r $(1); echo $$? > $(VENV)/.pip-status; } \
	  | grep -v '^Requirement already satisfied\|^Ignoring ' ; exit $$(cat $(VENV)/.pip-status)
endef
# Fail on any broken requirement, saying which (pip check's own message).
PIP_CHECK = @$(PY) -m pip check --disable-pip-version-check > $(VENV)/.pip-check || { cat $(VENV)/.pip-check; exit 1; }

$(VENV_OK): requirements.txt requirements-test.txt pyproject.toml
	@test -x $(PY) || $(PYTHON_SYSTEM) -m venv $(VENV)
	$(call install-lock,requirements.txt)
	@$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@# a .venv made from an older lock file keeps what that file listed: remove what neither lock lists now. By hand, as
	@# pip-sync would add pip-tools, build, pyproject-hooks and wheel (1.4 MB) to .venv and lift its pip from 23.2 to 26.3,
	@# and uv pip sync needs uv (38.7 MB) from outside the locks (measured in throw-away venvs).
	@$(PY) -c 'import re; from importlib import metadata; norm = lambda n: re.sub(r"[-_.]+", "-", n).lower(); \
	  locked = {norm(n) for f in ("requirements.txt", "requirements-test.txt") \
	            for n in re.findall(r"^([A-Za-z0-9_.-]+)==", open(f).read(), re.M)}; \
	  extra = {norm(d.metadata["Name"]) for d in metadata.distributions()} - locked - {"pip", "factcheck"}; \
	  extra and print(" ".join(sorted(extra)))' > $(VENV)/.unlocked
	@if [ -s $(VENV)/.unlocked ]; then echo "removing packages the lock files no longer list: $$(cat $(VENV)/.unlocked)"; \
	  $(PY) -m pip uninstall --quiet --disable-pip-version-check -y $$(cat $(VENV)/.unlocked); fi
	$(PIP_CHECK)
	@touch $@
	@$(MAKE) --no-print-directory git-filter

# The test tools of pyproject.toml's [test] extra, added to .venv by `make test` (not by `make report`).
$(TEST_OK): requirements-test.txt $(VENV_OK)
	$(call install-lock,requirements-test.txt)
	$(PIP_CHECK)
	@touch $@

.PHONY: git-filter
## In a git clone, set up the nbstripout filter that .gitattributes names (make venv does it): notebooks are staged
## without outputs or execution counts, whatever JupyterLab saved. Git runs it from the top of the work tree.
git-filter: $(VENV_OK)
	@if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then \
	  git config filter.nbstripout.clean '$(VENV)/bin/python -m nbstripout --keep-id' && \
	  git config filter.nbstripout.smudge cat && git config filter.nbstripout.required true && \
	  echo "git filter nbstripout set up: notebook outputs are stripped on commit"; fi

.PHONY: lock
## Re-resolve the hashed lock files with uv (in a throw-away venv), for Linux, macOS and Windows alike:
## requirements.txt from pyproject.toml and requirements.in, requirements-test.txt adding the [test] extra, and
## requirements-lab.txt from requirements-lab.in. Pins are kept where they still fit: delete a line to let it move.
lock:
	@rm -rf build/lock-venv && $(PYTHON_SYSTEM) -m venv build/lock-venv && build/lock-venv/bin/pip install --quiet uv
	@compile() { name=$$1; shift; grep -v '^#' $$name.txt > build/$$name.txt 2>/dev/null || true; \
	  build/lock-venv/bin/uv pip compile --quiet --universal --python-version 3.11 --generate-hashes --no-header \
	    --output-file build/$$name.txt "$$@" || exit 1; \
	  { grep '^#' $$name.txt; cat build/$$name.txt; } > build/$$name.new && mv build/$$name.new $$name.txt; }; \
	compile requirements pyproject.toml requirements.in && \
	compile requirements-test pyproject.toml requirements.in --extra test --constraint requirements.txt && \
	compile requirements-lab requirements-lab.in

.PHONY: system
## Make sure Debian's chromium, poppler-utils and fonts-liberation (the charts' font) are present (installed when run as root).
system:
	@missing=""; command -v chromium >/dev/null || [ -n "$$CHROMIUM" ] || missing="chromium"; \
	command -v pdftotext >/dev/null || missing="$$missing poppler-utils"; \
	[ -f /usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf ] || missing="$$missing fonts-liberation"; \
	if [ -z "$$missing" ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "installing Debian's$$missing (to draw the charts, print the PDF and test it)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	else echo "Missing:$$missing. Install with 'sudo apt-get install$$missing' (or set CHROMIUM=/path/to/chromium)."; exit 1; fi

.PHONY: params
## List every parameter, its default and its meaning.
params: $(VENV_OK)
	@$(FACTCHECK) params

.PHONY: report
## Build report/ with the default parameters, or views/<parameters>/ with any other (the build redoes what changed).
report: $(VENV_OK) system
	@$(FACTCHECK) build

.PHONY: views
## List the views built into views/ and whether each is fresh.
views: $(VENV_OK)
	@$(FACTCHECK) views

.PHONY: notebook
## Execute one notebook into build/notebooks/ with the build's checks: make notebook NB=30_attacks PARAMS="as_of=2024-02-01".
notebook: $(VENV_OK)
	@$(FACTCHECK) notebook

.PHONY: lab
## Open JupyterLab on notebooks/: JupyterLab and nbdime live in .venv-lab, the notebooks run in .venv's kernel.
lab: $(LAB_OK)
	$(LAB)/bin/jupyter lab $(LAB_ROOT) $(LAB_ARGS) notebooks/

.PHONY: lab-headless
## The same without opening a browser (on a server, or over ssh): open the URL it prints.
lab-headless: $(LAB_OK)
	$(LAB)/bin/jupyter lab --no-browser $(LAB_ROOT) $(LAB_ARGS) notebooks/

$(LAB_OK): requirements-lab.txt $(VENV_OK)
	@test -x $(LAB)/bin/python || $(PYTHON_SYSTEM) -m venv $(LAB)
	@echo "installing JupyterLab and nbdime into $(LAB)/"
	@$(LAB)/bin/python -m pip install --quiet --disable-pip-version-check --no-deps --require-hashes -r requirements-lab.txt
	@$(PY) -m ipykernel install --prefix $(LAB) --name python3 --display-name "Python 3 (factcheck, .venv)" >/dev/null
	@touch $@

.PHONY: check-fresh
## Fail if report/ is stale against data, notebooks, parameters, lock file, templates or package.
check-fresh: $(VENV_OK)
	@$(FACTCHECK) check-fresh

.PHONY: check-publishable
## Fail while site_url or repo_url is unset in params.yml: a published report needs its real addresses.
check-publishable: $(VENV_OK)
	@$(PY) -c 'from factcheck import params; unset = [n for n in ("site_url", "repo_url") if params.defaults()[n] is None]; \
	  raise SystemExit("Not publishable: set " + " and ".join(unset) + " in params.yml to the real addresses " \
	  "(the report leaves out what needs them while they are unset)" if unset else None)'

.PHONY: test
## Check the committed report is fresh, then run the unit tests and the build tests.
test: $(TEST_OK) system
	@$(MAKE) --no-print-directory check-fresh
	@# a test file runs whole on one worker (its tests may build on each other); the workers share each session build
	$(PY) -m pytest -q -p no:cacheprovider -n $(TEST_JOBS) --dist loadfile --durations=15 tests

.PHONY: test-unit
## The fast tests only: those that need no build, no browser and no notebook kernel.
test-unit: $(TEST_OK)
	$(PY) -m pytest -q -p no:cacheprovider -n $(TEST_JOBS) -m "not build and not browser and not kernel" tests

.PHONY: bench
## Time cold, one-notebook and no-op builds and report size, as ratios to a trivial-notebook floor measured in the same run.
bench: $(VENV_OK) system
	@$(PY) -m factcheck.bench

.PHONY: lighthouse
## Lighthouse 12.2.3 on report/report.html alone (phone, median of 3 runs, served plain and gzip-compressed); needs npx.
lighthouse: $(VENV_OK) system
	@$(PY) -m factcheck.bench --lighthouse

.PHONY: bench-peers
## Build the same notebooks with Jupyter Book 1 (own throw-away venv) and ours, in interleaved pairs; print ours/theirs.
bench-peers: $(VENV_OK) system
	@$(PY) -m factcheck.bench --peers

.PHONY: mutation
## Mutation testing of the whole package against the unit tests (slow; not part of make test); prints the score per
## module. MUTANTS='factcheck.summary*' runs one module's mutants only.
mutation: $(TEST_OK)
	@rm -rf mutants  # mutmut keeps old verdicts in mutants/: start afresh for a true score
	@mkdir -p mutants && $(VENV)/bin/mutmut run --max-children $(JOBS) $(foreach glob,$(MUTANTS),'$(glob)') > mutants/run.log 2>&1 \
	  || { tail -n 30 mutants/run.log; echo "mutmut run failed: the whole log is mutants/run.log"; exit 1; }
	@$(VENV)/bin/mutmut results --all true | $(PY) tests/mutation_score.py mutants/survivors.txt

.PHONY: rebuild
## Force a cold build: drop build/ (executed notebooks, caches) and rebuild report/ or the view from scratch.
rebuild: $(VENV_OK) system
	rm -rf build
	@$(FACTCHECK) build --force

.PHONY: clean
## Remove everything derived except report/ (build/, views/).
clean:
	rm -rf build views mutants
