"""The annotated dendrogram: SciPy's dendrogram plus merge heights and a cut-off line."""

from __future__ import annotations

import matplotlib.pyplot as plt
from scipy.cluster.hierarchy import dendrogram

from ._validation import as_distance, as_linkage

__all__ = ["fancy_dendrogram"]


def _height_label(y):
    """Three significant figures, never in scientific notation.

    ``f"{y:.3g}"`` writes 1262.5 as "1.26e+03", which is hard to read next to
    an axis in plain numbers; heights of 1000 or more are rounded to whole
    numbers instead.
    """
    return f"{y:.3g}" if abs(y) < 1000 else f"{y:.0f}"


def fancy_dendrogram(Z, *, ax=None, max_d=None, annotate_above=0.0, title=None, **kwargs):
    """Draw a dendrogram that writes its merge heights and marks a cut-off.

    A thin layer over :func:`scipy.cluster.hierarchy.dendrogram`: it accepts
    every argument of that function, draws the same tree, and adds

    - a dot and the height at every merge higher than `annotate_above`;
    - a dashed horizontal line at `max_d`, with the clusters below it
      coloured (unless you pass your own `color_threshold`);
    - a title and labelled axes.

    Parameters
    ----------
    Z : ndarray of shape (n - 1, 4)
        A linkage matrix, as returned by :func:`scipy.cluster.hierarchy.linkage`.
    ax : matplotlib.axes.Axes, optional
        The axes to draw on. Default: the current axes (``plt.gca()``), as
        Matplotlib's own functions do.
    max_d : float, optional
        Draw the cut-off line at this height, and use it as
        `color_threshold` so that each cluster below the line has its own
        colour. Default: no line.
    annotate_above : float, optional
        Write the height of every merge above this value. Default 0 (every
        merge); raise it to keep a large tree legible.
    title : str, optional
        The axes title. Default: "Hierarchical clustering dendrogram", with
        "(truncated)" when `truncate_mode` is set.
    **kwargs
        Any other argument of :func:`scipy.cluster.hierarchy.dendrogram`,
        for example ``truncate_mode='lastp'``, ``p=12``,
        ``leaf_rotation=90``, ``show_contracted=True``.

    Returns
    -------
    dict
        What :func:`scipy.cluster.hierarchy.dendrogram` returns: the
        coordinates of the links (``icoord``, ``dcoord``), their colours
        (``color_list``), the leaves in plotting order (``leaves``,
        ``ivl``), and so on.

    Raises
    ------
    ValueError
        If `Z` is not a valid linkage matrix, or `max_d` or `annotate_above`
        is negative.

    See Also
    --------
    scipy.cluster.hierarchy.dendrogram : the function this one wraps.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> from scipy.cluster.hierarchy import linkage
    >>> Z = linkage([[0.0], [1.0], [5.0], [6.0]], "single")
    >>> fig, ax = plt.subplots()
    >>> tree = fancy_dendrogram(Z, ax=ax, max_d=2.5, annotate_above=0.5)
    >>> tree["ivl"]
    ['0', '1', '2', '3']
    >>> print([text.get_text() for text in ax.texts])
    ['1', '1', '4']
    >>> plt.close(fig)
    """
    Z = as_linkage(Z)
    if max_d is not None:
        max_d = as_distance(max_d, "max_d")
        kwargs.setdefault("color_threshold", max_d)
    annotate_above = as_distance(annotate_above, "annotate_above")
    if kwargs.get("no_plot", False):
        return dendrogram(Z, **kwargs)
    if ax is None:
        ax = plt.gca()

    tree = dendrogram(Z, ax=ax, **kwargs)

    truncated = kwargs.get("truncate_mode") is not None
    if title is None:
        title = "Hierarchical clustering dendrogram" + (" (truncated)" if truncated else "")
    ax.set_title(title)
    ax.set_xlabel("sample index or (cluster size)" if truncated else "sample index")
    ax.set_ylabel("distance")
    ax.grid(False, axis="x")

    for xs, ys, color in zip(tree["icoord"], tree["dcoord"], tree["color_list"]):
        # Each link is drawn as an upside-down U: its top edge is the merge.
        x = 0.5 * (xs[1] + xs[2])
        y = ys[1]
        if y > annotate_above:
            ax.plot(x, y, "o", color=color)
            ax.annotate(
                _height_label(y),
                (x, y),
                xytext=(0, -5),
                textcoords="offset points",
                va="top",
                ha="center",
            )
    if max_d is not None:
        ax.axhline(y=max_d, color="k", linestyle="--", linewidth=1)
    return tree
