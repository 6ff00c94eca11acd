"""Settings for every test and doctest of the course (pytest reads this file first).

Matplotlib draws off screen, with the Agg backend, so that no test or
docstring example opens a window or needs a display: doctests start
straight with ``import matplotlib.pyplot as plt``. The notebooks that nbval
runs are not affected: each runs in a kernel of its own, with the inline
backend.
"""

import matplotlib

matplotlib.use("Agg")
