"""The logic of the interactive cut-off explorer: what to draw for a cut at `max_d`.

A :class:`CutoffExplorer` computes the linkage matrix `Z` of the samples
once. For any cut-off `max_d` it then answers, in a few milliseconds, what a
picture of that cut must show (:meth:`CutoffExplorer.cut`): the number of
clusters, the labels that :func:`scipy.cluster.hierarchy.fcluster` gives,
and a colour for every link and leaf of the dendrogram and for every sample
of the scatter plot, the same colour for a cluster everywhere (SciPy's own
colours whenever SciPy colours the cluster at all). It draws the picture
once (:meth:`CutoffExplorer.draw`) and then changes only what a new cut
changes, in place (:meth:`CutoffExplorer.update`): the height of the cut-off
line, the colours of links, merge dots, leaves and samples, and the title.
Nothing is removed or redrawn, so a figure shown by a slider does not
flicker.

The module holds no widgets: notebook 10 wires a slider to
:meth:`CutoffExplorer.update`, and the tests check the behaviour without a
browser.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.colors import to_hex
from scipy.cluster.hierarchy import dendrogram, fcluster, linkage

from ._validation import as_count, as_distance, as_samples
from .cutoff import cluster_members, n_clusters_at
from .dendrogram import fancy_dendrogram

__all__ = [
    "METHODS", "MAX_LEAF_LABELS", "UNCOLOURED", "cluster_palette", "Cut", "ExplorerArtists", "CutoffExplorer",
    "figure_png",
]

#: The linkage methods the explorer offers: those whose merge heights never
#: decrease along the tree, so that a horizontal cut at `max_d` is exactly
#: ``fcluster(Z, max_d, criterion='distance')``. (``centroid`` and
#: ``median`` can merge lower than a merge below them, an "inversion",
#: where a flat line on the dendrogram no longer tells the clusters.)
METHODS = ("ward", "complete", "average", "weighted", "single")

#: The colour of the links above the cut-off, and of a leaf of a truncated
#: dendrogram that the cut splits into several clusters.
UNCOLOURED = "#bbbbbb"


def cluster_palette():
    """The colours given to clusters, in order: the colour cycle from ``'C1'`` on.

    SciPy's dendrogram colours its clusters ``'C1'``, ``'C2'``, ... left to
    right; the palette starts the same way, and ends with ``'C0'`` (which
    SciPy keeps for the links above the cut, here drawn in grey), so that
    no colour repeats before the whole cycle is used. With the course's
    ``matplotlibrc``, these are the Okabe-Ito colours.

    Returns
    -------
    list of str
        Hex colours, as many as the colour cycle has.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> with plt.rc_context({"axes.prop_cycle": plt.cycler(color=["red", "green", "blue"])}):
    ...     print(cluster_palette())
    ['#008000', '#0000ff', '#ff0000']
    """
    cycle = [to_hex(c) for c in plt.rcParams["axes.prop_cycle"].by_key().get("color", ["C0"])]
    return cycle[1:] + cycle[:1]

#: Above this many leaves the dendrogram is drawn without leaf labels.
MAX_LEAF_LABELS = 60


@dataclass(frozen=True)
class Cut:
    """What a cut of the tree at `max_d` gives, and the colours to draw it in.

    Attributes
    ----------
    max_d : float
        The cut-off distance.
    k : int
        The number of clusters, ``n_clusters_at(Z, max_d)``.
    labels : ndarray of int, shape (n,)
        ``fcluster(Z, max_d, criterion='distance')``.
    cluster_colors : dict
        The colour of each label. Clusters are numbered left to right as
        they appear on the dendrogram and take the colours of
        :func:`cluster_palette` in that order, cycling if there are more.
    sample_colors : list of str
        One hex colour per sample: the colour of its cluster.
    link_colors : list of str
        One hex colour per link of the drawn dendrogram, in the order of its
        ``icoord`` and ``dcoord``: the colour of the cluster it lies in, or
        :data:`UNCOLOURED` above the cut.
    leaf_colors : list of str
        One hex colour per leaf of the drawn dendrogram, left to right: the
        colour of its cluster, or :data:`UNCOLOURED` for a contracted leaf
        that the cut splits.
    """

    max_d: float
    k: int
    labels: np.ndarray
    cluster_colors: dict
    sample_colors: list
    link_colors: list
    leaf_colors: list

    @property
    def summary(self):
        """A one-line description, such as ``'2 clusters at max_d = 50.00'``."""
        noun = "cluster" if self.k == 1 else "clusters"
        return f"{self.k} {noun} at max_d = {self.max_d:.2f}"


@dataclass
class ExplorerArtists:
    """The Matplotlib artists that :meth:`CutoffExplorer.update` changes in place.

    Attributes
    ----------
    figure : matplotlib.figure.Figure
    cut_line : matplotlib.lines.Line2D
        The dashed cut-off line on the dendrogram.
    links : matplotlib.collections.LineCollection
        Every link of the dendrogram, one colour each.
    merge_dots : list of matplotlib.lines.Line2D
        The dots of the annotated merges, one per annotated link.
    dot_links : list of int
        For each dot, the index of its link.
    leaves : matplotlib.collections.PathCollection
        The strip of squares under the leaves, one per leaf.
    scatter : matplotlib.collections.PathCollection
        The samples.
    title : matplotlib.text.Text
        The scatter plot's title, which states the number of clusters.
    """

    figure: object
    cut_line: object
    links: object
    merge_dots: list
    dot_links: list
    leaves: object
    scatter: object
    title: object


class CutoffExplorer:
    """Cut one hierarchical clustering at any height, and draw the result.

    Parameters
    ----------
    X : array_like of shape (n, m)
        The samples, at least two.
    method : str, optional
        The linkage method, one of :data:`METHODS`. Default ``'ward'``.
    truncate_p : int, optional
        Draw only the last `truncate_p` merges of the dendrogram
        (``truncate_mode='lastp'``), for large `n`. Default: the whole tree.
    points : array_like of shape (n, 2), optional
        Where to draw each sample on the scatter plot. Default: the two
        columns of `X` (then `X` must have exactly two). Pass a 2-D
        projection here to explore data with more features.
    annotate_above : float, optional
        Write the height of every merge above this on the dendrogram.
        Default: 8 % of the highest merge.

    Attributes
    ----------
    X, Z : ndarray
        The samples and their linkage matrix, computed once.
    method : str
    n : int
        The number of samples.

    Raises
    ------
    ValueError
        If `X` is not a finite (n, m) array with n >= 2, if `method` is not
        one of :data:`METHODS`, or if `points` does not have shape (n, 2).
    TypeError
        If `X` is not numeric, or `truncate_p` is not a whole number.

    See Also
    --------
    helpers.cutoff.n_clusters_at : the number of clusters of a cut.
    scipy.cluster.hierarchy.fcluster : the labels of a cut.

    Examples
    --------
    >>> explorer = CutoffExplorer([[0.0, 0.0], [0.0, 1.0], [5.0, 5.0], [5.0, 6.0]], "single")
    >>> cut = explorer.cut(2.0)
    >>> cut.summary
    '2 clusters at max_d = 2.00'
    >>> print(cut.labels)
    [1 1 2 2]
    >>> cut.sample_colors[0] == cut.sample_colors[1] != cut.sample_colors[2]
    True
    """

    def __init__(self, X, method="ward", *, truncate_p=None, points=None, annotate_above=None):
        X = as_samples(X)
        if X.shape[0] < 2:
            raise ValueError(
                f"X must hold at least 2 samples to be clustered; got shape {X.shape}."
            )
        if not isinstance(method, str) or method not in METHODS:
            raise ValueError(
                f"method must be one of {', '.join(repr(m) for m in METHODS)}; got "
                f"{method!r}. (centroid and median are left out: their merge heights "
                f"can decrease, so a horizontal cut does not give fcluster's clusters.)"
            )
        self.X, self.method, self.n = X, method, X.shape[0]
        if points is None:
            if X.shape[1] != 2:
                raise ValueError(
                    f"X has {X.shape[1]} columns, so it cannot be drawn as it is: pass "
                    f"points, an array of shape ({self.n}, 2) such as two of its columns "
                    f"or a 2-D projection, to place the samples on the scatter plot."
                )
            points, self._points_are_X = X, True
        else:
            self._points_are_X = False
            points = as_samples(points, "points")
            if points.shape != (self.n, 2):
                raise ValueError(
                    f"points must have shape ({self.n}, 2), one row per sample of X; "
                    f"got shape {points.shape}."
                )
        self.points = points
        self.Z = linkage(X, method)
        self.truncate_p = None if truncate_p is None else as_count(
            truncate_p, "truncate_p", 2, self.n)
        self._dendrogram_kwargs = (
            {} if self.truncate_p is None
            else {"truncate_mode": "lastp", "p": self.truncate_p, "show_contracted": True}
        )
        top = float(self.Z[-1, 2])
        self.annotate_above = (0.08 * top if annotate_above is None
                               else as_distance(annotate_above, "annotate_above"))
        # The shape of the drawn tree does not depend on the cut, so read it
        # once: the node of every link (in drawing order), the node of every
        # leaf, and which drawn leaf every sample sits under.
        link_nodes = []

        def record(node):
            link_nodes.append(node)
            return UNCOLOURED

        tree = dendrogram(self.Z, no_plot=True, link_color_func=record,
                          **self._dendrogram_kwargs)
        self._link_nodes = np.asarray(link_nodes, dtype=np.intp)
        self._leaf_nodes = np.asarray(tree["leaves"], dtype=np.intp)
        leaf_of_sample = np.empty(self.n, dtype=np.intp)
        for position, leaf in enumerate(self._leaf_nodes):
            leaf_of_sample[cluster_members(self.Z, leaf)] = position
        self._sample_order = np.argsort(leaf_of_sample, kind="stable")
        # A sample under every node, and every node's height (0 for samples).
        self._sample_under = np.arange(2 * self.n - 1)
        for row, left in enumerate(self.Z[:, 0].astype(np.intp)):
            self._sample_under[self.n + row] = self._sample_under[left]
        self._height = np.concatenate([np.zeros(self.n), self.Z[:, 2]])

    @property
    def max_height(self):
        """The height of the last merge: every cut at or above it gives one cluster."""
        return float(self.Z[-1, 2])

    @property
    def default_max_d(self):
        """SciPy's default colour threshold, 0.7 times the highest merge."""
        return 0.7 * self.max_height

    def cut(self, max_d):
        """What the cut at `max_d` gives, and the colours to draw it in.

        Parameters
        ----------
        max_d : float
            The cut-off distance, 0 or more.

        Returns
        -------
        Cut

        Raises
        ------
        ValueError
            If `max_d` is negative, NaN or infinite.

        Notes
        -----
        A merge at exactly `max_d` is kept, as ``fcluster`` keeps it. (SciPy's
        ``dendrogram(Z, color_threshold=max_d)`` colours only the links
        strictly below its threshold, so at a merge height it would disagree.)
        """
        max_d = as_distance(max_d, "max_d")
        labels = fcluster(self.Z, max_d, criterion="distance")
        # Number the clusters left to right, in the order they appear on the
        # dendrogram, and give them the palette's colours in that order.
        in_order = labels[self._sample_order]
        found, first = np.unique(in_order, return_index=True)
        palette = cluster_palette()
        cluster_colors = {
            int(label): palette[rank % len(palette)]
            for rank, label in enumerate(found[np.argsort(first)])
        }

        def colour(node):
            if self._height[node] > max_d:
                return UNCOLOURED
            return cluster_colors[int(labels[self._sample_under[node]])]

        return Cut(
            max_d=max_d,
            k=n_clusters_at(self.Z, max_d),
            labels=labels,
            cluster_colors=cluster_colors,
            sample_colors=[cluster_colors[int(label)] for label in labels],
            link_colors=[colour(node) for node in self._link_nodes],
            leaf_colors=[colour(node) for node in self._leaf_nodes],
        )

    def draw(self, max_d, axes):
        """Draw the dendrogram cut at `max_d` and the samples in cluster colours.

        The dendrogram is :func:`helpers.fancy_dendrogram`'s, with its links
        in the colours of the cut, a strip of squares under the leaves in
        their clusters' colours, and no leaf labels when there are more than
        :data:`MAX_LEAF_LABELS` leaves.

        Parameters
        ----------
        max_d : float
            The cut-off distance, 0 or more.
        axes : pair of matplotlib.axes.Axes
            Where to draw the dendrogram and the scatter plot, for example
            ``fig.subplots(1, 2)``.

        Returns
        -------
        ExplorerArtists
            What :meth:`update` changes when the cut moves.

        Raises
        ------
        TypeError
            If `axes` is not a pair of axes.
        ValueError
            If `max_d` is negative, NaN or infinite.

        See Also
        --------
        helpers.fancy_dendrogram : the dendrogram drawn on the first axes.
        """
        cut = self.cut(max_d)
        try:
            ax_tree, ax_points = axes
        except (TypeError, ValueError):
            raise TypeError(
                f"axes must be a pair of Matplotlib axes (dendrogram, scatter plot), "
                f"for example fig.subplots(1, 2); got {type(axes).__name__}."
            ) from None
        before = len(ax_tree.lines)
        old_collections = set(ax_tree.collections)
        tree = fancy_dendrogram(
            self.Z, ax=ax_tree, max_d=cut.max_d, annotate_above=self.annotate_above,
            title=f"Dendrogram ({self.method} linkage)"
            + (f", last {self.truncate_p} merges" if self.truncate_p else ""),
            **self._dendrogram_kwargs,
        )
        # SciPy draws one LineCollection per colour, which a new cut would
        # regroup. Draw the same segments as one collection, one colour per
        # link, so that a new cut only changes the colours.
        for collection in set(ax_tree.collections) - old_collections:
            collection.remove()
        segments = [np.column_stack([xs, ys]) for xs, ys in zip(tree["icoord"], tree["dcoord"])]
        links = ax_tree.add_collection(LineCollection(segments, colors=cut.link_colors))
        new_lines = ax_tree.lines[before:]
        merge_dots, cut_line = list(new_lines[:-1]), new_lines[-1]
        dot_links = [i for i, ys in enumerate(tree["dcoord"]) if ys[1] > self.annotate_above]
        # A strip of squares under the leaves, in their clusters' colours: it
        # shows the clusters that have no link of their own (one sample, or a
        # contracted leaf) and ties the dendrogram to the scatter plot.
        n_leaves = len(self._leaf_nodes)
        leaves = ax_tree.scatter(5 + 10 * np.arange(n_leaves), np.zeros(n_leaves),
                                 c=cut.leaf_colors, marker="s", s=min(36.0, (500 / n_leaves) ** 2),
                                 clip_on=False, zorder=3, linewidths=0)
        ax_tree.set_ylim(0, 1.05 * self.max_height)
        if n_leaves > MAX_LEAF_LABELS:
            # Unreadable anyway, and slow: they would take most of each redraw.
            ax_tree.set_xticks([])
            ax_tree.set_xlabel(f"the {n_leaves} samples, in dendrogram order")

        scatter = ax_points.scatter(self.points[:, 0], self.points[:, 1], s=18,
                                    c=cut.sample_colors, linewidths=0)
        ax_points.set_xlabel("X[:, 0]" if self._points_are_X else "points[:, 0]")
        ax_points.set_ylabel("X[:, 1]" if self._points_are_X else "points[:, 1]")
        title = ax_points.set_title(cut.summary)
        artists = ExplorerArtists(figure=ax_tree.figure, cut_line=cut_line, links=links,
                                  merge_dots=merge_dots, dot_links=dot_links, leaves=leaves,
                                  scatter=scatter, title=title)
        self._paint(artists, cut)
        return artists

    def update(self, artists, max_d):
        """Move the cut of a drawn figure to `max_d`, changing its artists in place.

        Parameters
        ----------
        artists : ExplorerArtists
            What :meth:`draw` returned.
        max_d : float
            The new cut-off distance, 0 or more.

        Returns
        -------
        Cut
            The new cut. The figure is not redrawn: call
            ``fig.canvas.draw_idle()``, or save it again.

        Raises
        ------
        TypeError
            If `artists` is not what :meth:`draw` returned.
        ValueError
            If `max_d` is negative, NaN or infinite.

        Examples
        --------
        >>> from matplotlib.figure import Figure
        >>> explorer = CutoffExplorer([[0.0, 0.0], [0.0, 1.0], [5.0, 5.0], [5.0, 6.0]], "single")
        >>> fig = Figure()
        >>> artists = explorer.draw(10.0, fig.subplots(1, 2))
        >>> artists.title.get_text()
        '1 cluster at max_d = 10.00'
        >>> scatter = artists.scatter
        >>> explorer.update(artists, 2.0).k
        2
        >>> artists.scatter is scatter, artists.title.get_text()
        (True, '2 clusters at max_d = 2.00')
        """
        if not isinstance(artists, ExplorerArtists):
            raise TypeError(
                f"artists must be what CutoffExplorer.draw returned; got "
                f"{type(artists).__name__}."
            )
        cut = self.cut(max_d)
        self._paint(artists, cut)
        return cut

    @staticmethod
    def _paint(artists, cut):
        artists.cut_line.set_ydata([cut.max_d, cut.max_d])
        artists.links.set_colors(cut.link_colors)
        for dot, link in zip(artists.merge_dots, artists.dot_links):
            dot.set_color(cut.link_colors[link])
        artists.leaves.set_facecolors(cut.leaf_colors)
        artists.scatter.set_facecolors(cut.sample_colors)
        artists.title.set_text(cut.summary)


def figure_png(fig):
    """The figure as PNG bytes, for an image widget or a file.

    Parameters
    ----------
    fig : matplotlib.figure.Figure

    Returns
    -------
    bytes
        The PNG file, at the figure's own DPI.

    Raises
    ------
    TypeError
        If `fig` is not a Matplotlib figure.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> figure_png(Figure(figsize=(1, 1)))[:4]
    b'\\x89PNG'
    """
    if not hasattr(fig, "savefig"):
        raise TypeError(
            f"fig must be a Matplotlib Figure (for example artists.figure); got "
            f"{type(fig).__name__}."
        )
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()
