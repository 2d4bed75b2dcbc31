# Every target sets itself up: a fresh machine with Python 3.11 needs nothing else.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
TSTAMP := $(VENV)/.installed-test
# Reproducible builds: the date of the last commit unless the caller sets one.
SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 0)
export SOURCE_DATE_EPOCH
export NO_MKDOCS_2_WARNING := 1

.PHONY: build serve test check pdf bench system-deps clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

$(TSTAMP): $(STAMP)
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

system-deps:
	@$(PYTHON) scripts/system_deps.py

build: $(STAMP) system-deps
	$(PY) -m generator build
	@echo "Site built: open site/index.html (or run 'make serve' and visit http://127.0.0.1:8000/)"

serve: $(STAMP)
	$(PY) -m mkdocs serve --livereload --watch content --watch refs.bib --watch site_overrides

check: $(STAMP)
	$(PY) -m generator check

pdf: $(STAMP) system-deps
	$(PY) -m generator pdf

test: $(TSTAMP) system-deps
	$(PY) -m pytest

BSTAMP := $(VENV)/.installed-bench
$(BSTAMP): $(TSTAMP)
	$(PY) -m pip install --quiet -e '.[test,bench]'
	touch $@

bench: $(BSTAMP) system-deps
	$(PY) bench/run.py

clean:
	rm -rf site .cache
