# Fact-check report: curated data/ -> executed notebooks (build/) -> report/ (or views/<parameters>/).
# `make help` lists the targets; parameters are overridable, e.g. `make report AS_OF=2024-01-10`.

PYTHON_SYSTEM ?= python3
VENV          ?= .venv
AS_OF         ?=
FORMATS       ?=
PARAMS        ?=
NB            ?=
JOBS          ?= 2

PY       := $(VENV)/bin/python
VENV_OK  := $(VENV)/.installed
LAB      := .venv-lab
LAB_OK   := $(LAB)/.installed
INPUTS   := $(wildcard data/*) $(wildcard notebooks/*.ipynb) $(shell find factcheck -type f \( -name '*.py' -o -path '*/templates/*' \) -not -path '*/__pycache__/*') params.yml requirements.txt
comma    := ,
empty    :=
space    := $(empty) $(empty)
# Parameters given on the command line; with none, the standard report is built into report/.
ASSIGN   := $(strip $(if $(AS_OF),as_of=$(AS_OF)) $(if $(strip $(FORMATS)),formats=$(subst $(space),$(comma),$(strip $(FORMATS)))) $(PARAMS))
QUIET    := $(if $(findstring s,$(firstword -$(MAKEFLAGS))),--quiet)
FACTCHECK := $(PY) -m factcheck $(QUIET)

.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

.PHONY: help
## List the targets.
help:
	@awk '/^## /{doc=substr($$0,4)} /^[a-z][a-z-]*:/{if(doc){sub(/:.*/,"",$$1); printf "  make %-12s %s\n",$$1,doc; doc=""}}' $(MAKEFILE_LIST)
	@echo "  Parameters: AS_OF=YYYY-MM-DD FORMATS='html pdf' PARAMS='name=value ...' (see make params)"

.PHONY: venv
## Create or refresh .venv from the pinned, hashed requirements.txt, with this package installed editable.
venv: $(VENV_OK)

$(VENV_OK): requirements.txt pyproject.toml
	@test -x $(PY) || $(PYTHON_SYSTEM) -m venv $(VENV)
	@echo "installing the pinned Python packages into $(VENV)/"
	@$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --require-hashes -r requirements.txt
	@$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@# a .venv made from an older lock file keeps what that file listed: remove what this one does not
	@$(PY) -c 'import re; from importlib import metadata; norm = lambda n: re.sub(r"[-_.]+", "-", n).lower(); \
	  locked = {norm(n) for n in re.findall(r"^([A-Za-z0-9_.-]+)==", open("requirements.txt").read(), re.M)}; \
	  extra = {norm(d.metadata["Name"]) for d in metadata.distributions()} - locked - {"pip", "factcheck"}; \
	  extra and print(" ".join(sorted(extra)))' > $(VENV)/.unlocked
	@if [ -s $(VENV)/.unlocked ]; then echo "removing packages the lock file no longer lists: $$(cat $(VENV)/.unlocked)"; \
	  $(PY) -m pip uninstall --quiet --disable-pip-version-check -y $$(cat $(VENV)/.unlocked); fi
	@$(PY) -m pip check --disable-pip-version-check >/dev/null
	@touch $@

.PHONY: lock
## Re-resolve requirements.in and requirements-lab.in into their pinned, hashed .txt files (pip-tools in a throw-away
## venv). Existing pins are kept where they still fit; delete a line of the .txt to let it move.
lock:
	@rm -rf build/lock-venv && $(PYTHON_SYSTEM) -m venv build/lock-venv && build/lock-venv/bin/pip install --quiet pip-tools
	@for name in requirements requirements-lab; do \
	  grep -v '^#' $$name.txt > build/$$name.txt 2>/dev/null || true; \
	  build/lock-venv/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras --no-header \
	    --no-emit-index-url --no-emit-find-links --output-file build/$$name.txt $$name.in || exit 1; \
	  { grep '^#' $$name.txt; cat build/$$name.txt; } > build/$$name.new && mv build/$$name.new $$name.txt; done

.PHONY: system
## Make sure Debian's chromium and poppler-utils are present (installed when run as root).
system:
	@missing=""; command -v chromium >/dev/null || [ -n "$$CHROMIUM" ] || missing="chromium"; \
	command -v pdftotext >/dev/null || missing="$$missing poppler-utils"; \
	if [ -z "$$missing" ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "installing Debian's$$missing (to print the PDF and test it)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	else echo "Missing:$$missing. Install with 'sudo apt-get install$$missing' (or set CHROMIUM=/path/to/chromium)."; exit 1; fi

.PHONY: params
## List every parameter, its default and its meaning.
params: $(VENV_OK)
	@$(FACTCHECK) params

.PHONY: report
## Build report/ with the default parameters, or views/<parameters>/ with any other (only what changed is redone).
ifeq ($(ASSIGN),)
report: $(VENV_OK) system report/manifest.json
else
report: $(VENV_OK) system
	@$(FACTCHECK) build --jobs $(JOBS) $(ASSIGN)
endif

report/manifest.json: $(INPUTS) | $(VENV_OK)
	@$(FACTCHECK) build --jobs $(JOBS)

.PHONY: views
## List the views built into views/ and whether each is fresh.
views: $(VENV_OK)
	@$(FACTCHECK) views

.PHONY: notebook
## Execute one notebook into build/notebooks/ with the build's checks: make notebook NB=30_attacks PARAMS="as_of=2024-02-01".
notebook: $(VENV_OK)
	@$(FACTCHECK) notebook $(NB) $(ASSIGN)

.PHONY: lab
## Open JupyterLab on notebooks/: JupyterLab and nbdime live in .venv-lab, the notebooks run in .venv's kernel.
lab: $(LAB_OK)
	$(LAB)/bin/jupyter lab notebooks/

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

.PHONY: test
## Check the committed report is fresh, then run the unit tests and the build tests.
test: $(VENV_OK) system
	@$(MAKE) --no-print-directory check-fresh
	$(PY) -m pytest -q -p no:cacheprovider --durations=15 tests

.PHONY: test-unit
## The fast tests only: those that need no build, no browser and no notebook kernel.
test-unit: $(VENV_OK)
	$(PY) -m pytest -q -p no:cacheprovider -m "not build and not browser and not kernel" tests

.PHONY: bench
## Time cold, one-notebook and no-op builds and report size, as ratios to a trivial-notebook floor measured in the same run.
bench: $(VENV_OK) system
	@$(PY) -m factcheck.bench

.PHONY: bench-peers
## Build the same notebooks with Jupyter Book 1 (own throw-away venv) and ours, in interleaved pairs; print ours/theirs.
bench-peers: $(VENV_OK) system
	@$(PY) -m factcheck.bench --peers

.PHONY: mutation
## Mutation testing of the whole package against the unit tests (slow; not part of make test); prints the score per module.
mutation: $(VENV_OK)
	@rm -rf mutants  # mutmut keeps old verdicts in mutants/: start afresh for a true score
	@$(VENV)/bin/mutmut run --max-children 2 >/dev/null || true
	@$(VENV)/bin/mutmut export-cicd-stats >/dev/null
	@$(VENV)/bin/mutmut results > mutants/survivors.txt || true
	@$(VENV)/bin/mutmut results --all true > mutants/results.txt || true
	@$(PY) -c 'import collections, re; tally = collections.defaultdict(collections.Counter); \
	  [tally[m.group(1).rsplit(".", 1)[0]].update([m.group(2)]) for m in re.finditer(r"^\s*(\S+): (.+)$$", open("mutants/results.txt").read(), re.M)]; \
	  score = lambda c: (c["killed"] + c["timeout"], sum(c.values()) - c["skipped"]); \
	  [print("  %-36s %4d of %4d killed (%5.1f %%)" % (m, *score(c), 100 * score(c)[0] / max(score(c)[1], 1))) for m, c in sorted(tally.items())]'
	@$(PY) -c 'import json; s = json.load(open("mutants/mutmut-cicd-stats.json")); t = s["total"] - s.get("skipped", 0); \
	  k = s["killed"] + s.get("timeout", 0); print("mutation score: %d of %d mutants killed (%.1f %%); survivors in mutants/survivors.txt" % (k, t, 100 * k / max(t, 1)))'

.PHONY: clean
## Remove everything derived except report/ (build/, views/).
clean:
	rm -rf build views mutants
