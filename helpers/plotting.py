"""Scatter plots for the course: highlight chosen samples, colour clusters,
and draw the elbow heuristic's curves.

All functions follow Matplotlib's convention: they draw on `ax` (default:
the current axes), return the artists they drew, and never call
``plt.show()`` or open a figure of their own.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from ._validation import as_labels, as_samples

__all__ = ["OKABE_ITO", "highlight_samples", "plot_clusters", "plot_elbow"]

#: The Okabe-Ito palette, distinguishable with every common colour-vision
#: deficiency. The course's ``matplotlibrc`` uses it as the colour cycle, so
#: ``"C0"``, ``"C1"``... and SciPy's dendrogram colours come from it too.
OKABE_ITO = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#D55E00",  # vermillion
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#000000",  # black
    "#F0E442",  # yellow: faint on white, so last
)

#: Markers that take over once there are more clusters than colours.
_MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")

#: Light grey for the samples that are not the point of a figure.
_BACKGROUND = "#BBBBBB"


def _two_columns(X, name="X"):
    X = as_samples(X, name)
    if X.shape[1] != 2:
        raise ValueError(
            f"{name} must have exactly 2 columns to be drawn as a scatter plot; "
            f"got shape {X.shape}. Pass two of its columns, e.g. {name}[:, [0, 1]], "
            f"or a 2-D projection of it."
        )
    return X


def _label_axes(ax, title):
    ax.set_title(title)
    if not ax.get_xlabel():
        ax.set_xlabel("X[:, 0]")
    if not ax.get_ylabel():
        ax.set_ylabel("X[:, 1]")


def highlight_samples(X, groups, *, ax=None, names=None, colors=None, annotate=True,
                      title="Samples of interest"):
    """Scatter all samples in grey and the chosen groups of samples in colour.

    Parameters
    ----------
    X : array_like of shape (n, 2)
        The samples.
    groups : sequence of sequences of int
        Each group is a list of sample indices, drawn in its own colour.
    ax : matplotlib.axes.Axes, optional
        The axes to draw on. Default: the current axes.
    names : sequence of str, optional
        Legend entries, one per group. Default: the indices of each group.
    colors : sequence of colours, optional
        One per group. Default: the Okabe-Ito palette, skipping blue so that
        the first group stands out from the dendrogram's default colour.
    annotate : bool, optional
        Write each highlighted sample's index next to it. Default True.
    title : str, optional
        The axes title.

    Returns
    -------
    list of matplotlib.collections.PathCollection
        The grey background first, then one collection per group.

    Raises
    ------
    ValueError
        If `X` is not (n, 2), or an index is out of range.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> X = [[0, 0], [1, 1], [2, 0], [5, 5]]
    >>> artists = highlight_samples(X, [[0, 1], [3]], ax=ax)
    >>> len(artists)
    3
    >>> [text.get_text() for text in ax.get_legend().get_texts()]
    ['all samples', 'samples 0, 1', 'sample 3']
    >>> plt.close(fig)
    """
    X = _two_columns(X)
    n = X.shape[0]
    groups = [np.atleast_1d(np.asarray(group)) for group in groups]
    for number, group in enumerate(groups):
        if group.size == 0 or not np.issubdtype(group.dtype, np.integer):
            raise TypeError(
                f"groups[{number}] must be a non-empty list of sample indices "
                f"(whole numbers); got {group.tolist()!r}."
            )
        if group.min() < 0 or group.max() >= n:
            raise ValueError(
                f"groups[{number}] has index {int(group.max() if group.max() >= n else group.min())}, "
                f"but X has only {n} samples (indices 0 to {n - 1})."
            )
    if colors is None:
        colors = [OKABE_ITO[1 + i % (len(OKABE_ITO) - 1)] for i in range(len(groups))]
    if names is None:
        names = [
            ("sample " if len(g) == 1 else "samples ") + ", ".join(str(int(i)) for i in g)
            for g in groups
        ]
    if len(colors) < len(groups) or len(names) < len(groups):
        raise ValueError(
            f"Pass one colour and one name per group: got {len(groups)} groups, "
            f"{len(colors)} colours and {len(names)} names."
        )
    if ax is None:
        ax = plt.gca()
    artists = [ax.scatter(X[:, 0], X[:, 1], color=_BACKGROUND, s=15, label="all samples")]
    for group, color, name in zip(groups, colors, names):
        artists.append(
            ax.scatter(X[group, 0], X[group, 1], color=color, s=60, edgecolor="k",
                       linewidth=0.8, label=name, zorder=3)
        )
        if annotate:
            for i in group:
                ax.annotate(str(int(i)), X[i], xytext=(5, 5), textcoords="offset points",
                            color="k", zorder=4)
    _label_axes(ax, title)
    ax.legend()
    return artists


def plot_clusters(X, labels, *, ax=None, colors=None, title=None, legend=True):
    """Scatter the samples, one colour (and, past eight, one marker) per cluster.

    Parameters
    ----------
    X : array_like of shape (n, 2)
        The samples.
    labels : array_like of shape (n,)
        The cluster of each sample, for example from
        :func:`scipy.cluster.hierarchy.fcluster`.
    ax : matplotlib.axes.Axes, optional
        The axes to draw on. Default: the current axes.
    colors : sequence of colours, optional
        One per cluster, in the order of the sorted labels. Default: the
        Okabe-Ito palette, which stays distinguishable with colour-blindness.
    title : str, optional
        The axes title. Default: "k clusters".
    legend : bool, optional
        Add a legend ("cluster 1", ...). Default True.

    Returns
    -------
    list of matplotlib.collections.PathCollection
        One collection per cluster, in the order of the sorted labels.

    Raises
    ------
    ValueError
        If `X` is not (n, 2), or `labels` does not have one entry per sample.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> artists = plot_clusters([[0, 0], [0, 1], [5, 5]], [1, 1, 2], ax=ax)
    >>> len(artists), ax.get_title()
    (2, '2 clusters')
    >>> plt.close(fig)
    """
    X = _two_columns(X)
    labels = as_labels(labels, X.shape[0])
    clusters = np.unique(labels)
    if colors is None:
        colors = [OKABE_ITO[i % len(OKABE_ITO)] for i in range(len(clusters))]
    elif len(colors) < len(clusters):
        raise ValueError(
            f"Pass at least one colour per cluster: {len(clusters)} clusters, "
            f"{len(colors)} colours."
        )
    if ax is None:
        ax = plt.gca()
    artists = []
    for i, cluster in enumerate(clusters):
        members = labels == cluster
        marker = _MARKERS[(i // len(OKABE_ITO)) % len(_MARKERS)]
        artists.append(
            ax.scatter(X[members, 0], X[members, 1], color=colors[i], marker=marker,
                       s=20, label=f"cluster {cluster}")
        )
    if title is None:
        title = f"{len(clusters)} cluster" + ("" if len(clusters) == 1 else "s")
    _label_axes(ax, title)
    if legend:
        ax.legend(title="cluster label" if len(clusters) <= 12 else None,
                  ncols=1 if len(clusters) <= 12 else 2, fontsize="small")
    return artists


def plot_elbow(result, *, ax=None, title=None):
    """Draw the elbow heuristic: merge heights and their acceleration.

    Parameters
    ----------
    result : helpers.cutoff.ElbowResult
        What :func:`helpers.cutoff.elbow` returned.
    ax : matplotlib.axes.Axes, optional
        The axes to draw on. Default: the current axes.
    title : str, optional
        The axes title. Default: "Elbow heuristic suggests k = ...".

    Returns
    -------
    list of matplotlib.lines.Line2D
        The height curve, the acceleration curve and the marker at `k`.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> from scipy.cluster.hierarchy import linkage
    >>> from helpers.cutoff import elbow
    >>> Z = linkage([[0.0], [0.1], [10.0], [10.1], [20.0], [20.1]], "single")
    >>> fig, ax = plt.subplots()
    >>> lines = plot_elbow(elbow(Z, last=4), ax=ax)
    >>> ax.get_title()
    'Elbow heuristic suggests k = 3'
    >>> plt.close(fig)
    """
    if not all(hasattr(result, a) for a in ("k", "heights", "acceleration")):
        raise TypeError(
            f"result must be what helpers.cutoff.elbow(Z) returns; got "
            f"{type(result).__name__}."
        )
    if ax is None:
        ax = plt.gca()
    (heights,) = ax.plot(result.n_clusters, result.heights, "o-", label="merge height")
    (acceleration,) = ax.plot(result.acceleration_k, result.acceleration, "s--",
                              label="acceleration (2nd difference)")
    best = result.acceleration[result.k - 2]
    (marker,) = ax.plot([result.k], [best], "*", color="k", markersize=14,
                        label=f"largest acceleration: k = {result.k}")
    ax.set_xticks(result.n_clusters)
    ax.set_xlabel("number of clusters")
    ax.set_ylabel("distance")
    ax.set_title(title if title is not None else f"Elbow heuristic suggests k = {result.k}")
    ax.legend()
    return [heights, acceleration, marker]
