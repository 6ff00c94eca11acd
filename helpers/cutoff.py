"""Tools for choosing where to cut a dendrogram, and for reading what a cut
or a row of the linkage matrix contains.

A cut at height `max_d` keeps every merge no higher than `max_d` and undoes
every merge above it; the groups left are the flat clusters that
``fcluster(Z, max_d, criterion='distance')`` returns. The functions here
answer the questions a learner asks of such a cut: how many clusters does it
give, which cut-offs give exactly `k` clusters, what does the "elbow"
heuristic suggest, and which samples sit in a given cluster of the tree.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass

import numpy as np
from scipy.cluster.hierarchy import leaves_list, maxdists

from ._results import ArrayResult
from ._validation import as_count, as_distance, as_linkage

try:
    # SciPy's compiled routines behind maxdists and leaves_list. Its public
    # functions re-check Z on every call (a sort of 2n indices, about 0.2 s
    # at a million rows); the helpers check Z once and then call these.
    from scipy.cluster._hierarchy import get_max_dist_for_each_cluster, prelist
except ImportError:  # pragma: no cover - a SciPy that moved them: use the public ones
    get_max_dist_for_each_cluster = prelist = None

__all__ = [
    "n_clusters_at",
    "distance_range",
    "ElbowResult",
    "elbow",
    "cluster_members",
]


def n_clusters_at(Z, max_d):
    """Number of flat clusters left when the tree is cut at height `max_d`.

    Parameters
    ----------
    Z : ndarray of shape (n - 1, 4)
        A linkage matrix, as returned by :func:`scipy.cluster.hierarchy.linkage`.
    max_d : float
        The cut-off distance, 0 or more.

    Returns
    -------
    k : int
        The number of clusters, the same as the number of distinct labels of
        ``fcluster(Z, max_d, criterion='distance')``.

    Notes
    -----
    Every merge no higher than `max_d` joins two clusters into one, so
    ``k = n - (number of merges kept)``. A merge counts as kept when the
    highest merge below it, itself included, is at most `max_d`
    (:func:`scipy.cluster.hierarchy.maxdists`); for monotonic methods such as
    Ward that is simply its own height. This takes O(n) time and never
    builds the labels.

    See Also
    --------
    scipy.cluster.hierarchy.fcluster : the labels themselves.
    distance_range : the cut-offs that give a chosen number of clusters.

    Examples
    --------
    >>> from scipy.cluster.hierarchy import linkage
    >>> Z = linkage([[0.0], [1.0], [5.0], [6.0]], "single")
    >>> n_clusters_at(Z, 0.5), n_clusters_at(Z, 1.0), n_clusters_at(Z, 4.0)
    (4, 2, 1)
    """
    Z = as_linkage(Z)
    max_d = as_distance(max_d, "max_d")
    return _n_clusters_at(Z, max_d)


def _n_clusters_at(Z, max_d):
    """:func:`n_clusters_at` of a checked `Z` and `max_d` (no checks)."""
    n = Z.shape[0] + 1
    return int(n - np.count_nonzero(_maxdists(Z) <= max_d))


def distance_range(Z, k):
    """The cut-off distances that give exactly `k` clusters.

    Parameters
    ----------
    Z : ndarray of shape (n - 1, 4)
        A linkage matrix.
    k : int
        The number of clusters wanted, from 1 to n.

    Returns
    -------
    low, high : float
        Every `max_d` with ``low <= max_d < high`` gives exactly `k`
        clusters; `high` is ``inf`` for ``k = 1``. The middle of the
        interval is the cut-off that is least sensitive to small changes in
        the data.

    Raises
    ------
    ValueError
        If `k` is out of range, or if no cut-off gives `k` clusters: because
        two merges share the same height (then every cut that undoes one
        undoes both; the message says which numbers of clusters the cuts
        around that height give), or because a merge at height 0 would have
        to be undone (only a negative cut-off could do that).

    See Also
    --------
    n_clusters_at : the inverse question.

    Examples
    --------
    >>> from scipy.cluster.hierarchy import linkage
    >>> Z = linkage([[0.0], [1.0], [5.0], [6.0]], "single")
    >>> low, high = distance_range(Z, 2)
    >>> print(f"{low:.1f} <= max_d < {high:.1f}")
    1.0 <= max_d < 4.0
    >>> print(distance_range(Z, 1))
    (4.0, inf)
    """
    Z = as_linkage(Z)
    n = Z.shape[0] + 1
    k = as_count(k, "k", 1, n)
    return _distance_range(Z, k)


def _distance_range(Z, k):
    """:func:`distance_range` of a checked `Z` and `k` (no checks)."""
    n = Z.shape[0] + 1
    # k clusters <=> exactly n - k merges are kept <=> heights[n-k-1] <= max_d < heights[n-k]
    # with the heights sorted; only those two order statistics are needed.
    wanted = [i for i in (n - k - 1, n - k) if 0 <= i < n - 1]
    heights = np.partition(_maxdists(Z), wanted)
    low = 0.0 if k == n else float(heights[n - k - 1])
    high = np.inf if k == 1 else float(heights[n - k])
    if high == 0:
        raise ValueError(
            f"No cut-off gives k={k} clusters: the tree has a merge at height 0 "
            f"(samples at distance 0 from each other), and only a negative "
            f"cut-off could undo it; every max_d >= 0 gives at most "
            f"{_n_clusters_at(Z, 0.0)} clusters. Choose a smaller k, or drop "
            f"the duplicate samples first."
        )
    if not low < high:
        below = _n_clusters_at(Z, float(np.nextafter(high, -np.inf)))
        at = _n_clusters_at(Z, high)
        raise ValueError(
            f"No single cut-off gives exactly k={k} clusters: {below - at} merges "
            f"share the height {high:g}, so a cut undoes all of them or none: just below "
            f"{high:g} a cut leaves {below} clusters, at {high:g} it leaves {at}. Choose "
            f"k={below} or k={at}. (fcluster(Z, {k}, criterion='maxclust') would return "
            f"{at}, not {k}; to split the tie by the order of Z's rows instead, "
            f"scipy.cluster.hierarchy.cut_tree(Z, n_clusters={k}) undoes the last "
            f"{k - 1} rows of a tree whose rows are sorted by height, as linkage's are.)"
        )
    return low, high


@dataclass(frozen=True, eq=False, repr=False)
class ElbowResult(ArrayResult):
    """What :func:`elbow` found.

    Results compare as values (``elbow(Z) == elbow(Z)`` is True) and print
    on one line. A result is checked when it is made: its arrays must be
    the curves of one elbow, and `k` where their acceleration is largest.

    Attributes
    ----------
    k : int
        The suggested number of clusters.
    heights : ndarray
        The heights at which a cut changes the number of clusters, highest
        first: the last merge heights, in the order of the tree.
    n_clusters : ndarray
        The x positions that go with `heights`: 1, 2, ..., ``len(heights)``.
    acceleration : ndarray
        Second differences of `heights`, two shorter; entry ``i`` goes with
        ``i + 2`` clusters.
    acceleration_k : ndarray
        The x positions that go with `acceleration`: 2, 3, ...

    Raises
    ------
    TypeError
        If `k` is not a whole number.
    ValueError
        If the arrays are not the curves of one elbow, or `k` is not where
        the acceleration is largest.
    """

    k: int
    heights: np.ndarray
    n_clusters: np.ndarray
    acceleration: np.ndarray
    acceleration_k: np.ndarray

    def __post_init__(self):
        _check_elbow_result(self)


def _check_elbow_result(result, name="ElbowResult"):
    """Refuse, by name, an elbow result whose parts do not belong together.

    What :func:`helpers.plot_elbow` draws must be true: one height per
    number of clusters from 1 up, the acceleration of those heights, and
    the star at the largest acceleration.
    """
    def fail(problem):
        raise ValueError(
            f"{name} is not what helpers.elbow(Z) returns: {problem}. Pass the result of "
            f"helpers.elbow(Z) (or helpers.elbow(Z, last=...)) itself."
        )

    k = result.k
    if isinstance(k, (bool, np.bool_)) or not isinstance(k, numbers.Integral):
        raise TypeError(f"{name}.k must be a whole number of clusters; got {k!r} of type "
                        f"{type(k).__name__}. Pass the result of helpers.elbow(Z) itself.")
    try:
        heights, n_clusters, acceleration, acceleration_k = (
            np.asarray(getattr(result, part), dtype=float)
            for part in ("heights", "n_clusters", "acceleration", "acceleration_k"))
    except (TypeError, ValueError):
        fail("its curves are not arrays of numbers")
    last = heights.shape[0] if heights.ndim == 1 else 0
    if last < 3 or not np.all(np.isfinite(heights)):
        fail(f"heights must hold 3 or more finite merge heights; got shape {heights.shape}")
    if not np.array_equal(n_clusters, np.arange(1, last + 1)):
        fail(f"n_clusters must be 1, 2, ..., {last}, one per height")
    if not np.array_equal(acceleration_k, np.arange(2, last)):
        fail(f"acceleration_k must be 2, 3, ..., {last - 1}")
    expected = np.diff(heights[::-1], 2)[::-1]
    if acceleration.shape != expected.shape or not np.allclose(acceleration, expected):
        fail("acceleration must be the second differences of heights")
    if not 2 <= k <= last - 1:
        fail(f"k must be between 2 and {last - 1} (the numbers of clusters that have an "
             f"acceleration); got k = {k}")
    if acceleration[k - 2] < acceleration.max():
        fail(f"k = {k} is not where the acceleration is largest (k = "
             f"{int(acceleration.argmax()) + 2})")


#: How many of the last merges :func:`elbow` looks at by default.
ELBOW_LAST = 10


def elbow(Z, last=None):
    """The elbow heuristic: the number of clusters where merge heights jump most.

    Takes the `last` merge heights, highest first, and their second
    difference (the "acceleration" of the distance growth). The largest
    acceleration marks the biggest jump in merge height; undoing the merges
    above it leaves ``k = argmax + 2`` clusters.

    The heights are those at which a cut of the tree changes the number of
    clusters (:func:`n_clusters_at`), sorted: for a tree made by
    :func:`scipy.cluster.hierarchy.linkage`, whose rows come in order of
    height, they are the last rows' heights, ``Z[-last:, 2]``, as in the
    original tutorial; for a tree whose rows come in another order (any
    order that lists each cluster after its two parts is valid), still the
    tree's highest merges, not its last rows.

    Parameters
    ----------
    Z : ndarray of shape (n - 1, 4)
        A linkage matrix.
    last : int, optional
        How many of the final merges to look at, from 3 to n - 1. Default:
        10 (:data:`ELBOW_LAST`), or every merge (n - 1) when the tree has
        fewer than 10.

    Returns
    -------
    ElbowResult
        The suggested `k`, and the curves to plot (see
        :func:`helpers.plotting.plot_elbow`).

    Notes
    -----
    Use it as a hint, never as the answer. It can never suggest a single
    cluster, and consecutive heights may belong to different branches of
    the tree, so their differences may compare unrelated merges.

    Examples
    --------
    >>> from scipy.cluster.hierarchy import linkage
    >>> Z = linkage([[0.0], [0.1], [10.0], [10.1], [20.0], [20.1]], "single")
    >>> result = elbow(Z, last=4)
    >>> result.k
    3
    >>> print(result.n_clusters, result.acceleration_k)
    [1 2 3 4] [2 3]
    """
    Z = as_linkage(Z)
    merges = Z.shape[0]
    if merges < 3:
        raise ValueError(
            f"elbow needs a tree of at least 4 samples (3 merges) to compare "
            f"jumps in merge height; Z has {merges + 1} samples."
        )
    last = min(ELBOW_LAST, merges) if last is None else as_count(last, "last", 3, merges)
    # The heights at which a cut changes the number of clusters, in order: a
    # property of the tree, whatever the order of Z's rows (for linkage's own
    # output, whose rows are sorted by height, simply Z[-last:, 2]).
    tail = np.sort(_maxdists(Z))[-last:]
    heights = tail[::-1].copy()
    acceleration = np.diff(tail, 2)[::-1].copy()
    return ElbowResult(
        k=int(acceleration.argmax() + 2),
        heights=heights,
        n_clusters=np.arange(1, last + 1),
        acceleration=acceleration,
        acceleration_k=np.arange(2, last),
    )


def cluster_members(Z, idx):
    """The samples in the cluster that the linkage matrix names `idx`.

    In a linkage matrix of `n` samples, an index below `n` is a single
    sample, and an index ``idx >= n`` is the cluster formed in row
    ``Z[idx - n]``.

    Parameters
    ----------
    Z : ndarray of shape (n - 1, 4)
        A linkage matrix.
    idx : int
        A cluster index, from 0 to ``2 * n - 2`` (the root).

    Returns
    -------
    members : ndarray of int
        The sample indices in that cluster, sorted.

    Notes
    -----
    Every cluster is one unbroken run of leaves in the dendrogram's
    left-to-right order. The helper reads that order from SciPy's compiled
    code, finds where the run of `idx` starts, and takes ``Z[idx - n, 3]``
    leaves from there: O(n) time for any cluster, no loop over the rows in
    Python, and no recursion, so Python's recursion limit never applies,
    however deep the tree.

    Examples
    --------
    >>> from scipy.cluster.hierarchy import linkage
    >>> Z = linkage([[0.0], [1.0], [5.0], [6.0]], "single")
    >>> print(Z[:, :2])
    [[0. 1.]
     [2. 3.]
     [4. 5.]]
    >>> print(cluster_members(Z, 5), cluster_members(Z, 6), cluster_members(Z, 2))
    [2 3] [0 1 2 3] [2]
    """
    Z = as_linkage(Z)
    n = Z.shape[0] + 1
    idx = as_count(idx, "idx", 0, 2 * n - 2)
    return _cluster_members(Z, idx)


# -- unchecked internals ------------------------------------------------------
# For helpers that have already checked Z (with as_linkage) and their other
# arguments: no check is repeated, and none loops over the rows in Python.


def _maxdists(Z):
    """For each row of a checked `Z`, the highest merge at or below it.

    What :func:`scipy.cluster.hierarchy.maxdists` returns, without its
    re-check of `Z`.
    """
    if get_max_dist_for_each_cluster is None:
        return maxdists(Z)
    out = np.zeros(Z.shape[0])
    get_max_dist_for_each_cluster(np.ascontiguousarray(Z), out, Z.shape[0] + 1)
    return out


def _leaf_order(Z):
    """The samples of a checked `Z` from left to right, as the dendrogram draws them.

    What :func:`scipy.cluster.hierarchy.leaves_list` returns (each merge's
    first cluster to the left of its second), without its re-check of `Z`.
    """
    if prelist is None:
        return leaves_list(Z)
    n = Z.shape[0] + 1
    order = np.zeros(n, dtype=np.int32)
    prelist(np.ascontiguousarray(Z), order, n)
    return order


def _tree_layout(Z):
    """Where every cluster of a checked `Z` sits in the left-to-right order.

    Returns
    -------
    order : ndarray of int, shape (n,)
        The samples from left to right (:func:`_leaf_order`).
    start, size : ndarray of int, shape (2n - 1,)
        For every cluster index (samples first, then one per row of `Z`),
        its members are ``order[start[i]:start[i] + size[i]]``: in that
        order, every cluster is one unbroken run of samples.

    Notes
    -----
    O(n), with no Python loop: a cluster starts where its leftmost sample
    sits, the smallest position among the samples it merges directly or
    through its sub-clusters, which SciPy's compiled ``maxdists`` computes
    for every row at once when it is handed ``n - position`` as heights.
    """
    n = Z.shape[0] + 1
    order = _leaf_order(Z)
    position = np.empty(n, dtype=np.intp)
    position[order] = np.arange(n)
    start = np.concatenate((position, _row_starts(Z, position)))
    size = np.concatenate((np.ones(n, dtype=np.intp), Z[:, 3].astype(np.intp)))
    return order, start, size


def _row_starts(Z, position):
    """For each row of a checked `Z`, where its cluster starts in the leaf order.

    `position` gives each sample's place in that order (see :func:`_tree_layout`).
    """
    n = Z.shape[0] + 1
    children = Z[:, :2].astype(np.intp)
    # Per row: the smallest position of a sample it merges directly (n if none).
    direct = np.full(children.shape, n)
    is_sample = children < n
    direct[is_sample] = position[children[is_sample]]
    shifted = Z.copy()
    shifted[:, 2] = n - direct.min(axis=1)
    return n - _maxdists(shifted).astype(np.intp)


def _cluster_members(Z, idx, layout=None):
    """:func:`cluster_members` of a checked `Z` and `idx` (no checks).

    Pass ``layout=_tree_layout(Z)`` when asking about many clusters of one
    tree: the layout is then computed once.
    """
    n = Z.shape[0] + 1
    if idx < n:  # a sample
        return np.array([idx])
    if idx == 2 * n - 2:  # the root holds every sample
        return np.arange(n)
    if layout is None:
        order = _leaf_order(Z)
        position = np.empty(n, dtype=np.intp)
        position[order] = np.arange(n)
        first = int(_row_starts(Z, position)[idx - n])
        count = int(Z[idx - n, 3])
    else:
        order, start, size = layout
        first, count = int(start[idx]), int(size[idx])
    inside = np.zeros(n, dtype=bool)
    inside[order[first:first + count]] = True
    return np.flatnonzero(inside)


def _cluster_of_each_sample(Z, nodes, layout=None):
    """Which of the clusters `nodes` holds each sample, for a checked `Z`.

    The internal that replaces one :func:`cluster_members` call per cluster
    (for example per leaf of a truncated dendrogram, whose
    ``dendrogram(...)["leaves"]`` are cluster indices): one O(n) pass for
    all of them.

    Parameters
    ----------
    Z : ndarray of shape (n - 1, 4)
        A linkage matrix already checked by :func:`as_linkage`.
    nodes : sequence of int
        Cluster indices (0 to 2n - 2) of clusters that share no sample.
    layout : tuple, optional
        ``_tree_layout(Z)``, if already computed.

    Returns
    -------
    ndarray of int, shape (n,)
        For each sample, the position in `nodes` of the cluster that holds
        it, or -1 if none does.

    Examples
    --------
    >>> from scipy.cluster.hierarchy import linkage
    >>> Z = linkage([[0.0], [1.0], [5.0], [6.0], [20.0]], "single")
    >>> print(Z[:2, :2])
    [[0. 1.]
     [2. 3.]]
    >>> print(_cluster_of_each_sample(Z, [6, 5]))
    [ 1  1  0  0 -1]
    """
    order, start, size = _tree_layout(Z) if layout is None else layout
    nodes = np.asarray(nodes, dtype=np.intp)
    # Mark each cluster's run of positions with its number + 1, then fill in.
    steps = np.zeros(order.size + 1)  # float: exact for any n that fits in memory
    np.add.at(steps, start[nodes], np.arange(1, nodes.size + 1))
    np.add.at(steps, start[nodes] + size[nodes], -np.arange(1, nodes.size + 1))
    owner = np.empty(order.size, dtype=np.intp)
    owner[order] = np.cumsum(steps[:-1]) - 1
    return owner
