"""Input checks shared by the helpers.

Every public helper validates its arguments up front, the way
:mod:`scipy.cluster.hierarchy` does, and raises an error whose message names
the argument, says what was wrong with it and what to pass instead. The
helpers then work on the checked arrays through unchecked internals, so that
no input is checked twice (SciPy's own public functions, by contrast, each
re-check a linkage matrix they are given).
"""

from __future__ import annotations

import numbers

import numpy as np


def _is_complex(value):
    """A complex number of any type (Python's, NumPy's complex64 or complex128...), not a real one."""
    return isinstance(value, numbers.Complex) and not isinstance(value, numbers.Real)


def _holds_complex(arr):
    """Whether the array `arr` is complex, or an object array holding a complex number."""
    return arr.dtype.kind == "c" or (arr.dtype.kind == "O" and any(map(_is_complex, arr.ravel())))


def _as_real_array(X, name, what):
    """`X` as a float array; complex and non-numeric input refused, naming `name`."""
    try:
        raw = np.asarray(X)
    except (TypeError, ValueError) as exc:
        raise TypeError(
            f"{name} must be {what}; could not read {type(X).__name__} as "
            f"numbers ({exc})."
        ) from None
    if _holds_complex(raw):
        raise TypeError(
            f"{name} holds complex numbers; clustering needs real numbers. "
            f"Pass {name}.real, {name}.imag or np.abs({name}) (whichever you "
            f"mean), or both parts as separate columns."
        )
    try:
        return np.asarray(raw, dtype=float)
    except (TypeError, ValueError) as exc:
        raise TypeError(
            f"{name} must be {what}; could not read {type(X).__name__} as "
            f"numbers ({exc})."
        ) from None


def as_samples(X, name="X"):
    """Return `X` as a finite 2-D float array of shape (n, m).

    Raises
    ------
    TypeError
        If `X` cannot be read as an array of real numbers (complex numbers
        are refused, not silently cut to their real part).
    ValueError
        If `X` is not 2-D, is empty, or holds NaN or infinite values.
    """
    arr = _as_real_array(X, name, "an array of numbers with shape (n, m)")
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


def as_clusterable(X, name="X"):
    """Return `X` as :func:`as_samples` does, checked further for clustering.

    Besides what :func:`as_samples` checks, `X` must hold at least two
    samples, and its samples must lie close enough together that their
    squared distances (which linkage and every sum of squares compute) stay
    finite: data such as ``1e200`` overflow them, and SciPy would then fail
    with a message that does not name `X`.

    Raises
    ------
    TypeError
        As :func:`as_samples`.
    ValueError
        As :func:`as_samples`; also if `X` has fewer than 2 samples, or its
        spread is so large that squared distances overflow.
    """
    arr = as_samples(X, name)
    n = arr.shape[0]
    if n < 2:
        raise ValueError(f"{name} must hold at least 2 samples to be clustered; got {n}.")
    with np.errstate(over="ignore"):  # max - min may overflow to inf: refused below
        span = arr.max(axis=0) - arr.min(axis=0)
        # The largest distance between two samples (np.linalg.norm scales, so
        # it overflows only when the distance itself does).
        diameter = float(np.linalg.norm(span))
    # A sum of n squared distances of at most `diameter` must stay finite.
    limit = float(np.sqrt(np.finfo(float).max / (4 * n)))
    if not diameter <= limit:
        raise ValueError(
            f"{name} spreads too widely for its squared distances to be computed: "
            f"its samples lie up to {diameter:.3g} apart, and with {n} samples "
            f"sums of squared distances overflow beyond about {limit:.3g}. Rescale "
            f"{name} first, for example change its units, or standardise each "
            f"feature: ({name} - {name}.mean(axis=0)) / {name}.std(axis=0)."
        )
    return arr


def as_labels(labels, n, name="labels"):
    """Return `labels` as an array with one cluster label per sample, shape (n,).

    Labels may be any values that can be compared (numbers, strings...), but
    not NaN or None, which would otherwise be pooled into one cluster or
    dropped, nor complex numbers.

    Raises
    ------
    TypeError
        If `labels` holds complex numbers, or values that cannot be put in
        order (such as 1 and "a" in one object array).
    ValueError
        If `labels` does not have shape (n,), or holds NaN or None.
    """
    labels = np.asarray(labels)
    if labels.shape != (n,):
        raise ValueError(
            f"{name} must hold one cluster label per sample, shape ({n},); "
            f"got shape {labels.shape}."
        )
    if _holds_complex(labels):
        raise TypeError(
            f"{name} holds complex numbers; pass one whole number (or name) per "
            f"cluster, such as the labels fcluster returns."
        )
    missing = labels != labels  # NaN (and NaT) are the values unequal to themselves
    if labels.dtype.kind == "O":
        missing |= np.equal(labels, None)
    if missing.any():
        raise ValueError(
            f"{name} holds {np.count_nonzero(missing)} missing value(s) (NaN or None), "
            f"the first for sample {np.flatnonzero(missing)[0]}; give every sample a "
            f"cluster, or leave the unlabelled samples out of both X and {name}."
        )
    if labels.dtype.kind == "O":
        # The helpers sort the labels (np.unique): values that cannot be
        # compared, such as 1 and "a", must be refused here, by name.
        try:
            np.unique(labels)
        except TypeError:
            kinds = sorted({type(v).__name__ for v in labels})
            raise TypeError(
                f"{name} mixes values that cannot be compared with each other "
                f"({', '.join(kinds)}), so its clusters cannot be put in order; pass "
                f"labels of one kind, for example all strings: [str(v) for v in {name}]."
            ) from None
    return labels


def as_linkage(Z, name="Z"):
    """Return `Z` as a valid float linkage matrix of shape (n - 1, 4).

    Checks everything :func:`scipy.cluster.hierarchy.is_valid_linkage`
    checks (negative indices, distances or counts, a cluster used before it
    is formed or used twice), with whole-array NumPy operations (no Python loop, about 50 ms
    for a million rows), and more: no NaN or infinity, whole-number cluster
    indices, and cluster sizes (column 3) that add up.

    Raises
    ------
    TypeError
        If `Z` cannot be read as an array of real numbers.
    ValueError
        If `Z` is not a valid linkage matrix.
    """
    what = ("a linkage matrix (an array of numbers with shape (n - 1, 4)) as "
            "returned by scipy.cluster.hierarchy.linkage")
    arr = _as_real_array(Z, name, what)
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
    problem = _linkage_problem(arr)
    if problem is not None:
        raise ValueError(
            f"{name} is not a valid linkage matrix: {problem} Pass the matrix "
            f"returned by scipy.cluster.hierarchy.linkage."
        )
    # SciPy's check does not add up the cluster sizes (column 3); do it here.
    _check_cluster_sizes(arr, name)
    return arr


def _linkage_problem(arr):
    """What is wrong with the finite (n - 1, 4) float array `arr`, or None.

    Everything SciPy's ``is_valid_linkage`` looks at (1.13 to 1.17), plus
    whole-number indices, each in one vectorised pass.
    """
    rows = arr.shape[0]
    n = rows + 1
    pairs = arr[:, :2]
    if np.any(pairs < 0):
        return "it contains negative cluster indices."
    if np.any(arr[:, 2] < 0):
        return "it contains negative distances."
    if np.any(arr[:, 3] < 0):
        return "it contains negative counts."
    if np.any(arr[:, 3] > n):
        return "a cluster holds more samples than the tree has."
    if np.any(pairs != np.floor(pairs)):
        return "columns 0 and 1 must hold whole-number cluster indices."
    # Row i may only merge samples (< n) and clusters formed before it (< n + i).
    if np.any(pairs.max(axis=1) >= np.arange(n, n + rows)):
        return "it uses a cluster before it is formed."
    if np.bincount(pairs.astype(np.intp).ravel()).max() > 1:
        return "it uses the same cluster more than once."
    return None


def _check_cluster_sizes(arr, name):
    """Each row's cluster size (column 3) is the sum of the two it merges.

    Vectorised: every row's size is compared with the sizes that the rows of
    its two children claim (1 for a sample). Children come before their
    parent, so the first row where the two disagree is the first row whose
    size is wrong, and the sum there is the true size: the same row and the
    same message as adding up the sizes one row at a time.
    """
    n = arr.shape[0] + 1
    claimed = np.concatenate((np.ones(n), arr[:, 3]))
    children = arr[:, :2].astype(np.intp)
    sums = claimed[children[:, 0]] + claimed[children[:, 1]]
    bad = np.flatnonzero(sums != arr[:, 3])
    if bad.size:
        row = int(bad[0])
        raise ValueError(
            f"{name} is not a valid linkage matrix: row {row} gives its cluster "
            f"{arr[row, 3]:g} samples, but the two clusters it merges hold "
            f"{sums[row]:g}. Pass the matrix returned by "
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
        If `value` is negative, NaN, infinite or too large for a float.
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(
            f"{name} must be a non-negative number (a height on the dendrogram's "
            f"distance axis); got {value!r} of type {type(value).__name__}."
        )
    try:
        value = float(value)
    except OverflowError:  # an int beyond the largest float, such as 10**400
        raise ValueError(
            f"{name} is too large to be a distance: a number of "
            f"{len(str(abs(int(value))))} digits, beyond the largest floating-point "
            f"number ({np.finfo(float).max:.3g}). Pass a finite height, "
            f"for example the last merge height Z[-1, 2] (which leaves one cluster)."
        ) from None
    if not np.isfinite(value) or value < 0:
        raise ValueError(
            f"{name} must be a finite, non-negative distance; got {value}. "
            f"Merge heights are never negative, so pass a value of 0 or more."
        )
    return value


def check_axes(ax, name="ax"):
    """Return `ax` unchanged if it is ordinary 2-D Matplotlib axes, or None.

    The drawing helpers call it before they draw anything, so that a wrong
    `ax` is reported by name instead of failing halfway through a drawing,
    or drawing distorted. None stands for "the current axes", which the
    caller fetches itself with :func:`current_axes` once every other
    argument has been checked.

    Refused: anything that is not a ``matplotlib.axes.Axes``; axes with
    another projection than Matplotlib's ordinary straight x and y axes
    (``ax.name == "rectilinear"``), such as 3-D or polar axes, on which a
    scatter plot or a dendrogram would be drawn bent or flattened; and axes
    of a figure with no width or height (``figsize=(0, 0)``), on which
    nothing can be seen.

    Raises
    ------
    TypeError
        If `ax` is neither None nor a ``matplotlib.axes.Axes``, or is 3-D,
        polar or another projection.
    ValueError
        If the figure of `ax` has zero width or height.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig = plt.figure()
    >>> check_axes(fig.add_subplot(projection="polar"))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
        ...
    TypeError: ax must be ordinary 2-D axes, with straight x and y axes; got polar axes ...
    >>> plt.close(fig)
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
    if getattr(ax, "name", None) != "rectilinear":
        raise TypeError(
            f"{name} must be ordinary 2-D axes, with straight x and y axes; got "
            f"{getattr(ax, 'name', '?')} axes ({type(ax).__name__}), on which the drawing "
            f"would be distorted. Make them without a projection: fig, ax = "
            f"plt.subplots(), or fig.add_subplot()."
        )
    figure = ax.figure
    while not hasattr(figure, "get_size_inches"):  # a SubFigure: its root Figure has the size
        figure = figure.figure
    width, height = figure.get_size_inches()
    if not (width > 0 and height > 0):
        raise ValueError(
            f"{name} belongs to a figure of {width:g} x {height:g} inches, on which nothing "
            f"can be seen; make the figure with a positive width and height, for example "
            f"plt.subplots(figsize=(8, 4))."
        )
    return ax


def current_axes(name="the current axes (plt.gca())"):
    """The current axes, ``plt.gca()``, checked as :func:`check_axes` checks `ax`.

    For the drawing helpers, when no `ax` was given: the current axes too may
    be 3-D or polar, or in a figure of no size.
    """
    import matplotlib.pyplot as plt

    return check_axes(plt.gca(), name)
