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

from dataclasses import dataclass

import numpy as np
from scipy.cluster.hierarchy import maxdists

from ._validation import as_count, as_distance, as_linkage

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
    n = Z.shape[0] + 1
    return int(n - np.count_nonzero(maxdists(Z) <= max_d))


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
        If `k` is out of range, or if no single cut gives `k` clusters
        because two merges share the same height (then every cut that undoes
        one undoes both).

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
    heights = np.sort(maxdists(Z))
    # k clusters <=> exactly n - k merges are kept <=> heights[n-k-1] <= max_d < heights[n-k]
    low = 0.0 if k == n else float(heights[n - k - 1])
    high = np.inf if k == 1 else float(heights[n - k])
    if not low < high:
        raise ValueError(
            f"No single cut-off gives exactly k={k} clusters: two merges share "
            f"the height {high:g}, so any cut undoes both or neither. Choose "
            f"another k, or use fcluster(Z, {k}, criterion='maxclust')."
        )
    return low, high


@dataclass(frozen=True)
class ElbowResult:
    """What :func:`elbow` found.

    Attributes
    ----------
    k : int
        The suggested number of clusters.
    heights : ndarray
        The last merge heights, highest (the final merge) first.
    n_clusters : ndarray
        The x positions that go with `heights`: 1, 2, ..., ``len(heights)``.
    acceleration : ndarray
        Second differences of `heights`, two shorter; entry ``i`` goes with
        ``i + 2`` clusters.
    acceleration_k : ndarray
        The x positions that go with `acceleration`: 2, 3, ...
    """

    k: int
    heights: np.ndarray
    n_clusters: np.ndarray
    acceleration: np.ndarray
    acceleration_k: np.ndarray


def elbow(Z, last=10):
    """The elbow heuristic: the number of clusters where merge heights jump most.

    Takes the `last` merge heights, highest first, and their second
    difference (the "acceleration" of the distance growth). The largest
    acceleration marks the biggest jump in merge height; undoing the merges
    above it leaves ``k = argmax + 2`` clusters.

    Parameters
    ----------
    Z : ndarray of shape (n - 1, 4)
        A linkage matrix.
    last : int, optional
        How many of the final merges to look at, from 3 to n - 1. Default 10.

    Returns
    -------
    ElbowResult
        The suggested `k`, and the curves to plot (see
        :func:`helpers.plotting.plot_elbow`).

    Notes
    -----
    Use it as a hint, never as the answer. It can never suggest a single
    cluster, and consecutive rows of `Z` may belong to different branches of
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
    last = as_count(last, "last", 3, Z.shape[0])
    heights = Z[-last:, 2][::-1].copy()
    acceleration = np.diff(Z[-last:, 2], 2)[::-1].copy()
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
    Walks down the tree from `idx` with an explicit stack, so it takes time
    proportional to the size of the cluster (O(n) at worst) and never hits
    Python's recursion limit, however deep the tree.

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
    children = Z[:, :2].astype(np.intp)
    members, stack = [], [idx]
    while stack:
        node = stack.pop()
        if node < n:
            members.append(node)
        else:
            stack.extend(children[node - n])
    return np.sort(np.asarray(members, dtype=np.intp))
