"""The README's picture is drawn by tools/readme_figure.py (`make figures`),
committed, and up to date: a redraw gives the same pixels, and shows what
the README's alt text says."""

import matplotlib.colors as mcolors
import matplotlib.image as mpimg
import matplotlib.pyplot as plt
import numpy as np
import pytest
from PIL import Image

from helpers.plotting import PALETTE
from tools.course import ROOT
from tools.readme_figure import ALT, DEFAULT, DRAWN_WITH, draw, figure


def test_the_readme_shows_the_committed_picture_with_its_alt_text():
    assert DEFAULT.is_file(), "docs/dendrogram.png is missing: draw it with `make figures`"
    relative = DEFAULT.relative_to(ROOT).as_posix()
    for readme in ("README.md", "tools/student_edition_template/README.md"):
        assert f"![{ALT}]({relative})" in (ROOT / readme).read_text(encoding="utf-8"), (
            f"{readme} must show {relative} with tools/readme_figure.py's ALT as its alt text")


def test_the_picture_shows_what_the_alt_text_says():
    fig, tree = figure()
    try:
        # "showing its last 11 merges: the five highest written with their
        # heights": 11 merges drawn, a label at each of the five highest, and
        # at no other.
        assert len(tree["dcoord"]) == 11
        heights = sorted(ys[1] for ys in tree["dcoord"])
        above = [(0.5 * (xs[1] + xs[2]), ys[1]) for xs, ys in zip(tree["icoord"], tree["dcoord"], strict=True)
                 if ys[1] >= heights[-5]]
        labels = tree["height_labels"]
        assert [label.xy for label in labels] == above and len(labels) == 5
        assert sorted(label.get_text() for label in labels) == ["12.4", "15.1", "17.1", "180", "23.1"]
        assert all(label.get_visible() for label in labels)
        # "a dashed cut at height 50 that leaves two clusters"
        assert list(tree["cut_line"].get_ydata()) == [50, 50]
        assert tree["cut_line"].get_linestyle() == "--"
        below = {c for c, ys in zip(tree["color_list"], tree["dcoord"], strict=True) if ys[1] < 50}
        assert below == set(PALETTE[:2])
        # "the tutorial's 150 samples": the leaves ("(size)" for a contracted
        # cluster, a sample index for one sample) add up to 150.
        sizes = [int(leaf[1:-1]) if leaf.startswith("(") else 1 for leaf in tree["ivl"]]
        assert sum(sizes) == 150 and len(sizes) == 12
        assert fig.get_size_inches().tolist() == [9, 4]
    finally:
        plt.close(fig)


def test_the_script_draws_the_same_picture_twice(tmp_path):
    first = draw(tmp_path / "a.png")
    assert draw(tmp_path / "b.png").read_bytes() == first.read_bytes()
    assert Image.open(first).size == (900, 400)


def test_the_committed_picture_is_up_to_date(tmp_path):
    committed = Image.open(DEFAULT)
    assert committed.size == (900, 400)
    drawn_with = committed.info.get("Comment")
    if drawn_with != DRAWN_WITH:
        pytest.skip(f"docs/dendrogram.png was drawn with {drawn_with}, this is {DRAWN_WITH}: "
                    f"the rendering may differ, so the pixels are not compared")
    fresh = mpimg.imread(draw(tmp_path / "fresh.png"))
    stored = mpimg.imread(DEFAULT)
    assert fresh.shape == stored.shape
    # Root mean square difference, on a 0-255 scale. A single height label
    # moved, or one colour changed, gives several units; identical
    # rendering gives 0.
    rms = float(np.sqrt(np.mean((255 * (fresh - stored)) ** 2)))
    assert rms < 1.0, f"docs/dendrogram.png is stale (RMS difference {rms:.2f}): run `make figures`"


def test_the_comparison_would_see_a_stale_picture(tmp_path):
    """The same check against a picture with a different cut tells them apart."""
    from matplotlib import rc_context

    fig, tree = figure()
    try:
        with rc_context(fname=str(ROOT / "notebooks" / "matplotlibrc")):
            tree["cut_line"].set_ydata([60, 60])
            tree["height_labels"][0].set_color(mcolors.to_hex("red"))
            fig.savefig(tmp_path / "stale.png", dpi=100)
    finally:
        plt.close(fig)
    stale = mpimg.imread(tmp_path / "stale.png")
    fresh = mpimg.imread(draw(tmp_path / "fresh.png"))
    assert float(np.sqrt(np.mean((255 * (fresh[..., :3] - stale[..., :3])) ** 2))) > 1.0
