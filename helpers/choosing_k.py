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
from dataclasses import dataclass

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage

from ._validation import as_clusterable, as_count, as_labels, as_samples

__all__ = ["GapResult", "within_dispersion", "gap_statistic"]

REFERENCES = ("box", "pca")

#: The documented defaults of :func:`gap_statistic`.
K_MAX = 10
B_DEFAULT = 20


@dataclass(frozen=True)
class GapResult:
    """What :func:`gap_statistic` found.

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
    """``log W_k`` for k = 1..k_max, cutting one Ward tree of `X`."""
    Z = linkage(X, "ward")
    out = np.empty(k_max)
    for k in range(1, k_max + 1):
        _, codes = np.unique(fcluster(Z, k, criterion="maxclust"), return_inverse=True)
        out[k - 1] = np.log(_dispersion(X, codes.ravel()))
    return out


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


def gap_statistic(X, k_max=K_MAX, *, B=B_DEFAULT, reference="pca", rng=None):
    """Estimate the number of clusters with the gap statistic.

    For ``k = 1 .. k_max``, cluster `X` into `k` groups (Ward linkage, cut
    with ``fcluster(Z, k, criterion='maxclust')``) and compute
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

    Returns
    -------
    GapResult
        The estimate `k`, and ``Gap(k)``, ``s_k`` and the ``log W_k`` curves
        to plot.

    Raises
    ------
    TypeError
        If `k_max` or `B` is not a whole number, or `rng` is neither a
        Generator nor an int.
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
    rng = np.random.default_rng(rng)

    with np.errstate(divide="ignore"):
        log_w = _log_dispersions(X, k_max)
    if not np.all(np.isfinite(log_w)):
        raise ValueError(
            "X's samples are so close together that their squared distances "
            "underflow to 0; rescale X first (change its units, or standardise "
            "each feature)."
        )
    draw = _reference_sampler(X, reference)
    log_w_refs = np.array([_log_dispersions(draw(rng), k_max) for _ in range(B)])
    log_w_ref = log_w_refs.mean(axis=0)
    gap = log_w_ref - log_w
    s_k = log_w_refs.std(axis=0) * np.sqrt(1 + 1 / B)

    good = gap[:-1] >= gap[1:] - s_k[1:]
    k = int(np.argmax(good) + 1) if good.any() else k_max
    return GapResult(k=k, ks=np.arange(1, k_max + 1), gap=gap, s_k=s_k,
                     log_w=log_w, log_w_ref=log_w_ref)
