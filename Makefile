# The course's commands. Each target sets up what it needs in a virtual
# environment (.venv, made with the `python3` on your PATH) the first time,
# and again whenever pyproject.toml changes.
#
#   make course      set up, then open the course in JupyterLab
#   make test        set up, then run every test (helpers, doctests, notebooks)
#   make notebooks   re-run every notebook and store its outputs (authors)
#   make check       only the fast freshness check of the stored notebooks
#   make bench       time every notebook and the cut-off helpers (not a test)
#   make assignments regenerate the student copies in assignments/release (nbgrader)

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
# JupyterLab refuses to start as root without this flag (containers, CI).
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

.DEFAULT_GOAL := help
.PHONY: help course test notebooks check bench assignments clean

help:
	@sed -n 's/^#   //p' Makefile

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.course-installed: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[course]'
	touch $@

$(VENV)/.test-installed: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[test,instructor]'
	touch $@

course: $(VENV)/.course-installed
	cd notebooks && ../$(VENV)/bin/jupyter lab $(ROOT_FLAG) 00_welcome.ipynb

test: $(VENV)/.test-installed
	$(PY) -m pytest -n auto

notebooks: $(VENV)/.test-installed
	$(PY) tools/notebooks.py regenerate

check: $(VENV)/.test-installed
	$(PY) tools/notebooks.py check

bench: $(VENV)/.test-installed
	$(PY) tools/bench.py

assignments: $(VENV)/.test-installed
	$(PY) tools/assignments.py generate

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .hypothesis
