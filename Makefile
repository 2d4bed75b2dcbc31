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

.PHONY: build offline serve test test-quick test-browser check confirm pdf bench system-deps system-deps-test clean

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

system-deps-test:
	@$(PYTHON) scripts/system_deps.py --tests

# site/ is the site to publish (clean URLs, for a web server); site-offline/ the same site opened from disk.
build: $(STAMP) system-deps
	$(PY) -m generator build
	$(PY) -m generator offline
	@echo "Site built in site/ (to publish). To read it: open site-offline/index.html, or run 'make serve'."

# The copy of site/ that works opened from disk (file://), made again from the built site.
offline: $(STAMP)
	$(PY) -m generator offline

serve: $(STAMP)
	$(PY) -m mkdocs serve --livereload --watch content --watch refs.bib --watch site_overrides

check: $(STAMP)
	$(PY) -m generator check

# A stale-translation warning's English block still matches: make confirm AT=content/<file>.md:LINE
confirm: $(STAMP)
	@if [ -z "$(AT)" ]; then echo "write: make confirm AT=content/<file>.md:LINE" >&2; exit 2; fi
	$(PY) -m generator confirm $(AT)

pdf: $(STAMP) system-deps
	$(PY) -m generator pdf

# The Nu Html Checker for tests/browser (run with the machine's Java; its install script, which would
# download a Java runtime, is not run).
VNU := .cache/npm/node_modules/vnu-jar/build/dist/vnu.jar
$(VNU): | system-deps-test
	npm install --prefix .cache/npm --no-audit --no-fund --ignore-scripts vnu-jar@26.9.27

# `make test`: every test, the real-browser suite (tests/browser) and the search-quality set included.
# `make test-quick` leaves those two out; `make test-browser` runs only them.
test: $(TSTAMP) system-deps-test $(VNU)
	$(PY) -m pytest

test-quick: $(TSTAMP) system-deps-test
	$(PY) -m pytest --ignore=tests/browser --ignore=tests/test_search_quality.py

test-browser: $(TSTAMP) system-deps-test $(VNU)
	$(PY) -m pytest tests/browser tests/test_search_quality.py

BSTAMP := $(VENV)/.installed-bench
$(BSTAMP): $(TSTAMP)
	$(PY) -m pip install --quiet -e '.[test,bench]'
	touch $@

bench: $(BSTAMP) system-deps
	$(PY) bench/run.py $(BENCH_ARGS)

clean:
	rm -rf site site-offline .cache
