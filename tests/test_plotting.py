"""The scatter helpers draw each group and cluster in its own safe colour."""

import matplotlib.colors as mcolors
import matplotlib.pyplot as plt
import numpy as np
import pytest
from scipy.cluster.hierarchy import fcluster

from helpers.cutoff import elbow
from helpers.plotting import PALETTE, highlight_samples, plot_clusters, plot_elbow


def colour_of(collection):
    return mcolors.to_hex(collection.get_facecolor()[0]).upper()


def test_highlight_samples_draws_each_group_at_its_samples(X, ax):
    groups = [[33, 68, 62], [15, 69, 41]]
    artists = highlight_samples(X, groups, ax=ax)
    assert len(artists) == 3
    assert len(artists[0].get_offsets()) == len(X)
    for group, artist in zip(groups, artists[1:]):
        np.testing.assert_array_equal(artist.get_offsets(), X[group])
    colours = {colour_of(a) for a in artists[1:]}
    assert len(colours) == 2 and colours <= set(PALETTE)
    assert sorted(t.get_text() for t in ax.texts) == sorted(str(i) for g in groups for i in g)
    assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel()


def test_plot_clusters_one_collection_per_label(X, Z, ax):
    labels = fcluster(Z, 4, criterion="maxclust")
    artists = plot_clusters(X, labels, ax=ax)
    assert len(artists) == 4
    assert [colour_of(a) for a in artists] == list(PALETTE[:4])
    for label, artist in zip(sorted(set(labels)), artists):
        np.testing.assert_array_equal(artist.get_offsets(), X[labels == label])
    assert ax.get_title() == "4 clusters"


def test_plot_clusters_changes_marker_once_colours_run_out(ax):
    X = np.arange(40, dtype=float).reshape(20, 2)
    artists = plot_clusters(X, np.arange(20), ax=ax)
    paths = {tuple(map(tuple, a.get_paths()[0].vertices.round(3))) for a in artists}
    pairs = {(colour_of(a), p) for a, p in zip(artists, paths)}
    assert len(pairs) == len(paths)  # no two clusters share colour and marker


def test_plot_elbow_marks_k(Z, ax):
    result = elbow(Z)
    heights, acceleration, marker = plot_elbow(result, ax=ax)
    np.testing.assert_array_equal(heights.get_xdata(), np.arange(1, 11))
    np.testing.assert_array_equal(acceleration.get_xdata(), np.arange(2, 10))
    assert marker.get_xdata()[0] == 2
    assert ax.get_title() == "Elbow heuristic suggests k = 2"


def test_helpers_draw_on_the_current_axes_without_new_figures(X):
    fig, ax = plt.subplots()
    try:
        before = plt.get_fignums()
        plot_clusters(X, np.zeros(len(X), dtype=int))
        highlight_samples(X, [[0]])
        assert plt.get_fignums() == before
        assert len(ax.collections) == 3
    finally:
        plt.close(fig)


@pytest.mark.parametrize("call, error, words", [
    (lambda X, ax: plot_clusters(X[:, :1], np.zeros(150), ax=ax), ValueError, "exactly 2 columns"),
    (lambda X, ax: plot_clusters(X, np.zeros(149), ax=ax), ValueError, "one cluster label per sample"),
    (lambda X, ax: plot_clusters(np.full((3, 2), np.nan), [0, 0, 1], ax=ax), ValueError, "NaN"),
    (lambda X, ax: plot_clusters(X, np.zeros(150), colors=[], ax=ax), ValueError, "one colour per cluster"),
    (lambda X, ax: highlight_samples(X, [[150]], ax=ax), ValueError, "only 150 samples"),
    (lambda X, ax: highlight_samples(X, [[-1]], ax=ax), ValueError, "only 150 samples"),
    (lambda X, ax: highlight_samples(X, [[]], ax=ax), TypeError, "non-empty list"),
    (lambda X, ax: highlight_samples(X, [[0.5]], ax=ax), TypeError, "whole numbers"),
    (lambda X, ax: highlight_samples(X, [[0], [1]], names=["one"], ax=ax), ValueError, "one name per group"),
    (lambda X, ax: highlight_samples(X.ravel(), [[0]], ax=ax), ValueError, "2-D"),
    (lambda X, ax: plot_elbow({"k": 2}, ax=ax), TypeError, "elbow"),
])
def test_bad_input_is_refused(X, ax, call, error, words):
    with pytest.raises(error, match=words):
        call(X, ax)
