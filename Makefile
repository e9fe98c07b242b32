# Two commands on a fresh machine: `make demo` and `make test` (see README).
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements.txt pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: setup demo test serve clean bench lock

setup: $(STAMP)
	@scripts/ensure-chromium
	@scripts/ensure-selenium-grid $(VENV)/share/govsite

$(STAMP): requirements.txt pyproject.toml
	@py=$$(scripts/find-python) || exit 1; \
	  if [ ! -x $(PY) ] || ! $(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))'; then \
	    echo "Creating $(VENV) with $$py"; rm -rf $(VENV); $$py -m venv $(VENV) || exit 1; fi
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@# the package itself, editable: .venv/bin/govsite runs this checkout's code
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@rm -f $(VENV)/.installed-*; touch $@

demo: setup
	$(VENV)/bin/govsite build
	@echo
	@echo "The demo site group is in $(CURDIR)/output/<domain>/."
	@echo "View it with:  $(VENV)/bin/govsite serve   then open http://127.0.0.1:8000/"

test: setup
	$(VENV)/bin/pytest

serve: setup
	$(VENV)/bin/govsite serve

bench: setup
	$(PY) bench/build_group.py

# Regenerate the lock file (requirements.txt) from pyproject.toml, keeping today's pins where they still fit.
lock: setup
	$(PY) -m pip install --quiet --disable-pip-version-check pip-tools
	$(VENV)/bin/pip-compile --quiet --allow-unsafe --no-emit-find-links --no-emit-index-url --strip-extras \
	  --extra migrate --extra replay --extra test --output-file requirements.txt pyproject.toml

clean:
	rm -rf output .cache .pytest_cache build dist *.egg-info
