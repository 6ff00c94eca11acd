"""The scatter helpers draw each group and cluster where it is, in its own
colour and marker, on the axes they are given."""

import importlib.util
import io
import itertools

import matplotlib.colors as mcolors
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.lines import Line2D
from matplotlib.markers import MarkerStyle
from scipy.cluster.hierarchy import fcluster, linkage

from helpers.cutoff import elbow
from helpers.plotting import (
    ABOVE_CUT_COLOUR,
    CONTEXT_GREY,
    MARKERS,
    PALETTE,
    highlight_samples,
    plot_clusters,
    plot_elbow,
)


def colour_of(collection):
    colours = {mcolors.to_hex(c).upper() for c in collection.get_facecolor()}
    assert len(colours) == 1
    return colours.pop()


def edge_of(collection):
    return {mcolors.to_hex(c).upper() for c in collection.get_edgecolor()}


def marker_of(collection):
    """The marker symbol whose path the collection draws."""
    (path,) = collection.get_paths()
    for symbol in MARKERS + ("*", "d", "<", ">", "p", "H", "8"):
        style = MarkerStyle(symbol)
        expected = style.get_path().transformed(style.get_transform())
        if expected.vertices.shape == path.vertices.shape and np.allclose(expected.vertices, path.vertices):
            return symbol
    raise AssertionError("unknown marker")



# highlight_samples ---------------------------------------------------------

def test_highlight_samples_draws_each_group_at_its_samples(X, two_axes):
    ax, _ = two_axes
    groups = [[33, 68, 62], [15, 69, 41]]
    artists = highlight_samples(X, groups, ax=ax)
    assert len(artists) == 3 and all(a.axes is ax for a in artists)
    grey, *coloured = artists
    np.testing.assert_array_equal(grey.get_offsets(), X)
    assert colour_of(grey) == CONTEXT_GREY and list(grey.get_sizes()) == [12]
    assert list(grey.get_linewidths()) == [0]
    for i, (group, artist) in enumerate(zip(groups, coloured, strict=True)):
        np.testing.assert_array_equal(artist.get_offsets(), X[group])
        assert colour_of(artist) == PALETTE[i]
        assert marker_of(artist) == MARKERS[i]
        assert edge_of(artist) == {"#000000"} and list(artist.get_linewidths()) == [0.8]
        assert list(artist.get_sizes()) == [60] and artist.get_zorder() == 3
    texts = [t.get_text() for t in ax.texts]
    assert texts == [str(i) for g in groups for i in g]
    for text, i in zip(ax.texts, [i for g in groups for i in g], strict=True):
        np.testing.assert_array_equal(text.xy, X[i])
        assert text.xyann == (5, 5) and text.get_zorder() == 4
        assert mcolors.to_hex(text.get_color()) == "#000000"
    assert ax.get_title() == "Samples of interest"
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("X[:, 0]", "X[:, 1]")
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "all samples", "samples 33, 68, 62", "samples 15, 69, 41"]


def test_highlight_samples_index_labels_render_next_to_their_samples(X):
    fig, ax = plt.subplots(dpi=100)
    try:
        highlight_samples(X, [[0, 1]], ax=ax)
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        for text in ax.texts:
            box = text.get_window_extent(renderer)
            point = ax.transData.transform(text.xy)
            # 5 points right and 5 points up, at 100 dpi: 6.9 pixels.
            assert box.x0 == pytest.approx(point[0] + 500 / 72, abs=0.5)
            # The box's bottom is the descent, a few pixels below the baseline.
            assert point[1] < box.y0 <= point[1] + 500 / 72
        fig.savefig(io.BytesIO(), format="png")
    finally:
        plt.close(fig)


def test_highlight_samples_indices_are_black_whatever_the_style(X, ax):
    with plt.rc_context({"text.color": "red"}):
        highlight_samples(X, [[0, 1]], ax=ax)
    assert {mcolors.to_hex(t.get_color()) for t in ax.texts} == {"#000000"}


def test_highlight_samples_without_annotations_writes_no_index(X, ax):
    highlight_samples(X, [[0, 1]], ax=ax, annotate=False, title="mine")
    assert not ax.texts and ax.get_title() == "mine"


def test_highlight_samples_keeps_axis_labels_already_set(X, ax):
    ax.set_xlabel("bill length")
    ax.set_ylabel("bill depth")
    highlight_samples(X, [[0]], ax=ax)
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("bill length", "bill depth")


def test_highlight_samples_palette_past_seven_groups(X, ax):
    groups = [[i] for i in range(10)]
    artists = highlight_samples(X, groups, ax=ax)[1:]
    assert [colour_of(a) for a in artists] == [PALETTE[i % 7] for i in range(10)]
    assert [marker_of(a) for a in artists] == [MARKERS[i % 8] for i in range(10)]
    pairs = {(colour_of(a), marker_of(a)) for a in artists}
    assert len(pairs) == 10


def test_highlight_samples_with_own_names_and_colours(X, ax):
    artists = highlight_samples(X, [[1, 2], [3]], ax=ax, names=["left", "right"],
                                colors=["#000000", "red", "blue"])
    assert [colour_of(a) for a in artists[1:]] == ["#000000", "#FF0000"]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["all samples", "left", "right"]


@pytest.mark.parametrize("groups, expected", [
    ([0, 1, 2], [[0, 1, 2]]),            # a flat list is one group
    (np.array([4, 5]), [[4, 5]]),
    (7, [[7]]),                           # one index
    (np.int64(7), [[7]]),
    ([[0, 1], [2]], [[0, 1], [2]]),
    ((range(3), [5]), [[0, 1, 2], [5]]),
    (np.array([[0, 1], [2, 3]]), [[0, 1], [2, 3]]),
])
def test_highlight_samples_reads_groups(X, ax, groups, expected):
    artists = highlight_samples(X, groups, ax=ax)
    assert [a.get_offsets().tolist() for a in artists[1:]] == [X[g].tolist() for g in expected]


# plot_clusters ---------------------------------------------------------

def test_plot_clusters_one_collection_per_label(X, Z, two_axes):
    ax, _ = two_axes
    labels = fcluster(Z, 4, criterion="maxclust")
    artists = plot_clusters(X, labels, ax=ax)
    assert len(artists) == 4 and all(a.axes is ax for a in artists)
    assert [colour_of(a) for a in artists] == list(PALETTE[:4])
    assert [marker_of(a) for a in artists] == list(MARKERS[:4])
    for label, artist in zip(sorted(set(labels)), artists, strict=True):
        np.testing.assert_array_equal(artist.get_offsets(), X[labels == label])
        assert edge_of(artist) == {"#000000"} and list(artist.get_linewidths()) == [0.5]
        assert list(artist.get_sizes()) == [30]
    assert ax.get_title() == "4 clusters"
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("X[:, 0]", "X[:, 1]")
    legend = ax.get_legend()
    assert [t.get_text() for t in legend.get_texts()] == [f"cluster {k}" for k in (1, 2, 3, 4)]
    assert legend.get_title().get_text() == "cluster label"


def test_plot_clusters_one_cluster_and_no_legend(X, ax):
    plot_clusters(X, np.ones(len(X), dtype=int), ax=ax, legend=False)
    assert ax.get_title() == "1 cluster" and ax.get_legend() is None


def test_plot_clusters_accepts_exactly_one_colour_per_cluster(X, ax):
    labels = np.arange(len(X)) % 3
    artists = plot_clusters(X, labels, ax=ax, colors=["black", "#00FF00", "blue"], title="mine")
    assert [colour_of(a) for a in artists] == ["#000000", "#00FF00", "#0000FF"]
    assert ax.get_title() == "mine"


def sample_colours(collection, X):
    """The face colour of each sample of X that `collection` draws, by its coordinates."""
    offsets = [tuple(p) for p in collection.get_offsets()]
    faces = collection.get_facecolor()
    faces = np.repeat(faces, len(offsets), axis=0) if len(faces) == 1 else faces
    return {xy: mcolors.to_hex(face).upper() for xy, face in zip(offsets, faces, strict=True)}


def test_plot_clusters_changes_marker_from_the_first_cluster_on(ax):
    X = np.arange(40, dtype=float).reshape(20, 2)
    artists = plot_clusters(X, np.arange(20), ax=ax)
    assert len(artists) == 20
    markers = [marker_of(a) for a in artists]
    colours = [sample_colours(a, X)[tuple(X[i])] for i, a in enumerate(artists)]
    assert markers == [MARKERS[i % len(MARKERS)] for i in range(20)]
    assert colours == [PALETTE[i % len(PALETTE)] for i in range(20)]
    assert len(set(zip(colours, markers, strict=True))) == 20  # no two clusters look alike
    assert all(a != b for a, b in itertools.pairwise(markers))
    assert ax.get_legend() is None  # 20 entries would cover the samples


def test_plot_clusters_with_string_labels(X, ax):
    labels = np.where(np.arange(len(X)) < 100, "a", "b")
    artists = plot_clusters(X, labels, ax=ax)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["cluster a", "cluster b"]
    np.testing.assert_array_equal(artists[1].get_offsets(), X[100:])


# plot_elbow ---------------------------------------------------------

def test_plot_elbow_draws_heights_acceleration_and_the_star_at_k(Z, two_axes):
    ax, _ = two_axes
    result = elbow(Z)
    heights, acceleration, star = plot_elbow(result, ax=ax)
    assert all(line.axes is ax for line in (heights, acceleration, star))
    np.testing.assert_array_equal(heights.get_xdata(), np.arange(1, 11))
    np.testing.assert_array_equal(heights.get_ydata(), result.heights)
    np.testing.assert_array_equal(acceleration.get_xdata(), np.arange(2, 10))
    np.testing.assert_array_equal(acceleration.get_ydata(), result.acceleration)
    assert list(star.get_xdata()) == [2] == [result.k]
    assert list(star.get_ydata()) == [result.acceleration[0]] == [max(result.acceleration)]
    assert star.get_marker() == "*" and star.get_markersize() == 14
    assert mcolors.to_hex(star.get_color()) == "#000000" and star.get_visible()
    assert mcolors.to_hex(heights.get_color()).upper() == ABOVE_CUT_COLOUR
    assert mcolors.to_hex(acceleration.get_color()).upper() == PALETTE[0]
    assert (heights.get_marker(), heights.get_linestyle()) == ("o", "-")
    assert (acceleration.get_marker(), acceleration.get_linestyle()) == ("s", "--")
    assert ax.get_title() == "Elbow heuristic suggests k = 2"
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("number of clusters", "distance")
    assert list(ax.get_xticks()) == list(range(1, 11))
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "merge height", "acceleration (2nd difference)", "largest acceleration: k = 2"]


def test_plot_elbow_star_sits_on_the_acceleration_of_k(X2, ax):
    from scipy.cluster.hierarchy import linkage

    result = elbow(linkage(X2, "ward"))
    *_, star = plot_elbow(result, ax=ax, title="mine")
    assert result.k != 2
    assert list(star.get_xdata()) == [result.k]
    assert list(star.get_ydata()) == [result.acceleration[result.k - 2]]
    assert ax.get_title() == "mine"


# All of them ---------------------------------------------------------

def test_helpers_draw_on_the_current_axes_without_new_figures(X, Z):
    fig, ax = plt.subplots()
    try:
        before = plt.get_fignums()
        plot_clusters(X, np.zeros(len(X), dtype=int))
        highlight_samples(X, [[0]])
        plot_elbow(elbow(Z))
        assert plt.get_fignums() == before
        assert len(ax.collections) == 3 and len(ax.lines) == 3
    finally:
        plt.close(fig)


@pytest.mark.parametrize("call", [
    lambda X, Z, bad: plot_clusters(X, np.zeros(150), ax=bad),
    lambda X, Z, bad: highlight_samples(X, [0], ax=bad),
    lambda X, Z, bad: plot_elbow(elbow(Z), ax=bad),
])
@pytest.mark.parametrize("bad", ["ax", 0, np.empty(2, dtype=object)])
def test_a_bad_ax_is_named_before_anything_is_drawn(X, Z, call, bad):
    before = plt.get_fignums()
    with pytest.raises(TypeError, match="ax must be one Matplotlib Axes"):
        call(X, Z, bad)
    assert plt.get_fignums() == before


@pytest.mark.parametrize("call, error, words", [
    (lambda X, ax: plot_clusters(X[:, :1], np.zeros(150), ax=ax), ValueError,
     r"^X must have exactly 2 columns to be drawn as a scatter plot; got shape \(150, 1\)\. "
     r"Pass two of its columns, e\.g\. X\[:, \[0, 1\]\], or a 2-D projection of it\.$"),
    (lambda X, ax: plot_clusters(X, np.zeros(149), ax=ax), ValueError, "one cluster label per sample"),
    (lambda X, ax: plot_clusters(np.full((3, 2), np.nan), [0, 0, 1], ax=ax), ValueError, "NaN"),
    (lambda X, ax: plot_clusters(X, np.r_[np.ones(149), np.nan], ax=ax), ValueError,
     r"labels holds 1 missing value\(s\) \(NaN or None\), the first for sample 149"),
    (lambda X, ax: plot_clusters(X, [None] + [1] * 149, ax=ax), ValueError, "the first for sample 0;"),
    (lambda X, ax: plot_clusters(X, np.r_[np.ones(148), complex("nan"), 2j], ax=ax), TypeError,
     "labels holds complex numbers"),
    (lambda X, ax: plot_clusters(X, [1.0] * 10 + [float("nan")] * 140, ax=ax), ValueError,
     "holds 140 missing value"),
    (lambda X, ax: plot_clusters(X, np.zeros(150), colors=[], ax=ax), ValueError, "one colour per cluster"),
    (lambda X, ax: plot_clusters(X, np.arange(150) % 2, colors=["red"], ax=ax), ValueError,
     "2 clusters, 1 colours"),
    (lambda X, ax: plot_clusters(X, np.zeros(150), colors="red", ax=ax), TypeError, r"pass \['red'\]"),
    (lambda X, ax: plot_clusters(X, np.zeros(150), colors=["nonsense"], ax=ax), ValueError,
     r"colors\[0\] is not a Matplotlib colour"),
    (lambda X, ax: plot_clusters(X, np.zeros(150), colors=5, ax=ax), TypeError,
     "colors must be a list of colours, one per cluster; got 5.$"),
    (lambda X, ax: plot_clusters(X, ["a", None] + ["b"] * 148, ax=ax), ValueError, "the first for sample 1;"),
    (lambda X, ax: plot_clusters(X, np.array(["a", float("nan")] + ["b"] * 148, dtype=object), ax=ax),
     ValueError,
     "the first for sample 1;"),
    (lambda X, ax: highlight_samples(X, [[150]], ax=ax), ValueError,
     r"groups\[0\] has index 150, but X has only 150 samples \(indices 0 to 149\)\.$"),
    (lambda X, ax: highlight_samples(X, [[3, -1]], ax=ax), ValueError, "index -1, but X has only 150 samples"),
    (lambda X, ax: highlight_samples(X, [[]], ax=ax), TypeError, "non-empty list"),
    (lambda X, ax: highlight_samples(X, [[0.5]], ax=ax), TypeError, "whole numbers"),
    (lambda X, ax: highlight_samples(X, [0.5, 1.5], ax=ax), TypeError, r"groups\[0\] must be"),
    (lambda X, ax: highlight_samples(X, [True], ax=ax), TypeError, r"groups\[0\] must be"),
    (lambda X, ax: highlight_samples(X, None, ax=ax), TypeError,
     r"groups must be the indices of the samples to highlight: one group as a flat list such "
     r"as \[0, 4, 7\], or several as a list of lists such as \[\[0, 4\], \[7\]\]; got None\.$"),
    (lambda X, ax: highlight_samples(X, "0, 1", ax=ax), TypeError, "groups must be the indices"),
    (lambda X, ax: highlight_samples(X, 2.0, ax=ax), TypeError, "got float"),
    (lambda X, ax: highlight_samples(X, [], ax=ax), TypeError, "groups is empty"),
    (lambda X, ax: highlight_samples(X, [0, [1, 2]], ax=ax), TypeError, "mixes single indices"),
    (lambda X, ax: highlight_samples(X, [[0, [1, 2]]], ax=ax), TypeError,
     r"groups\[0\] is nested: each group must be a flat list of sample indices \(whole numbers\); "
     r"got \[0, \[1, 2\]\]\.$"),
    (lambda X, ax: highlight_samples(X, [[[0, 1]]], ax=ax), TypeError, r"groups\[0\] is nested"),
    (lambda X, ax: highlight_samples(X, [["a"]], ax=ax), TypeError, "whole numbers"),
    (lambda X, ax: highlight_samples(X, [[0], [1]], names=["one"], ax=ax), ValueError,
     "one name per group: got 2 groups and 1 names"),
    (lambda X, ax: highlight_samples(X, [[0], [1]], names=["a", "b", "c"], ax=ax), ValueError,
     "one name per group"),
    (lambda X, ax: highlight_samples(X, [[0], [1]], names="ab", ax=ax), TypeError,
     r"names must be a list of strings, one per group; got 'ab' \(for one group, pass \['ab'\]\)"),
    (lambda X, ax: highlight_samples(X, [[0]], names=3, ax=ax), TypeError, "got 3.$"),
    (lambda X, ax: highlight_samples(X, [[0], [1]], colors=["red"], ax=ax), ValueError,
     "at least one colour per group"),
    (lambda X, ax: highlight_samples(X, [[0], [1]], colors="rb", ax=ax), TypeError, "list of colours"),
    (lambda X, ax: highlight_samples(X.ravel(), [[0]], ax=ax), ValueError, "2-D"),
    (lambda X, ax: plot_elbow({"k": 2}, ax=ax), TypeError,
     r"result must be what helpers.cutoff.elbow\(Z\) returns; got dict\.$"),
])
def test_bad_input_is_refused(X, ax, call, error, words):
    with pytest.raises(error, match=words):
        call(X, ax)
    assert not ax.collections and not ax.lines and not ax.texts


@pytest.mark.parametrize("k", [1, 8, 9, 12])
def test_plot_clusters_legend_lists_up_to_12_clusters_inside_the_axes(ax, k):
    X = np.arange(2.0 * k).reshape(k, 2)
    plot_clusters(X, np.arange(k), ax=ax)
    legend = ax.get_legend()
    assert legend.get_title().get_text() == "cluster label" and legend._ncols == 1
    assert [t.get_text() for t in legend.get_texts()] == [f"cluster {i}" for i in range(k)]
    assert {round(t.get_fontsize(), 2) for t in legend.get_texts()} == {
        round(plt.rcParams["font.size"] * 0.833, 2)}
    # Each entry looks like its cluster's samples: marker and colour.
    for i, handle in enumerate(legend.legend_handles):
        marker = handle.get_marker() if isinstance(handle, Line2D) else marker_of(handle)
        assert marker == MARKERS[i % len(MARKERS)]
        face = handle.get_markerfacecolor() if isinstance(handle, Line2D) else handle.get_facecolor()[0]
        assert mcolors.to_hex(face).upper() == PALETTE[i % len(PALETTE)]


def drawing_helpers(X, Z):
    from helpers.cutoff import elbow
    from helpers.dendrogram import fancy_dendrogram

    labels = np.arange(len(X)) % 3
    return {
        "plot_clusters": lambda **ax: plot_clusters(X, labels, **ax),
        "highlight_samples": lambda **ax: highlight_samples(X, [0, 1], **ax),
        "plot_elbow": lambda **ax: plot_elbow(elbow(Z), **ax),
        "fancy_dendrogram": lambda **ax: fancy_dendrogram(Z, **ax),
    }


@pytest.mark.parametrize("helper", ["plot_clusters", "highlight_samples", "plot_elbow", "fancy_dendrogram"])
@pytest.mark.parametrize("projection", ["polar", "3d"])
def test_3d_and_polar_axes_are_refused_before_anything_is_drawn(X, Z, helper, projection):
    draw = drawing_helpers(X, Z)[helper]
    fig = plt.figure()
    ax = fig.add_subplot(projection=projection)
    try:
        with pytest.raises(TypeError, match=rf"^ax must be ordinary 2-D axes.*got {projection} axes"):
            draw(ax=ax)
        with pytest.raises(TypeError, match=r"^the current axes \(plt\.gca\(\)\) must be ordinary 2-D axes"):
            draw()
        assert not ax.collections and not ax.lines and not ax.texts
    finally:
        plt.close(fig)


@pytest.mark.parametrize("k, words", [(1, "k must be between 2 and 9"), (9, "k = 9 is not where the acceleration")])
def test_a_hand_made_elbow_result_is_refused_before_anything_is_drawn(Z, ax, k, words):
    from types import SimpleNamespace

    from helpers.cutoff import elbow

    result = elbow(Z)
    fake = SimpleNamespace(**{**vars(result), "k": k})
    with pytest.raises(ValueError, match=rf"^result is not what helpers\.elbow\(Z\) returns: {words}"):
        plot_elbow(fake, ax=ax)
    assert not ax.lines
    result.acceleration[:] = result.acceleration[::-1]  # changed after it was made
    with pytest.raises(ValueError, match="acceleration must be the second differences"):
        plot_elbow(result, ax=ax)


def test_41_clusters_on_x2_get_no_legend_over_the_samples(X2):
    labels = fcluster(linkage(X2, "ward"), 41, criterion="maxclust")
    fig, ax = plt.subplots(figsize=(6, 4))
    try:
        plot_clusters(X2, labels, ax=ax)
        assert ax.get_legend() is None and ax.get_title() == "41 clusters"
    finally:
        plt.close(fig)


def test_a_legend_asked_for_41_clusters_stands_beside_the_axes(X2):
    labels = fcluster(linkage(X2, "ward"), 41, criterion="maxclust")
    fig, ax = plt.subplots(figsize=(6, 4))
    try:
        plot_clusters(X2, labels, ax=ax, legend=True)
        fig.canvas.draw()
        legend = ax.get_legend()
        assert len(legend.get_texts()) == 41 and legend._ncols == 4
        renderer = fig.canvas.get_renderer()
        assert legend.get_window_extent(renderer).x0 > ax.get_window_extent(renderer).x1
    finally:
        plt.close(fig)


def test_750_clusters_are_drawn_by_one_collection_per_marker(X2, ax):
    labels = np.arange(len(X2))[::-1]  # one cluster per sample, numbered against the rows
    artists = plot_clusters(X2, labels, ax=ax, legend=False)
    assert len(ax.collections) == len(MARKERS) and len(artists) == 750
    assert set(artists) == set(ax.collections)
    order = np.argsort(labels)  # cluster i (sorted labels) is sample order[i]
    for i, artist in enumerate(artists):
        assert marker_of(artist) == MARKERS[i % len(MARKERS)]
        assert sample_colours(artist, X2)[tuple(X2[order[i]])] == PALETTE[i % len(PALETTE)]
    assert sum(len(c.get_offsets()) for c in ax.collections) == 750
    assert ax.get_legend() is None


@pytest.mark.parametrize("bad", ["yes", None, 2])
def test_plot_clusters_refuses_a_bad_legend_by_name(X, ax, bad):
    with pytest.raises(TypeError, match=r"^legend must be 'auto' \(a legend for up to 12 clusters\), True or False"):
        plot_clusters(X, np.arange(len(X)) % 2, ax=ax, legend=bad)


class RowLabels(list):
    """What highlight_samples reads of a pandas Index: row labels, and get_indexer."""

    def __init__(self, labels, of=None):
        super().__init__(labels)
        self.of = of

    def get_indexer(self, labels):
        return np.array([self.of.index(label) if label in self.of else -1 for label in labels])


class Frame:
    """What highlight_samples reads of a DataFrame: its values and its row labels."""

    def __init__(self, values, labels):
        self.values, self.index = np.asarray(values), RowLabels(labels, of=list(labels))

    def __array__(self, dtype=None, copy=None):
        return self.values


def test_row_labels_of_a_data_frame_are_looked_up_not_read_as_positions(X, ax):
    # As after dropna(): the rows are labelled 100, 102, ..., not 0, 1, ...
    frame = Frame(X[:50], labels=list(range(100, 200, 2)))
    chosen = RowLabels([104, 110])  # df.index[[2, 5]]
    artists = highlight_samples(frame, chosen, ax=ax, annotate=False)
    np.testing.assert_array_equal(artists[1].get_offsets(), X[[2, 5]])
    artists = highlight_samples(frame, [RowLabels([100]), [3]], ax=ax, annotate=False)
    np.testing.assert_array_equal(artists[1].get_offsets(), X[[0]])
    np.testing.assert_array_equal(artists[2].get_offsets(), X[[3]])
    with pytest.raises(ValueError, match=r"^groups holds row labels that are not in X's index: \[7\]"):
        highlight_samples(frame, RowLabels([104, 7]), ax=ax)


def test_row_labels_without_a_data_frame_are_refused(X, ax):
    with pytest.raises(TypeError, match=r"^groups is a pandas Index, whose values are row labels, but X has no "
                                        r"row labels .*df\.index\.get_indexer\(labels\)"):
        highlight_samples(X, RowLabels([1, 2]), ax=ax)
    assert not ax.collections


@pytest.mark.skipif(importlib.util.find_spec("pandas") is None, reason="pandas is not installed (the course "
                    "does not need it); the stand-ins above test the same protocol")
def test_pandas_row_labels_are_looked_up(X, ax):
    import pandas as pd

    df = pd.DataFrame(X[:50], index=range(100, 200, 2)).drop(index=[102])
    artists = highlight_samples(df, df.index[[2, 5]], ax=ax, annotate=False)
    np.testing.assert_array_equal(artists[1].get_offsets(), df.to_numpy()[[2, 5]])
