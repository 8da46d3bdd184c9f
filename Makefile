# Two commands on a fresh machine: `make serve` and `make test` set everything up.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
SITE := site
export NO_MKDOCS_2_WARNING := 1
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: setup check build serve linkcheck test lint clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

check: setup
	$(BIN)/python -m generator check

# Build into a fresh folder and swap it in only when the strict build passed,
# so a failing build never leaves a half-written site behind.
build: check
	rm -rf $(SITE).new
	$(BIN)/mkdocs build --strict --clean -d $(SITE).new || { rm -rf $(SITE).new; exit 1; }
	chmod -R a+rX $(SITE).new
	rm -rf $(SITE).old
	if [ -d $(SITE) ]; then mv $(SITE) $(SITE).old; fi
	mv $(SITE).new $(SITE)
	rm -rf $(SITE).old

serve: setup
	$(BIN)/mkdocs serve --livereload --dirty --dev-addr 127.0.0.1:8000

# Internal links only; external sources are checked on a schedule, not per change.
linkcheck: build
	$(BIN)/linkchecker --no-status --no-warnings $(SITE)/index.html

test: setup
	$(BIN)/ruff check generator tests bench
	npm ci --prefix tests/browser --no-audit --no-fund --silent
	$(BIN)/python -m pytest

lint: setup
	$(BIN)/ruff check generator tests
	$(BIN)/ruff format --check generator tests

clean:
	rm -rf $(SITE) $(SITE).new $(SITE).old .pytest_cache
