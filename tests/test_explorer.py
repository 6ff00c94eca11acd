"""The cut-off explorer's logic: counts and labels as fcluster gives them,
the same colour for a cluster on the dendrogram and on the scatter plot,
artists changed in place, and clear errors on bad input."""

import matplotlib.pyplot as plt
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from matplotlib.colors import to_hex, to_rgba_array
from scipy.cluster.hierarchy import dendrogram, fcluster, linkage

from helpers.cutoff import cluster_members
from helpers.explorer import (METHODS, UNCOLOURED, CutoffExplorer, ExplorerArtists,
                              cluster_palette, figure_png)


def cuts_to_try(Z):
    """Cut-offs between, on and around the merge heights, 0 and above the top."""
    heights = np.unique(Z[:, 2])
    between = (heights[:-1] + heights[1:]) / 2
    picks = np.concatenate([[0.0], heights[-8:], between[-8:], [heights[-1] * 1.5]])
    return [float(d) for d in picks]


@pytest.fixture
def pair():
    fig, axes = plt.subplots(1, 2, figsize=(10, 4))
    yield axes
    plt.close(fig)


@pytest.mark.parametrize("method", METHODS)
def test_count_and_labels_are_fclusters(X, method):
    explorer = CutoffExplorer(X, method)
    assert np.array_equal(explorer.Z, linkage(X, method))
    for max_d in cuts_to_try(explorer.Z):
        cut = explorer.cut(max_d)
        expected = fcluster(explorer.Z, max_d, criterion="distance")
        assert np.array_equal(cut.labels, expected)
        assert cut.k == len(np.unique(expected)), max_d


def test_the_tutorials_cuts(X, X2):
    explorer = CutoffExplorer(X, "ward")
    assert explorer.cut(50).k == 2
    assert sorted(np.bincount(explorer.cut(50).labels)[1:]) == [50, 100]
    assert explorer.cut(16).k == 4
    assert CutoffExplorer(X2, "ward", truncate_p=30).cut(170).k == 5


@pytest.mark.filterwarnings("ignore:The symmetric non-negative hollow")  # tiny square X
@settings(max_examples=40, deadline=None)
@given(
    X=arrays(np.float64, st.tuples(st.integers(2, 25), st.just(2)),
             elements=st.integers(-5, 5).map(float)),  # small integers: many ties
    method=st.sampled_from(METHODS),
    fraction=st.floats(0, 1.2),
)
def test_count_and_colours_on_random_data(X, method, fraction):
    explorer = CutoffExplorer(X, method)
    max_d = fraction * explorer.max_height
    cut = explorer.cut(max_d)
    assert cut.k == len(np.unique(fcluster(explorer.Z, max_d, criterion="distance")))
    assert_one_colour_per_cluster(cut)


def assert_one_colour_per_cluster(cut):
    """Each cluster has one colour, never the grey of the links above the cut,
    and distinct clusters have distinct colours while the palette lasts."""
    colour_of = {}
    for label in np.unique(cut.labels):
        colours = {cut.sample_colors[i] for i in np.flatnonzero(cut.labels == label)}
        assert len(colours) == 1, f"cluster {label} has colours {colours}"
        colour_of[label] = colours.pop()
    assert UNCOLOURED not in colour_of.values()
    assert colour_of == cut.cluster_colors
    if cut.k <= len(cluster_palette()):
        assert len(set(colour_of.values())) == cut.k


@pytest.mark.parametrize("method", METHODS)
def test_scatter_colours_match_the_drawn_dendrogram(X, method, pair):
    """Read the colours back from the figure: every link inside a cluster has
    the colour of that cluster's samples, and every link above the cut is grey."""
    explorer = CutoffExplorer(X, method)
    artists = explorer.draw(explorer.default_max_d, pair)
    order = dendrogram(explorer.Z, no_plot=True)["leaves"]
    x_of_sample = np.empty(explorer.n)
    x_of_sample[order] = 5 + 10 * np.arange(explorer.n)  # SciPy's leaf positions
    for max_d in cuts_to_try(explorer.Z):
        cut = explorer.update(artists, max_d)
        assert_one_colour_per_cluster(cut)
        link_colours = [to_hex(c) for c in artists.links.get_colors()]
        scatter_colours = [to_hex(c) for c in artists.scatter.get_facecolors()]
        assert scatter_colours == cut.sample_colors
        for path, colour in zip(artists.links.get_paths(), link_colours):
            xs, ys = path.vertices[:, 0], path.vertices[:, 1]
            if ys[1] > max_d:
                assert colour == UNCOLOURED
                continue
            under = (x_of_sample >= xs.min()) & (x_of_sample <= xs.max())
            labels = np.unique(cut.labels[under])
            assert len(labels) == 1, "a link below the cut joins two clusters"
            assert {scatter_colours[i] for i in np.flatnonzero(under)} == {colour}
        strip = [to_hex(c) for c in artists.leaves.get_facecolors()]
        assert strip == [scatter_colours[i] for i in order]


@pytest.mark.parametrize("method", ["ward", "average"])
def test_colours_are_scipys_own_when_scipy_colours_every_cluster(X, method):
    explorer = CutoffExplorer(X, method)
    checked = 0
    for max_d in cuts_to_try(explorer.Z):
        cut = explorer.cut(max_d)
        if min(np.bincount(cut.labels)[1:]) < 2 or cut.k > 9:
            continue  # SciPy leaves one-sample clusters uncoloured
        tree = dendrogram(explorer.Z, no_plot=True, color_threshold=np.nextafter(max_d, np.inf),
                          above_threshold_color=UNCOLOURED)
        assert cut.link_colors == [to_hex(c) for c in tree["color_list"]]
        assert cut.leaf_colors == [to_hex(c) for c in tree["leaves_color_list"]]
        checked += 1
    assert checked >= 3


def test_truncated_dendrogram_colours_every_cluster(X2):
    explorer = CutoffExplorer(X2, "ward", truncate_p=30)
    tree = dendrogram(explorer.Z, no_plot=True, truncate_mode="lastp", p=30)
    for max_d in (0.0, 30.0, 100.0, 170.0, 700.0, 2000.0):
        cut = explorer.cut(max_d)
        assert_one_colour_per_cluster(cut)
        assert len(cut.leaf_colors) == 30
        for leaf, colour in zip(tree["leaves"], cut.leaf_colors):
            under = {cut.sample_colors[i] for i in cluster_members(explorer.Z, leaf)}
            # A contracted leaf the cut splits is grey; otherwise its cluster's colour.
            assert colour == (under.pop() if len(under) == 1 else UNCOLOURED)
    cut = explorer.cut(170.0)
    assert cut.k == 5
    assert UNCOLOURED not in cut.leaf_colors
    assert len(set(cut.leaf_colors)) == 5  # the two contracted leaves (100) and (50) too


def test_update_changes_the_same_artists_in_place(X, pair):
    explorer = CutoffExplorer(X, "ward")
    artists = explorer.draw(50.0, pair)
    fig = artists.figure
    children = [list(ax.get_children()) for ax in pair]
    before_png = figure_png(fig)
    before_colours = artists.scatter.get_facecolors().copy()

    cut = explorer.update(artists, 16.0)

    assert [list(ax.get_children()) for ax in pair] == children, "artists were added or removed"
    assert list(artists.cut_line.get_ydata()) == [16.0, 16.0]
    assert artists.title.get_text() == "4 clusters at max_d = 16.00" == cut.summary
    assert artists.title is pair[1].title
    after_colours = artists.scatter.get_facecolors()
    assert np.array_equal(after_colours, to_rgba_array(cut.sample_colors))
    assert not np.array_equal(after_colours, before_colours)
    assert [to_hex(c) for c in artists.links.get_colors()] == cut.link_colors
    assert [to_hex(c) for c in artists.leaves.get_facecolors()] == cut.leaf_colors
    for dot, link in zip(artists.merge_dots, artists.dot_links):
        assert to_hex(dot.get_color()) == cut.link_colors[link]
    assert len(artists.merge_dots) == len(pair[0].texts) > 0
    assert figure_png(fig) != before_png

    explorer.update(artists, 50.0)
    assert artists.title.get_text() == "2 clusters at max_d = 50.00"
    assert np.array_equal(artists.scatter.get_facecolors(), before_colours)


def test_points_place_samples_with_more_features(pair):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(30, 4))
    explorer = CutoffExplorer(X, "average", points=X[:, :2])
    artists = explorer.draw(1.0, pair)
    assert np.array_equal(artists.scatter.get_offsets(), X[:, :2])
    assert pair[1].get_xlabel() == "points[:, 0]"


def test_palette_is_the_colour_cycle_from_C1():
    # Matplotlib's default cycle has ten colours: the first nine are SciPy's C1..C9.
    assert cluster_palette()[:9] == [to_hex(f"C{i}") for i in range(1, 10)]
    with plt.rc_context({"axes.prop_cycle": plt.cycler(color=["red", "green", "blue"])}):
        assert cluster_palette() == ["#008000", "#0000ff", "#ff0000"]


def test_figure_png():
    fig, _ = plt.subplots(figsize=(2, 1), dpi=50)
    png = figure_png(fig)
    plt.close(fig)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    with pytest.raises(TypeError, match="fig must be a Matplotlib Figure"):
        figure_png("figure.png")


@pytest.mark.parametrize("method", ["centroid", "median", "wards", "", None, 3])
def test_unknown_method_is_refused(X, method):
    with pytest.raises(ValueError, match=r"method must be one of 'ward', 'complete'"):
        CutoffExplorer(X, method)


@pytest.mark.parametrize("bad, error, message", [
    (np.arange(10.0), ValueError, "must be 2-D"),
    ([[1.0, 2.0]], ValueError, "at least 2 samples"),
    ([[1.0, np.nan], [0.0, 0.0]], ValueError, "NaN or infinite"),
    ([["a", "b"], ["c", "d"]], TypeError, "array of numbers"),
    (np.zeros((5, 3)), ValueError, "pass points"),
])
def test_bad_X_is_refused(bad, error, message):
    with pytest.raises(error, match=message):
        CutoffExplorer(bad)


def test_bad_points_and_truncation_are_refused(X):
    with pytest.raises(ValueError, match=r"points must have shape \(150, 2\)"):
        CutoffExplorer(X, points=X[:10])
    with pytest.raises(ValueError, match="truncate_p must be between 2 and 150"):
        CutoffExplorer(X, truncate_p=1)
    with pytest.raises(TypeError, match="truncate_p must be a whole number"):
        CutoffExplorer(X, truncate_p=12.5)
    with pytest.raises(ValueError, match="annotate_above must be a finite, non-negative"):
        CutoffExplorer(X, annotate_above=-1)


@pytest.mark.parametrize("max_d, error", [(-1.0, ValueError), (np.nan, ValueError),
                                          (np.inf, ValueError), ("50", TypeError)])
def test_bad_max_d_is_refused(X, pair, max_d, error):
    explorer = CutoffExplorer(X)
    artists = explorer.draw(50.0, pair)
    for call in (lambda: explorer.cut(max_d), lambda: explorer.update(artists, max_d),
                 lambda: explorer.draw(max_d, pair)):
        with pytest.raises(error, match="max_d must be"):
            call()


def test_bad_axes_and_artists_are_refused(X, pair):
    explorer = CutoffExplorer(X)
    with pytest.raises(TypeError, match="axes must be a pair of Matplotlib axes"):
        explorer.draw(50.0, pair[0])
    with pytest.raises(TypeError, match="artists must be what CutoffExplorer.draw returned"):
        explorer.update({"scatter": None}, 50.0)
    assert isinstance(explorer.draw(50.0, pair), ExplorerArtists)


def test_leaf_labels_only_when_readable(X, X2, pair):
    CutoffExplorer(X2, truncate_p=30).draw(170.0, pair)
    assert len(pair[0].get_xticklabels()) == 30
    pair[0].clear()
    CutoffExplorer(X).draw(50.0, pair)
    assert len(pair[0].get_xticks()) == 0
    assert pair[0].get_xlabel() == "the 150 samples, in dendrogram order"
