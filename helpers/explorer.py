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
strip of markers under the leaves and on the samples of the scatter plot;
and it keeps them as the cut moves. The colours come from the top of the
tree down: uncut, the whole tree is one cluster in the palette's first
colour (:data:`helpers.PALETTE`); each merge that the cut undoes splits a
cluster in two, its left part (SciPy draws ``Z[i, 0]`` on the left) keeping
the cluster's colour and its right part taking the next colour of the
palette. A cut into `k` clusters thus uses the palette's first `k` colours
(its first `k` *slots*), a cluster of ``PALETTE[slot % 7]`` and marker
``MARKERS[slot % 8]``: two clusters share both only from the 57th on. When
the cut moves down, the clusters it leaves whole keep their colours and
markers, and a cluster it splits keeps its colour on its left part; when
it moves up, two clusters that merge take the colour of the left one.

A cluster's slot belongs to its node of the tree: the rank, from the top,
of the merge whose right part it is, or that of its nearest such ancestor
along left branches (0 for the leftmost, under the root). So it is
computed once, for every node, when the explorer is made.

At ``k = 2`` these are SciPy's colours (left, then right); lower down they
differ from SciPy's, which numbers the clusters left to right at each cut
afresh, so that one colour would jump from cluster to cluster as the cut
moves. SciPy also leaves in the above-cut colour a cluster with no link of
its own (a single sample, or, on a truncated tree, a whole contracted leaf
such as ``(50)``); the explorer colours those like any other. The links
above the cut, and a contracted leaf that the cut splits into several
clusters, are drawn in :data:`helpers.CONTEXT_GREY`.

Speed
-----
Start-up is SciPy's ``linkage`` plus work that grows as `n`: the shape of
the drawn tree (one call of SciPy's ``dendrogram`` without plotting, in its
form that never recurses, :func:`helpers.dendrogram._dendrogram`, so a tree
of any depth works), the
drawn leaf of every sample (one pass over the tree), and the slot of every
node (whole-array operations, a few times the log of the tree's depth). A
cut is one call of ``fcluster`` plus a few array operations, with no loop
over samples or clusters in Python beyond building the lists it returns.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage

from ._validation import as_clusterable, as_count, as_distance, as_samples
from .cutoff import _tree_layout
from .dendrogram import DEFAULT_ANNOTATED, _dendrogram
from .explorer_view import ExplorerView, figure_png
from .plotting import CONTEXT_GREY, MARKERS, PALETTE

__all__ = [
    "METHODS", "ARGUMENTS", "UNCOLOURED", "SPLIT_LEAF_MARKER", "cluster_palette", "distance_format",
    "Cut", "CutoffExplorer", "figure_png",
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

#: The arguments of :class:`CutoffExplorer` besides `method`, by name.
ARGUMENTS = ("X", "truncate_p", "points", "annotate_above")

# A cut-off is written to a two-hundredth of the tree's height at least (one
# step of the explorer's slider, helpers.explorer_widget.SLIDER_STEPS), with
# two decimals at least; past six decimals, in scientific notation.
_RESOLUTION = 200
_MIN_DECIMALS = 2
_MAX_DECIMALS = 6


def distance_format(height):
    """How to write a cut-off on a tree `height` high: a format spec such as ``".2f"``.

    Two decimals, or as many as it takes to tell apart two cut-offs a
    two-hundredth of `height` apart (one step of the explorer's slider);
    past six decimals, four significant figures in scientific notation. The
    same spec works in Python (``f"{max_d:{spec}}"``) and in an
    ipywidgets slider's ``readout_format``.

    Parameters
    ----------
    height : float
        The height of the tree's highest merge, 0 or more.

    Returns
    -------
    str

    Examples
    --------
    >>> distance_format(180.27), distance_format(0.018), distance_format(3e-9)
    ('.2f', '.5f', '.3e')
    >>> f"{0.012619:{distance_format(0.018)}}"
    '0.01262'
    """
    if not height > 0 or not np.isfinite(height):
        return f".{_MIN_DECIMALS}f"
    decimals = max(_MIN_DECIMALS, int(np.ceil(np.log10(_RESOLUTION / height))))
    return f".{decimals}f" if decimals <= _MAX_DECIMALS else ".3e"


def _check_arguments(X, method="ward", *, truncate_p=None, points=None, annotate_above=None):
    """Every argument of :class:`CutoffExplorer`, checked, before any clustering.

    Returns (X, method, truncate_p, points, point_labels, annotate_above) as
    the explorer keeps them; raises as :class:`CutoffExplorer` documents.
    """
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
        points, point_labels = X, ("X[:, 0]", "X[:, 1]")
    else:
        points = as_samples(points, "points")
        if points.shape != (n, 2):
            raise ValueError(
                f"points must have shape ({n}, 2), one row per sample of X; "
                f"got shape {points.shape}."
            )
        point_labels = ("points[:, 0]", "points[:, 1]")
    truncate_p = None if truncate_p is None else as_count(truncate_p, "truncate_p", 2, n)
    if annotate_above is not None:
        annotate_above = as_distance(annotate_above, "annotate_above")
    return X, method, truncate_p, points, point_labels, annotate_above


def _node_slots(Z):
    """The slot of every node of the tree (samples, then merges): see the module's notes.

    The right part of the merge of row ``i`` starts the slot ``n - 1 - i``
    (its rank from the top: the root's is 1); the root, and every left part,
    keeps the slot of the node above it. Each node's slot is found by
    pointer jumping up the chains of left parts (as many whole-array steps
    as the log of the longest chain), never by recursion.
    """
    n = Z.shape[0] + 1
    children = Z[:, :2].astype(np.intp)
    up = np.arange(2 * n - 1)
    up[children[:, 0]] = np.arange(n, 2 * n - 1)  # a left part looks at its parent
    own = np.zeros(2 * n - 1, dtype=np.intp)
    own[children[:, 1]] = np.arange(n - 1, 0, -1)  # a right part starts a slot
    while True:
        further = up[up]
        if np.array_equal(further, up):
            return own[up]
        up = further


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
    max_d_format : str
        How `max_d` is written in :attr:`summary`: the explorer's
        :attr:`CutoffExplorer.max_d_format`, precise enough for the tree's
        scale. Default ``".2f"``.
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
    max_d_format: str = ".2f"

    @property
    def summary(self):
        """A one-line description, such as ``'2 clusters at max_d = 50.00'``.

        `max_d` is written with :attr:`max_d_format`: on a tree 0.018 high,
        ``'2 clusters at max_d = 0.01262'``, not ``'... = 0.01'``.
        """
        noun = "cluster" if self.k == 1 else "clusters"
        return f"{self.k} {noun} at max_d = {self.max_d:{self.max_d_format}}"


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
        Default: 8 % of the highest merge, or more so that at most the
        :data:`helpers.dendrogram.DEFAULT_ANNOTATED` (30) highest merges of
        the drawn tree are annotated.

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
    max_d_format : str
        How a cut-off of this tree is written (:func:`distance_format`).

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

    A cluster keeps its colour as the cut moves: a lower cut that splits it
    leaves its colour to its left part and gives the next one to its right
    part.

    >>> explorer = CutoffExplorer([[0, 0], [0, 1], [5, 5], [5, 6], [9, 5], [9, 6]], "single")
    >>> high, low = explorer.cut(5.0), explorer.cut(2.0)
    >>> print(high.labels, high.cluster_colors)
    [1 1 2 2 2 2] {1: '#D55E00', 2: '#009E73'}
    >>> print(low.labels, low.cluster_colors)
    [1 1 2 2 3 3] {1: '#D55E00', 2: '#009E73', 3: '#781D87'}
    """

    def __init__(self, X, method="ward", *, truncate_p=None, points=None, annotate_above=None):
        (X, method, truncate_p, points, self.point_labels,
         annotate_above) = _check_arguments(X, method, truncate_p=truncate_p, points=points,
                                            annotate_above=annotate_above)
        self.X, self.method, self.n, self.points = X, method, X.shape[0], points
        self.truncate_p = truncate_p
        self.Z = linkage(X, method)
        if annotate_above is None:
            # 8 % of the highest merge, and at most the DEFAULT_ANNOTATED
            # highest merges of the drawn tree: more labels only cost time to
            # place, at every move of the cut, and would mostly be hidden.
            drawn = self.Z[self.n - (truncate_p or self.n):, 2]
            annotate_above = 0.08 * self.max_height
            if len(drawn) > DEFAULT_ANNOTATED:
                annotate_above = max(annotate_above, float(np.sort(drawn)[-1 - DEFAULT_ANNOTATED]))
        self.annotate_above = annotate_above
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
        a sample under every node, the height of every node, and the slot
        (the colour) of every node.
        """
        n, Z = self.n, self.Z
        link_nodes = []

        def record(node):
            link_nodes.append(node)
            return UNCOLOURED

        # SciPy's dendrogram recurses once per level: a deep tree (single
        # linkage on thousands of samples) raised RecursionError. This one
        # walks the tree with an explicit stack, with the same result.
        tree = _dendrogram(Z, no_plot=True, link_color_func=record, **self.dendrogram_kwargs)
        self._link_nodes = np.asarray(link_nodes, dtype=np.intp)
        self._leaf_nodes = np.asarray(tree["leaves"], dtype=np.intp)
        order, start = _tree_layout(Z)[:2]
        self._sample_under = order[start]  # a sample under every node (itself for samples)
        self._height = np.concatenate([np.zeros(n), Z[:, 2]])
        self._slot = _node_slots(Z)

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
    def max_d_format(self):
        """How a cut-off of this tree is written: :func:`distance_format` of its height."""
        return distance_format(self.max_height)

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
        Z, n = self.Z, self.n
        labels = fcluster(Z, max_d, criterion="distance")
        k = int(labels.max())
        # Each cluster's node: a part of a merge above the cut that is not
        # itself above it (the root when nothing is). Its slot is its colour.
        above = np.flatnonzero(Z[:, 2] > max_d)
        tops = Z[above, :2].astype(np.intp).ravel() if len(above) else np.array([2 * n - 2])
        tops = tops[self._height[tops] <= max_d]
        slot = np.zeros(k + 1, dtype=np.intp)
        slot[labels[self._sample_under[tops]]] = self._slot[tops]
        colour = np.array(PALETTE, dtype=object)[slot % len(PALETTE)]
        marker = np.array(MARKERS, dtype=object)[slot % len(MARKERS)]
        colour[0], marker[0] = UNCOLOURED, SPLIT_LEAF_MARKER  # label 0: no cluster
        link_below = self._height[self._link_nodes] <= max_d

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
            max_d_format=self.max_d_format,
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

