"""The interactive cut-off explorer's model: what a cut of the tree at `max_d` gives.

A :class:`CutoffExplorer` holds the samples and their linkage matrix `Z`,
computed once. For any cut-off `max_d`, :meth:`CutoffExplorer.cut` answers
in a few milliseconds what a picture of that cut must show: the number of
clusters, the labels that :func:`scipy.cluster.hierarchy.fcluster` gives,
and a colour and a marker for every cluster, link, leaf and sample (a
:class:`Cut`). The model draws nothing and uses no Matplotlib: the
Matplotlib view is :class:`helpers.explorer_view.ExplorerView`
(:meth:`CutoffExplorer.draw` makes one), and the widgets of notebook 10 are
in :mod:`helpers.explorer_widget`.

How the clusters are coloured
-----------------------------
A cluster has one colour and one marker everywhere: on its links, on the
strip of markers under the leaves and on the samples of the scatter plot.
The colours are SciPy's own whenever SciPy colours the cluster, so the
explorer's dendrogram looks like :func:`helpers.fancy_dendrogram`'s at the
same `max_d`: SciPy gives the clusters that have a link below the cut the
colours of its link palette (:data:`helpers.PALETTE`, set when
:mod:`helpers` is imported), left to right. Clusters with no link of their
own, a single sample or, on a truncated tree, a whole contracted leaf such
as ``(50)``, are left in the above-cut colour by SciPy; the explorer gives
them the next colours of the palette, left to right. A cluster's place in
that order (its *slot*) picks its colour, ``PALETTE[slot % 7]``, and its
marker, ``MARKERS[slot % 8]``: two clusters share both only from the 57th
on. The links above the cut, and a contracted leaf that the cut splits into
several clusters, are drawn in :data:`helpers.CONTEXT_GREY`.

Speed
-----
Start-up is SciPy's ``linkage`` plus work that grows as `n`: the shape of
the drawn tree (one call of SciPy's ``dendrogram`` without plotting) and
the drawn leaf of every sample (one pass over the tree). A cut is one call
of ``fcluster`` plus a few array operations, with no loop over samples or
clusters in Python beyond building the lists it returns.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.cluster.hierarchy import dendrogram, fcluster, linkage

from ._validation import as_clusterable, as_count, as_distance, as_samples
from .cutoff import _cluster_of_each_sample, _tree_layout
from .explorer_view import ExplorerView, figure_png
from .plotting import CONTEXT_GREY, MARKERS, PALETTE

__all__ = [
    "METHODS", "UNCOLOURED", "SPLIT_LEAF_MARKER", "cluster_palette", "Cut", "CutoffExplorer",
    "figure_png",
]

#: The linkage methods the explorer offers: those whose merge heights never
#: decrease along the tree, so that a horizontal cut at `max_d` is exactly
#: ``fcluster(Z, max_d, criterion='distance')``. (``centroid`` and
#: ``median`` can merge lower than a merge below them, an "inversion",
#: where a flat line on the dendrogram no longer tells the clusters.)
METHODS = ("ward", "complete", "average", "weighted", "single")

#: The colour of the links above the cut-off, and of a leaf of a truncated
#: dendrogram that the cut splits into several clusters: the course's
#: context grey, :data:`helpers.CONTEXT_GREY` (the same colour, one name
#: per use).
UNCOLOURED = CONTEXT_GREY

#: The marker under a contracted leaf that the cut splits into several
#: clusters: none of :data:`helpers.MARKERS`, since it is no one cluster.
SPLIT_LEAF_MARKER = "*"


def cluster_palette():
    """The colours given to clusters, in order: :data:`helpers.PALETTE`.

    The same colours, in the same order, as SciPy's link colour palette
    (which :mod:`helpers` sets on import) and :func:`helpers.plot_clusters`.

    Returns
    -------
    list of str
        Hex colours, one per slot; they repeat past the seventh cluster.

    Examples
    --------
    >>> import helpers
    >>> cluster_palette() == list(helpers.PALETTE)
    True
    """
    return list(PALETTE)


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
        The colour of each label, ``{1: '#D55E00', ...}`` (see the module's
        notes for how the colours are chosen).
    cluster_markers : dict
        The marker of each label, one of :data:`helpers.MARKERS`.
    sample_colors, sample_markers : list of str
        One per sample: the colour and marker of its cluster.
    link_colors : list of str
        One per link of the drawn dendrogram, in the order of its ``icoord``
        and ``dcoord``: the colour of the cluster it lies in, or
        :data:`UNCOLOURED` above the cut.
    leaf_colors, leaf_markers : list of str
        One per leaf of the drawn dendrogram, left to right: the colour and
        marker of its cluster, or :data:`UNCOLOURED` and
        :data:`SPLIT_LEAF_MARKER` for a contracted leaf that the cut splits.
    """

    max_d: float
    k: int
    labels: np.ndarray
    cluster_colors: dict
    cluster_markers: dict
    sample_colors: list
    sample_markers: list
    link_colors: list
    leaf_colors: list
    leaf_markers: list

    @property
    def summary(self):
        """A one-line description, such as ``'2 clusters at max_d = 50.00'``."""
        noun = "cluster" if self.k == 1 else "clusters"
        return f"{self.k} {noun} at max_d = {self.max_d:.2f}"


class CutoffExplorer:
    """Cut one hierarchical clustering at any height: the model behind the explorer.

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
        The samples and their linkage matrix ``linkage(X, method)``,
        computed once.
    method : str
    n : int
        The number of samples.
    points : ndarray of shape (n, 2)
        Where the samples are drawn.
    point_labels : tuple of str
        The names of the two columns of `points`, for the axes.
    truncate_p : int or None
    annotate_above : float
    dendrogram_kwargs : dict
        The arguments of ``dendrogram`` that give the drawn tree.

    Raises
    ------
    ValueError
        If `X` is not a finite (n, m) array with n >= 2 (or spreads so
        widely that its squared distances overflow), if `method` is not
        one of :data:`METHODS`, or if `points` does not have shape (n, 2).
    TypeError
        If `X` is not numeric, or `truncate_p` is not a whole number.

    See Also
    --------
    helpers.explorer_view.ExplorerView : the Matplotlib picture of a cut.
    helpers.explorer_widget.explorer_widget : the interactive explorer.
    scipy.cluster.hierarchy.fcluster : the labels of a cut.

    Examples
    --------
    >>> explorer = CutoffExplorer([[0.0, 0.0], [0.0, 1.0], [5.0, 5.0], [5.0, 6.0]], "single")
    >>> cut = explorer.cut(2.0)
    >>> cut.summary
    '2 clusters at max_d = 2.00'
    >>> print(cut.labels)
    [1 1 2 2]
    >>> cut.cluster_colors
    {1: '#D55E00', 2: '#009E73'}
    >>> cut.sample_markers
    ['o', 'o', 's', 's']
    """

    def __init__(self, X, method="ward", *, truncate_p=None, points=None, annotate_above=None):
        X = as_clusterable(X)
        if not isinstance(method, str) or method not in METHODS:
            raise ValueError(
                f"method must be one of {', '.join(repr(m) for m in METHODS)}; got "
                f"{method!r}. (centroid and median are left out: their merge heights "
                f"can decrease, so a horizontal cut does not give fcluster's clusters.)"
            )
        n = X.shape[0]
        if points is None:
            if X.shape[1] != 2:
                raise ValueError(
                    f"X has {X.shape[1]} columns, so it cannot be drawn as it is: pass "
                    f"points, an array of shape ({n}, 2) such as two of its columns "
                    f"or a 2-D projection, to place the samples on the scatter plot."
                )
            points, self.point_labels = X, ("X[:, 0]", "X[:, 1]")
        else:
            points = as_samples(points, "points")
            if points.shape != (n, 2):
                raise ValueError(
                    f"points must have shape ({n}, 2), one row per sample of X; "
                    f"got shape {points.shape}."
                )
            self.point_labels = ("points[:, 0]", "points[:, 1]")
        self.truncate_p = None if truncate_p is None else as_count(truncate_p, "truncate_p", 2, n)
        if annotate_above is not None:
            annotate_above = as_distance(annotate_above, "annotate_above")
        self.X, self.method, self.n, self.points = X, method, n, points
        self.Z = linkage(X, method)
        self.annotate_above = 0.08 * self.max_height if annotate_above is None else annotate_above
        self._read_the_drawn_tree()

    @property
    def dendrogram_kwargs(self):
        """The arguments of SciPy's ``dendrogram`` that give the drawn tree (a new dict)."""
        if self.truncate_p is None:
            return {}
        return {"truncate_mode": "lastp", "p": self.truncate_p, "show_contracted": True}

    def _read_the_drawn_tree(self):
        """Read once what does not depend on the cut: the drawn tree's shape.

        The node of every link (in SciPy's drawing order) and of every leaf,
        a sample under every node, and the samples from left to right.
        """
        n, Z = self.n, self.Z
        link_nodes = []

        def record(node):
            link_nodes.append(node)
            return UNCOLOURED

        tree = dendrogram(Z, no_plot=True, link_color_func=record, **self.dendrogram_kwargs)
        self._link_nodes = np.asarray(link_nodes, dtype=np.intp)
        self._leaf_nodes = np.asarray(tree["leaves"], dtype=np.intp)
        layout = _tree_layout(Z)
        order, start = layout[0], layout[1]
        self._position = np.empty(n, dtype=np.intp)
        self._position[order] = np.arange(n)
        # Left to right: by drawn leaf, then (inside a contracted leaf) by
        # SciPy's leaf order.
        drawn_leaf = _cluster_of_each_sample(Z, self._leaf_nodes, layout)
        self._sample_order = np.lexsort((self._position, drawn_leaf))
        self._sample_under = order[start]  # a sample under every node (itself for samples)
        self._height = np.concatenate([np.zeros(n), Z[:, 2]])

    def _leaf_legs(self):
        """Which leg of which drawn link stands on each leaf, left to right.

        Returns
        -------
        links, sides : ndarray of int, shape (n_leaves,)
            Leaf ``i`` is under link ``links[i]`` (in SciPy's drawing order),
            under its left leg (``sides[i] == 0``, ``icoord[j][0]``) or its
            right leg (``3``). A merge's first cluster, ``Z[i, 0]``, is drawn
            on the left: SciPy's left-to-right order
            (:func:`scipy.cluster.hierarchy.leaves_list`).
        """
        n = self.n
        children = self.Z[self._link_nodes - n, :2].astype(np.intp)
        leaf_index = np.full(2 * n - 1, -1, dtype=np.intp)
        leaf_index[self._leaf_nodes] = np.arange(self.n_leaves)
        links = np.empty(self.n_leaves, dtype=np.intp)
        sides = np.empty(self.n_leaves, dtype=np.intp)
        for column, side in ((0, 0), (1, 3)):
            on_leaf = np.flatnonzero(leaf_index[children[:, column]] >= 0)
            links[leaf_index[children[on_leaf, column]]] = on_leaf
            sides[leaf_index[children[on_leaf, column]]] = side
        return links, sides

    @property
    def max_height(self):
        """The height of the last merge: every cut at or above it gives one cluster."""
        return float(self.Z[-1, 2])

    @property
    def default_max_d(self):
        """SciPy's default colour threshold, 0.7 times the highest merge."""
        return 0.7 * self.max_height

    @property
    def n_leaves(self):
        """The number of leaves of the drawn dendrogram."""
        return len(self._leaf_nodes)

    def cut(self, max_d):
        """What the cut at `max_d` gives, and the colours and markers to draw it in.

        Parameters
        ----------
        max_d : float
            The cut-off distance, 0 or more.

        Returns
        -------
        Cut

        Raises
        ------
        TypeError
            If `max_d` is not a number.
        ValueError
            If `max_d` is negative, NaN or infinite.

        Notes
        -----
        A merge at exactly `max_d` is kept, as ``fcluster`` keeps it, and
        its links take the cluster's colour (as in
        :func:`helpers.fancy_dendrogram`, which colours up to `max_d`
        included; SciPy's ``color_threshold`` alone colours only the links
        strictly below it).
        """
        max_d = as_distance(max_d, "max_d")
        labels = fcluster(self.Z, max_d, criterion="distance")
        k = int(labels.max())
        # The clusters from left to right, by their first sample in that order.
        in_order = labels[self._sample_order]
        found, first = np.unique(in_order, return_index=True)
        ranked = found[np.argsort(first)]
        # The clusters SciPy colours: those with a drawn link below the cut.
        link_below = self._height[self._link_nodes] <= max_d
        has_link = np.zeros(k + 1, dtype=bool)
        has_link[labels[self._sample_under[self._link_nodes[link_below]]]] = True
        coloured = has_link[ranked]
        slot = np.empty(k + 1, dtype=np.intp)
        slot[ranked[coloured]] = np.arange(np.count_nonzero(coloured))
        slot[ranked[~coloured]] = np.count_nonzero(coloured) + np.arange(np.count_nonzero(~coloured))
        colour = np.array([PALETTE[s % len(PALETTE)] for s in slot], dtype=object)
        marker = np.array([MARKERS[s % len(MARKERS)] for s in slot], dtype=object)
        colour[0], marker[0] = UNCOLOURED, SPLIT_LEAF_MARKER  # label 0: no cluster

        # A link below the cut, or a leaf no higher than the cut, lies in the
        # cluster of any sample under it; label 0 marks the others.
        link_label = np.where(link_below, labels[self._sample_under[self._link_nodes]], 0)
        leaf_whole = self._height[self._leaf_nodes] <= max_d
        leaf_label = np.where(leaf_whole, labels[self._sample_under[self._leaf_nodes]], 0)
        return Cut(
            max_d=max_d,
            k=k,
            labels=labels,
            cluster_colors={label: colour[label] for label in range(1, k + 1)},
            cluster_markers={label: marker[label] for label in range(1, k + 1)},
            sample_colors=colour[labels].tolist(),
            sample_markers=marker[labels].tolist(),
            link_colors=colour[link_label].tolist(),
            leaf_colors=colour[leaf_label].tolist(),
            leaf_markers=marker[leaf_label].tolist(),
        )

    def draw(self, max_d, axes):
        """Draw the dendrogram cut at `max_d` and the samples in their clusters' colours.

        Parameters
        ----------
        max_d : float
            The cut-off distance, 0 or more.
        axes : pair of matplotlib.axes.Axes
            Where to draw the dendrogram and the scatter plot, for example
            ``fig.subplots(1, 2)``.

        Returns
        -------
        helpers.explorer_view.ExplorerView
            The picture; its method ``update(max_d)`` moves the cut in place.

        Raises
        ------
        TypeError
            If `axes` is not a pair of axes, or `max_d` is not a number.
        ValueError
            If `max_d` is negative, NaN or infinite.

        See Also
        --------
        helpers.explorer_view.ExplorerView : what is drawn, and how.
        """
        return ExplorerView(self, max_d, axes)

    def update(self, view, max_d):
        """Move the cut of a drawn picture to `max_d`: ``view.update(max_d)``.

        Parameters
        ----------
        view : helpers.explorer_view.ExplorerView
            What :meth:`draw` returned for this explorer.
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
            If `view` is not what :meth:`draw` returned for this explorer, or
            `max_d` is not a number.
        ValueError
            If `max_d` is negative, NaN or infinite.

        Examples
        --------
        >>> from matplotlib.figure import Figure
        >>> explorer = CutoffExplorer([[0.0, 0.0], [0.0, 1.0], [5.0, 5.0], [5.0, 6.0]], "single")
        >>> view = explorer.draw(10.0, Figure().subplots(1, 2))
        >>> view.title.get_text()
        '1 cluster at max_d = 10.00'
        >>> explorer.update(view, 2.0).k
        2
        >>> view.title.get_text()
        '2 clusters at max_d = 2.00'
        """
        if not isinstance(view, ExplorerView) or view.explorer is not self:
            raise TypeError(
                f"view must be what this explorer's draw() returned; got "
                f"{type(view).__name__}"
                + (" drawn by another explorer." if isinstance(view, ExplorerView) else ".")
            )
        return view.update(max_d)

