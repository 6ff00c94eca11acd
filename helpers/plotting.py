"""The course's colours, and scatter plots that highlight samples, colour
clusters, or draw the elbow heuristic's curves.

The colours
-----------
Every figure of the course draws with the colours defined here, and nowhere
else (``notebooks/matplotlibrc`` repeats them as its colour cycle; a test
keeps the two equal):

- :data:`PALETTE`, one colour per cluster: the links of each subtree of a
  dendrogram (SciPy's link colour palette, set when :mod:`helpers` is
  imported) and the samples of each cluster in :func:`plot_clusters`;
- :data:`ABOVE_CUT_COLOUR`, blue: the links above the cut-off, SciPy's
  ``'C0'`` as in the original tutorial;
- :data:`CUT_LINE_COLOUR`, black: the dashed cut-off line;
- :data:`CONTEXT_GREY`: the samples that are not the point of a figure.

Each of them has a contrast of at least 3:1 against the white background
(WCAG 2.1, success criterion 1.4.11, for graphical objects). The cluster
colours differ from the three others, and from each other also under
simulated protanopia, deuteranopia and tritanopia (``tools/palette.py``
prints the measures). Colour is never the only cue: every cluster or group
also has its own marker, drawn with a dark edge.

All functions follow Matplotlib's convention: they draw on `ax` (default:
the current axes), return the artists they drew, and never call
``plt.show()`` or open a figure of their own.
"""

from __future__ import annotations

import numbers

import matplotlib.colors as mcolors
import numpy as np
from matplotlib.lines import Line2D
from scipy.cluster.hierarchy import set_link_color_palette

from ._validation import as_labels, as_samples, check_axes, current_axes
from .cutoff import _check_elbow_result

__all__ = [
    "ABOVE_CUT_COLOUR",
    "COLOUR_CYCLE",
    "CONTEXT_GREY",
    "CUT_LINE_COLOUR",
    "MARKERS",
    "OKABE_ITO",
    "PALETTE",
    "MAX_LEGEND_ENTRIES",
    "highlight_samples",
    "plot_clusters",
    "plot_elbow",
]

#: One colour per cluster, in this order: SciPy's dendrogram gives them to
#: the subtrees below the cut from left to right, :func:`plot_clusters` to
#: the clusters in the order of their sorted labels. Chosen for a contrast of 3:1 or more on
#: white (3.3 to 9.0) and to stay apart under every common colour-vision
#: deficiency: vermillion and bluish green (from Okabe and Ito's palette,
#: whose orange, sky blue and yellow are too faint on white), purple,
#: crimson, olive, lavender and dark green. Past seven clusters the colours
#: repeat, and the markers (:data:`MARKERS`) still tell the clusters apart.
PALETTE = (
    "#D55E00",  # vermillion
    "#009E73",  # bluish green
    "#781D87",  # purple
    "#C20049",  # crimson
    "#625600",  # olive
    "#B864FF",  # lavender
    "#116548",  # dark green
)

#: The links above the cut-off: SciPy's default ``above_threshold_color``
#: (``'C0'``, the first colour of :data:`COLOUR_CYCLE`).
ABOVE_CUT_COLOUR = "#0072B2"

#: The cut-off line, drawn dashed.
CUT_LINE_COLOUR = "#000000"

#: The samples that are context rather than the point of a figure, and the
#: explorer's links above the cut. The lightest neutral grey that keeps 3:1
#: on white would be #949494; this one keeps clear of the cluster colours.
CONTEXT_GREY = "#767676"

#: The course's Matplotlib colour cycle (``notebooks/matplotlibrc``):
#: ``'C0'`` is the above-cut blue, ``'C1'``, ``'C2'``... the cluster colours.
COLOUR_CYCLE = (ABOVE_CUT_COLOUR,) + PALETTE

#: The former name of :data:`COLOUR_CYCLE`, kept so that code written for
#: the first edition of the course still runs. The colours are no longer
#: Okabe and Ito's: use :data:`PALETTE` or :data:`COLOUR_CYCLE`.
OKABE_ITO = COLOUR_CYCLE

#: One marker per cluster or group, from the first on. Eight markers and
#: seven colours: the pair (colour, marker) repeats only after 56 clusters.
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "h")

#: Every marker carries this dark edge, so that a light colour stands out
#: from the background and from its neighbours.
_EDGE = "#000000"

# SciPy colours the subtrees of a dendrogram with its link colour palette,
# by default "C1".."C9": with an eight-colour cycle, the eighth subtree would
# be drawn blue like the links above the cut. Set it once, here, so that
# subtrees only ever take cluster colours, however many there are.
set_link_color_palette(list(PALETTE))


def _two_columns(X):
    X = as_samples(X)
    if X.shape[1] != 2:
        raise ValueError(
            f"X must have exactly 2 columns to be drawn as a scatter plot; "
            f"got shape {X.shape}. Pass two of its columns, e.g. X[:, [0, 1]], "
            f"or a 2-D projection of it."
        )
    return X


def _label_axes(ax, title):
    ax.set_title(title)
    if not ax.get_xlabel():
        ax.set_xlabel("X[:, 0]")
    if not ax.get_ylabel():
        ax.set_ylabel("X[:, 1]")


def _is_index(value):
    """A whole number that can index a sample (booleans are not)."""
    return isinstance(value, (numbers.Integral, np.integer)) and not isinstance(
        value, (bool, np.bool_))


def _is_row_labels(value):
    """A pandas Index (``df.index[...]``): row labels, not positions."""
    return callable(getattr(value, "get_indexer", None))


def _positions(labels, rows, where):
    """The positions in X of the row labels `labels` (a pandas Index), by X's own index `rows`."""
    if rows is None:
        raise TypeError(
            f"{where} is a pandas Index, whose values are row labels, but X has no row labels "
            f"(it is not a DataFrame) to find them in. Pass positions (0 to n - 1) instead, "
            f"for example df.index.get_indexer(labels) or np.flatnonzero(mask)."
        )
    try:
        found = np.asarray(rows.get_indexer(labels))
    except Exception as error:  # noqa: BLE001 - pandas refuses a non-unique index, say so by name
        raise ValueError(
            f"{where} holds row labels of X, but X's index cannot look them up "
            f"({type(error).__name__}: {error}); pass positions instead, for example "
            f"np.flatnonzero(mask)."
        ) from None
    missing = [label for label, position in zip(list(labels), found, strict=True) if position < 0]
    if missing:
        raise ValueError(f"{where} holds row labels that are not in X's index: {missing[:5]!r}.")
    return found


def _as_groups(groups, n, rows=None):
    """Read `groups` as a list of 1-D integer arrays of sample indices.

    One index, or a flat list of indices, is one group; a list of lists is
    one group per inner list. A pandas Index (``df.index[mask]``) holds row
    labels, not positions: they are looked up in `rows`, the index of X
    when X is a DataFrame.
    """
    example = "one group as a flat list such as [0, 4, 7], or several as a list of lists such as [[0, 4], [7]]"
    if groups is None or isinstance(groups, (str, bytes)):
        raise TypeError(f"groups must be the indices of the samples to highlight: {example}; got {groups!r}.")
    if _is_index(groups) or _is_row_labels(groups):
        groups = [groups]
    try:
        items = list(groups)
    except TypeError:
        raise TypeError(
            f"groups must be the indices of the samples to highlight: {example}; "
            f"got {type(groups).__name__}."
        ) from None
    if not items:
        raise TypeError(f"groups is empty: pass {example}.")
    if all(_is_index(item) for item in items):
        items = [items]
    elif any(_is_index(item) for item in items):
        raise TypeError(
            f"groups mixes single indices and lists of indices ({items!r}): pass {example}."
        )
    result = []
    for number, group in enumerate(items):
        if _is_row_labels(group):
            group = _positions(group, rows, f"groups[{number}]" if len(items) > 1 else "groups")
        if isinstance(group, (str, bytes)) or not np.iterable(group):
            raise TypeError(
                f"groups[{number}] must be a non-empty list of sample indices (whole "
                f"numbers); got {group!r}. Pass {example}."
            )
        try:
            indices = np.asarray(group)
        except ValueError:  # ragged: some index is itself a list
            indices = None
        if indices is None or indices.ndim != 1 or indices.dtype == object:
            raise TypeError(
                f"groups[{number}] is nested: each group must be a flat list of sample "
                f"indices (whole numbers); got {group!r}."
            )
        group = indices
        if group.size == 0 or not np.issubdtype(group.dtype, np.integer):
            raise TypeError(
                f"groups[{number}] must be a non-empty list of sample indices (whole "
                f"numbers); got {group.tolist()!r}."
            )
        outside = group[(group < 0) | (group >= n)]
        if outside.size:
            raise ValueError(
                f"groups[{number}] has index {int(outside[0])}, but X has only {n} "
                f"samples (indices 0 to {n - 1})."
            )
        result.append(group)
    return result


def _as_names(names, count, what):
    if isinstance(names, (str, bytes)) or not np.iterable(names):
        raise TypeError(
            f"names must be a list of strings, one per {what}; got {names!r}"
            + (f" (for one {what}, pass [{names!r}])." if isinstance(names, str) else ".")
        )
    names = [str(name) for name in names]
    if len(names) != count:
        raise ValueError(
            f"Pass one name per {what}: got {count} {what}s and {len(names)} names."
        )
    return names


def _as_colours(colors, count, what):
    if isinstance(colors, (str, bytes)) or not np.iterable(colors):
        raise TypeError(
            f"colors must be a list of colours, one per {what}; got {colors!r}"
            + (f" (for one {what}, pass [{colors!r}])." if isinstance(colors, str) else ".")
        )
    colors = list(colors)
    if len(colors) < count:
        raise ValueError(
            f"Pass at least one colour per {what}: {count} {what}s, {len(colors)} colours."
        )
    for number, colour in enumerate(colors):
        if not mcolors.is_color_like(colour):
            raise ValueError(
                f"colors[{number}] is not a Matplotlib colour: {colour!r}. Pass a name "
                f"such as 'black', a hex string such as '#D55E00', or one of PALETTE."
            )
    return colors


def highlight_samples(X, groups, *, ax=None, names=None, colors=None, annotate=True,
                      title="Samples of interest"):
    """Scatter all samples in grey and the chosen groups of samples in colour.

    Parameters
    ----------
    X : array_like of shape (n, 2)
        The samples.
    groups : int, sequence of int, or sequence of sequences of int
        The indices of the samples to highlight. One index or a flat list of
        indices, such as ``[0, 1, 2]``, is one group; a list of lists, such
        as ``[[0, 1], [2]]``, is one group per inner list. Indices are
        positions, 0 to n - 1; a pandas Index (such as ``df.index[mask]``)
        holds row labels instead, which are looked up in the index of `X`
        when `X` is a DataFrame.
    ax : matplotlib.axes.Axes, optional
        The axes to draw on. Default: the current axes.
    names : sequence of str, optional
        Legend entries, exactly one per group. Default: the indices of each
        group ("samples 0, 1").
    colors : sequence of colours, optional
        At least one per group. Default: :data:`PALETTE`, in order (its
        colours repeat past seven groups, the markers do not).
    annotate : bool, optional
        Write each highlighted sample's index next to it. Default True.
    title : str, optional
        The axes title. Default: "Samples of interest".

    Returns
    -------
    list of matplotlib.collections.PathCollection
        The grey background (all samples, in :data:`CONTEXT_GREY`) first,
        then one collection per group, each with its own marker
        (:data:`MARKERS`, in order) and a dark edge.

    Raises
    ------
    TypeError
        If `groups` is not indices as described above (None, nested lists,
        fractions, a pandas Index when `X` has no row labels...), if `names`
        or `colors` is a single string, or `ax` is not a Matplotlib Axes.
    ValueError
        If `X` is not (n, 2), an index is out of range or a row label is not
        in the index of `X`, `names` does not hold one name per group, or
        `colors` holds fewer colours than groups, or something that is not a
        colour.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> X = [[0, 0], [1, 1], [2, 0], [5, 5]]
    >>> artists = highlight_samples(X, [[0, 1], [3]], ax=ax)
    >>> len(artists)
    3
    >>> [text.get_text() for text in ax.get_legend().get_texts()]
    ['all samples', 'samples 0, 1', 'sample 3']

    A flat list is one group:

    >>> artists = highlight_samples(X, [0, 1, 2], ax=ax)
    >>> len(artists)
    2
    >>> plt.close(fig)
    """
    rows = getattr(X, "index", None)  # a DataFrame's row labels
    rows = rows if _is_row_labels(rows) else None
    X = _two_columns(X)
    groups = _as_groups(groups, X.shape[0], rows)
    if names is None:
        names = [
            ("sample " if len(g) == 1 else "samples ") + ", ".join(str(int(i)) for i in g)
            for g in groups
        ]
    else:
        names = _as_names(names, len(groups), "group")
    if colors is None:
        colors = [PALETTE[i % len(PALETTE)] for i in range(len(groups))]
    else:
        colors = _as_colours(colors, len(groups), "group")
    check_axes(ax)
    if ax is None:
        ax = current_axes()
    artists = [ax.scatter(X[:, 0], X[:, 1], color=CONTEXT_GREY, s=12, linewidths=0,
                          label="all samples")]
    # A palette may hold more colours than there are groups: the first ones are used.
    for number, (group, color, name) in enumerate(zip(groups, colors, names, strict=False)):
        artists.append(
            ax.scatter(X[group, 0], X[group, 1], color=color, s=60,
                       marker=MARKERS[number % len(MARKERS)], edgecolors=_EDGE,
                       linewidths=0.8, label=name, zorder=3)
        )
        if annotate:
            for i in group:
                ax.annotate(str(int(i)), X[i], xytext=(5, 5), textcoords="offset points",
                            color="k", zorder=4)
    _label_axes(ax, title)
    ax.legend()
    return artists


#: :func:`plot_clusters` writes a legend by default for at most this many
#: clusters; more entries would cover the samples or run off the figure.
MAX_LEGEND_ENTRIES = 12


def plot_clusters(X, labels, *, ax=None, colors=None, title=None, legend="auto"):
    """Scatter the samples, one colour and one marker per cluster.

    Parameters
    ----------
    X : array_like of shape (n, 2)
        The samples.
    labels : array_like of shape (n,)
        The cluster of each sample, for example from
        :func:`scipy.cluster.hierarchy.fcluster`. No NaN: every sample
        belongs to a cluster.
    ax : matplotlib.axes.Axes, optional
        The axes to draw on. Default: the current axes.
    colors : sequence of colours, optional
        At least one per cluster, in the order of the sorted labels.
        Default: :data:`PALETTE` in that order; its seven colours repeat
        past seven clusters, while the markers keep the clusters apart.
        ``fcluster`` does not number clusters in the dendrogram's left-to-right
        order, so to give each cluster the colour of its subtree, build the
        colours from the dendrogram's ``leaves`` and ``leaves_color_list``.
    title : str, optional
        The axes title. Default: "k clusters".
    legend : {'auto', True, False}, optional
        Add a legend naming each cluster ("cluster 1", ...). Default
        ``'auto'``: for at most :data:`MAX_LEGEND_ENTRIES` (12) clusters,
        inside the axes, and none for more, where it would cover the samples
        (the title still says how many clusters there are). True: always;
        past 12 clusters, outside the axes, on their right, in columns of
        12. False: never.

    Returns
    -------
    list of matplotlib.collections.PathCollection
        One entry per cluster, in the order of the sorted labels: the
        collection that draws it, with marker ``MARKERS[i % 8]`` and a dark
        edge. Up to 8 clusters, each has a collection of its own; past 8,
        the clusters that share a marker share one collection, each sample
        in its cluster's colour (one collection per cluster made hundreds of
        clusters some fifty times slower to draw than one scatter plot).

    Raises
    ------
    TypeError
        If `ax` is not ordinary 2-D Matplotlib axes, `labels` holds complex
        numbers or values that cannot be put in order, `colors` is a single
        string, or `legend` is not 'auto', True or False.
    ValueError
        If `X` is not (n, 2), `labels` does not have one entry per sample or
        holds NaN or None, or `colors` has fewer colours than clusters.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> artists = plot_clusters([[0, 0], [0, 1], [5, 5]], [1, 1, 2], ax=ax)
    >>> len(artists), ax.get_title()
    (2, '2 clusters')
    >>> [text.get_text() for text in ax.get_legend().get_texts()]
    ['cluster 1', 'cluster 2']
    >>> plt.close(fig)
    """
    X = _two_columns(X)
    labels = as_labels(labels, X.shape[0])
    clusters, codes = np.unique(labels, return_inverse=True)
    codes = codes.ravel()
    k = len(clusters)
    if colors is None:
        colors = [PALETTE[i % len(PALETTE)] for i in range(k)]
    else:
        colors = _as_colours(colors, k, "cluster")
    if not (isinstance(legend, (bool, np.bool_)) or (isinstance(legend, str) and legend == "auto")):
        raise TypeError(
            f"legend must be 'auto' (a legend for up to {MAX_LEGEND_ENTRIES} clusters), True "
            f"or False; got {legend!r}."
        )
    check_axes(ax)
    if ax is None:
        ax = current_axes()
    rgba = mcolors.to_rgba_array(colors[:k])
    style = {"s": 30, "edgecolors": _EDGE, "linewidths": 0.5}
    if k <= len(MARKERS):
        artists = [ax.scatter(X[codes == i, 0], X[codes == i, 1], color=rgba[i], marker=MARKERS[i],
                              label=f"cluster {cluster}", **style)
                   for i, cluster in enumerate(clusters)]
        handles = artists
    else:
        shared = []
        for m, marker in enumerate(MARKERS):
            members = codes % len(MARKERS) == m
            shared.append(ax.scatter(X[members, 0], X[members, 1], c=rgba[codes[members]], marker=marker,
                                     label=f"_clusters drawn with {marker!r}", **style))
        artists = [shared[i % len(MARKERS)] for i in range(k)]
        handles = None
    if title is None:
        title = f"{k} cluster" + ("" if k == 1 else "s")
    _label_axes(ax, title)
    if legend is True or (legend == "auto" and k <= MAX_LEGEND_ENTRIES):
        if handles is None:  # one proxy per cluster, drawn like its samples
            handles = [Line2D([], [], linestyle="", marker=MARKERS[i % len(MARKERS)],
                              markersize=np.sqrt(style["s"]), markerfacecolor=rgba[i],
                              markeredgecolor=_EDGE, markeredgewidth=style["linewidths"],
                              label=f"cluster {cluster}")
                       for i, cluster in enumerate(clusters)]
        if k <= MAX_LEGEND_ENTRIES:
            ax.legend(handles=handles, title="cluster label", fontsize="small")
        else:  # beside the axes, where it covers no sample
            ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.02, 1), borderaxespad=0,
                      ncols=-(-k // MAX_LEGEND_ENTRIES), fontsize="small")
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
        The height curve (in :data:`ABOVE_CUT_COLOUR`), the acceleration
        curve (dashed, in the first colour of :data:`PALETTE`) and the black
        star at `k`, on the acceleration curve.

    Raises
    ------
    TypeError
        If `result` is not what :func:`helpers.cutoff.elbow` returns, or `ax`
        is not ordinary 2-D Matplotlib axes.
    ValueError
        If the parts of `result` do not belong together (a result made or
        changed by hand): its curves must be those of one elbow, and `k`
        where the acceleration is largest.

    Examples
    --------
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
    parts = ("k", "heights", "n_clusters", "acceleration", "acceleration_k")
    if not all(hasattr(result, a) for a in parts):
        raise TypeError(
            f"result must be what helpers.cutoff.elbow(Z) returns; got "
            f"{type(result).__name__}."
        )
    # Even a result made by hand, or changed since: the star must mark the
    # largest acceleration, on curves that belong together.
    _check_elbow_result(result, "result")
    check_axes(ax)
    if ax is None:
        ax = current_axes()
    (heights,) = ax.plot(result.n_clusters, result.heights, "o-", color=ABOVE_CUT_COLOUR,
                         label="merge height")
    (acceleration,) = ax.plot(result.acceleration_k, result.acceleration, "s--",
                              color=PALETTE[0], label="acceleration (2nd difference)")
    best = result.acceleration[result.k - 2]
    (marker,) = ax.plot([result.k], [best], "*", color="k", markersize=14,
                        label=f"largest acceleration: k = {result.k}")
    ax.set_xticks(result.n_clusters)
    ax.set_xlabel("number of clusters")
    ax.set_ylabel("distance")
    ax.set_title(title if title is not None else f"Elbow heuristic suggests k = {result.k}")
    ax.legend()
    return [heights, acceleration, marker]
