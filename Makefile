# pib360: `make run` serves the app with demo data; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIB360 := PIB360_CONFIG=development $(BIN)/pib360
CATALOGS := $(patsubst %.po,%.mo,$(wildcard translations/*/LC_MESSAGES/messages.po))

.PHONY: run test install install-test translations catalogs wheel browser screenshots bench lint mutants clean

run: install catalogs
	$(PIB360) db upgrade
	$(PIB360) demo
	$(PIB360) --debug run --host 127.0.0.1 --port 5000

# In parallel on every core, then the few tests that measure time, alone.
test: install-test catalogs browser
	$(BIN)/pytest -n auto -m "not serial" $(PYTEST_ARGS)
	$(BIN)/pytest -m serial $(PYTEST_ARGS)

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(BIN)/pip install --quiet -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(VENV)/bin/python
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $@ $(VENV)/.installed

catalogs: $(CATALOGS)

translations/%/LC_MESSAGES/messages.mo: translations/%/LC_MESSAGES/messages.po | $(VENV)/.installed
	$(BIN)/pybabel compile --use-fuzzy -i $< -o $@

# After changing user-facing strings: extract them and merge them into the catalogs.
translations: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o translations/messages.pot --no-location --sort-output --width=100 .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching --width=100

# A wheel in dist/ for `pip install` elsewhere; hatch_build.py puts templates/, static/,
# migrations/ and the freshly compiled catalogues into it.
wheel: | $(VENV)/bin/python
	$(BIN)/pip wheel --quiet --no-deps --wheel-dir dist .

# The end-to-end tests drive Debian's Chromium through Playwright.
browser:
	@command -v chromium >/dev/null || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils; }

# The README's pictures (docs/img), taken from the demo data served by gunicorn.
screenshots: install-test catalogs browser
	$(BIN)/python scripts/screenshots.py

bench: install-test
	$(BIN)/python bench/aggregation.py
	$(BIN)/python bench/psychometrics.py

# Mutation testing (docs/performance.md, Testing): every mutant of the services that
# [tool.mutmut] names, and the domain's mutants numbered ...0 and ...5 (a fifth), against
# the fast tests on SQLite. mutmut works in mutants/; it is a tool, not a test dependency.
MUTANTS := "pib360.services.*" "pib360.domain.*__mutmut_*[05]"

mutants: install-test catalogs
	$(BIN)/pip install --quiet 'mutmut>=3.8,<4'
	env -u TEST_DATABASE_URL $(BIN)/mutmut run --max-children 2 $(MUTANTS) > mutants.log || \
	  { tail -n 40 mutants.log; exit 1; }
	$(BIN)/mutmut results --all=true | awk -f bench/mutation_scores.awk

lint: install-test
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) dist instance/*.sqlite*
