"""The cut-off explorer: its model (counts and labels as fcluster gives them,
SciPy's colours, start-up in O(n) work), its Matplotlib view (the same colour
and marker for a cluster on the dendrogram and the scatter plot, artists
changed in place, leaf labels that overlap nothing, only the course's
colours) and its widgets (the count said in a live region), with clear
errors on bad input."""

import os

import ipywidgets
import matplotlib.pyplot as plt
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from matplotlib.colors import to_hex
from scipy.cluster.hierarchy import dendrogram, fcluster, linkage

import helpers
from helpers import explorer as explorer_module
from helpers.cutoff import cluster_members, n_clusters_at
from helpers.dendrogram import MIN_FONT_SIZE, fancy_dendrogram
from helpers.explorer import METHODS, SPLIT_LEAF_MARKER, UNCOLOURED, CutoffExplorer, cluster_palette, figure_png
from helpers.explorer_view import _marker_path
from helpers.explorer_widget import SLIDER_STEPS, ExplorerWidget, LiveStatus, explorer_widget
from helpers.plotting import CONTEXT_GREY, CUT_LINE_COLOUR, MARKERS, PALETTE
from tools.palette import contrast_on_white


def cuts_to_try(Z):
    """Cut-offs between, on and around the merge heights, 0 and above the top."""
    heights = np.unique(Z[:, 2])
    between = (heights[:-1] + heights[1:]) / 2
    picks = np.concatenate([[0.0], heights[-8:], between[-8:], [heights[-1] * 1.5]])
    return [float(d) for d in picks]


def hexes(colours):
    return [to_hex(c).upper() for c in colours]


@pytest.fixture
def pair():
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.6), width_ratios=(3, 2), layout="constrained")
    yield axes
    plt.close(fig)


# -- the model -----------------------------------------------------------------


@pytest.mark.parametrize("method", METHODS)
def test_count_and_labels_are_fclusters(X, method):
    explorer = CutoffExplorer(X, method)
    assert np.array_equal(explorer.Z, linkage(X, method))
    for max_d in cuts_to_try(explorer.Z):
        cut = explorer.cut(max_d)
        expected = fcluster(explorer.Z, max_d, criterion="distance")
        assert np.array_equal(cut.labels, expected)
        assert cut.k == len(np.unique(expected)) == n_clusters_at(explorer.Z, max_d), max_d
        assert cut.max_d == max_d and isinstance(cut.k, int)


def test_the_tutorials_cuts(X, X2):
    explorer = CutoffExplorer(X, "ward")
    assert explorer.cut(50).k == 2
    assert sorted(np.bincount(explorer.cut(50).labels)[1:]) == [50, 100]
    assert explorer.cut(16).k == 4
    assert explorer.cut(16).summary == "4 clusters at max_d = 16.00"
    assert explorer.cut(1000).summary == "1 cluster at max_d = 1000.00"
    assert CutoffExplorer(X2, "ward", truncate_p=30).cut(170).k == 5


def test_defaults_and_attributes(X):
    explorer = CutoffExplorer(X)
    assert explorer.method == "ward" and explorer.n == 150 and explorer.truncate_p is None
    assert explorer.max_height == explorer.Z[-1, 2]
    assert explorer.default_max_d == pytest.approx(0.7 * explorer.Z[-1, 2])
    assert explorer.annotate_above == pytest.approx(0.08 * explorer.Z[-1, 2])
    assert explorer.dendrogram_kwargs == {} and explorer.n_leaves == 150
    assert np.array_equal(explorer.points, X) and explorer.point_labels == ("X[:, 0]", "X[:, 1]")
    assert CutoffExplorer(X, annotate_above=3).annotate_above == 3.0
    truncated = CutoffExplorer(X, truncate_p=12)
    assert truncated.dendrogram_kwargs == {"truncate_mode": "lastp", "p": 12,
                                           "show_contracted": True}
    assert truncated.n_leaves == 12


def scipy_colours(explorer, max_d):
    """SciPy's own link colours at max_d (fancy_dendrogram's rule: a merge at
    max_d is kept), with the course palette that `import helpers` sets."""
    tree = dendrogram(explorer.Z, no_plot=True, color_threshold=np.nextafter(max_d, np.inf),
                      above_threshold_color=UNCOLOURED, **explorer.dendrogram_kwargs)
    return [c.upper() for c in tree["color_list"]]


def slot_pair(slot):
    return PALETTE[slot % len(PALETTE)], MARKERS[slot % len(MARKERS)]


def assert_cut_is_consistent(explorer, cut):
    """One colour and one marker per cluster, on its samples, links and leaves;
    the palette's first k slots, so distinct (colour, marker) pairs; every link
    below the cut in its cluster's colour, every link above it grey."""
    pairs = set()
    for label in range(1, cut.k + 1):
        members = np.flatnonzero(cut.labels == label)
        assert {cut.sample_colors[i] for i in members} == {cut.cluster_colors[label]}
        assert {cut.sample_markers[i] for i in members} == {cut.cluster_markers[label]}
        assert cut.cluster_colors[label] in PALETTE and cut.cluster_markers[label] in MARKERS
        pairs.add((cut.cluster_colors[label], cut.cluster_markers[label]))
    assert len(pairs) == min(cut.k, len(PALETTE) * len(MARKERS))
    assert pairs == {slot_pair(slot) for slot in range(cut.k)}
    if cut.k <= len(PALETTE):
        assert len(set(cut.cluster_colors.values())) == cut.k
    assert sorted(cut.cluster_colors) == sorted(cut.cluster_markers) == list(range(1, cut.k + 1))
    tree = dendrogram(explorer.Z, no_plot=True, **explorer.dendrogram_kwargs)
    heights = [ys[1] for ys in tree["dcoord"]]
    assert len(cut.link_colors) == len(heights) == len(explorer._link_nodes)
    for colour, height, node in zip(cut.link_colors, heights, explorer._link_nodes, strict=True):
        assert explorer.Z[node - explorer.n, 2] == height
        if height > cut.max_d:
            assert colour == UNCOLOURED
        else:
            under = np.unique(cut.labels[cluster_members(explorer.Z, node)])
            assert len(under) == 1 and colour == cut.cluster_colors[under[0]]
    assert len(cut.leaf_colors) == len(cut.leaf_markers) == len(tree["leaves"])
    for leaf, colour, marker in zip(tree["leaves"], cut.leaf_colors, cut.leaf_markers, strict=True):
        under = np.unique(cut.labels[cluster_members(explorer.Z, leaf)])
        if len(under) == 1:
            assert (colour, marker) == (cut.cluster_colors[under[0]], cut.cluster_markers[under[0]])
        else:  # a contracted leaf that the cut splits
            assert (colour, marker) == (UNCOLOURED, SPLIT_LEAF_MARKER)


@pytest.mark.filterwarnings("ignore:The symmetric non-negative hollow")  # tiny square X
# Fewer examples for each of mutmut's mutants (make mutation sets MUTANT_UNDER_TEST).
@settings(max_examples=15 if os.environ.get("MUTANT_UNDER_TEST") else 60, deadline=None)
@given(
    X=arrays(np.float64, st.tuples(st.integers(2, 25), st.just(2)),
             elements=st.integers(-5, 5).map(float)),  # small integers: many ties
    method=st.sampled_from(METHODS),
    fraction=st.floats(0, 1.2),
    truncate=st.one_of(st.none(), st.integers(2, 25)),
)
def test_count_colours_and_markers_on_random_data(X, method, fraction, truncate):
    truncate = None if truncate is None else min(truncate, len(X))
    explorer = CutoffExplorer(X, method, truncate_p=truncate)
    max_d = fraction * explorer.max_height
    cut = explorer.cut(max_d)
    assert cut.k == len(np.unique(fcluster(explorer.Z, max_d, criterion="distance")))
    assert_cut_is_consistent(explorer, cut)


@pytest.mark.parametrize("method", METHODS)
def test_colours_are_consistent_at_every_cut(X, method):
    explorer = CutoffExplorer(X, method)
    for max_d in cuts_to_try(explorer.Z):
        assert_cut_is_consistent(explorer, explorer.cut(max_d))


def assert_colours_follow_the_clusters(explorer, high, low):
    """From the cut `high` down to the lower cut `low`: a cluster left whole keeps
    its colour and marker; a cluster split keeps them on its left part (the one
    with its leftmost sample in SciPy's leaf order) and its other parts take
    slots the higher cut did not use."""
    leaf_order = np.empty(explorer.n, dtype=np.intp)
    leaf_order[dendrogram(explorer.Z, no_plot=True)["leaves"]] = np.arange(explorer.n)
    used = {(high.cluster_colors[c], high.cluster_markers[c]) for c in high.cluster_colors}
    for label in high.cluster_colors:
        members = np.flatnonzero(high.labels == label)
        pieces = np.unique(low.labels[members])
        leftmost = members[np.argmin(leaf_order[members])]
        left = low.labels[leftmost]
        assert (low.cluster_colors[left], low.cluster_markers[left]) == (
            high.cluster_colors[label], high.cluster_markers[label])
        if len(pieces) == 1:
            assert np.array_equal(np.flatnonzero(low.labels == left), members)
        for piece in pieces:
            if piece != left and low.k <= len(PALETTE) * len(MARKERS):
                assert (low.cluster_colors[piece], low.cluster_markers[piece]) not in used


@pytest.mark.filterwarnings("ignore:The symmetric non-negative hollow")  # tiny square X
@settings(max_examples=15 if os.environ.get("MUTANT_UNDER_TEST") else 60, deadline=None)
@given(
    X=arrays(np.float64, st.tuples(st.integers(2, 25), st.just(2)),
             elements=st.integers(-5, 5).map(float)),  # small integers: many ties
    method=st.sampled_from(METHODS),
    fractions=st.lists(st.floats(0, 1.2), min_size=2, max_size=2),
    truncate=st.one_of(st.none(), st.integers(2, 25)),
)
def test_a_cluster_keeps_its_colour_as_the_cut_moves(X, method, fractions, truncate):
    truncate = None if truncate is None else min(truncate, len(X))
    explorer = CutoffExplorer(X, method, truncate_p=truncate)
    low, high = sorted(fractions)
    assert_colours_follow_the_clusters(explorer, explorer.cut(high * explorer.max_height),
                                       explorer.cut(low * explorer.max_height))


def test_the_chapters_three_cuts_keep_their_colours(X):
    """Chapter 10's figure of three cuts of X (50, 16 and 13): a colour is one
    cluster from row to row. At 50 the two blobs; at 16 each blob has split,
    its left part keeping the blob's colour; at 13 one more piece splits off."""
    explorer = CutoffExplorer(X, "ward")
    cuts = [explorer.cut(d) for d in (50, 16, 13)]
    for high, low in zip(cuts, cuts[1:], strict=False):
        assert_colours_follow_the_clusters(explorer, high, low)
    assert_colours_follow_the_clusters(explorer, cuts[0], cuts[2])
    sizes = [{colour: int(np.sum(np.asarray(cut.sample_colors) == colour))
              for colour in cut.cluster_colors.values()} for cut in cuts]
    orange, green, purple, crimson, olive = PALETTE[:5]
    assert sizes[0] == {orange: 50, green: 100}
    assert sizes[1] == {orange: 23, crimson: 27, green: 24, purple: 76}
    assert sizes[2] == {orange: 23, crimson: 27, green: 24, purple: 22, olive: 54}


def test_clusters_without_a_link_of_their_own_are_coloured(X2):
    explorer = CutoffExplorer(X2, "ward", truncate_p=30)
    cut = explorer.cut(170.0)
    assert_cut_is_consistent(explorer, cut)
    # The blobs of X, whole contracted leaves (50) and (100), have no link of
    # their own, which SciPy would leave in the above-cut colour.
    tree = dendrogram(explorer.Z, no_plot=True, **explorer.dendrogram_kwargs)
    sizes = {label: int(np.sum(cut.labels == label)) for label in cut.cluster_colors}
    whole_leaves = [i for i, text in enumerate(tree["ivl"]) if text in ("(50)", "(100)")]
    assert len(whole_leaves) == 2
    assert all(cut.leaf_colors[i] in PALETTE for i in whole_leaves)
    assert sorted(sizes.values()) == [50, 100, 200, 200, 200]
    assert UNCOLOURED not in cut.leaf_colors and len(set(cut.leaf_colors)) == 5
    # A single sample is a cluster too, with a colour of its own: here the
    # left part of the root (SciPy draws Z[i, 0] on the left), so the first.
    small = CutoffExplorer([[0.0, 0.0], [0.0, 1.0], [9.0, 9.0]], "single")
    assert small.Z[-1, :2].tolist() == [2.0, 3.0]
    cut = small.cut(2.0)
    assert cut.k == 2 and cut.labels.tolist() == [1, 1, 2]
    assert cut.cluster_colors == {1: PALETTE[1], 2: PALETTE[0]}
    assert cut.link_colors == [PALETTE[1], UNCOLOURED]
    assert dendrogram(small.Z, no_plot=True)["leaves"] == [2, 0, 1]
    assert cut.leaf_markers == [MARKERS[0], MARKERS[1], MARKERS[1]]


def test_node_slots_never_recurse_on_a_deep_chain():
    # A chain of 20,000 samples: each merge adds one sample on the right.
    n = 20_000
    Z = np.empty((n - 1, 4))
    Z[:, 0] = np.r_[0, np.arange(n, 2 * n - 2)]
    Z[:, 1] = np.arange(1, n)
    Z[:, 2] = np.arange(1, n)
    Z[:, 3] = np.arange(2, n + 1)
    slots = explorer_module._node_slots(Z)
    assert slots[2 * n - 2] == 0 and slots[0] == 0  # the root, and all the way down the left
    assert slots[n - 1] == 1 and slots[1] == n - 1  # the root's right part, the lowest merge's


def test_a_split_contracted_leaf_is_grey(X2):
    explorer = CutoffExplorer(X2, "ward", truncate_p=30)
    cut = explorer.cut(0.0)
    assert cut.k == 750
    assert set(cut.leaf_colors) == {UNCOLOURED} and set(cut.leaf_markers) == {SPLIT_LEAF_MARKER}
    assert set(cut.link_colors) == {UNCOLOURED}


@pytest.mark.parametrize("truncate", [None, 12])
def test_each_leaf_stands_on_the_foot_of_a_drawn_leg(X, truncate):
    # The strip marker of leaf i goes under the foot of the leg that SciPy
    # draws down to it: x = 5 + 10 i, at height 0 (not the leg's top corner).
    explorer = CutoffExplorer(X, "ward", truncate_p=truncate)
    tree = dendrogram(explorer.Z, no_plot=True, **explorer.dendrogram_kwargs)
    icoord, dcoord = np.asarray(tree["icoord"]), np.asarray(tree["dcoord"])
    links, sides = explorer._leaf_legs()
    assert set(sides.tolist()) == {0, 3}
    assert np.array_equal(icoord[links, sides], 5.0 + 10.0 * np.arange(explorer.n_leaves))
    assert np.array_equal(dcoord[links, sides], np.zeros(explorer.n_leaves))


def test_markers_and_colours_are_plain_strings():
    # Python str, not NumPy scalars: they print as in the docstring.
    cut = CutoffExplorer([[0.0, 0.0], [0.0, 1.0], [5.0, 0.0], [5.0, 1.0]]).cut(2.0)
    for value in [*cut.cluster_markers.values(), *cut.cluster_colors.values(),
                  *cut.sample_markers, *cut.sample_colors, *cut.leaf_markers, *cut.leaf_colors]:
        assert type(value) is str
    assert repr(cut.cluster_markers) == "{1: 'o', 2: 's'}"


def test_palette_is_the_courses():
    assert cluster_palette() == list(PALETTE) == list(helpers.PALETTE)
    assert cluster_palette() is not cluster_palette()  # a copy each time
    assert UNCOLOURED == CONTEXT_GREY


def count_calls(monkeypatch, run):
    """How many times each checking or tree-walking entry point runs during run():
    those the explorer calls, those it could call (cluster_members,
    n_clusters_at, as_linkage) and SciPy's own check of Z."""
    import scipy.cluster.hierarchy as hierarchy

    import helpers.cutoff
    import helpers.explorer_view

    counts = {}
    targets = [(explorer_module, name) for name in (
        "as_clusterable", "as_samples", "as_count", "as_distance", "linkage", "_dendrogram",
        "fcluster", "_tree_layout")]
    targets += [(helpers.cutoff, name) for name in (
        "cluster_members", "n_clusters_at", "as_linkage", "_cluster_members", "_maxdists",
        "_tree_layout")]
    targets += [(hierarchy, "is_valid_linkage"), (hierarchy, "leaves_list")]

    def counting(key, function):
        def counted(*args, **kwargs):
            counts[key] += 1
            return function(*args, **kwargs)
        return counted

    with monkeypatch.context() as patch:
        for module, name in targets:
            key = f"{module.__name__.split('.')[-1]}.{name}"
            counts[key] = 0
            patch.setattr(module, name, counting(key, getattr(module, name)))
        run()
    return counts


def test_start_up_and_cut_do_not_repeat_checked_work_per_sample(monkeypatch):
    """What made start-up quadratic: one checked call (re-checking Z) per leaf.
    The number of calls of every checking or tree-walking entry point must not
    grow with n, neither at start-up nor per cut."""
    rng = np.random.default_rng(0)
    small, large = rng.normal(size=(40, 2)), rng.normal(size=(400, 2))
    for kwargs in ({}, {"truncate_p": 30}):
        at_small = count_calls(monkeypatch, lambda: CutoffExplorer(small, "single", **kwargs))
        at_large = count_calls(monkeypatch, lambda: CutoffExplorer(large, "single", **kwargs))
        assert at_small == at_large, (at_small, at_large)
        assert at_large["cutoff.cluster_members"] == at_large["cutoff.as_linkage"] == 0
        assert at_large["explorer.linkage"] == at_large["explorer._dendrogram"] == 1
        assert at_large["explorer._tree_layout"] == at_large["explorer.as_clusterable"] == 1
        assert at_large["cutoff._tree_layout"] == 0  # the layout is computed once, then passed
        explorer_small = CutoffExplorer(small, "single", **kwargs)
        explorer_large = CutoffExplorer(large, "single", **kwargs)
        per_cut_small = count_calls(monkeypatch, lambda: explorer_small.cut(0.3))
        per_cut_large = count_calls(monkeypatch, lambda: explorer_large.cut(0.3))
        assert per_cut_small == per_cut_large
        assert per_cut_large["explorer.fcluster"] == per_cut_large["explorer.as_distance"] == 1
        assert per_cut_large["explorer._dendrogram"] == per_cut_large["cutoff.cluster_members"] == 0


# -- bad input -----------------------------------------------------------------


@pytest.mark.parametrize("method", ["centroid", "median", "wards", "", None, 3])
def test_unknown_method_is_refused(X, method):
    with pytest.raises(ValueError, match=r"method must be one of 'ward', 'complete'"):
        CutoffExplorer(X, method)


@pytest.mark.parametrize("bad, error, message", [
    (np.arange(10.0), ValueError, "must be 2-D"),
    ([[1.0, 2.0]], ValueError, "at least 2 samples"),
    ([[1.0, np.nan], [0.0, 0.0]], ValueError, "NaN or infinite"),
    ([["a", "b"], ["c", "d"]], TypeError, "array of numbers"),
    ([[1e200, 0.0], [-1e200, 0.0]], ValueError, "X spreads too widely"),
    ([[1 + 1j, 0.0], [0.0, 0.0], [2.0, 1.0]], TypeError, r"X holds complex numbers.*Pass X\.real"),
    (np.zeros((5, 3)), ValueError, r"X has 3 columns.*pass points, an array of shape \(5, 2\)"),
])
def test_bad_X_is_refused(bad, error, message):
    with pytest.raises(error, match=message):
        CutoffExplorer(bad)


def test_bad_points_and_truncation_are_refused(X):
    with pytest.raises(ValueError, match=r"points must have shape \(150, 2\).*got shape \(10, 2\)"):
        CutoffExplorer(X, points=X[:10])
    with pytest.raises(ValueError, match="points contains NaN"):
        CutoffExplorer(X, points=np.full((150, 2), np.nan))
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
    view = explorer.draw(50.0, pair)
    for call in (lambda: explorer.cut(max_d), lambda: explorer.update(view, max_d),
                 lambda: view.update(max_d)):
        with pytest.raises(error, match="max_d must be"):
            call()
    assert view.cut.max_d == 50.0 and view.title.get_text() == "2 clusters at max_d = 50.00"


def test_bad_axes_are_refused_before_anything_is_drawn(X, pair):
    explorer = CutoffExplorer(X)
    cases = [
        (pair[0], TypeError, "axes must be a pair of Matplotlib axes"),
        ([pair[0], pair[1], pair[0]], TypeError, "got list of 3"),
        ([pair[0], "scatter"], TypeError, r"axes\[1\] must be one Matplotlib Axes"),
        ([None, pair[1]], TypeError, r"axes\[0\] must be a Matplotlib Axes; got None"),
        ([pair[0], pair[0]], TypeError, "axes must be two different axes"),
        (42, TypeError, "axes must be a pair"),
    ]
    empty = [len(ax.get_children()) for ax in pair]
    for axes, error, message in cases:
        with pytest.raises(error, match=message):
            explorer.draw(50.0, axes)
        assert [len(ax.get_children()) for ax in pair] == empty, "something was drawn"
    with pytest.raises(ValueError, match="max_d must be"):
        explorer.draw(-1.0, pair)
    assert not (pair[0].collections or pair[0].lines or pair[1].collections)


def test_update_refuses_a_view_it_did_not_draw(X, pair):
    explorer, other = CutoffExplorer(X), CutoffExplorer(X, "single")
    view = other.draw(5.0, pair)
    with pytest.raises(TypeError, match="view must be what this explorer's draw.. returned; "
                                        "got ExplorerView drawn by another explorer"):
        explorer.update(view, 50.0)
    with pytest.raises(TypeError, match=r"got dict\.$"):
        explorer.update({"scatter": None}, 50.0)


def test_figure_png():
    fig, _ = plt.subplots(figsize=(2, 1), dpi=50)
    png = figure_png(fig)
    plt.close(fig)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert int.from_bytes(png[16:20], "big") == 100  # width in pixels: 2 in at 50 dpi
    with pytest.raises(TypeError, match="fig must be a Matplotlib Figure.*got str"):
        figure_png("figure.png")


# -- the view ------------------------------------------------------------------


def drawn_leaf_positions(view):
    """Each leaf's x, read from the drawn links alone: a leg of a link that
    stands at height 0 stands on a leaf (every merge here is higher than 0)."""
    xs = []
    for path in view.links.get_paths():
        (x0, y0), _, _, (x3, y3) = path.vertices
        xs += [x for x, y in ((x0, y0), (x3, y3)) if y == 0]
    return np.unique(xs)


@pytest.mark.parametrize("method", METHODS)
def test_scatter_colours_and_markers_match_the_drawn_dendrogram(X, method, pair):
    """Read back from the figure: every link inside a cluster has the colour of
    that cluster's samples, every link above the cut is grey, the strip under
    the leaves has the colour and marker of the samples above it."""
    explorer = CutoffExplorer(X, method)
    view = explorer.draw(explorer.default_max_d, pair)
    leaf_x = drawn_leaf_positions(view)
    assert np.array_equal(view.leaf_x, leaf_x)
    order = dendrogram(explorer.Z, no_plot=True)["leaves"]
    x_of_sample = np.empty(explorer.n)
    x_of_sample[order] = leaf_x
    for max_d in cuts_to_try(explorer.Z):
        cut = explorer.update(view, max_d)
        scatter_colours = hexes(view.scatter.get_facecolors())
        assert scatter_colours == cut.sample_colors
        for path, colour in zip(view.links.get_paths(), hexes(view.links.get_colors()), strict=True):
            xs, ys = path.vertices[:, 0], path.vertices[:, 1]
            if ys[1] > max_d:
                assert colour == UNCOLOURED
                continue
            under = (x_of_sample >= xs.min()) & (x_of_sample <= xs.max())
            assert len(np.unique(cut.labels[under])) == 1, "a link below the cut joins two clusters"
            assert {scatter_colours[i] for i in np.flatnonzero(under)} == {colour}
        assert hexes(view.leaves.get_facecolors()) == [scatter_colours[i] for i in order]
        sample_paths = view.scatter.get_paths()
        assert len(sample_paths) == explorer.n
        for i in range(0, explorer.n, 7):
            assert np.array_equal(sample_paths[i].vertices,
                                  _marker_path(cut.sample_markers[i]).vertices)
        leaf_paths = view.leaves.get_paths()
        for position, sample in enumerate(order):
            assert leaf_paths[position] is sample_paths[sample]


@pytest.mark.parametrize("data, max_d", [("X2", 1200.0), ("X", 50.0)])
def test_the_explorer_draws_fancy_dendrograms_tree(X, X2, pair, data, max_d):
    """The explorer's links are fancy_dendrogram's, at the same places; cut into
    two clusters, in the same colours (left, then right), grey above the cut
    instead of blue. (Lower, SciPy colours the clusters left to right afresh
    at each cut, and the explorer keeps each cluster's colour instead.)"""
    explorer = CutoffExplorer(X2 if data == "X2" else X, "ward",
                              truncate_p=30 if data == "X2" else None)
    view = explorer.draw(max_d, pair)
    assert view.cut.k == 2
    fig, ax = plt.subplots()
    tree = fancy_dendrogram(explorer.Z, ax=ax, max_d=max_d, **explorer.dendrogram_kwargs)
    plt.close(fig)
    drawn = hexes(view.links.get_colors())
    assert "C0" in tree["color_list"]  # SciPy's above-threshold colour, ABOVE_CUT_COLOUR
    for mine, theirs in zip(drawn, tree["color_list"], strict=True):
        assert mine == (UNCOLOURED if theirs == "C0" else theirs.upper())
    assert drawn == scipy_colours(explorer, max_d)
    segments = view.links.get_segments()
    assert np.array_equal(np.asarray(tree["icoord"]), [s[:, 0] for s in segments])
    assert np.array_equal(np.asarray(tree["dcoord"]), [s[:, 1] for s in segments])


def test_update_changes_the_same_artists_in_place(X, pair):
    explorer = CutoffExplorer(X, "ward")
    view = explorer.draw(50.0, pair)
    fig = view.figure
    children = [list(ax.get_children()) for ax in pair]
    before_png = figure_png(fig)
    before_colours = view.scatter.get_facecolors().copy()

    cut = explorer.update(view, 16.0)

    assert view.cut is cut
    assert [list(ax.get_children()) for ax in pair] == children, "artists were added or removed"
    assert list(view.cut_line.get_ydata()) == [16.0, 16.0]
    assert view.title.get_text() == "4 clusters at max_d = 16.00" == cut.summary
    assert view.title is pair[1].title
    assert hexes(view.scatter.get_facecolors()) == cut.sample_colors
    assert hexes(view.links.get_colors()) == cut.link_colors
    assert hexes(view.leaves.get_facecolors()) == cut.leaf_colors
    dots = hexes(view.merge_dots.get_facecolors())
    assert dots == [cut.link_colors[link] for link in view.dot_links]
    assert len(dots) == len(view.tree["height_labels"]) > 0
    # Each dot sits on the merge of its link.
    icoord, dcoord = np.asarray(view.tree["icoord"]), np.asarray(view.tree["dcoord"])
    for (x, y), link in zip(view.merge_dots.get_offsets(), view.dot_links, strict=True):
        assert (x, y) == ((icoord[link, 1] + icoord[link, 2]) / 2, dcoord[link, 1])
    assert figure_png(fig) != before_png

    explorer.update(view, 50.0)
    assert view.title.get_text() == "2 clusters at max_d = 50.00"
    assert np.array_equal(view.scatter.get_facecolors(), before_colours)


def test_the_view_draws_the_tree_once_with_scipys_link_style(X, pair):
    explorer = CutoffExplorer(X)
    view = explorer.draw(50.0, pair)
    lines = [c for c in pair[0].collections if type(c).__name__ == "LineCollection"]
    assert lines == [view.links] and len(view.links.get_paths()) == explorer.n - 1
    fig, ax = plt.subplots()
    dendrogram(explorer.Z, ax=ax)
    scipys = [c for c in ax.collections if type(c).__name__ == "LineCollection"][0]
    assert view.links.get_linewidths() == scipys.get_linewidths()
    assert view.links.get_zorder() == scipys.get_zorder()
    plt.close(fig)
    assert pair[0].get_title() == "Dendrogram (ward linkage)"
    assert view.cut_line is view.tree["cut_line"]
    assert view.merge_dots is view.tree["merge_dots"][0]


def test_points_place_samples_with_more_features(pair):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(30, 4))
    explorer = CutoffExplorer(X, "average", points=X[:, :2])
    view = explorer.draw(1.0, pair)
    assert np.array_equal(view.scatter.get_offsets(), X[:, :2])
    assert pair[1].get_xlabel() == "points[:, 0]" and pair[1].get_ylabel() == "points[:, 1]"


def every_colour_drawn(view):
    colours = set()
    for ax in (view.links.axes, view.scatter.axes):
        for artist in ax.collections:
            colours |= set(hexes(artist.get_facecolors())) | set(hexes(artist.get_edgecolors()))
        for line in ax.lines:
            colours.add(to_hex(line.get_color()).upper())
    return colours


def test_every_colour_drawn_is_the_courses_and_readable_on_white(X, X2, pair):
    allowed = set(PALETTE) | {CONTEXT_GREY, CUT_LINE_COLOUR}
    for explorer, cuts in ((CutoffExplorer(X), [0.0, 13.0, 16.0, 50.0, 500.0]),
                           (CutoffExplorer(X2, truncate_p=30), [0.0, 60.0, 170.0, 700.0])):
        for ax in pair:
            ax.clear()
        view = explorer.draw(cuts[0], pair)
        seen = set()
        for max_d in cuts:
            view.update(max_d)
            seen |= every_colour_drawn(view)
        assert seen <= allowed, seen - allowed
        assert all(contrast_on_white(colour) >= 3.0 for colour in seen)
        assert len(seen & set(PALETTE)) >= 5


def boxes_overlap(a, b):
    return a.x0 < b.x1 and b.x0 < a.x1 and a.y0 < b.y1 and b.y0 < a.y1


def marker_boxes(collection, renderer):
    """The display-space box of each marker of a scatter collection."""
    from matplotlib.transforms import Bbox

    centres = collection.get_offset_transform().transform(collection.get_offsets())
    radii = np.sqrt(collection.get_sizes()) / 2 * renderer.points_to_pixels(1.0)
    radii = np.broadcast_to(radii, len(centres))
    return [Bbox([[x - r, y - r], [x + r, y + r]]) for (x, y), r in zip(centres, radii, strict=True)]


@pytest.mark.parametrize("figsize, width_ratios", [((12, 4.6), (3, 2)), ((13, 5), (1, 1)),
                                                   ((16, 6), (3, 2))])
def test_leaf_labels_on_X2_overlap_nothing(X2, figsize, width_ratios):
    """Upright leaf labels, 8 points or more, never on each other, on the strip
    of markers, or on the axis label, measured on the rendered figure."""
    fig, axes = plt.subplots(1, 2, figsize=figsize, width_ratios=width_ratios,
                             layout="constrained", dpi=90)
    try:
        view = CutoffExplorer(X2, "ward", truncate_p=30).draw(170.0, axes)
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        labels = [t for t in axes[0].get_xticklabels() if t.get_visible() and t.get_text()]
        assert view.leaf_labels and len(labels) == 30
        assert all(t.get_rotation() == 90 and t.get_fontsize() >= MIN_FONT_SIZE for t in labels)
        boxes = [t.get_window_extent(renderer) for t in labels]
        assert all(not boxes_overlap(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:])
        markers = marker_boxes(view.leaves, renderer)
        assert len(markers) == 30
        assert all(not boxes_overlap(a, b) for a in boxes for b in markers)
        assert all(not boxes_overlap(a, b) for i, a in enumerate(markers) for b in markers[i + 1:])
        # The markers sit between the axis and the labels, each under its leaf.
        axis_y = axes[0].transAxes.transform((0, 0))[1]
        assert all(m.y1 < axis_y and m.y0 > max(b.y1 for b in boxes) for m in markers)
        xlabel = axes[0].xaxis.label.get_window_extent(renderer)
        assert all(not boxes_overlap(xlabel, b) for b in boxes + markers)
        leaf_centres = axes[0].transData.transform(np.column_stack([view.leaf_x, np.zeros(30)]))
        assert np.allclose([(m.x0 + m.x1) / 2 for m in markers], leaf_centres[:, 0])
    finally:
        plt.close(fig)


def test_leaf_labels_only_when_readable(X, pair):
    view = CutoffExplorer(X).draw(50.0, pair)
    assert not view.leaf_labels
    assert len(pair[0].get_xticks()) == 0
    assert pair[0].get_xlabel() == "the 150 samples, in dendrogram order"
    fig = pair[0].figure
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    xlabel = pair[0].xaxis.label.get_window_extent(renderer)
    assert all(not boxes_overlap(xlabel, m) for m in marker_boxes(view.leaves, renderer))
    for ax in pair:
        ax.clear()
    view = CutoffExplorer(X, truncate_p=100).draw(50.0, pair)
    assert not view.leaf_labels and pair[0].get_xlabel() == "the 100 leaves, in dendrogram order"


# -- the widgets ---------------------------------------------------------------


# One app per test (not per module): mutmut runs, for each mutant, only the
# tests that called the mutated code, and a shared fixture hides the callers.
@pytest.fixture
def app():
    data = {"X": dict(X=helpers.two_clusters()),
            "X2": dict(X=helpers.five_clusters(), truncate_p=30)}
    return explorer_widget(data)


def test_the_widget_says_the_count_and_redraws_when_the_slider_moves(app):
    assert isinstance(app, ipywidgets.VBox) and isinstance(app, ExplorerWidget)
    assert app.explorer.method == "ward" and app.explorer.n == 150
    assert app.slider.value == pytest.approx(app.explorer.default_max_d)
    assert app.slider.max == pytest.approx(1.05 * app.explorer.max_height)
    assert app.slider.step == pytest.approx(app.explorer.max_height / SLIDER_STEPS)
    assert app.status.text == app.cut.summary == app.explorer.cut(app.slider.value).summary
    png = app.image.value
    assert png[:4] == b"\x89PNG"
    app.slider.value = 16.0
    assert app.status.text == "4 clusters at max_d = 16.00"
    assert app.image.value != png and app.view.title.get_text() == app.status.text
    app.slider.value = 50.0
    assert app.status.text == "2 clusters at max_d = 50.00"


@pytest.mark.parametrize("seed", range(5))
def test_changes_from_different_threads_draw_one_at_a_time(app, monkeypatch, seed):
    """JupyterLab 4.6 with ipykernel 7 can deliver the menus' and the slider's
    messages in different threads at once. The widget handles one change at
    a time, drops none, and ends with the picture, the title and the count
    of the slider's last value."""
    import random
    import threading
    import time

    from helpers import explorer_widget as module

    busy, most = [0], [0]
    real_png, real_draw = figure_png, module.CutoffExplorer.draw
    real_picture = module.ExplorerWidget._picture
    pause = random.Random(seed)

    def counted(function):
        def wrapper(*args, **kwargs):
            busy[0] += 1
            most[0] = max(most[0], busy[0])
            time.sleep(pause.uniform(0, 0.01))  # room for the other thread to come in
            try:
                return function(*args, **kwargs)
            finally:
                busy[0] -= 1
        return wrapper

    monkeypatch.setattr(module.ExplorerWidget, "_picture", counted(real_picture))
    monkeypatch.setattr(module.CutoffExplorer, "draw", counted(real_draw))
    menu = threading.Thread(target=lambda: [setattr(app.method_choice, "value", method)
                                            for method in ("single", "complete", "average")])
    slider = threading.Thread(target=lambda: [setattr(app.slider, "value", float(v))
                                              for v in (9, 7, 5, 4, 3, 2, 1)])
    menu.start(), slider.start()
    menu.join(), slider.join()
    assert most[0] == 1, "two changes drew on the figure at once"
    value = app.slider.value
    assert app.status.text == app.explorer.cut(value).summary == app.view.title.get_text()
    assert app.image.value == real_png(app.figure, description=app.status.text)


def test_each_change_draws_once_and_nothing_else_draws(app, monkeypatch):
    """A menu choice or a slider move draws the picture once; a change to any
    other property of the widgets (a label, the readout) draws nothing."""
    from helpers import explorer_widget as module

    drawn = []
    real_picture = module.ExplorerWidget._picture
    monkeypatch.setattr(module.ExplorerWidget, "_picture",
                        lambda self: drawn.append(1) or real_picture(self))
    app.method_choice.value = "single"
    assert len(drawn) == 1
    app.data_choice.value = "X2"
    assert len(drawn) == 2
    app.slider.value = 100.0
    assert len(drawn) == 3
    app.slider.readout = False
    app.slider.description = "cut"
    app.data_choice.description = "data"
    app.method_choice.disabled = True
    assert len(drawn) == 3


def test_the_widget_class_starts_with_ward_as_the_function_does(X):
    app = ExplorerWidget({"a": dict(X=X)})
    assert app.method_choice.value == "ward" == app.explorer.method
    assert app.method_choice.options == METHODS


def test_the_first_method_and_the_size_can_be_chosen(X):
    app = explorer_widget({"a": dict(X=X)}, methods=["single", "average"], method="average",
                          figsize=(8, 3))
    assert app.method_choice.value == "average" == app.explorer.method
    assert app.method_choice.options == ("single", "average")
    assert tuple(app.figure.get_size_inches()) == (8, 3)
    assert app.data_choice.options == ("a",)


def test_the_menus_choose_the_data_and_the_method(app):
    app.method_choice.value = "single"
    assert app.explorer.method == "single"
    assert app.slider.value == pytest.approx(app.explorer.default_max_d)
    assert app.status.text == app.explorer.cut(app.slider.value).summary
    app.data_choice.value = "X2"
    assert app.explorer.n == 750 and app.explorer.truncate_p == 30
    assert app.slider.max == pytest.approx(1.05 * app.explorer.max_height)
    app.method_choice.value = "ward"
    app.slider.value = 170.0
    assert app.status.text == "5 clusters at max_d = 170.00"
    before = app.explorer
    app.data_choice.value = "X"
    app.data_choice.value = "X2"
    assert app.explorer is before, "each data set and method is clustered once"
    assert len(app.figure.axes) == 2


def test_the_widgets_keyboard_order_and_live_region(app):
    """Menus, then the picture, then the slider: the order Tab follows (the
    picture takes no focus), and a keyboard user on the slider has the
    picture just above it; the count is a live region, in the row of the
    slider."""
    rows = app.children
    assert list(rows[0].children) == [app.data_choice, app.method_choice]
    assert rows[1] is app.image
    assert list(rows[2].children) == [app.slider, app.status]
    assert app.data_choice.description == "data set" and app.method_choice.description == "method"
    assert app.slider.description == "max_d" and app.slider.continuous_update
    assert app.slider.readout_format == ".2f" and app.slider.layout.width == "55%"
    assert app.image.format == "png" and app.image.layout.max_width == "100%"
    assert tuple(app.figure.get_size_inches()) == (12, 4.6)
    esm = LiveStatus._esm
    for attribute in ('"role", "status"', '"aria-live", "polite"', '"aria-atomic", "true"'):
        assert attribute in esm
    assert LiveStatus(text="x").text == "x"
    # JupyterLab's arrow keys (move between cells) give way inside the explorer.
    assert app.status.keyboard_scope == ".cutoff-explorer" and "cutoff-explorer" in app._dom_classes
    assert 'setAttribute("data-lm-suppress-shortcuts", "true")' in esm
    assert 'addEventListener("focusin"' in esm
    assert "event.stopPropagation()" in esm and '"ArrowDown"' in esm and '"End"' in esm


def test_the_widget_refuses_bad_data_sets_and_methods(X):
    for bad in ({}, [X], None):
        with pytest.raises(TypeError, match="data_sets must be a non-empty dict"):
            explorer_widget(bad)
    with pytest.raises(TypeError, match=r"data_sets' names must be strings"):
        explorer_widget({1: dict(X=X)})
    with pytest.raises(TypeError, match=r"data_sets\['a'\] must be a dict of CutoffExplorer "
                                        r"arguments with at least X.*got ndarray\.$"):
        explorer_widget({"a": X})
    with pytest.raises(TypeError, match=r"got a dict of nothing\.$"):
        explorer_widget({"a": {}})
    with pytest.raises(TypeError, match=r"data_sets\['a'\] must be a dict of CutoffExplorer "
                                        r"arguments with at least X, for example .*; got a dict of 'points'\.$"):
        explorer_widget({"a": dict(points=X)})
    with pytest.raises(TypeError, match=r"must not give a method"):
        explorer_widget({"a": dict(X=X, method="single")})
    with pytest.raises(ValueError, match="methods must be some of 'ward'"):
        explorer_widget({"a": dict(X=X)}, methods=["centroid"])
    with pytest.raises(ValueError, match="methods must be some of"):
        explorer_widget({"a": dict(X=X)}, methods=[])
    with pytest.raises(ValueError, match=r"method must be one of methods \['single'\]"):
        explorer_widget({"a": dict(X=X)}, methods="single")
    with pytest.raises(ValueError, match="X has 3 columns"):
        explorer_widget({"a": dict(X=np.zeros((5, 3)))})


# The live region's JavaScript, run in Node (Playwright's own, or the system's)
# on a stand-in for the page: what it does to its element and to the box.
LIVE_STATUS_HARNESS = r"""
const esm = require("fs").readFileSync(0, "utf8");
class Element {
  constructor(name) {
    this.name = name; this.attributes = {}; this.listeners = {}; this.textContent = "";
    this.classes = []; this.classList = { add: (c) => this.classes.push(c) };
  }
  setAttribute(key, value) { this.attributes[key] = value; }
  addEventListener(type, listener) { (this.listeners[type] = this.listeners[type] || []).push(listener); }
}
const box = new Element("box"), el = new Element("status");
let attached = false, asked = [];
el.closest = (selector) => { asked.push(selector); return attached ? box : null; };
const frames = [];
globalThis.requestAnimationFrame = (f) => frames.push(f);
const model = {
  values: { text: "2 clusters at max_d = 50.00", keyboard_scope: process.env.SCOPE },
  handlers: {},
  get(key) { return this.values[key]; },
  on(event, handler) { this.handlers[event] = handler; },
};
(async () => {
  const module = await import("data:text/javascript;base64," + Buffer.from(esm).toString("base64"));
  module.default.render({ model, el });
  const result = { first: el.textContent, element: el.attributes, classes: el.classes,
                   pending: frames.length };
  model.values.text = "4 clusters at max_d = 16.00";
  model.handlers["change:text"]();
  result.second = el.textContent;
  attached = true;
  let rounds = 0;
  while (frames.length && rounds < 1000) { frames.shift()(); rounds++; }
  result.rounds = rounds; result.asked = [...new Set(asked)];
  result.box = box.attributes;
  result.stopped = {};
  for (const key of ["ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight", "Home", "End",
                     "PageUp", "PageDown", "Tab", "Escape", "Enter", "a"]) {
    let stopped = false;
    for (const listener of box.listeners.keydown || []) {
      listener({ key, stopPropagation() { stopped = true; } });
    }
    result.stopped[key] = stopped;
  }
  const target = new Element("select");
  for (const listener of box.listeners.focusin || []) listener({ target });
  result.focused = target.attributes;
  result.listeners = Object.fromEntries(Object.entries(box.listeners).map(([k, v]) => [k, v.length]));
  console.log(JSON.stringify(result));
})();
"""


def node():
    import shutil
    from pathlib import Path

    try:
        import playwright
    except ImportError:
        bundled = None
    else:
        bundled = Path(playwright.__file__).parent / "driver" / "node"
    if bundled is not None and bundled.exists():
        return str(bundled)
    if shutil.which("node"):
        return shutil.which("node")
    pytest.skip("no Node to run the live region's JavaScript: pip install -e '.[test]' "
                "(Playwright brings one) or install nodejs")


def run_live_status(scope):
    import json
    import os
    import subprocess

    done = subprocess.run([node(), "-e", LIVE_STATUS_HARNESS], input=LiveStatus._esm,
                          env=dict(os.environ, SCOPE=scope), capture_output=True, text=True,
                          timeout=60, check=True)
    return json.loads(done.stdout)


def test_the_live_regions_javascript_announces_and_keeps_the_keys():
    result = run_live_status(".cutoff-explorer")
    assert result["element"] == {"role": "status", "aria-live": "polite", "aria-atomic": "true"}
    assert result["classes"] == ["explorer-status"]
    assert result["first"] == "2 clusters at max_d = 50.00"
    assert result["second"] == "4 clusters at max_d = 16.00"
    # The box is not in the page at first: it is found on a later frame.
    assert result["pending"] == 1 and 1 <= result["rounds"] <= 2
    assert result["asked"] == [".cutoff-explorer"]
    assert result["box"] == {"data-lm-suppress-shortcuts": "true"}
    moves = {"ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight", "Home", "End", "PageUp", "PageDown"}
    assert {key for key, stopped in result["stopped"].items() if stopped} == moves
    assert result["focused"] == {"data-lm-suppress-shortcuts": "true"}
    assert result["listeners"] == {"keydown": 1, "focusin": 1}


def test_the_live_region_claims_no_keys_without_a_scope():
    result = run_live_status("")
    assert result["second"] == "4 clusters at max_d = 16.00"
    assert result["pending"] == 0 and result["rounds"] == 0 and result["box"] == {}
    assert result["listeners"] == {}


def test_each_change_draws_the_picture_once(app):
    """One new picture per slider move and per menu choice, not one per trait
    that changes with it (a menu's value, index and label change together)."""
    pictures = []
    app.image.observe(lambda change: pictures.append(change["new"]), names="value")
    app.slider.value = 16.0
    assert len(pictures) == 1
    app.method_choice.value = "average"
    assert len(pictures) == 2 and app.explorer.method == "average"
    app.data_choice.value = "X2"
    assert len(pictures) == 3 and app.explorer.n == 750
    # The dendrogram gets three fifths of the width, the scatter plot two.
    tree, points = app.figure.axes
    assert list(tree.get_subplotspec().get_gridspec().get_width_ratios()) == [3, 2]
    assert tree.get_position().width > 1.3 * points.get_position().width


@pytest.mark.filterwarnings("ignore:Attempting to set identical low and high ylims")  # SciPy's
def test_a_tree_of_height_zero_still_gets_a_slider():
    app = explorer_widget({"same": dict(X=[[1.0, 1.0], [1.0, 1.0], [1.0, 1.0]])})
    assert app.explorer.max_height == 0.0
    assert app.slider.step == 1.0 and app.slider.max == 0.0
    assert app.status.text == "1 cluster at max_d = 0.00"


# -- the view's geometry, read back from what it drew ----------------------------


def view_on(explorer, width, max_d=50.0, rc=None):
    """A view on a figure `width` inches wide whose dendrogram axes are half of it."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    with plt.rc_context(rc or {}):
        fig = Figure(figsize=(width, 3), dpi=72)
        FigureCanvasAgg(fig)
        axes = [fig.add_axes((0.25, 0.3, 0.5, 0.6)), fig.add_axes((0.8, 0.3, 0.15, 0.6))]
        return explorer.draw(max_d, axes), axes


def test_leaf_labels_are_as_large_as_the_room_allows_down_to_8_points(X2):
    # 30 leaves on 0.5 * 8.67 in = 312 pt: 10.4 pt a leaf, labels of 10.4 / 1.3 = 8 pt.
    view, axes = view_on(CutoffExplorer(X2, "ward", truncate_p=30), 8.666666666666666)
    assert view.leaf_labels
    assert [t.get_fontsize() for t in axes[0].get_xticklabels()] == [8.0] * 30
    # No tick marks across the strip of 7-pt markers; the labels a gap below it.
    ticks = axes[0].xaxis.get_major_ticks()
    assert len(ticks) == 30 and all(tick.tick1line.get_markersize() == 0 for tick in ticks)
    assert all(tick.get_pad() == 7.0 + 4.0 for tick in ticks)
    assert axes[0].get_title() == "Dendrogram (ward linkage), truncated to 30 leaves"


@pytest.mark.parametrize("width, truncate_p, across", [
    (5.0, 36, 4.0),     # 5 pt a leaf: 80 % of it, 4 pt, the smallest with an edge
    (7.5, 36, 6.0),     # 7.5 pt a leaf: 6 pt
    (10.0, 36, 7.0),    # 10 pt a leaf: 8 pt, at most 7
    (5.0, None, 2.0),   # 150 leaves on 180 pt: 0.96 pt, at least 2 (and no edge)
])
def test_the_strip_of_leaf_markers_fits_its_leaves(X, width, truncate_p, across):
    view, axes = view_on(CutoffExplorer(X, "ward", truncate_p=truncate_p), width)
    fig, ax = view.figure, axes[0]
    assert np.array_equal(view.leaves.get_sizes(), [across**2])
    assert list(view.leaves.get_linewidths()) == [0.4 if across >= 4 else 0.0]
    assert hexes(view.leaves.get_edgecolors()) == ["#000000"]
    # Each marker's centre: a gap plus half a marker below the axis (1 pt = 1 px at 72 dpi).
    centres = view.leaves.get_offset_transform().transform(
        np.column_stack([view.leaf_x, np.zeros(len(view.leaf_x))]))
    axis = ax.get_xaxis_transform().transform(np.column_stack([view.leaf_x, np.zeros(len(view.leaf_x))]))
    assert np.allclose(axis[:, 1] - centres[:, 1], 2.0 + across / 2)
    # The leaf labels, or the axis label, start a gap below the strip; the
    # leaf axis has no tick marks to cross the strip; the distance axis keeps
    # its ticks as fancy_dendrogram draws them.
    reference = plt.figure()
    plain = reference.add_subplot()
    fancy_dendrogram(CutoffExplorer(X, "ward").Z, ax=plain, no_labels=True)
    assert all(tick.get_pad() == across + 4.0 for tick in ax.xaxis.get_major_ticks())
    assert all(tick.tick1line.get_markersize() == 0 for tick in ax.xaxis.get_major_ticks())
    assert ax.xaxis.labelpad == plain.xaxis.labelpad + across + 4.0
    y_ticks, plain_y_ticks = ax.yaxis.get_major_ticks()[0], plain.yaxis.get_major_ticks()[0]
    assert y_ticks.tick1line.get_markersize() == plain_y_ticks.tick1line.get_markersize() > 0
    assert y_ticks.get_pad() == plain_y_ticks.get_pad()
    plt.close(reference)
    # The strip is drawn, though it is outside the axes: the pixel at each
    # marker's centre has the marker's colour.
    fig.canvas.draw()
    image = np.asarray(fig.canvas.buffer_rgba())
    height = image.shape[0]
    for (x, y), colour in zip(centres, view.leaves.get_facecolors(), strict=True):
        pixel = image[int(round(height - y)), int(round(x)), :3] / 255
        assert np.allclose(pixel, colour[:3], atol=0.1)  # 2-pt markers blend at their edges


def test_the_view_draws_the_same_whatever_the_rc_params(X):
    """The samples and the leaf strip keep their size, shape and dark edge even
    when the learner's style changes scatter's defaults."""
    rc = {"scatter.marker": "x", "scatter.edgecolors": "face", "lines.markersize": 12,
          "lines.linewidth": 3, "patch.linewidth": 3}
    view, axes = view_on(CutoffExplorer(X, "ward", truncate_p=36), 7.5, rc=rc)
    _, plain_axes = plt.subplots(1, 2)
    plain = plt.gcf()
    helpers.plot_clusters(X, CutoffExplorer(X, "ward").cut(50.0).labels, ax=plain_axes[1], legend=False)
    clusters = plain_axes[1].collections[0]
    assert np.array_equal(view.scatter.get_sizes(), clusters.get_sizes())
    assert np.array_equal(view.scatter.get_linewidths(), clusters.get_linewidths())
    plt.close(plain)
    for collection in (view.scatter, view.leaves):
        assert set(hexes(collection.get_edgecolors())) == {"#000000"}
        assert collection.get_linewidths()[0] > 0
    assert list(view.leaves.get_linewidths()) == [0.4]


def test_merge_dots_and_height_labels_follow_annotate_above(X, pair):
    explorer = CutoffExplorer(X, annotate_above=5.0)
    view = explorer.draw(50.0, pair)
    above = int(np.sum(explorer.Z[:, 2] > 5.0))
    assert len(view.tree["height_labels"]) == len(view.dot_links) == above
    assert view.merge_dots in pair[0].collections
    for ax in pair:
        ax.clear()
    view = CutoffExplorer(X, annotate_above=1000.0).draw(50.0, pair)
    assert view.merge_dots is None and view.tree["height_labels"] == []
    assert view.dot_links.dtype == np.intp and len(view.dot_links) == 0
    view.update(10.0)


def test_the_view_keeps_scipys_link_style_whatever_it_is(X, pair, monkeypatch):
    """Were SciPy to draw its links thicker, or higher, the view's links follow."""
    import matplotlib.collections

    class Styled(matplotlib.collections.LineCollection):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs, linewidths=3.5, zorder=2.25)

    monkeypatch.setattr(matplotlib.collections, "LineCollection", Styled)
    view = CutoffExplorer(X).draw(50.0, pair)
    assert list(view.links.get_linewidths()) == [3.5] and view.links.get_zorder() == 2.25


def test_a_dendrogram_drawn_in_another_order_is_refused(X, pair, monkeypatch):
    from helpers import explorer_view

    def reversed_dendrogram(*args, **kwargs):
        tree = fancy_dendrogram(*args, **kwargs)
        tree["icoord"], tree["dcoord"] = tree["icoord"][::-1], tree["dcoord"][::-1]
        return tree

    monkeypatch.setattr(explorer_view, "fancy_dendrogram", reversed_dendrogram)
    with pytest.raises(RuntimeError, match="the dendrogram drew its links in another order than "
                                           "the explorer read them: please report this, with "
                                           "your SciPy version"):
        CutoffExplorer(X).draw(50.0, pair)


def test_figure_png_is_png_whatever_the_default_format():
    fig, _ = plt.subplots(figsize=(1, 1))
    with plt.rc_context({"savefig.format": "svg"}):
        assert figure_png(fig)[:8] == b"\x89PNG\r\n\x1a\n"
    plt.close(fig)


def test_axes_that_are_not_a_pair_are_refused_with_what_they_are(X, pair):
    class Unreadable:
        def __array__(self, dtype=None, copy=None):
            raise TypeError("no array here")

    explorer = CutoffExplorer(X)
    cases = [(pair[0], r"got Axes\.$"), (42, r"got int\.$"), (Unreadable(), r"got Unreadable of 0\.$"),
             ([[pair[0]], [pair[1], pair[0]]], r"axes\[0\] must be one Matplotlib Axes")]
    for axes, message in cases:
        with pytest.raises(TypeError, match=message):
            explorer.draw(50.0, axes)


# -- issue 22: a menu change resets the cut, and the browser's slider agrees ------


def every_change(states, first):
    """An order of visits in which each change of one menu, from every state to
    every state one menu away, happens once (Hierholzer's circuit)."""
    edges = {s: [t for t in states if t != s and (t[0] == s[0] or t[1] == s[1])] for s in states}
    stack, circuit = [first], []
    while stack:
        if edges[stack[-1]]:
            stack.append(edges[stack[-1]].pop())
        else:
            circuit.append(stack.pop())
    return circuit[::-1]


class BrowserSlider:
    """What the browser's slider (ipywidgets' FloatSlider view on noUiSlider) does
    with the kernel's messages, reduced to what decides its value.

    A message's attributes are all set on the browser's model first; then, key
    by key in the message's order, a new min, max or step makes the slider take
    the new range and fit the model's value into it, and a new value makes it
    fit that value into the range it has. A fitted value that differs from the
    model's is taken as the learner's move and sent back to the kernel
    (`outbox`). Fitting clamps to the range and snaps to the step grid; a
    value on the grid, up to float noise, is left as it is."""

    def __init__(self, slider):
        self.model = {name: getattr(slider, name) for name in ("min", "max", "step", "value")}
        self.range = (slider.min, slider.max, slider.step)
        self.outbox = []

    def fit(self, value):
        low, high, step = self.range
        value = min(max(value, low), high)
        steps = (value - low) / step
        if abs(steps - round(steps)) > 1e-9 and value < high:
            value = min(low + round(steps) * step, high)
        return value

    def receive(self, state):
        self.model.update({key: value for key, value in state.items() if key in self.model})
        for key in state:
            if key in ("min", "max", "step"):
                self.range = (self.model["min"], self.model["max"], self.model["step"])
            elif key != "value":
                continue
            shown = self.fit(self.model["value"])
            if shown != self.model["value"]:
                self.model["value"] = shown
                self.outbox.append(shown)


def test_a_menu_change_resets_the_cut_even_as_the_browsers_slider_answers(app):
    """The root of issue 22's menu bug, without a browser: before each change of
    a menu the slider is moved away (to its top, its bottom, a few steps);
    after it, whatever the browser's slider sends back is delivered, as late
    as it may come. The cut must be the default, and the browser's slider
    must show it."""
    browser = BrowserSlider(app.slider)
    app.slider._send = lambda msg, buffers=None: (
        browser.receive(msg["state"]) if msg["method"] == "update" else None)
    states = [(d, m) for d in app.data_choice.options for m in app.method_choice.options]
    visits = every_change(states, (app.data_choice.value, app.method_choice.value))
    moves = [lambda s: s.max, lambda s: s.min, lambda s: s.value - 3 * s.step]
    for number, (before, after) in enumerate(zip(visits, visits[1:], strict=False)):
        app.slider.set_state({"value": moves[number % 3](app.slider)})  # the learner's move
        browser.model["value"] = app.slider.value
        if before[0] != after[0]:
            app.data_choice.value = after[0]
        else:
            app.method_choice.value = after[1]
        while browser.outbox:  # what the browser sent back, after the change
            app.slider.set_state({"value": browser.outbox.pop(0)})
        expected = app.explorer.cut(app.explorer.default_max_d).summary
        assert (app.data_choice.value, app.method_choice.value) == after
        assert app.slider.value == pytest.approx(app.explorer.default_max_d), (before, after)
        assert app.status.text == expected == app.cut.summary, (before, after)
        assert browser.model["value"] == app.slider.value and browser.range == (
            app.slider.min, app.slider.max, app.slider.step)


def test_a_menu_change_sends_the_range_then_the_value_in_one_message(app):
    sent = []
    app.slider._send = lambda msg, buffers=None: sent.append(msg)
    for menu, choice in (("method_choice", "single"), ("data_choice", "X2"),
                         ("method_choice", "complete"), ("data_choice", "X")):
        app.slider.value = app.slider.max
        sent.clear()
        getattr(app, menu).value = choice
        assert len(sent) == 1, [msg["state"] for msg in sent]
        keys = list(sent[0]["state"])
        assert {"max", "step", "value"} <= set(keys) and keys[-1] == "value", keys
    # Every other way the slider sends its state sends the value last too.
    sent.clear()
    app.slider.send_state()
    app.slider.send_state(["value", "max"])
    app.slider.send_state("value")
    assert [list(msg["state"])[-1] for msg in sent] == ["value"] * 3
    assert set(sent[0]["state"]) == set(app.slider.keys)


def test_the_picture_says_which_cut_it_shows(app):
    import io

    from PIL import Image

    for change in (lambda: setattr(app.slider, "value", 16.0),
                   lambda: setattr(app.method_choice, "value", "single"),
                   lambda: setattr(app.data_choice, "value", "X2")):
        change()
        text = Image.open(io.BytesIO(app.image.value)).text
        assert text["Description"] == app.status.text == app.view.title.get_text()
    with pytest.raises(TypeError, match="description must be a str; got int"):
        figure_png(app.figure, description=3)


def test_a_slider_move_draws_the_figure_once(app, monkeypatch):
    """The layout is made with each new figure; a move of the cut changes no
    text that it makes room for, so the picture is drawn once, not twice."""
    from matplotlib.figure import Figure

    positions = [ax.get_position().bounds for ax in app.figure.axes]
    draws = []
    real_draw = Figure.draw
    monkeypatch.setattr(Figure, "draw", lambda self, renderer: draws.append(1) or real_draw(self, renderer))
    app.slider.value = 16.0
    assert len(draws) == 1
    assert [ax.get_position().bounds for ax in app.figure.axes] == positions
    app.method_choice.value = "single"  # a new figure: laid out again
    assert type(app.figure.get_layout_engine()).__name__ == "PlaceHolderLayoutEngine"
    tree, points = app.figure.axes
    renderer = app.figure.canvas.get_renderer()
    frame = app.figure.bbox
    for ax in (tree, points):  # nothing cut off at the figure's edges
        box = ax.get_tightbbox(renderer)
        assert frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 and box.y1 <= frame.y1


def test_the_slider_is_always_in_view_of_the_picture(app):
    """The whole slider, top to bottom, lies inside the dendrogram's distance
    axis: the cut line never leaves the picture, nor the axis its place."""
    for data in app.data_choice.options:
        app.data_choice.value = data
        for method in app.method_choice.options:
            app.method_choice.value = method
            limits = app.view.tree["cut_line"].axes.get_ylim()
            app.slider.value = app.slider.max
            assert limits[1] > app.slider.max
            assert app.view.tree["cut_line"].axes.get_ylim() == limits


# -- issue 26: precision, checks up front, methods=None, unknown names -----------


@pytest.mark.parametrize("scale, written", [(1e-4, "0.01262"), (1.0, "126.19"), (1e4, "1261893.01")])
def test_max_d_is_written_with_the_precision_its_scale_needs(X, pair, scale, written):
    explorer = CutoffExplorer(X * scale, "ward")
    cut = explorer.cut(explorer.default_max_d)
    assert cut.summary == f"2 clusters at max_d = {written}"
    view = explorer.draw(explorer.default_max_d, pair)
    assert view.title.get_text() == cut.summary
    app = explorer_widget({"X": dict(X=X * scale)})
    assert app.status.text == cut.summary
    assert f"{app.slider.value:{app.slider.readout_format}}" == written
    # One step of the slider always changes what is written.
    one_step = explorer.cut(explorer.default_max_d + app.slider.step)
    assert one_step.summary != cut.summary


@settings(max_examples=200, deadline=None)
@given(height=st.floats(1e-12, 1e12), where=st.floats(0, 1.05 - 1 / SLIDER_STEPS))
def test_one_slider_step_always_changes_the_written_cut_off(height, where):
    spec = explorer_module.distance_format(height)
    low = where * height
    assert f"{low:{spec}}" != f"{low + height / SLIDER_STEPS:{spec}}"
    assert len(f"{low:{spec}}") <= 16


def test_distance_format_of_a_flat_tree():
    assert explorer_module.distance_format(0.0) == ".2f"
    assert explorer_module.distance_format(np.inf) == ".2f"
    assert explorer_module.distance_format(2.0) == ".2f" and explorer_module.distance_format(1.0) == ".3f"
    assert explorer_module.distance_format(1e-3) == ".6f" and explorer_module.distance_format(1e-4) == ".3e"


def test_the_widget_checks_every_data_set_before_anything_is_shown(X):
    good = dict(X=X)
    cases = [
        (dict(X=np.zeros((5, 3))), ValueError, r"data_sets\['bad'\]: X has 3 columns"),
        (dict(X=[[1.0, np.nan], [0.0, 0.0]]), ValueError, r"data_sets\['bad'\]: X contains NaN"),
        (dict(X=X, truncate_p=1), ValueError, r"data_sets\['bad'\]: truncate_p must be between 2"),
        (dict(X=X, truncate_p=2.5), TypeError, r"data_sets\['bad'\]: truncate_p must be a whole"),
        (dict(X=X, points=X[:3]), ValueError, r"data_sets\['bad'\]: points must have shape"),
        (dict(X=X, annotate_above=-1), ValueError, r"data_sets\['bad'\]: annotate_above must be"),
        (dict(X=[["a", "b"], ["c", "d"]]), TypeError, r"data_sets\['bad'\]: X must be"),
        (dict(X=X, truncate=30), TypeError,
         r"data_sets\['bad'\] has 'truncate', which CutoffExplorer does not take: its "
         r"arguments are 'X', 'truncate_p', 'points', 'annotate_above'\."),
    ]
    for bad, error, message in cases:
        with pytest.raises(error, match=message):
            explorer_widget({"good": good, "bad": bad})


def test_methods_none_offers_every_method(X):
    app = explorer_widget({"a": dict(X=X)}, methods=None)
    assert app.method_choice.options == METHODS and app.explorer.method == "ward"
    with pytest.raises(TypeError, match="methods must be a sequence of linkage methods.*got int"):
        explorer_widget({"a": dict(X=X)}, methods=3)
    with pytest.raises(ValueError, match=r"methods must be some of .*got \['ward', 3\]"):
        explorer_widget({"a": dict(X=X)}, methods=["ward", 3])
    with pytest.raises(ValueError, match="methods must not repeat a method"):
        explorer_widget({"a": dict(X=X)}, methods=["ward", "ward"])


def test_unknown_data_set_names_and_methods_are_refused_by_name(app):
    with pytest.raises(ValueError, match=r"name must be one of the data sets \['X', 'X2'\]; got 'X3'"):
        app.explorer_for("X3", "ward")
    with pytest.raises(ValueError, match=r"name must be one of the data sets .*; got None"):
        app.explorer_for(None, "ward")
    small = explorer_widget({"a": dict(X=[[0, 0], [0, 1], [5, 5]])}, methods=["single"],
                            method="single")
    with pytest.raises(ValueError, match=r"method must be one of the methods offered \['single'\]; "
                                         r"got 'ward'"):
        small.explorer_for("a", "ward")
    with pytest.raises(ValueError, match=r"method must be one of methods \['single'\]; got 'centroid'"):
        explorer_widget({"a": dict(X=[[0, 0], [0, 1], [5, 5]])}, methods=["single"], method="centroid")


# -- issue 22: a still picture where no kernel runs the widget --------------------


def test_the_widget_shows_a_still_picture_where_no_kernel_runs_it(app):
    import base64
    import html as html_module
    import re

    bundle = app._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle and "text/plain" in bundle
    page = bundle["text/html"]
    image = re.search(r'<img src="data:image/png;base64,([^"]+)" alt="([^"]+)"', page)
    assert image and base64.b64decode(image.group(1)) == bytes(app.image.value)
    alt = html_module.unescape(image.group(2))
    assert "dendrogram of X (ward linkage)" in alt and "2 clusters at max_d = 126.19" in alt
    assert "make course" in page and "Run All Cells" in page
    assert not re.search(r"binder|OWNER|REPOSITORY", page, re.IGNORECASE)
    app.method_choice.value = "single"
    assert "single" in app._repr_mimebundle_()["text/html"]


def test_chapter_10_and_its_page_show_the_still_picture():
    """Unrun, JupyterLab and Notebook 7 show the stored text/html (the widget's
    model is gone); the site shows it too, with no Binder link."""
    import nbformat

    from tools.course import COURSE, WIDGET_VIEW
    from tools.site import page_notebook

    path = COURSE.notebooks / "10_interactive_cutoff.ipynb"
    stored = [o for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"
              for o in c.outputs if WIDGET_VIEW in o.get("data", {})]
    assert len(stored) == 1 and "A still picture of the explorer" in stored[0].data["text/html"]
    page = page_notebook(path)
    shown = [o for c in page.cells if c.cell_type == "code" for o in c.get("outputs", [])
             if "cutoff-explorer-still" in o.get("data", {}).get("text/html", "")]
    assert len(shown) == 1 and WIDGET_VIEW not in shown[0].data
    assert '<img src="data:image/png;base64,' in shown[0].data["text/html"]
    text = nbformat.writes(page)
    assert "OWNER" not in text and "Binder" not in text


# -- issues 24 and 26: the view's picture ------------------------------------------


@pytest.mark.parametrize("factor", [1.2, 2.0, 10.0])
def test_the_cut_line_stays_in_view_above_scipys_limits(X, pair, factor):
    explorer = CutoffExplorer(X, "ward")
    top = factor * explorer.max_height
    view = explorer.draw(top, pair)
    low, high = pair[0].get_ylim()
    assert low < top < high, "the cut line is outside the distance axis"
    base = explorer.draw(50.0, [pair[0].figure.add_subplot(2, 2, 3), pair[0].figure.add_subplot(2, 2, 4)])
    base_limits = base.cut_line.axes.get_ylim()
    assert base_limits[1] >= 1.15 * explorer.max_height
    base.update(top)
    assert base.cut_line.axes.get_ylim()[1] > top
    base.update(50.0)  # back down: the axis too
    assert base.cut_line.axes.get_ylim() == base_limits
    # Limits of your own are kept while the line is inside them, widened when not.
    view.cut_line.axes.set_ylim(0, 30)
    view.update(16.0)
    assert view.cut_line.axes.get_ylim() == (0, 30)
    view.update(50.0)
    assert view.cut_line.axes.get_ylim()[1] > 50.0


def height_label_distance(view, height):
    """Pixels from the dot of the merge at `height` to the nearest point of its label."""
    fig = view.figure
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    labels = view.tree["height_labels"]
    [label] = [t for t in labels if abs(float(t.xy[1]) - height) < 1e-9]
    assert label.get_visible()
    box = label.get_window_extent(renderer)
    x, y = label.axes.transData.transform(label.xy)
    dx = max(box.x0 - x, 0, x - box.x1)
    dy = max(box.y0 - y, 0, y - box.y1)
    return float(np.hypot(dx, dy))


@pytest.mark.parametrize("data, max_d", [("X2", 170.0), ("X", 50.0)])
def test_the_roots_height_is_written_beside_its_dot(X, X2, data, max_d):
    """Chapter 10's figures: with room above the root, its label sits by its dot
    (the figure of X2 had it about 130 pixels away, past the root's left leg)."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from tools.course import COURSE

    with matplotlib.rc_context(fname=COURSE.notebooks / "matplotlibrc"):  # the chapter's fonts
        fig = Figure(figsize=(12, 4.6), layout="constrained")
        FigureCanvasAgg(fig)
        explorer = (CutoffExplorer(X2, "ward", truncate_p=30) if data == "X2"
                    else CutoffExplorer(X, "ward"))
        view = explorer.draw(max_d, fig.subplots(1, 2, width_ratios=(3, 2)))
        assert height_label_distance(view, explorer.max_height) < 15


def test_the_title_counts_leaves_not_merges(X2, pair):
    """truncate_mode='lastp' with p = 30 draws 30 leaves, joined by 29 merges."""
    explorer = CutoffExplorer(X2, "ward", truncate_p=30)
    view = explorer.draw(170.0, pair)
    assert pair[0].get_title() == "Dendrogram (ward linkage), truncated to 30 leaves"
    assert explorer.n_leaves == 30 and len(view.tree["icoord"]) == 29


def test_at_most_30_merges_are_annotated_by_default():
    """Single linkage annotated ~40 % of its merges above 8 % of the highest
    (1,998 labels at n = 2000), each placed again at every move of the cut."""
    rng = np.random.default_rng(0)
    X = rng.uniform(size=(2000, 2))
    explorer = CutoffExplorer(X, "single")
    heights = explorer.Z[:, 2]
    assert np.sum(heights > 0.08 * explorer.max_height) > 30
    assert np.sum(heights > explorer.annotate_above) <= 30
    assert explorer.annotate_above >= 0.08 * explorer.max_height
    truncated = CutoffExplorer(X, "single", truncate_p=20)
    assert truncated.annotate_above == pytest.approx(0.08 * truncated.max_height)


@pytest.mark.parametrize("projection", ["3d", "polar"])
def test_3d_and_polar_axes_are_refused(X, projection):
    fig = plt.figure()
    try:
        odd = fig.add_subplot(1, 2, 1, projection=projection)
        flat = fig.add_subplot(1, 2, 2)
        explorer = CutoffExplorer(X)
        with pytest.raises((TypeError, ValueError), match=r"axes\[0\]"):
            explorer.draw(50.0, [odd, flat])
        with pytest.raises((TypeError, ValueError), match=r"axes\[1\]"):
            explorer.draw(50.0, [flat, odd])
        assert not flat.collections and not flat.lines
    finally:
        plt.close(fig)


# -- issue 26: deep trees --------------------------------------------------------


@pytest.mark.parametrize("truncate_p", [None, 30])
def test_a_tree_deeper_than_the_recursion_limit_is_explored_and_drawn(truncate_p):
    """Single linkage on samples whose gaps keep growing: a chain as deep as the
    samples are many, three times Python's default recursion limit, where
    SciPy's dendrogram raised RecursionError (issue 26: 20,000 samples, depth
    1512). The recursion limit is left as it was."""
    import sys

    n = 3 * sys.getrecursionlimit()
    limit = sys.getrecursionlimit()
    X = np.column_stack([np.arange(n, dtype=float) ** 1.5, np.zeros(n)])
    explorer = CutoffExplorer(X, "single", truncate_p=truncate_p)
    assert explorer.n_leaves == (truncate_p or n)
    cut = explorer.cut(explorer.default_max_d)
    assert cut.k == n_clusters_at(explorer.Z, explorer.default_max_d)
    fig, axes = plt.subplots(1, 2)
    try:
        view = explorer.draw(explorer.default_max_d, axes)
        view.update(0.5 * explorer.max_height)
        assert view.cut.k == n_clusters_at(explorer.Z, 0.5 * explorer.max_height)
        assert len(view.links.get_paths()) == explorer.n_leaves - 1
    finally:
        plt.close(fig)
    assert sys.getrecursionlimit() == limit


def test_the_layout_does_not_measure_the_height_labels(X, pair):
    """They stay inside the axes (placed, or hidden), so measuring them for the
    layout, twice per new picture, only cost time."""
    view = CutoffExplorer(X, "single").draw(5.0, pair)
    assert view.tree["height_labels"]
    assert not any(label.get_in_layout() for label in view.tree["height_labels"])


def test_the_browsers_float_noise_draws_nothing(app):
    """The browser's slider sends back the value it was given, recomputed from its
    position: 22.242992517968474 for 22.242992517968467 (measured in JupyterLab).
    That is the cut shown; a step away is not."""
    pictures = []
    app.image.observe(lambda change: pictures.append(change["new"]), names="value")
    shown = app.cut.max_d
    app.slider.set_state({"value": shown * (1 + 4e-16)})
    app.slider.set_state({"value": shown * (1 - 4e-16)})
    assert pictures == [] and app.cut.max_d == shown
    app.slider.set_state({"value": shown + app.slider.step})
    assert len(pictures) == 1 and app.cut.max_d == shown + app.slider.step
