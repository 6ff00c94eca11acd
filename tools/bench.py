"""Benchmark the course: how long each notebook takes, how the helpers'
cut-off functions scale with the size of the linkage matrix, and how they,
the interactive explorer and the annotated dendrogram compare with SciPy.

    python -m tools.bench                   # everything (make bench)
    python -m tools.bench --no-notebooks    # only the helpers and drawing
    python -m tools.bench --no-helpers --no-drawing notebooks/11_scaling_up.ipynb

Four parts, each a function: :func:`bench_notebooks`, :func:`bench_helpers`
(milliseconds per size), :func:`bench_ratios` (each helper that takes `Z`,
at a million rows, as a multiple of SciPy's ``fcluster`` timed in the same
run), and the drawing: :func:`bench_explorer` (``CutoffExplorer`` start-up
as n doubles) and :func:`bench_fancy_dendrogram` (against SciPy's
``dendrogram`` at n = 5000).

Notebooks run the way ``tools/notebooks.py regenerate`` runs them (a fresh
kernel through nbclient, in the notebooks' folder), but in memory: nothing
is written back. Each time is shown next to the *floor*, the time of a
notebook with one trivial cell run the same way (starting a kernel, mostly),
so that the difference is what the notebook itself costs.

The helpers are timed on valid linkage matrices built directly, from 1e3 to
1e6 rows, in two shapes: a *chain* (every merge adds one sample to the same
cluster: the deepest tree, what single linkage tends to make) and a
*balanced* tree (pairs of pairs: the shallowest). Times are the best of a
few runs, in milliseconds. Not part of the tests: timings belong to a
machine, not to the code.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from unittest import mock

import numpy as np

from tools.notebooks import NOTEBOOKS, course_notebooks, execute

ROWS = [10**3, 10**4, 10**5, 10**6]


def run_notebook(nb, timeout=600):
    """Execute a notebook object in a fresh kernel in the notebooks' folder; seconds taken."""
    start = time.perf_counter()
    execute(nb, NOTEBOOKS, timeout)
    return time.perf_counter() - start


def floor(repeat=3):
    """The best time of a one-cell notebook: the fixed cost of any notebook."""
    from nbformat.v4 import new_code_cell, new_notebook

    return min(run_notebook(new_notebook(cells=[new_code_cell("1 + 1")])) for _ in range(repeat))


def bench_notebooks(paths):
    import nbformat

    base = floor()
    print(f"{'notebook':34} {'time (s)':>9} {'over the floor (s)':>19}")
    print(f"{'(one trivial cell: the floor)':34} {base:9.1f}")
    for path in paths:
        seconds = run_notebook(nbformat.read(path, as_version=4))
        print(f"{Path(path).name:34} {seconds:9.1f} {seconds - base:19.1f}")


def chain_linkage(rows):
    """A valid linkage matrix whose every merge adds sample i + 1 to the cluster so far."""
    n = rows + 1
    Z = np.empty((rows, 4))
    Z[:, 0] = np.r_[0, np.arange(n, n + rows - 1)]
    Z[:, 1] = np.arange(1, n)
    Z[:, 2] = np.arange(1, n)
    Z[:, 3] = np.arange(2, n + 1)
    return Z


def balanced_linkage(rows):
    """A valid linkage matrix that merges pairs, then pairs of pairs, and so on."""
    n = rows + 1
    ids, sizes = np.arange(n), np.ones(n)
    parts, next_id = [], n
    while len(ids) > 1:
        pairs = len(ids) // 2
        left, right = ids[0:2 * pairs:2], ids[1:2 * pairs:2]
        merged_sizes = sizes[0:2 * pairs:2] + sizes[1:2 * pairs:2]
        parts.append(np.column_stack([left, right, np.zeros(pairs), merged_sizes]))
        new_ids = np.arange(next_id, next_id + pairs)
        next_id += pairs
        ids = np.r_[new_ids, ids[2 * pairs:]]
        sizes = np.r_[merged_sizes, sizes[2 * pairs:]]
    Z = np.concatenate(parts)
    Z[:, 2] = np.arange(1, rows + 1)  # strictly increasing: no ties
    return Z


def best_time(f, budget=0.5, repeat=5):
    """Best of up to `repeat` runs of f(), stopping early once `budget` seconds are spent."""
    times = []
    while not times or (len(times) < repeat and sum(times) < budget):
        start = time.perf_counter()
        f()
        times.append(time.perf_counter() - start)
    return min(times)


def z_helpers():
    """{name: f(Z, n)} for every public helper that takes a linkage matrix."""
    from helpers import cluster_members, distance_range, elbow, n_clusters_at

    return {
        "n_clusters_at": lambda Z, n: n_clusters_at(Z, float(Z[n // 2, 2])),
        "distance_range": lambda Z, n: distance_range(Z, 10),
        "elbow": lambda Z, n: elbow(Z),
        "cluster_members(root)": lambda Z, n: cluster_members(Z, 2 * n - 2),
        "cluster_members(half)": lambda Z, n: cluster_members(Z, n + (n - 1) // 2),
    }


def scipy_fcluster(Z, n):
    """The yardstick: SciPy's fcluster at the middle merge height (it checks Z too)."""
    from scipy.cluster.hierarchy import fcluster

    return fcluster(Z, float(Z[n // 2, 2]), criterion="distance")


def bench_helpers(rows_list=ROWS):
    from scipy.cluster.hierarchy import is_valid_linkage

    columns = {
        **z_helpers(),
        "SciPy is_valid_linkage": lambda Z, n: is_valid_linkage(Z),
        "SciPy fcluster": scipy_fcluster,
    }
    print("milliseconds, best of up to 5 runs; each helper's time includes its check of Z")
    widths = [len(name) + 2 for name in columns]
    print(f"{'rows':>9} {'shape':9}" + "".join(f"{name:>{w}}" for name, w in zip(columns, widths, strict=True)))
    for rows in rows_list:
        for shape, build in [("chain", chain_linkage), ("balanced", balanced_linkage)]:
            Z, n = build(rows), rows + 1
            assert is_valid_linkage(Z), (shape, rows)
            cells = [best_time(lambda: f(Z, n)) * 1e3 for f in columns.values()]
            print(f"{rows:>9,} {shape:9}" + "".join(f"{ms:{w}.2f}" for ms, w in zip(cells, widths, strict=True)))


def bench_ratios(rows=10**6, goal=2.5):
    """Each helper that takes `Z`, as a multiple of fcluster's time, measured in one run.

    Returns {(shape, helper): ratio}. Every time is the best of 5 runs, and
    fcluster is timed again after the helpers (the better of its two times
    is the yardstick), so that a machine that slows down or speeds up in the
    middle of the run does not skew the ratios.
    """
    ratios = {}
    helpers = z_helpers()
    print(f"at {rows:,} rows, as a multiple of SciPy's fcluster in the same run "
          f"(goal: within {goal}x)")
    print(f"{'shape':9} {'fcluster (ms)':>14}" + "".join(f"{name:>23}" for name in helpers))
    for shape, build in [("chain", chain_linkage), ("balanced", balanced_linkage)]:
        Z, n = build(rows), rows + 1
        before = best_time(lambda: scipy_fcluster(Z, n), budget=2.0)
        times = {name: best_time(lambda f=f: f(Z, n), budget=2.0) for name, f in helpers.items()}
        yardstick = min(before, best_time(lambda: scipy_fcluster(Z, n), budget=2.0))
        cells = []
        for name, seconds in times.items():
            ratios[shape, name] = seconds / yardstick
            cells.append(f"{ratios[shape, name]:.2f}x" + ("" if ratios[shape, name] <= goal else " (over)"))
        print(f"{shape:9} {yardstick * 1e3:14.1f}" + "".join(f"{cell:>23}" for cell in cells))
    return ratios


def blobs(n, seed=0):
    """n points in five Gaussian blobs in the plane: data to cluster for the drawing benchmarks."""
    rng = np.random.default_rng(seed)
    centres = rng.uniform(0, 100, size=(5, 2))
    return centres[rng.integers(0, 5, size=n)] + rng.normal(0, 4, size=(n, 2))


def bench_explorer(sizes=(1000, 2000, 4000, 8000), give_up=60.0):
    """CutoffExplorer(X) start-up as n doubles, and one move of the cut; goal: grows as n.

    For each n, the best of three: the whole start-up (``linkage`` included),
    SciPy's ``linkage`` alone (quadratic in n, the same for every course
    tool), the explorer's own part (its start-up with ``linkage`` replaced by
    the tree already computed: timed on its own, not a difference of two
    noisy times), and one
    ``ExplorerView.update`` (what a slider move costs before the PNG is
    made). Each is followed by its growth from the size before: 2.0 is
    linear, 4.0 quadratic. Sizes after one whose start-up took over
    `give_up` seconds are skipped. Returns {n: (start-up, linkage, update, own part)}.
    """
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure
    from scipy.cluster.hierarchy import linkage

    from helpers import CutoffExplorer

    print("CutoffExplorer(X) start-up, seconds (goal: under 1 s at n = 5000, its own part "
          "growing as n), and one move of the cut, ms")
    print(f"{'n':>6} {'start-up':>9} {'x before':>9} {'linkage':>9} {'own part':>9} "
          f"{'x before':>9} {'update ms':>10}")
    results, previous = {}, None
    for n in sizes:
        if previous is not None and results[previous][0] > give_up:
            print(f"{n:>6} {'skipped':>9}   (n = {previous} took over {give_up:.0f} s)")
            continue
        X = blobs(n)
        total = best_time(lambda: CutoffExplorer(X), budget=give_up, repeat=3)
        alone = best_time(lambda: linkage(X, "ward"), budget=give_up, repeat=3)
        Z = linkage(X, "ward")
        with mock.patch("helpers.explorer.linkage", lambda *args, **kwargs: Z):
            own = best_time(lambda: CutoffExplorer(X), budget=give_up, repeat=3)
        explorer = CutoffExplorer(X, truncate_p=min(30, n))
        view = explorer.draw(explorer.default_max_d, Figure().subplots(1, 2))
        cuts = iter(np.linspace(0, explorer.max_height, 1000))
        update = best_time(lambda: view.update(float(next(cuts))), budget=1.0, repeat=20)
        results[n] = (total, alone, update, own)
        if previous is None:
            growth = own_growth = ""
        else:
            before_total, _, _, before_own = results[previous]
            growth = f"{total / before_total:9.2f}"
            own_growth = f"{own / before_own:9.2f}"
        print(f"{n:>6} {total:9.3f} {growth:>9} {alone:9.3f} {own:9.3f} {own_growth:>9} "
              f"{update * 1000:10.2f}")
        previous = n
    return results


def bench_fancy_dendrogram(n=5000, repeat=2):
    """Seconds to draw and render the tree of `n` samples: fancy_dendrogram
    with its defaults, against SciPy's dendrogram (with and without its leaf
    labels); prints each time and its ratio to SciPy's default."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from scipy.cluster.hierarchy import dendrogram, linkage

    from helpers import fancy_dendrogram

    rng = np.random.default_rng(0)
    Z = linkage(rng.normal(size=(n, 2)), "ward")

    def timed(draw):
        best_call = best_render = np.inf
        for _ in range(repeat):
            fig, ax = plt.subplots(figsize=(10, 5), dpi=90)
            start = time.perf_counter()
            draw(ax)
            middle = time.perf_counter()
            fig.canvas.draw()
            end = time.perf_counter()
            plt.close(fig)
            best_call, best_render = min(best_call, middle - start), min(best_render, end - middle)
        return best_call, best_render

    rows = {
        "SciPy dendrogram(Z)": timed(lambda ax: dendrogram(Z, ax=ax)),
        "SciPy dendrogram(Z, no_labels=True)": timed(lambda ax: dendrogram(Z, ax=ax, no_labels=True)),
        "fancy_dendrogram(Z) (defaults)": timed(lambda ax: fancy_dendrogram(Z, ax=ax)),
        "fancy_dendrogram(Z, max_d=...)": timed(
            lambda ax: fancy_dendrogram(Z, ax=ax, max_d=float(Z[-5, 2]))),
    }
    base = sum(rows["SciPy dendrogram(Z)"])
    print(f"n = {n}: seconds, best of {repeat}; ratio = (draw + render) / SciPy dendrogram(Z)'s")
    print(f"{'':38}{'draw':>8}{'render':>8}{'ratio':>8}")
    for name, (call, render) in rows.items():
        print(f"{name:38}{call:8.2f}{render:8.2f}{(call + render) / base:8.2f}")
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: every notebook")
    parser.add_argument("--no-notebooks", action="store_true", help="skip the notebooks")
    parser.add_argument("--no-helpers", action="store_true", help="skip the cut-off helpers")
    parser.add_argument("--no-drawing", action="store_true",
                        help="skip the explorer and fancy_dendrogram")
    args = parser.parse_args(argv)
    if not args.no_notebooks:
        bench_notebooks(args.notebooks or course_notebooks())
        print()
    if not args.no_helpers:
        bench_helpers()
        print()
        bench_ratios()
        print()
    if not args.no_drawing:
        bench_explorer()
        print()
        bench_fancy_dendrogram()
    return 0


if __name__ == "__main__":
    sys.exit(main())
