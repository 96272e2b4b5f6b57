# gongkai — two commands on a fresh machine:
#   make run    create .venv, install, build the knowledge graph from data/, validate it, start the app
#   make test   install what the tests need (Python packages, Debian packages, browser), run pytest
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501
HOST ?= 127.0.0.1
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Debian packages the tests use: the browser and CJK fonts for the app's end-to-end tests,
# Virtuoso for the remote-endpoint tests, nginx for the content-negotiation test,
# LibreOffice to read .doc/.wps (and .xls xlrd cannot open), and to make such files and PDFs in tests.
TEST_DEBS := chromium fonts-noto-cjk virtuoso-opensource-7-bin nginx libreoffice-writer-nogui libreoffice-calc-nogui

.PHONY: run test lint install install-test system-test-deps build validate app clean bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# the package with the app's and the SPARQL server's extras (pip install gongkai alone gives the
# library and the command line)
$(VENV)/.stamp-install: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[app,server]'
	touch $@

$(VENV)/.stamp-test: pyproject.toml $(VENV)/.stamp-install
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.stamp-install

install-test: $(VENV)/.stamp-test system-test-deps

system-test-deps:
	@missing=""; for p in $(TEST_DEBS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

build: install
	$(BIN)/gongkai build

validate: build
	$(BIN)/gongkai validate build/kg.trig --format text || [ $$? -eq 1 ]

# the app listens on this machine only unless HOST says otherwise (HOST=0.0.0.0: every
# network the machine is on, where anyone who reaches the port can read; importing a list then
# needs the password set with `gongkai app-password`, and the app refuses it while none is set)
app: install
	$(if $(filter 127.% localhost ::1,$(HOST)),,@echo "warning: HOST=$(HOST) is not a loopback address: anyone who can reach this machine on port $(PORT) can read the app; importing needs the password set with .venv/bin/gongkai app-password" >&2)
	$(BIN)/streamlit run app/streamlit_app.py --server.port $(PORT) --server.address $(HOST) \
	  --server.headless true --browser.gatherUsageStats false

# `gongkai build` writes the validation reports and statistics the app reads, and publishes
# them with the graph and the store as one version of build/
run: build
	$(MAKE) app

# the code's house rules: ruff, mypy, and the import contracts of pyproject.toml
lint: install-test
	$(BIN)/ruff check src tests app bench data
	$(BIN)/mypy src/gongkai
	$(BIN)/lint-imports

# lint first, then every test
test: lint
	$(BIN)/python -m pytest

bench: install   # the quick figures; each script's --help tells how to run it at scale
	$(BIN)/python bench/ingest_bench.py
	$(BIN)/python bench/build_bench.py
	$(BIN)/python bench/validate_bench.py --sizes 100
	$(BIN)/python bench/query_bench.py --sizes 100 --backends embedded memory
	$(BIN)/python bench/trace_bench.py --size 100
	$(BIN)/python bench/load_floor.py --size 100

clean:
	rm -rf build .pytest_cache
