"""Draw the README's picture: the tutorial's data as an annotated dendrogram.

    python tools/readme_figure.py [OUT]     (default docs/dendrogram.png; `make figures`)

The same tree as the first figure of notebooks/00_welcome.ipynb, drawn with
``helpers.fancy_dendrogram`` in the course's style (notebooks/matplotlibrc).
The PNG carries no date, and of the software only Matplotlib's version (in
its Comment; the rendering depends on it), so redrawing it with the same
libraries writes the same bytes.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib as mpl  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
from scipy.cluster.hierarchy import linkage  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import helpers  # noqa: E402

DEFAULT = ROOT / "docs" / "dendrogram.png"
SIZE, DPI = (9, 4), 100  # 900 x 400 pixels: sharp on GitHub, small in the repository
#: Stored in the PNG, so that a test knows whether a redraw can be compared pixel by pixel.
DRAWN_WITH = f"matplotlib {mpl.__version__}"


ALT = ("An annotated dendrogram of the tutorial's 150 samples: each merge written with "
       "its height, and a dashed cut at height 50 that leaves two clusters")


def figure():
    """Draw the picture on a new figure; return the figure and what
    ``fancy_dendrogram`` drew (its dict: ``height_labels``, ``cut_line``...)."""
    with mpl.rc_context(fname=str(ROOT / "notebooks" / "matplotlibrc")):
        X = helpers.two_clusters()
        Z = linkage(X, "ward")
        fig, ax = plt.subplots(figsize=SIZE)
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
    with mpl.rc_context(fname=str(ROOT / "notebooks" / "matplotlibrc")):
        fig.savefig(out, dpi=DPI, metadata={"Software": None, "Comment": DRAWN_WITH})
    plt.close(fig)
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", nargs="?", type=Path, default=DEFAULT)
    args = parser.parse_args(argv)
    print(f"wrote {draw(args.out)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
