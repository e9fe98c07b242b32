# Two commands on a fresh machine: `make demo` and `make test` (see README).
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cksum < requirements.txt | cut -d' ' -f1)

.PHONY: setup demo test serve clean bench

setup: $(STAMP)
	@scripts/ensure-chromium

$(STAMP): requirements.txt
	@py=$$(scripts/find-python) || exit 1; \
	  if [ ! -x $(PY) ] || ! $(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))'; then \
	    echo "Creating $(VENV) with $$py"; rm -rf $(VENV); $$py -m venv $(VENV) || exit 1; fi
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@rm -f $(VENV)/.installed-*; touch $@

demo: setup
	$(VENV)/bin/invoke build
	@echo
	@echo "The demo site group is in $(CURDIR)/output/<domain>/."
	@echo "View it with:  $(VENV)/bin/invoke serve   then open http://127.0.0.1:8000/"

test: setup
	$(VENV)/bin/pytest

serve: setup
	$(VENV)/bin/invoke serve

bench: setup
	$(PY) bench/build_group.py

clean:
	rm -rf output .cache .pytest_cache
