# The course's commands. Each target first brings its virtual environment up
# to date (tools/setup_env.py: uv and the lock file uv.lock, so every learner
# gets the versions the notebooks' outputs were made with; a quarter of a
# second when nothing changed). `python3` on your PATH is the only
# prerequisite: uv is installed with pip into .uv/ if it is not on the PATH.
#
#   make course      set up .venv, check it (python -m helpers), bring your copies in work/ up to
#                    date, open them in JupyterLab (UI=notebook: in Notebook 7; LAB_ARGS=--no-browser:
#                    print the address only)
#   make fresh CHAPTER=04  a fresh copy of one chapter in work/ (yours is backed up first)
#   make spark       add Apache Spark to .venv for chapter 13 (half a gigabyte, once; make course
#                    keeps it), check Java, then open chapter 13 in JupyterLab
#   make test        set up .venv-test, then run every test (lint, helpers, doctests, notebooks)
#   make java        say whether chapter 13's Spark has its Java (17 or newer); make test runs it first
#   make notebooks   re-run every notebook and store its outputs, then navigation (authors)
#   make navigation  rewrite the navigation cells, notebooks/index.md and README's contents
#   make check       only the fast checks: lint (ruff), notebooks fresh, navigation up to date,
#                    prose quotes only printed numbers and real chapter titles
#   make site        render the stored notebooks as a static HTML site in _build/site
#   make figures     redraw docs/dendrogram.png, the README's picture
#   make bench       time every notebook and the cut-off helpers (not a test)
#   make time-setup  time the first set-up of make course and make test from a fresh clone, uv against pip
#   make mutation    mutation-test helpers/ with mutmut, score per module (minutes; not a test)
#                    (one module only: make mutation MUTANTS='helpers.cutoff*')
#   make assignments regenerate the student copies in assignments/release (nbgrader)
#   make lock        bring uv.lock up to date after editing pyproject.toml (UPGRADE=1: every
#                    package to its newest release); then make notebooks (README: "Locked versions")
#   make student-edition  write what learners get, and nothing else, to _build/student-edition
#                    (or EDITION=folder); see assignments/README.md to publish it
#   make test-minimum  run every test on the oldest supported versions (.venv-minimum;
#                    pass the oldest Python too: make test-minimum PYTHON=python3.10)

PYTHON ?= python3
# The learner's environment (make course) and the authors' and tests' one.
VENV ?= .venv
TEST_VENV ?= .venv-test
PY := $(TEST_VENV)/bin/python
SETUP := $(PYTHON) -m tools.setup_env
# JupyterLab refuses to start as root without this flag (containers, CI).
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)
# Extra arguments for JupyterLab, e.g. LAB_ARGS=--no-browser
LAB_ARGS ?=
# The interface make course opens: lab (JupyterLab) or notebook (Notebook 7).
UI ?= lab
# The learner's working copy (course_workspace.py): make course opens copies
# of the chapters and of the assignments' student copies there, never the
# tracked files, so that running and saving never changes the course.
WORK := work

.DEFAULT_GOAL := help
.PHONY: help setup-course setup-test setup-mutation lock time-setup course fresh spark java test notebooks navigation check site figures bench mutation assignments student-edition test-minimum clean

help:
	@sed -n 's/^#   //p' Makefile

# Not files: setup_env decides itself whether anything needs installing.
setup-course:
	$(SETUP) $(VENV) course

setup-test:
	$(SETUP) $(TEST_VENV) test instructor spark

# The check only informs here (a FAIL line says what to install): JupyterLab opens anyway.
course: setup-course
	-@$(VENV)/bin/python -m helpers
	$(VENV)/bin/python -m course_workspace sync
	cd $(WORK) && ../$(VENV)/bin/jupyter $(UI) $(ROOT_FLAG) $(LAB_ARGS) notebooks/00_welcome.ipynb

fresh: setup-course
	$(if $(CHAPTER),,$(error name the chapter: make fresh CHAPTER=04))
	$(VENV)/bin/python -m course_workspace fresh $(CHAPTER)

# Chapter 13 alone needs Spark (the `spark` extra) and Java 17 or newer, which
# pip cannot install: python -m helpers.spark says whether Java is there, and how
# to install it if not.
spark:
	$(SETUP) $(VENV) course spark
	$(VENV)/bin/python -m helpers.spark
	$(VENV)/bin/python -m course_workspace sync
	cd $(WORK) && ../$(VENV)/bin/jupyter $(UI) $(ROOT_FLAG) $(LAB_ARGS) notebooks/13_apache_spark.ipynb

# The tests run chapter 13 and Spark's own tests: without Java they stop here, saying why.
java: setup-test
	@$(PY) -m helpers.spark

test: setup-test java
	$(PY) -m pytest -n auto

notebooks: setup-test
	$(PY) -m tools.notebooks regenerate
	$(PY) -m tools.navigation

# Navigation cells are markdown: they change no output, so no re-run is needed.
navigation: setup-test
	$(PY) -m tools.navigation

# Every check runs, even after one fails, so that one run lists every problem.
check: setup-test
	@status=0; \
	for check in "-m ruff check ." "-m tools.notebooks check" "-m tools.navigation --check" "-m tools.prose"; do \
		echo "$(PY) $$check"; $(PY) $$check || status=1; \
	done; \
	exit $$status

# The site renders the stored outputs; it never re-runs a notebook.
site: setup-test
	$(PY) -m tools.site _build/site

figures: setup-test
	$(PY) -m tools.readme_figure docs/dendrogram.png

# The declared minimum versions (constraints/minimum.txt), in their own
# environment, resolved with those pins instead of the lock.
MINIMUM_VENV := .venv-minimum

test-minimum:
	$(SETUP) $(MINIMUM_VENV) test instructor spark --constraints constraints/minimum.txt
	$(MINIMUM_VENV)/bin/python -m helpers
	$(MINIMUM_VENV)/bin/python -m pytest -n auto -p no:cacheprovider

bench: setup-test
	$(PY) -m tools.bench

# mutmut's configuration is [tool.mutmut] in pyproject.toml; it works in mutants/,
# from its own environment (the tests' packages and mutmut).
MUTATION_VENV := .venv-mutation
setup-mutation:
	$(SETUP) $(MUTATION_VENV) test instructor mutation

MUTANTS ?=
mutation: setup-mutation
	$(MUTATION_VENV)/bin/python -m tools.mutation $(MUTANTS)

assignments: setup-test
	$(PY) -m tools.assignments generate

# After raising a dependency in pyproject.toml, or to move to newer releases:
# then run `make notebooks` and read what changed in the outputs.
lock:
	$(SETUP) --lock $(if $(UPGRADE),--upgrade,)

time-setup: setup-test
	$(PY) -m tools.time_setup

# No sources, solutions, hidden tests, fixtures, tests or tools: hand this out.
EDITION ?= _build/student-edition
student-edition: setup-test
	$(PY) -m tools.student_edition build $(EDITION)

clean:
	rm -rf $(VENV) $(TEST_VENV) $(MINIMUM_VENV) $(MUTATION_VENV) .uv build _build *.egg-info .pytest_cache .hypothesis .ruff_cache mutants
