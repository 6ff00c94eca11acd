"""Input checks shared by the helpers.

Every public helper validates its arguments up front, the way
:mod:`scipy.cluster.hierarchy` does, and raises an error whose message names
the argument, says what was wrong with it and what to pass instead.
"""

from __future__ import annotations

import numbers

import numpy as np
from scipy.cluster.hierarchy import is_valid_linkage


def as_samples(X, name="X"):
    """Return `X` as a finite 2-D float array of shape (n, m).

    Raises
    ------
    TypeError
        If `X` cannot be read as an array of numbers.
    ValueError
        If `X` is not 2-D, is empty, or holds NaN or infinite values.
    """
    try:
        arr = np.asarray(X, dtype=float)
    except (TypeError, ValueError) as exc:
        raise TypeError(
            f"{name} must be an array of numbers with shape (n, m); "
            f"could not read {type(X).__name__} as numbers ({exc})."
        ) from None
    if arr.ndim != 2:
        hint = " Use X.reshape(-1, 1) for a single feature." if arr.ndim == 1 else ""
        raise ValueError(
            f"{name} must be 2-D with shape (n, m): one row per sample, one "
            f"column per feature; got an array with shape {arr.shape}.{hint}"
        )
    if arr.shape[0] == 0 or arr.shape[1] == 0:
        raise ValueError(
            f"{name} must hold at least one sample and one feature; "
            f"got shape {arr.shape}."
        )
    if not np.all(np.isfinite(arr)):
        bad = np.argwhere(~np.isfinite(arr))[0]
        raise ValueError(
            f"{name} contains NaN or infinite values (first at row {bad[0]}, "
            f"column {bad[1]}); drop or impute those samples before clustering."
        )
    return arr


def as_labels(labels, n, name="labels"):
    """Return `labels` as an array with one cluster label per sample, shape (n,).

    Raises
    ------
    ValueError
        If `labels` does not have shape (n,).
    """
    labels = np.asarray(labels)
    if labels.shape != (n,):
        raise ValueError(
            f"{name} must hold one cluster label per sample, shape ({n},); "
            f"got shape {labels.shape}."
        )
    return labels


def as_linkage(Z, name="Z"):
    """Return `Z` as a valid float linkage matrix of shape (n - 1, 4).

    Raises
    ------
    TypeError
        If `Z` cannot be read as an array of numbers.
    ValueError
        If `Z` is not a valid linkage matrix (see
        :func:`scipy.cluster.hierarchy.is_valid_linkage`) or holds NaN.
    """
    try:
        arr = np.asarray(Z, dtype=float)
    except (TypeError, ValueError) as exc:
        raise TypeError(
            f"{name} must be a linkage matrix (an array of numbers with shape "
            f"(n - 1, 4)) as returned by scipy.cluster.hierarchy.linkage; "
            f"could not read {type(Z).__name__} as numbers ({exc})."
        ) from None
    if arr.ndim != 2 or arr.shape[1] != 4:
        raise ValueError(
            f"{name} must be a linkage matrix with shape (n - 1, 4) as returned "
            f"by scipy.cluster.hierarchy.linkage; got shape {arr.shape}."
        )
    if arr.shape[0] == 0:
        raise ValueError(
            f"{name} is empty: a linkage matrix of n samples has n - 1 >= 1 rows."
        )
    if not np.all(np.isfinite(arr)):
        raise ValueError(
            f"{name} contains NaN or infinite values; pass the matrix returned "
            f"by scipy.cluster.hierarchy.linkage on finite data."
        )
    try:
        is_valid_linkage(arr, throw=True, name=name)
    except (ValueError, TypeError) as exc:
        raise ValueError(
            f"{name} is not a valid linkage matrix: {exc} Pass the matrix "
            f"returned by scipy.cluster.hierarchy.linkage."
        ) from None
    # SciPy's check does not add up the cluster sizes (column 3); do it here.
    _check_cluster_sizes(arr, name)
    return arr


def _check_cluster_sizes(arr, name):
    """Each row's cluster size (column 3) is the sum of the two it merges."""
    n = arr.shape[0] + 1
    sizes = [1] * n
    for row, (a, b, size) in enumerate(arr[:, [0, 1, 3]].tolist()):
        sizes.append(sizes[int(a)] + sizes[int(b)])
        if sizes[-1] != size:
            raise ValueError(
                f"{name} is not a valid linkage matrix: row {row} gives its cluster "
                f"{size:g} samples, but the two clusters it merges hold "
                f"{sizes[-1]:g}. Pass the matrix returned by "
                f"scipy.cluster.hierarchy.linkage."
            )


def as_count(value, name, low, high):
    """Return `value` as an int in ``[low, high]``.

    Raises
    ------
    TypeError
        If `value` is not an integer (booleans and floats are refused).
    ValueError
        If `value` lies outside ``[low, high]``.
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(
            f"{name} must be a whole number between {low} and {high}; "
            f"got {value!r} of type {type(value).__name__}."
        )
    value = int(value)
    if not low <= value <= high:
        raise ValueError(f"{name} must be between {low} and {high}; got {value}.")
    return value


def as_distance(value, name):
    """Return `value` as a finite, non-negative float.

    Raises
    ------
    TypeError
        If `value` is not a real number.
    ValueError
        If `value` is negative, NaN or infinite.
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(
            f"{name} must be a non-negative number (a height on the dendrogram's "
            f"distance axis); got {value!r} of type {type(value).__name__}."
        )
    value = float(value)
    if not np.isfinite(value) or value < 0:
        raise ValueError(
            f"{name} must be a finite, non-negative distance; got {value}. "
            f"Merge heights are never negative, so pass a value of 0 or more."
        )
    return value


def check_axes(ax, name="ax"):
    """Return `ax` unchanged if it is a Matplotlib ``Axes`` or None.

    The drawing helpers call it before they draw anything, so that a wrong
    `ax` is reported by name instead of failing halfway through a drawing.
    None stands for "the current axes", which the caller fetches itself
    once every other argument has been checked.

    Raises
    ------
    TypeError
        If `ax` is neither None nor a ``matplotlib.axes.Axes``.
    """
    if ax is None:
        return None
    from matplotlib.axes import Axes

    if not isinstance(ax, Axes):
        hint = (" (an array of axes: pick one, e.g. axes[0])"
                if isinstance(ax, (np.ndarray, list, tuple)) else "")
        raise TypeError(
            f"{name} must be one Matplotlib Axes, such as the ax of "
            f"`fig, ax = plt.subplots()`, or None for the current axes; got "
            f"{type(ax).__name__}{hint}."
        )
    return ax
