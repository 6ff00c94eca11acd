"""Settings for every test and docstring example (pytest reads this file first).

Matplotlib draws off screen, with the Agg backend, so that no test or
docstring example opens a window or needs a display: doctests start
straight with ``import matplotlib.pyplot as plt``. The notebooks that nbval
runs are not affected: each runs in a kernel of its own, with the inline
backend.

nbval runs each chapter as :func:`tools.exercises.expand` makes it: each
exercise's solution (a closed ``<details>`` block in markdown, which nbval
would not run) becomes a code cell with the outputs the regenerate command
stored, followed by a cell that verifies the exercise's self-check, so that
the solutions are run and compared strictly like every other cell.

A chapter that runs Apache Spark (chapter 13) needs pyspark 4.3, which needs
Python 3.11: on Python 3.10, where the ``spark`` extra installs nothing, its
cells skip and say why.
"""

import sys
from functools import cache

import matplotlib
import pytest

matplotlib.use("Agg")

try:
    from nbval.plugin import IPyNbFile
except ImportError:  # nbval is not installed: there is no notebook to collect
    IPyNbFile = None


if IPyNbFile is not None:

    class ChapterFile(IPyNbFile):
        """A chapter as nbval runs it: its solutions as code cells, each followed by its self-check's verification."""

        def collect(self):
            import nbformat
            import nbval.plugin

            from tools.exercises import expand

            expanded = expand(nbformat.read(self.path, as_version=4), self.path.stem)
            items = super().collect()
            read = nbval.plugin.nbformat.read
            nbval.plugin.nbformat.read = lambda *args, **kwargs: expanded
            try:
                first = next(items, None)  # nbval reads the notebook before its first cell
            finally:
                nbval.plugin.nbformat.read = read
            if first is not None:
                yield first
                yield from items


@pytest.hookimpl(wrapper=True)
def pytest_collect_file(file_path, parent):
    collected = yield
    if IPyNbFile is None or file_path.suffix != ".ipynb":
        return collected
    from tools.course import COURSE

    if file_path.parent != COURSE.notebooks:
        return collected
    return [ChapterFile.from_parent(parent, path=file_path) if type(item) is IPyNbFile else item
            for item in collected]


@cache
def _runs_spark(path):
    return path.suffix == ".ipynb" and "pyspark" in path.read_text(encoding="utf-8")


#: The groups of tests that take longest (one pytest-xdist worker's seconds in a fresh-clone run
#: of .ci/run, two workers on two cores: 470, 460, 260, 200, 170, 150, 80, 55), longest first.
#: Each group stays on one worker (``--dist=loadscope``); handed out first, no long one is left
#: to run alone at the end while the other worker waits.
LONGEST_FIRST = (
    "tests/test_live_session_browser.py::TestJupyterLab",
    "tests/test_live_session_browser.py::TestNotebook7",
    "tests/test_explorer_browser.py",
    "tests/test_assignments.py",
    "tests/test_classroom.py",
    "tests/test_site_browser.py",
    "tests/test_stepper_browser.py",
    "notebooks/13_apache_spark.ipynb",
)


def _rank(item):
    return next((i for i, group in enumerate(LONGEST_FIRST) if item.nodeid.startswith(group)),
                len(LONGEST_FIRST))


def pytest_configure(config):
    # pytest-xdist 3.7 and later hand out the groups with the most tests first unless told not to:
    # the order below is by time, not by count.
    if hasattr(config.option, "loadscopereorder"):
        config.option.loadscopereorder = False


def pytest_collection_modifyitems(config, items):
    items.sort(key=_rank)  # stable: the order within each group is kept
    if sys.version_info >= (3, 11):
        return
    skip = pytest.mark.skip(reason="this chapter runs Apache Spark: pyspark 4.3 needs Python 3.11 or newer")
    for item in items:
        if _runs_spark(item.path):
            item.add_marker(skip)
