# The course's commands. Each target sets up what it needs in a virtual
# environment (.venv, made with the `python3` on your PATH) the first time,
# and again whenever pyproject.toml changes.
#
#   make course      set up, then open the course in JupyterLab
#   make test        set up, then run every test (helpers, doctests, notebooks)
#   make notebooks   re-run every notebook and store its outputs, then navigation (authors)
#   make navigation  rewrite the navigation cells, notebooks/index.md and README's contents
#   make check       only the fast checks: notebooks fresh, navigation up to date
#   make site        render the stored notebooks as a static HTML site in _build/site
#   make figures     redraw docs/dendrogram.png, the README's picture
#   make bench       time every notebook and the cut-off helpers (not a test)
#   make mutation    mutation-test helpers/ with mutmut, score per module (minutes; not a test)
#                    (one module only: make mutation MUTANTS='helpers.cutoff*')
#   make assignments regenerate the student copies in assignments/release (nbgrader)
#   make test-minimum  run every test on the oldest supported versions (.venv-minimum;
#                    pass the oldest Python too: make test-minimum PYTHON=python3.10)

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
# JupyterLab refuses to start as root without this flag (containers, CI).
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

.DEFAULT_GOAL := help
.PHONY: help course test notebooks navigation check site figures bench mutation assignments test-minimum clean

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
	$(PY) tools/navigation.py

# Navigation cells are markdown: they change no output, so no re-run is needed.
navigation: $(VENV)/.test-installed
	$(PY) tools/navigation.py

check: $(VENV)/.test-installed
	$(PY) tools/notebooks.py check
	$(PY) tools/navigation.py --check

# The site renders the stored outputs; it never re-runs a notebook.
site: $(VENV)/.test-installed
	$(PY) tools/site.py _build/site

figures: $(VENV)/.test-installed
	$(PY) tools/readme_figure.py docs/dendrogram.png

# The declared minimum versions (constraints/minimum.txt), in their own
# environment, made afresh whenever pyproject.toml or the constraints change.
MINIMUM_VENV := .venv-minimum
$(MINIMUM_VENV)/.test-installed: pyproject.toml constraints/minimum.txt
	rm -rf $(MINIMUM_VENV)
	$(PYTHON) -m venv $(MINIMUM_VENV)
	$(MINIMUM_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(MINIMUM_VENV)/bin/python -m pip install --quiet -c constraints/minimum.txt -e '.[test,instructor]'
	touch $@

test-minimum: $(MINIMUM_VENV)/.test-installed
	$(MINIMUM_VENV)/bin/python -m helpers
	$(MINIMUM_VENV)/bin/python -m pytest -n auto -p no:cacheprovider

bench: $(VENV)/.test-installed
	$(PY) tools/bench.py

# mutmut's configuration is [tool.mutmut] in pyproject.toml; it works in mutants/.
$(VENV)/.mutation-installed: $(VENV)/.test-installed
	$(PY) -m pip install --quiet -e '.[test,instructor,mutation]'
	touch $@

MUTANTS ?=
mutation: $(VENV)/.mutation-installed
	$(PY) tools/mutation.py $(MUTANTS)

assignments: $(VENV)/.test-installed
	$(PY) tools/assignments.py generate

clean:
	rm -rf $(VENV) $(MINIMUM_VENV) build _build *.egg-info .pytest_cache .hypothesis mutants
