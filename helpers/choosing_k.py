"""The gap statistic: how many clusters, judged against data with none.

A clustering into `k` groups always fits better as `k` grows: the pooled
within-cluster scatter ``W_k`` falls however the data look. The gap
statistic of Tibshirani, Walther and Hastie (2001) asks how much faster it
falls on the data than on data that have no clusters at all: reference sets
drawn uniformly over the same box. Where the data's ``log W_k`` lies far
below the reference's, the data are more clustered than chance; the
smallest `k` after which the gap stops growing by more than its own noise is
the estimate.

No maintained Python library implements it (R's ``cluster::clusGap`` does),
so the course carries this short, tested implementation. Clustering is
SciPy's Ward linkage cut with ``fcluster(Z, k, criterion='maxclust')``, the
method the course teaches.
"""

from __future__ import annotations

import numbers
import time
from dataclasses import dataclass

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage

from ._results import ArrayResult
from ._validation import as_clusterable, as_count, as_labels, as_samples

__all__ = ["GapResult", "within_dispersion", "gap_statistic"]

REFERENCES = ("box", "pca")

#: The documented defaults of :func:`gap_statistic`.
K_MAX = 10
B_DEFAULT = 20

#: With ``progress=None``, :func:`gap_statistic` shows a progress bar when its
#: work, ``(B + 1) * n**2`` (B + 1 Ward trees of n samples, each about n²
#: steps), reaches this: about n = 1500 samples with B = 20, some seconds of
#: work. A rule on the size of the work, not on a measured time, so that the
#: same call always shows a bar or never does, on any machine (a chapter's
#: stored outputs must not depend on the speed of the machine that ran it).
PROGRESS_WORK = 5e7


@dataclass(frozen=True, eq=False, repr=False)
class GapResult(ArrayResult):
    """What :func:`gap_statistic` found.

    Results compare as values (``==`` compares every field, arrays by
    value) and print on one line.

    Attributes
    ----------
    k : int
        The estimated number of clusters: the smallest `k` with
        ``gap[k] >= gap[k + 1] - s_k[k + 1]`` (counting from 1), or `k_max`
        when no `k` below it qualifies.
    ks : ndarray of int
        The numbers of clusters tried: 1, 2, ..., `k_max`.
    gap : ndarray
        ``Gap(k)``, one per entry of `ks`.
    s_k : ndarray
        The standard error of each ``Gap(k)``: the standard deviation of the
        reference sets' ``log W_k`` times ``sqrt(1 + 1/B)``.
    log_w : ndarray
        ``log W_k`` of the data.
    log_w_ref : ndarray
        The mean of ``log W_k`` over the `B` reference sets.
    """

    k: int
    ks: np.ndarray
    gap: np.ndarray
    s_k: np.ndarray
    log_w: np.ndarray
    log_w_ref: np.ndarray


def within_dispersion(X, labels):
    """The pooled within-cluster sum of squares W_k of a clustering.

    Parameters
    ----------
    X : array_like of shape (n, m)
        The samples.
    labels : array_like of shape (n,)
        The cluster of each sample, for example from
        :func:`scipy.cluster.hierarchy.fcluster`.

    Returns
    -------
    float
        ``W_k``: for each cluster, the sum of squared Euclidean distances of
        its samples to their mean, summed over the clusters. It equals
        Tibshirani et al.'s ``sum_r D_r / (2 n_r)``.

    Raises
    ------
    TypeError
        If `X` or `labels` holds complex numbers, or `X` is not numeric.
    ValueError
        If `X` is not a finite (n, m) array, or `labels` does not have one
        entry per sample or holds NaN or None (a sample without a cluster).

    Notes
    -----
    Each cluster is centred on its mean before its deviations are squared,
    so the result does not depend on where the data sit: the shortcut
    ``sum |x|^2 - |sum x|^2 / n_r`` loses every digit to cancellation when
    the data lie far from zero (years, timestamps, map coordinates).

    Examples
    --------
    >>> X = [[0.0, 0.0], [2.0, 0.0], [10.0, 0.0], [10.0, 4.0]]
    >>> print(f"{within_dispersion(X, [1, 1, 2, 2]):.1f}")
    10.0
    >>> print(f"{within_dispersion(X, [1, 1, 1, 1]):.1f}")
    95.0

    The same data a billion units away give the same answer:

    >>> far = np.asarray(X) + 1e9
    >>> print(f"{within_dispersion(far, [1, 1, 2, 2]):.1f}")
    10.0
    """
    X = as_samples(X)
    labels = as_labels(labels, X.shape[0])
    _, codes = np.unique(labels, return_inverse=True)
    return _dispersion(X, codes.ravel())


def _dispersion(X, codes):
    """``W_k`` for cluster codes 0..k-1, every code used (no checks).

    Two passes: each cluster's mean, then the squared deviations from it.
    (A mean rounded by ``d`` adds only ``count * d**2`` to a cluster's sum:
    an error of the second order, far below the data's own rounding.)
    """
    counts = np.bincount(codes)
    means = np.column_stack([np.bincount(codes, weights=column) for column in X.T]) / counts[:, None]
    deviations = X - means[codes]
    return float(np.sum(deviations * deviations))


def _log_dispersions(X, k_max):
    """``log W_k`` for k = 1..k_max, cutting one Ward tree of `X` into exactly k clusters.

    ``fcluster(Z, k, criterion='maxclust')`` gives fewer than `k` clusters
    when merges share a height (a grid of points, duplicated samples): no
    cut undoes one of them without the others. The tree is cut instead by
    the order of its rows (sorted by height, ties in the order Ward merged
    them): the first ``n - k`` merges kept, the rest undone, exactly `k`
    clusters for every `k`.
    """
    Z = linkage(X, "ward")
    by_row = Z.copy()
    by_row[:, 2] = np.arange(len(Z))  # distinct heights, in the order of the rows

    def log_w(k):
        _, codes = np.unique(fcluster(by_row, k, criterion="maxclust"), return_inverse=True)
        return np.log(_dispersion(X, codes.ravel()))

    return np.array([log_w(k) for k in range(1, k_max + 1)])


def _expected_seconds(X, k_max, B):
    """How long :func:`gap_statistic` will take, from one small Ward tree timed now.

    Ward's tree and the distances it reads grow as n² (at the sizes where
    the estimate matters, the cuts cost little beside them): a tree of at
    most 500 of the samples is timed and scaled to n, times B + 1.
    """
    n = X.shape[0]
    m = min(n, 500)
    start = time.perf_counter()
    with np.errstate(divide="ignore"):  # data the run itself will refuse, with a message
        _log_dispersions(X[:m], min(k_max, m - 1))
    return (time.perf_counter() - start) * (n / m) ** 2 * (B + 1)


def _duration(seconds):
    """'about 40 s', 'about 19 min', 'about 2.5 h'."""
    if seconds < 90:
        return f"about {max(seconds, 1):.0f} s"
    if seconds < 90 * 60:
        return f"about {seconds / 60:.0f} min"
    return f"about {seconds / 3600:.1f} h"


def _progress_bar(total, description, show):
    """A tqdm bar (in Jupyter, a widget; in a terminal, a line on stderr), or None."""
    if not show:
        return None
    from tqdm.auto import tqdm

    return tqdm(total=total, desc=description, unit="tree")


def _reference_sampler(X, reference):
    """A function ``rng -> one reference set`` uniform over the chosen box.

    ``'box'``: one ``rng.uniform(low, high, size=X.shape)`` draw over each
    feature's range. ``'pca'``: centre each column on its mean, rotate onto
    the principal axes (the rows of ``vt`` from the SVD of the centred
    data), draw ``rng.uniform(low, high)`` over the rotated data's ranges,
    then rotate back and add the means again.
    """
    if reference == "box":
        low, high = X.min(axis=0), X.max(axis=0)
        return lambda rng: rng.uniform(low, high, size=X.shape)
    # The box aligned with the principal components (Tibshirani et al.'s (b)):
    # rotate, draw uniformly over the rotated box, rotate back.
    mean = X.mean(axis=0)
    _, _, vt = np.linalg.svd(X - mean, full_matrices=False)
    rotated = (X - mean) @ vt.T
    low, high = rotated.min(axis=0), rotated.max(axis=0)
    return lambda rng: rng.uniform(low, high, size=rotated.shape) @ vt + mean


def gap_statistic(X, k_max=K_MAX, *, B=B_DEFAULT, reference="pca", rng=None, progress=None):
    """Estimate the number of clusters with the gap statistic.

    For ``k = 1 .. k_max``, cluster `X` into `k` groups (Ward linkage, cut
    into exactly `k` clusters, as ``fcluster(Z, k, criterion='maxclust')``
    does when no two merges share a height; see Notes) and compute
    ``log W_k``; do the same for `B` reference sets drawn uniformly over the
    box that holds `X`. Then

    - ``Gap(k) = mean over the references of log W_k  -  log W_k of X``,
    - ``s_k = sd over the references of log W_k * sqrt(1 + 1/B)``,

    and the estimate is the smallest `k` such that
    ``Gap(k) >= Gap(k + 1) - s_{k+1}`` (Tibshirani, Walther and Hastie's
    standard-error rule).

    Parameters
    ----------
    X : array_like of shape (n, m)
        The samples. Scale the features first if their units differ.
    k_max : int, optional
        The largest number of clusters to try, from 1 to n - 1. Default 10.
    B : int, optional
        How many reference sets to draw, 2 or more. Default 20; more makes
        `s_k` smaller and the answer steadier, at the cost of one Ward
        linkage per set.
    reference : {'pca', 'box'}, optional
        The box the reference sets fill: ``'pca'`` (default) aligns it with
        the principal components of `X`, so that elongated data without
        clusters are not mistaken for clusters; ``'box'`` uses each
        feature's range.
    rng : numpy.random.Generator or int, optional
        The random generator for the reference sets, for example
        ``np.random.default_rng(0)``; an int (0 or more) is used as its seed.
        Default: a fresh, unseeded generator (the answer may then vary
        between runs).
    progress : bool, optional
        Show a progress bar over the B + 1 Ward trees (in Jupyter a bar
        widget, in a terminal a line on standard error), whose description
        says from the start how long the whole should take: True always,
        False never. Default (None): only for long work, when
        ``(B + 1) * n**2`` reaches :data:`PROGRESS_WORK` (about n = 1500
        samples with B = 20), so that a call on small data, such as the
        chapters', stays silent.

    Returns
    -------
    GapResult
        The estimate `k`, and ``Gap(k)``, ``s_k`` and the ``log W_k`` curves
        to plot.

    Raises
    ------
    TypeError
        If `k_max` or `B` is not a whole number, `rng` is neither a
        Generator nor an int, or `progress` is not True, False or None.
    ValueError
        If `X` is not a finite (n, m) array of at least 2 samples, spreads so
        widely that squared distances overflow (rescale it), `k_max` or `B`
        is out of range, `rng` is a negative seed, `reference` is unknown, or
        `X` has no more than `k_max` distinct samples (then ``W_k`` reaches 0
        and its logarithm is undefined).

    See Also
    --------
    within_dispersion : ``W_k`` of one clustering.
    helpers.cutoff.elbow : a cruder heuristic that reads only the merge heights.

    Notes
    -----
    **Ties.** When merges share a height (points on a grid, duplicated
    samples), ``fcluster(Z, k, criterion='maxclust')`` gives fewer than `k`
    clusters for some `k`: no single cut undoes one tied merge without the
    others. Each tree is cut by the order of its rows instead (sorted by
    height, ties in the order Ward merged them), so that ``log W_k`` is
    always that of exactly `k` clusters.

    **Time.** Each of the B + 1 Ward trees costs time and memory in n²: a
    few seconds in all for n = 1500 and B = 20, minutes for n = 10000.
    The progress bar (see `progress`) says how long it should take before
    the first tree is built, from one small tree timed on the spot.

    The rule can answer ``k = 1`` (no clusters), which the elbow heuristic
    and the silhouette score cannot. The reference sets make the answer
    random: pass a seeded `rng`, and check that another seed agrees.

    The rule is cautious: it stops at the first `k` whose successor is not
    clearly better. Three groups in a row along a line can fool it into
    answering 1, because splitting them in two is hardly better than
    splitting uniform noise in two; look at the whole `gap` curve, not only
    at `k`.

    References
    ----------
    R. Tibshirani, G. Walther and T. Hastie (2001), "Estimating the number of
    clusters in a data set via the gap statistic", Journal of the Royal
    Statistical Society B 63(2), 411-423.

    Examples
    --------
    Three tight groups at the corners of a triangle:

    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> corners = [(0, 0), (5, 0), (0, 5)]
    >>> X = np.concatenate([rng.normal(c, 0.3, size=(20, 2)) for c in corners])
    >>> result = gap_statistic(X, k_max=6, B=10, rng=np.random.default_rng(1))
    >>> result.k
    3
    >>> print(result.ks)
    [1 2 3 4 5 6]
    """
    X = as_clusterable(X)
    n = X.shape[0]
    k_max = as_count(k_max, "k_max", 1, n - 1)
    B = as_count(B, "B", 2, 100_000)
    if reference not in REFERENCES:
        raise ValueError(f"reference must be 'pca' or 'box'; got {reference!r}.")
    if isinstance(rng, (bool, np.bool_)) or not (
        rng is None or isinstance(rng, (np.random.Generator, numbers.Integral))
    ):
        raise TypeError(
            f"rng must be a numpy.random.Generator (np.random.default_rng(seed)) or "
            f"an int seed; got {type(rng).__name__}."
        )
    if isinstance(rng, numbers.Integral) and rng < 0:
        raise ValueError(f"rng must be a seed of 0 or more (or a Generator); got {rng}.")
    distinct = len(np.unique(X, axis=0))
    if distinct == 1:
        raise ValueError(
            "Every sample of X is the same point, so there is nothing to cluster "
            "(W_k is 0 for every k); pass data with at least 2 distinct samples."
        )
    if distinct <= k_max:
        raise ValueError(
            f"X has only {distinct} distinct samples, so W_k is 0 for k >= {distinct} "
            f"and its logarithm is undefined; pass k_max of at most {distinct - 1}."
        )
    if progress is not None and not isinstance(progress, (bool, np.bool_)):
        raise TypeError(
            f"progress must be True (show a progress bar), False (never) or None (only for "
            f"long work); got {progress!r} of type {type(progress).__name__}."
        )
    rng = np.random.default_rng(rng)
    if progress is None:
        progress = (B + 1) * n**2 >= PROGRESS_WORK
    bar = None
    if progress:
        bar = _progress_bar(B + 1, f"gap statistic: {B + 1} Ward trees of {n} samples, expected "
                                   f"{_duration(_expected_seconds(X, k_max, B))}", show=True)
    try:
        with np.errstate(divide="ignore"):
            log_w = _log_dispersions(X, k_max)
        if not np.all(np.isfinite(log_w)):
            raise ValueError(
                "X's samples are so close together that their squared distances "
                "underflow to 0; rescale X first (change its units, or standardise "
                "each feature)."
            )
        draw = _reference_sampler(X, reference)
        log_w_refs = []
        for _ in range(B):
            if bar is not None:
                bar.update()
            log_w_refs.append(_log_dispersions(draw(rng), k_max))
        if bar is not None:
            bar.update()
    finally:
        if bar is not None:
            bar.close()
    log_w_refs = np.array(log_w_refs)
    log_w_ref = log_w_refs.mean(axis=0)
    gap = log_w_ref - log_w
    s_k = log_w_refs.std(axis=0) * np.sqrt(1 + 1 / B)

    return GapResult(k=_standard_error_rule(gap, s_k), ks=np.arange(1, k_max + 1), gap=gap, s_k=s_k,
                     log_w=log_w, log_w_ref=log_w_ref)


def _standard_error_rule(gap, s_k):
    """The smallest k with ``Gap(k) >= Gap(k+1) - s_{k+1}`` (counting from 1), else the last k.

    >>> _standard_error_rule(np.array([1.0, 2.0, 1.5]), np.array([0.0, 1.0, 0.5]))
    1
    >>> _standard_error_rule(np.array([1.0, 2.0, 1.5]), np.array([0.0, 0.5, 0.5]))
    2
    >>> _standard_error_rule(np.array([1.0, 2.0, 3.0]), np.array([0.1, 0.1, 0.1]))
    3
    """
    good = gap[:-1] >= gap[1:] - s_k[1:]
    return int(np.argmax(good) + 1) if good.any() else len(gap)

