"""Draw the README's picture: the tutorial's data as an annotated dendrogram.

    python -m tools.readme_figure [OUT]     (default docs/dendrogram.png; `make figures`)

The same tree as the first figure of notebooks/00_welcome.ipynb, drawn with
``helpers.fancy_dendrogram`` in the course's style (notebooks/matplotlibrc).
The PNG carries no date, and of the software only Matplotlib's version (in
its Comment; the rendering depends on it), so redrawing it with the same
libraries writes the same bytes. It draws on a figure of its own (no
pyplot), so it needs no display and leaves no figure behind.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import matplotlib as mpl
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from scipy.cluster.hierarchy import linkage

import helpers
from tools.course import COURSE, ROOT

DEFAULT = ROOT / "docs" / "dendrogram.png"
SIZE, DPI = (9, 4), 100  # 900 x 400 pixels: sharp on GitHub, small in the repository
#: Stored in the PNG, so that a test knows whether a redraw can be compared pixel by pixel.
DRAWN_WITH = f"matplotlib {mpl.__version__}"


ALT = ("A dendrogram of the tutorial's 150 samples, showing its last 11 merges: the five "
       "highest written with their heights, and a dashed cut at height 50 that leaves two clusters")


def figure():
    """Draw the picture on a new figure; return the figure and what
    ``fancy_dendrogram`` drew (its dict: ``height_labels``, ``cut_line``...)."""
    with mpl.rc_context(fname=str(COURSE.matplotlibrc)):
        X = helpers.two_clusters()
        Z = linkage(X, "ward")
        fig = Figure(figsize=SIZE)
        FigureCanvasAgg(fig)
        ax = fig.subplots()
        tree = helpers.fancy_dendrogram(
            Z, ax=ax, truncate_mode="lastp", p=12, show_contracted=True,
            annotate_above=10, max_d=50,
            title="Reading a dendrogram: merge heights, and a cut that leaves two clusters",
        )
        fig.canvas.draw()  # lays out the figure and places the height labels
    return fig, tree


def draw(out=DEFAULT):
    """Write the picture to ``out`` and return its path."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    fig, _ = figure()
    with mpl.rc_context(fname=str(COURSE.matplotlibrc)):
        fig.savefig(out, dpi=DPI, metadata={"Software": None, "Comment": DRAWN_WITH})
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", nargs="?", type=Path, default=DEFAULT)
    args = parser.parse_args(argv)
    print(f"wrote {draw(args.out)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
