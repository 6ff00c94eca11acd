"""How fast the interactive explorer draws, as a multiple of SciPy's own drawing of the same tree.

    python -m tools.explorer_speed [--n 2000] [--repeat 5] [--method single]

A script, not a test: times belong to a machine. Everything is measured in
one run, interleaved, so that the ratios hold on a busy machine even when
the times do not. On `n` samples drawn uniformly in a square (where single
linkage has hundreds of merges above 8 % of its highest, issue 26's slow
case), with the course's Matplotlib settings (``notebooks/matplotlibrc``:
90 dpi, constrained layout), it times:

- **SciPy**: SciPy's ``dendrogram(Z, no_labels=True)`` drawn on the left of
  a figure of the explorer's size and saved as a PNG, the picture SciPy
  gives of the same tree without the explorer;
- **a redraw**: the explorer widget's change of method to `method` (a new
  figure: the dendrogram, the strip of leaf markers, the scatter plot, the
  height labels placed, and the PNG), with the tree already clustered;
- **a move**: one step of the slider (the cut moved in place, and the PNG).

Each is the best of `repeat` tries; the ratios are those of the bests. The
goal (issue 26): a redraw and a move within 2x of SciPy's drawing.
"""

from __future__ import annotations

import argparse
import io
import time

import numpy as np

from tools.course import COURSE


def best(function, repeat):
    """The shortest of `repeat` timings of `function()`, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def measure(n=2000, repeat=5, method="single", seed=0):
    """{what: seconds} for SciPy's drawing, a redraw and a move, and the labels drawn."""
    import matplotlib

    matplotlib.use("Agg")
    matplotlib.rc_file(COURSE.notebooks / "matplotlibrc")
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from scipy.cluster.hierarchy import dendrogram

    from helpers.explorer_widget import explorer_widget

    X = np.random.default_rng(seed).uniform(size=(n, 2))
    other = "complete" if method != "complete" else "average"
    app = explorer_widget({"uniform": dict(X=X)}, methods=[other, method], method=other)
    Z = app.explorer_for("uniform", method).Z  # clustered once, before any timing
    figsize = tuple(app.figure.get_size_inches())

    def scipy_drawing():
        fig = Figure(figsize=figsize, layout="constrained")
        FigureCanvasAgg(fig)
        ax = fig.subplots(1, 2, width_ratios=(3, 2))[0]
        dendrogram(Z, ax=ax, no_labels=True, color_threshold=0.7 * Z[-1, 2])
        fig.savefig(io.BytesIO(), format="png")

    def redraw():
        app.method_choice.value = other
        start = time.perf_counter()
        app.method_choice.value = method
        return time.perf_counter() - start

    steps = iter(range(1, 10**6))

    def move():
        app.slider.value = app.slider.max * (0.3 + 0.4 * (next(steps) % 50) / 50)

    times = {"scipy": [], "redraw": [], "move": []}
    for _ in range(repeat):  # interleaved: each round meets the same load
        times["scipy"].append(best(scipy_drawing, 1))
        times["redraw"].append(redraw())
        times["move"].append(best(move, 1))
    result = {what: min(values) for what, values in times.items()}
    labels = app.view.tree["height_labels"]
    result["labels"] = len(labels)
    result["labels shown"] = sum(label.get_visible() for label in labels)
    return result


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--method", default="single")
    args = parser.parse_args(argv)
    result = measure(args.n, args.repeat, args.method)
    print(f"n = {args.n}, {args.method} linkage, best of {args.repeat}, one run; "
          f"{result['labels']} height labels drawn, {result['labels shown']} shown")
    print(f"{'':28}{'seconds':>9}{'x SciPy':>9}")
    for what, name in (("scipy", "SciPy's dendrogram + PNG"), ("redraw", "explorer: a redraw"),
                       ("move", "explorer: a slider move")):
        print(f"{name:28}{result[what]:9.3f}{result[what] / result['scipy']:9.2f}")


if __name__ == "__main__":
    main()
