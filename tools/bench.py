"""Benchmark the course: how long each notebook takes, and how the helpers'
cut-off functions scale with the size of the linkage matrix.

    python tools/bench.py                   # everything (make bench)
    python tools/bench.py --no-notebooks    # only the helpers
    python tools/bench.py --no-helpers notebooks/11_scaling_up.ipynb

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

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tools.notebooks import NOTEBOOKS, course_notebooks, execute  # noqa: E402

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
    while len(times) < repeat and sum(times) < budget:
        start = time.perf_counter()
        f()
        times.append(time.perf_counter() - start)
    return min(times)


def bench_helpers(rows_list=ROWS):
    from scipy.cluster.hierarchy import fcluster, is_valid_linkage

    from helpers import cluster_members, distance_range, elbow, n_clusters_at
    from helpers._validation import as_linkage

    columns = {
        "as_linkage": lambda Z, n: as_linkage(Z),
        "n_clusters_at": lambda Z, n: n_clusters_at(Z, float(Z[n // 2, 2])),
        "distance_range": lambda Z, n: distance_range(Z, 10),
        "elbow": lambda Z, n: elbow(Z),
        "cluster_members(root)": lambda Z, n: cluster_members(Z, 2 * n - 2),
        "SciPy is_valid_linkage": lambda Z, n: is_valid_linkage(Z),
        "SciPy fcluster": lambda Z, n: fcluster(Z, float(Z[n // 2, 2]), criterion="distance"),
    }
    print("milliseconds, best of up to 5 runs; as_linkage is the input check every helper runs first")
    widths = [len(name) + 2 for name in columns]
    print(f"{'rows':>9} {'shape':9}" + "".join(f"{name:>{w}}" for name, w in zip(columns, widths)))
    for rows in rows_list:
        for shape, build in [("chain", chain_linkage), ("balanced", balanced_linkage)]:
            Z, n = build(rows), rows + 1
            assert is_valid_linkage(Z), (shape, rows)
            cells = [best_time(lambda: f(Z, n)) * 1e3 for f in columns.values()]
            print(f"{rows:>9,} {shape:9}" + "".join(f"{ms:{w}.2f}" for ms, w in zip(cells, widths)))


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
    parser.add_argument("--no-helpers", action="store_true", help="skip the helpers")
    args = parser.parse_args(argv)
    if not args.no_notebooks:
        bench_notebooks(args.notebooks or course_notebooks())
        print()
    if not args.no_helpers:
        bench_helpers()
    return 0


if __name__ == "__main__":
    sys.exit(main())
