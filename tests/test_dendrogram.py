"""fancy_dendrogram draws what SciPy draws, plus its annotations, where asked."""

import matplotlib.pyplot as plt
import numpy as np
import pytest
from scipy.cluster.hierarchy import dendrogram

from helpers.dendrogram import fancy_dendrogram

KEYS = ("icoord", "dcoord", "ivl", "leaves", "color_list")


def test_returns_what_dendrogram_returns(Z, ax):
    fig, other = plt.subplots()
    try:
        expected = dendrogram(Z, ax=other, truncate_mode="lastp", p=12, color_threshold=50)
    finally:
        plt.close(fig)
    tree = fancy_dendrogram(Z, ax=ax, truncate_mode="lastp", p=12, max_d=50)
    assert set(tree) == set(expected)
    for key in KEYS:
        assert tree[key] == expected[key], key


def test_annotates_every_merge_above_the_threshold_and_no_other(Z, ax):
    tree = fancy_dendrogram(Z, ax=ax, truncate_mode="lastp", p=12, annotate_above=10)
    drawn = [ys[1] for ys in tree["dcoord"]]
    assert sorted(t.get_text() for t in ax.texts) == sorted(f"{h:.3g}" for h in drawn if h > 10)
    # The truncated tree still shows every merge above 10: the last five.
    assert sorted(t.get_text() for t in ax.texts) == sorted(["12.4", "15.1", "17.1", "23.1", "180"])


def test_heights_of_1000_or_more_are_not_written_in_scientific_notation(Z2, ax):
    fancy_dendrogram(Z2, ax=ax, truncate_mode="lastp", p=12, annotate_above=600)
    # The three merges of X2 above 600: 614.065..., 1186.758..., 1262.521...
    assert sorted(t.get_text() for t in ax.texts) == ["1187", "1263", "614"]


def test_max_d_draws_the_cut_and_colours_the_clusters_below_it(Z, ax):
    tree = fancy_dendrogram(Z, ax=ax, max_d=50)
    cut = [line for line in ax.lines if list(line.get_ydata()) == [50, 50]]
    assert len(cut) == 1 and cut[0].get_linestyle() == "--"
    # Two clusters below 50: two colours below the cut, one above it.
    assert len(set(tree["color_list"])) == 3


def test_own_color_threshold_wins_over_max_d(Z, ax):
    tree = fancy_dendrogram(Z, ax=ax, max_d=50, color_threshold=16)
    assert len(set(tree["color_list"])) == 5  # four clusters below 16, and C0 above


def test_draws_only_on_the_axes_it_is_given(Z, ax):
    before = plt.get_fignums()
    fancy_dendrogram(Z, ax=ax, truncate_mode="lastp", p=5)
    assert plt.get_fignums() == before
    assert ax.get_title() == "Hierarchical clustering dendrogram (truncated)"
    assert ax.get_xlabel() and ax.get_ylabel() == "distance"


def test_no_plot_draws_nothing(Z):
    before = plt.get_fignums()
    tree = fancy_dendrogram(Z, no_plot=True, max_d=50)
    assert plt.get_fignums() == before
    assert len(tree["leaves"]) == 150


@pytest.mark.parametrize("kwargs, error, words", [
    ({"max_d": -1}, ValueError, "max_d"),
    ({"max_d": np.nan}, ValueError, "max_d"),
    ({"max_d": "50"}, TypeError, "max_d"),
    ({"annotate_above": -5}, ValueError, "annotate_above"),
])
def test_bad_options_are_refused(Z, ax, kwargs, error, words):
    with pytest.raises(error, match=words):
        fancy_dendrogram(Z, ax=ax, **kwargs)


def test_bad_linkage_is_refused(ax):
    with pytest.raises(ValueError, match="Z must be a linkage matrix"):
        fancy_dendrogram(np.zeros((3, 2)), ax=ax)
    with pytest.raises(ValueError, match="NaN"):
        fancy_dendrogram(np.array([[0, 1, np.nan, 2]]), ax=ax)
