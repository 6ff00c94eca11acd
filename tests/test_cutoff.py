"""The cut-off tools agree with SciPy itself, on the tutorial's data and on
many random data sets, and refuse bad input with a helpful message."""

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.cluster.hierarchy import cut_tree, dendrogram, fcluster, leaves_list, linkage, maxdists, to_tree
from scipy.spatial.distance import pdist

import helpers
from helpers import cutoff
from helpers._validation import as_linkage
from helpers.cutoff import cluster_members, distance_range, elbow, n_clusters_at

METHODS = ["single", "complete", "average", "weighted", "centroid", "median", "ward"]


@st.composite
def trees(draw):
    """A random linkage matrix: 2 to 40 samples, 1 to 3 features, any method.

    Coordinates are small integers so that tied distances (and tied merge
    heights) are common: the hard case for cut-off arithmetic.
    """
    n = draw(st.integers(2, 40))
    m = draw(st.integers(1, 3))
    coords = draw(st.lists(st.integers(-5, 5), min_size=n * m, max_size=n * m))
    X = np.asarray(coords, dtype=float).reshape(n, m)
    return linkage(pdist(X), draw(st.sampled_from(METHODS)))


def fcluster_count(Z, t):
    return len(np.unique(fcluster(Z, t, criterion="distance")))


@settings(max_examples=300, deadline=None)
@given(trees(), st.data())
def test_n_clusters_at_counts_fclusters_labels(Z, data):
    heights = Z[:, 2]
    # Cut exactly at a merge height, between two, below all and above all.
    t = data.draw(st.one_of(
        st.sampled_from(list(heights)),
        st.floats(0, float(heights.max()) * 1.1 + 1, allow_nan=False),
    ))
    assert n_clusters_at(Z, t) == fcluster_count(Z, t)


@settings(max_examples=300, deadline=None)
@given(trees(), st.data())
def test_every_cut_in_distance_range_gives_k(Z, data):
    n = Z.shape[0] + 1
    k = data.draw(st.integers(1, n))
    try:
        low, high = distance_range(Z, k)
    except ValueError as error:
        # Only allowed when no cut gives k: check that it is so, and that the
        # message gives the right reason.
        zero_merge_in_the_way = n_clusters_at(Z, 0.0) < k
        reason = "only a negative cut-off" if zero_merge_in_the_way else "share the height"
        assert reason in str(error)
        candidates = np.concatenate(([0.0], np.unique(Z[:, 2])))
        assert all(fcluster_count(Z, t) != k for t in candidates)
        return
    assert 0 <= low < high
    assert fcluster_count(Z, low) == k
    if np.isfinite(high):
        # The interval is half-open: its last float still gives k, high does not.
        assert fcluster_count(Z, np.nextafter(high, -np.inf)) == k
        assert fcluster_count(Z, high) < k
    else:
        assert k == 1


@settings(max_examples=200, deadline=None)
@given(trees(), st.data())
def test_cluster_members_agree_with_scipys_tree(Z, data):
    n = Z.shape[0] + 1
    idx = data.draw(st.integers(0, 2 * n - 2))
    nodes = to_tree(Z, rd=True)[1]
    expected = sorted(nodes[idx].pre_order())
    assert cluster_members(Z, idx).tolist() == expected


def test_cluster_members_of_the_tutorials_first_three_sample_cluster(Z):
    # Z[13] merges sample 62 with cluster 152, which is row 2: samples 33 and 68.
    assert cluster_members(Z, 150 + 13).tolist() == [33, 62, 68]
    assert cluster_members(Z, 2 * 150 - 2).tolist() == list(range(150))


def test_cluster_members_survives_a_very_deep_tree():
    # Single linkage on points on a line with growing gaps is a chain 5000 deep.
    X = np.cumsum(np.arange(1, 5001, dtype=float)).reshape(-1, 1)
    Z = linkage(X, "single")
    assert len(cluster_members(Z, 2 * 5000 - 2)) == 5000


def test_elbow_on_the_tutorials_data(Z, Z2):
    result = elbow(Z)
    assert result.k == 2
    # The tutorial's computation, written out.
    last = Z[-10:, 2]
    np.testing.assert_array_equal(result.heights, last[::-1])
    np.testing.assert_array_equal(result.acceleration, np.diff(last, 2)[::-1])
    assert result.n_clusters.tolist() == list(range(1, 11))
    assert result.acceleration_k.tolist() == list(range(2, 10))
    # The counter-example: five clusters, and the elbow says four.
    assert elbow(Z2).k == 4


def test_elbow_k_marks_the_largest_jump():
    # Gaps of 1, 1, 1, then 10, 10 above: three groups; the biggest
    # acceleration is where the gaps jump from about 1 to 10.
    X = np.array([[0.0], [1], [2], [3], [13], [23]])
    Z = linkage(X, "single")
    assert elbow(Z, last=5).k == 3


# -- bad input ---------------------------------------------------------------

FUNCTIONS = {
    "n_clusters_at": lambda Z: n_clusters_at(Z, 1.0),
    "distance_range": lambda Z: distance_range(Z, 2),
    "elbow": lambda Z: elbow(Z, last=3),
    "cluster_members": lambda Z: cluster_members(Z, 0),
}
BAD_LINKAGES = {
    "wrong shape": (np.zeros((3, 3)), ValueError, "shape"),
    "one-dimensional": (np.zeros(4), ValueError, "shape"),
    "empty": (np.zeros((0, 4)), ValueError, "empty"),
    "NaN": (np.array([[0, 1, np.nan, 2], [2, 3, 1.0, 3]]), ValueError, "NaN"),
    "inf": (np.array([[0, 1, 0.5, 2], [2, 3, np.inf, 3]]), ValueError, "infinite"),
    "not numbers": ([["a", "b", "c", "d"]], TypeError, "linkage matrix"),
    "negative distance": (np.array([[0, 1, -1.0, 2], [2, 3, 1.0, 3]]), ValueError, "not a valid"),
    "bad counts": (np.array([[0, 1, 0.5, 5], [2, 3, 1.0, 3]]), ValueError, "not a valid"),
    "index from the future": (np.array([[0, 4, 0.5, 2], [1, 2, 1.0, 3]]), ValueError, "not a valid"),
}


@pytest.mark.parametrize("function", FUNCTIONS.values(), ids=FUNCTIONS.keys())
@pytest.mark.parametrize("bad", BAD_LINKAGES.values(), ids=BAD_LINKAGES.keys())
def test_bad_linkage_is_refused_with_its_name(function, bad):
    Z, error, words = bad
    with pytest.raises(error, match=words) as info:
        function(Z)
    assert "Z" in str(info.value)


@pytest.mark.parametrize("max_d, error, words", [
    (-1.0, ValueError, "non-negative"),
    (np.nan, ValueError, "finite"),
    (np.inf, ValueError, "finite"),
    ("50", TypeError, "number"),
    (None, TypeError, "number"),
])
def test_n_clusters_at_refuses_bad_max_d(Z, max_d, error, words):
    with pytest.raises(error, match=words) as info:
        n_clusters_at(Z, max_d)
    assert str(info.value).startswith("max_d must be")


@pytest.mark.parametrize("k, error, words", [
    (0, ValueError, "k must be between 1 and 150"),
    (151, ValueError, "k must be between 1 and 150"),
    (-3, ValueError, "between 1 and 150"),
    (2.0, TypeError, "whole number"),
    (True, TypeError, "whole number"),
    ("2", TypeError, "whole number"),
])
def test_distance_range_refuses_bad_k(Z, k, error, words):
    with pytest.raises(error, match=words):
        distance_range(Z, k)


def test_distance_range_explains_tied_heights():
    # Four corners of a square: all four sides merge at the same height.
    Z = linkage([[0, 0], [0, 1], [5, 0], [5, 1]], "single")
    with pytest.raises(ValueError, match="share the height"):
        distance_range(Z, 3)


@pytest.mark.parametrize("last", [2, 150, 0])
def test_elbow_refuses_bad_last(Z, last):
    with pytest.raises(ValueError, match="last must be between 3 and 149"):
        elbow(Z, last=last)


@pytest.mark.parametrize("idx", [-1, 299, 10**6])
def test_cluster_members_refuses_bad_index(Z, idx):
    with pytest.raises(ValueError, match="idx must be between 0 and 298"):
        cluster_members(Z, idx)


def test_cluster_sizes_are_checked_on_every_scipy(Z):
    # SciPy's is_valid_linkage does not add up column 3 (up to 1.17 at least).
    from helpers._validation import _check_cluster_sizes

    _check_cluster_sizes(Z, "Z")  # the real thing passes
    bad = Z.copy()
    bad[40, 3] += 1
    with pytest.raises(ValueError, match="row 40 gives its cluster"):
        _check_cluster_sizes(bad, "Z")
    with pytest.raises(ValueError, match="not a valid linkage matrix"):
        n_clusters_at(bad, 1.0)


# -- issue 13: clear reasons, a default that fits small trees, no complex input ---

def test_distance_range_says_a_zero_merge_needs_a_negative_cut():
    # Two identical samples merge at height 0: no cut-off leaves all 4 apart.
    Z = linkage([[0.0], [0.0], [0.5], [4.0]], "single")
    with pytest.raises(ValueError, match="only a negative cut-off") as info:
        distance_range(Z, 4)
    assert "share the height" not in str(info.value)
    assert "at most 3 clusters" in str(info.value)
    assert distance_range(Z, 3) == (0.0, 0.5)


def test_elbow_default_adapts_to_small_trees(Z):
    # 150 samples: the last 10 merges, the documented default.
    assert len(elbow(Z).heights) == cutoff.ELBOW_LAST == 10
    # Six samples have only five merges: the default takes all of them.
    small = linkage([[0.0], [0.1], [10.0], [10.1], [20.0], [20.1]], "single")
    result = elbow(small)
    assert len(result.heights) == 5
    assert result.k == elbow(small, last=5).k == 3
    # Eleven samples: exactly ten merges, still the default 10.
    eleven = linkage(np.arange(11.0).reshape(-1, 1) ** 2, "single")
    assert len(elbow(eleven).heights) == 10


@pytest.mark.parametrize("samples", [2, 3])
def test_elbow_says_how_many_samples_it_needs(samples):
    Z = linkage(np.arange(samples, dtype=float).reshape(-1, 1), "single")
    with pytest.raises(ValueError, match="at least 4 samples") as info:
        elbow(Z)
    assert f"Z has {samples} samples" in str(info.value)
    assert elbow(linkage([[0.0], [1.0], [3.0], [7.0]], "single")).heights.size == 3


def test_complex_linkage_is_refused_with_its_name(Z):
    with pytest.raises(TypeError, match="Z holds complex numbers"):
        n_clusters_at(Z.astype(complex), 1.0)
    with pytest.raises(TypeError, match="complex"):
        cluster_members(Z.astype(complex) + 1e-9j, 0)


@pytest.mark.parametrize("helper", [
    lambda Z: distance_range(Z, 2),
    lambda Z: elbow(Z),
    lambda Z: helpers.fancy_dendrogram(Z, no_plot=True),
], ids=["distance_range", "elbow", "fancy_dendrogram"])
def test_every_helper_taking_z_refuses_complex_numbers_by_name(Z, helper):
    """The same check guards every public entry point (the imaginary part is never dropped)."""
    with pytest.raises(TypeError, match=r"Z holds complex numbers.*Pass Z\.real"):
        helper(Z.astype(complex) + 1e-9j)


def test_non_whole_indices_are_refused(Z):
    bad = Z.copy()
    bad[0, 0] += 0.5
    with pytest.raises(ValueError, match="whole-number cluster indices"):
        n_clusters_at(bad, 1.0)


# -- the vectorised check finds what the row-by-row one did --------------------

def sizes_one_row_at_a_time(Z):
    """The original loop: the first row whose size is wrong, and the true size."""
    n = len(Z) + 1
    sizes = [1] * n
    for row, (a, b, size) in enumerate(Z[:, [0, 1, 3]].tolist()):
        sizes.append(sizes[int(a)] + sizes[int(b)])
        if sizes[-1] != size:
            return row, sizes[-1]
    return None


@settings(max_examples=200, deadline=None)
@given(trees(), st.data())
def test_cluster_size_check_finds_the_first_bad_row(Z, data):
    bad = Z.copy()
    rows = data.draw(st.lists(st.integers(0, len(Z) - 1), min_size=1, max_size=3, unique=True))
    for row in rows:
        bad[row, 3] += data.draw(st.sampled_from([-1, 1, 2, 0.5]))
    expected = sizes_one_row_at_a_time(bad)
    assert expected is not None and expected[0] == min(rows)
    row, true_size = expected
    message = (f"row {row} gives its cluster {bad[row, 3]:g} samples, but the two "
               f"clusters it merges hold {true_size:g}.")
    with pytest.raises(ValueError, match=re.escape(message)):
        from helpers._validation import _check_cluster_sizes
        _check_cluster_sizes(bad, "Z")


@pytest.mark.parametrize("edit, words", [
    (lambda Z: Z.__setitem__((0, 0), -1), "it contains negative cluster indices."),
    (lambda Z: Z.__setitem__((1, 2), -0.5), "it contains negative distances."),
    (lambda Z: Z.__setitem__((-1, 3), 9), "a cluster holds more samples than the tree has."),
    (lambda Z: Z.__setitem__((0, 1), 7), "it uses a cluster before it is formed."),
    # row 0 is cluster 5 itself
    (lambda Z: Z.__setitem__((0, 1), 5), "it uses a cluster before it is formed."),
    (lambda Z: Z.__setitem__((1, 3), -2), "it contains negative counts."),
    (lambda Z: Z.__setitem__((1, 3), 0), "row 1 gives its cluster 0 samples"),
    (lambda Z: Z.__setitem__((0, 0), 0.5), "columns 0 and 1 must hold whole-number cluster indices."),
    (lambda Z: Z.__setitem__((1, 0), 0), "it uses the same cluster more than once."),
])
def test_each_structural_problem_is_named(edit, words):
    Z = linkage([[0.0], [1.0], [5.0], [6.0], [20.0]], "single")
    bad = Z.copy()
    edit(bad)
    with pytest.raises(ValueError) as info:
        as_linkage(bad)
    message = str(info.value)
    assert message.startswith("Z is not a valid linkage matrix: " + words)
    assert message.endswith("Pass the matrix returned by scipy.cluster.hierarchy.linkage.")


# -- the unchecked internals ---------------------------------------------------

@settings(max_examples=200, deadline=None)
@given(trees())
def test_tree_layout_runs_of_samples_match_scipys_tree(Z):
    n = len(Z) + 1
    order, start, size = cutoff._tree_layout(Z)
    np.testing.assert_array_equal(order, leaves_list(Z))
    nodes = to_tree(Z, rd=True)[1]
    for idx in range(2 * n - 1):
        run = order[start[idx]:start[idx] + size[idx]]
        assert sorted(run) == sorted(nodes[idx].pre_order())
        assert cutoff._cluster_members(Z, idx).tolist() == sorted(nodes[idx].pre_order())


@settings(max_examples=200, deadline=None)
@given(trees(), st.data())
def test_cluster_of_each_sample_matches_one_call_per_cluster(Z, data):
    n = len(Z) + 1
    # The leaves of a truncated dendrogram: disjoint clusters covering everything.
    p = data.draw(st.integers(1, n))
    leaves = dendrogram(Z, truncate_mode="lastp", p=p, no_plot=True)["leaves"]
    expected = np.empty(n, dtype=int)
    for position, leaf in enumerate(leaves):
        expected[cluster_members(Z, leaf)] = position
    owner = cutoff._cluster_of_each_sample(Z, leaves)
    np.testing.assert_array_equal(owner, expected)
    assert owner.dtype == np.intp
    # Cluster indices given as floats (as in a linkage matrix) work the same.
    np.testing.assert_array_equal(
        cutoff._cluster_of_each_sample(Z, np.array(leaves, dtype=float)), expected)
    # Clusters that leave samples out: those get -1.
    some = leaves[::2]
    owner = cutoff._cluster_of_each_sample(Z, some)
    for position, leaf in enumerate(some):
        assert np.all(owner[cluster_members(Z, leaf)] == position)
    assert np.count_nonzero(owner == -1) == n - sum(len(cluster_members(Z, x)) for x in some)


@settings(max_examples=100, deadline=None)
@given(trees())
def test_internals_agree_with_scipys_public_functions(Z):
    np.testing.assert_array_equal(cutoff._maxdists(Z), maxdists(Z))
    np.testing.assert_array_equal(cutoff._leaf_order(Z), leaves_list(Z))


def test_public_helpers_check_z_once_and_never_call_a_checked_helper(Z, monkeypatch):
    calls = []
    real = cutoff.as_linkage
    monkeypatch.setattr(cutoff, "as_linkage", lambda *a, **k: calls.append(1) or real(*a, **k))
    for public in (cutoff.n_clusters_at, cutoff.cluster_members, cutoff.distance_range, cutoff.elbow):
        monkeypatch.setattr(cutoff, public.__name__, None)  # a nested call would fail
    for call in (lambda: n_clusters_at(Z, 1.0), lambda: distance_range(Z, 3),
                 lambda: elbow(Z), lambda: cluster_members(Z, 200)):
        calls.clear()
        call()
        assert len(calls) == 1


def test_internals_never_call_scipys_rechecking_functions(Z, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a public SciPy function re-checked Z")

    expected = [n_clusters_at(Z, 5.0), distance_range(Z, 4), cluster_members(Z, 290).tolist()]
    monkeypatch.setattr(cutoff, "maxdists", refuse)
    monkeypatch.setattr(cutoff, "leaves_list", refuse)
    assert [n_clusters_at(Z, 5.0), distance_range(Z, 4), cluster_members(Z, 290).tolist()] == expected


def test_without_scipys_compiled_routines_the_public_functions_are_used(Z, monkeypatch):
    expected = [n_clusters_at(Z, 5.0), distance_range(Z, 4), cluster_members(Z, 290).tolist()]
    monkeypatch.setattr(cutoff, "get_max_dist_for_each_cluster", None)
    monkeypatch.setattr(cutoff, "prelist", None)
    assert [n_clusters_at(Z, 5.0), distance_range(Z, 4), cluster_members(Z, 290).tolist()] == expected


def test_a_layout_passed_in_is_used_not_recomputed(Z, monkeypatch):
    layout = cutoff._tree_layout(Z)
    expected = [cutoff._cluster_members(Z, 250).tolist(), cutoff._cluster_of_each_sample(Z, [296, 297])]

    def refuse(Z):
        raise AssertionError("the layout was computed again")

    monkeypatch.setattr(cutoff, "_tree_layout", refuse)
    assert cutoff._cluster_members(Z, 250, layout).tolist() == expected[0]
    np.testing.assert_array_equal(cutoff._cluster_of_each_sample(Z, [296, 297], layout), expected[1])


@pytest.mark.parametrize("bad, ending", [
    ("axes", "; got str."),
    (3, "; got int."),
    ([None, None], "; got list (an array of axes: pick one, e.g. axes[0])."),
    (np.empty(2, dtype=object), "; got ndarray (an array of axes: pick one, e.g. axes[0])."),
])
def test_plot_elbow_names_a_bad_ax_and_hints_only_at_an_array_of_axes(Z, bad, ending):
    """The hint to pick one of several axes comes only when several were passed."""
    from helpers.plotting import plot_elbow

    with pytest.raises(TypeError) as info:
        plot_elbow(elbow(Z), ax=bad)
    message = str(info.value)
    assert message.startswith("ax must be one Matplotlib Axes")
    assert message.endswith(ending)


# Issue 26 ---------------------------------------------------------------------

def reencode(Z, order):
    """Z with its rows in another valid order (each cluster after its two parts)."""
    n = len(Z) + 1
    position = np.empty(len(Z), dtype=int)
    position[order] = np.arange(len(Z))
    def new(c):
        return int(c) if c < n else n + int(position[int(c) - n])
    out = np.empty_like(Z)
    for i, row in enumerate(Z):
        out[position[i]] = sorted((new(row[0]), new(row[1]))) + [row[2], row[3]]
    return out


def branch_by_branch(Z):
    """An order of the rows: every merge of the root's first branch, then of its second."""
    n = len(Z) + 1
    def rows(c):
        stack, found = [c], []
        while stack:
            c = stack.pop()
            if c >= n:
                found.append(c - n)
                stack += [int(Z[c - n, 0]), int(Z[c - n, 1])]
        return sorted(found)
    return rows(int(Z[-1, 0])) + rows(int(Z[-1, 1])) + [len(Z) - 1]


def test_elbow_reads_the_tree_not_the_order_of_its_rows(Z2):
    other = reencode(Z2, branch_by_branch(Z2))
    as_linkage(other)  # a valid encoding of the same tree
    assert not np.array_equal(other[:, 2], Z2[:, 2])
    assert elbow(other) == elbow(Z2)
    assert elbow(other).k == 4


@settings(max_examples=100, deadline=None)
@given(trees(), st.randoms(use_true_random=False))
def test_elbow_is_the_same_for_every_encoding_of_a_tree(Z, random):
    if len(Z) < 3:
        return
    n = len(Z) + 1
    # A random order in which each row still comes after the rows of its parts.
    ready = [i for i in range(len(Z)) if (Z[i, :2] < n).all()]
    waiting = {i: {int(c) - n for c in Z[i, :2] if c >= n} for i in range(len(Z))}
    order = []
    while ready:
        row = ready.pop(random.randrange(len(ready)))
        order.append(row)
        for other, needs in waiting.items():
            if row in needs:
                needs.discard(row)
                if not needs and other not in order and other not in ready:
                    ready.append(other)
    assert elbow(reencode(Z, order)) == elbow(Z)


def test_elbow_results_compare_hash_and_print_as_values(Z, Z2):
    assert elbow(Z) == elbow(Z) and hash(elbow(Z)) == hash(elbow(Z))
    assert elbow(Z) != elbow(Z2) and elbow(Z) != elbow(Z, last=5) and elbow(Z) != "elbow"
    assert len({elbow(Z), elbow(Z), elbow(Z2)}) == 2
    with np.printoptions(precision=5, suppress=True):  # the course's print options
        text = repr(elbow(Z))
    assert text.startswith("ElbowResult(k=2, heights=[180.27043,  23.12199,  17.11527, ...,") and "\n" not in text
    assert "n_clusters=[ 1,  2,  3, ...,  8,  9, 10]" in text


def hand_made(Z, **changes):
    import dataclasses
    return dataclasses.replace(elbow(Z), **changes)


@pytest.mark.parametrize("changes, error, words", [
    ({"k": 1}, ValueError, r"^ElbowResult is not what helpers\.elbow\(Z\) returns: k must be between 2 and 9 "
                           r".*got k = 1\. Pass the result of helpers\.elbow\(Z\)"),
    ({"k": 10}, ValueError, "k must be between 2 and 9"),
    ({"k": 3}, ValueError, r"k = 3 is not where the acceleration is largest \(k = 2\)"),
    ({"k": 2.0}, TypeError, r"^ElbowResult\.k must be a whole number of clusters; got 2\.0 of type float"),
    ({"n_clusters": np.arange(10)}, ValueError, r"n_clusters must be 1, 2, \.\.\., 10"),
    ({"acceleration_k": np.arange(1, 9)}, ValueError, "acceleration_k must be 2, 3, ..., 9"),
    ({"acceleration": np.zeros(8)}, ValueError, "acceleration must be the second differences of heights"),
    ({"heights": np.array([3.0, 2.0])}, ValueError, r"heights must hold 3 or more finite merge heights"),
    ({"heights": "tall"}, ValueError, "its curves are not arrays of numbers"),
])
def test_an_elbow_result_that_does_not_hold_together_is_refused(Z, changes, error, words):
    with pytest.raises(error, match=words):
        hand_made(Z, **changes)


def test_a_tie_names_the_numbers_of_clusters_the_cuts_around_it_give():
    Z = linkage([[0.0], [1.0], [3.0], [4.0], [10.0]], "single")  # two merges at height 1
    with pytest.raises(ValueError) as info:
        distance_range(Z, 4)
    message = str(info.value)
    assert message.startswith("No single cut-off gives exactly k=4 clusters: 2 merges share the height 1, "
                              "so a cut undoes all of them or none: just below 1 a cut leaves 5 clusters, "
                              "at 1 it leaves 3. Choose k=5 or k=3.")
    # The advice holds: maxclust gives fewer clusters, cut_tree exactly k.
    assert f"would return {len(np.unique(fcluster(Z, 4, criterion='maxclust')))}, not 4" in message
    assert "cut_tree(Z, n_clusters=4)" in message
    assert len(np.unique(cut_tree(Z, n_clusters=4))) == 4
    for k in (5, 3):
        low, high = distance_range(Z, k)
        assert n_clusters_at(Z, low) == k
