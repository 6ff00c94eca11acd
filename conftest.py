"""Settings for every test and docstring example (pytest reads this file first).

Matplotlib draws off screen, with the Agg backend, so that no test or
docstring example opens a window or needs a display: doctests start
straight with ``import matplotlib.pyplot as plt``. The notebooks that nbval
runs are not affected: each runs in a kernel of its own, with the inline
backend.

A chapter that runs Apache Spark (chapter 13) needs pyspark 4.3, which needs
Python 3.11: on Python 3.10, where the ``spark`` extra installs nothing, its
cells skip and say why.
"""

import sys
from functools import cache

import matplotlib
import pytest

matplotlib.use("Agg")


@cache
def _runs_spark(path):
    return path.suffix == ".ipynb" and "pyspark" in path.read_text(encoding="utf-8")


def pytest_collection_modifyitems(config, items):
    if sys.version_info >= (3, 11):
        return
    skip = pytest.mark.skip(reason="this chapter runs Apache Spark: pyspark 4.3 needs Python 3.11 or newer")
    for item in items:
        if _runs_spark(item.path):
            item.add_marker(skip)
