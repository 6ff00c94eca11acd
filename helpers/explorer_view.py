"""The interactive cut-off explorer's view: a cut drawn with Matplotlib, and moved in place.

An :class:`ExplorerView` draws what a :class:`helpers.explorer.CutoffExplorer`
computes for a cut (a :class:`helpers.explorer.Cut`) on a pair of axes:

- on the first, :func:`helpers.fancy_dendrogram`'s dendrogram, its links
  in the colours of the cut's clusters, and under its leaves a strip of
  markers in their clusters' colours and shapes (which shows the clusters
  that have no link of their own: a single sample, or a whole contracted
  leaf);
- on the second, the samples, each in the colour and marker of its cluster,
  with a dark edge, and a title that gives the number of clusters.

The distance axis goes up to :data:`HEADROOM` (1.15) times the highest merge,
so that the root's height fits beside its dot, and higher when the cut is
higher: the cut line is always in view, even above SciPy's limits.

:meth:`ExplorerView.update` then changes only what a new cut changes, in
place: the height of the cut line, the colours of links, merge dots and
leaf markers, the colours and shapes of the samples, and the title.
Nothing is removed or added, so a figure shown by a slider does not
flicker.

The view reads the tree it drew from what :func:`helpers.fancy_dendrogram`
returns (``icoord``, ``dcoord``, ``merge_dots``, ``cut_line``): it assumes
nothing about where SciPy places the leaves, nor which merges are
annotated. Every colour it draws with is one of :mod:`helpers.plotting`'s.
"""

from __future__ import annotations

import io

import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.colors import to_rgba
from matplotlib.markers import MarkerStyle
from matplotlib.transforms import offset_copy

from ._validation import check_axes
from .dendrogram import MIN_FONT_SIZE, fancy_dendrogram
from .plotting import _EDGE as EDGE_COLOUR

__all__ = ["ExplorerView", "figure_png", "LEAF_FONT_SIZE", "HEADROOM"]

#: The largest size of the leaf labels, in points. They are written upright,
#: only when each leaf has room for a label of at least
#: :data:`helpers.dendrogram.MIN_FONT_SIZE` (8) points.
LEAF_FONT_SIZE = 10.0

# An upright label needs this many times its font size across: its line
# height, plus a little air.
_ROOM_PER_LABEL = 1.3
# Gap, in points, between the axis and the strip of leaf markers, and between
# the strip and the leaf labels.
_STRIP_GAP = 2.0
# The leaf markers' size, in points across: at most this, and at most 80 %
# of the room of a leaf.
_STRIP_MARKER_MAX = 7.0
_STRIP_MARKER_MIN = 2.0
# Above the highest merge, room for its height label beside its dot (SciPy
# leaves 5 %, where a label fits only far from the dot): the distance axis
# goes up to this many times the highest merge.
HEADROOM = 1.15
# The cut line is kept this far below the top of the distance axis (as a
# multiple of the cut-off), so that it is never drawn on the axes' frame.
_CUT_ROOM = 1.05


def _as_axes_pair(axes):
    """The two axes of `axes`, each checked, or a TypeError naming `axes`."""
    try:
        pair = list(np.ravel(np.asarray(axes, dtype=object)))
    except (TypeError, ValueError):  # an object whose __array__ raises (tested)
        pair = []
    if len(pair) != 2:
        raise TypeError(
            f"axes must be a pair of Matplotlib axes (dendrogram, scatter plot), "
            f"for example fig.subplots(1, 2); got {type(axes).__name__}"
            + (f" of {len(pair)}." if len(pair) != 1 else ".")
        )
    for index, ax in enumerate(pair):
        if ax is None:
            raise TypeError(f"axes[{index}] must be a Matplotlib Axes; got None.")
        check_axes(ax, f"axes[{index}]")
    if pair[0] is pair[1]:
        raise TypeError("axes must be two different axes: the dendrogram and the scatter plot "
                        "cannot share one.")
    return pair


def _marker_path(marker):
    """The path Matplotlib's scatter draws for `marker`, at size 1."""
    style = MarkerStyle(marker)
    return style.get_path().transformed(style.get_transform())


class ExplorerView:
    """A cut of a :class:`~helpers.explorer.CutoffExplorer`'s tree, drawn on two axes.

    Made by :meth:`helpers.explorer.CutoffExplorer.draw`.

    Parameters
    ----------
    explorer : helpers.explorer.CutoffExplorer
        The model to draw.
    max_d : float
        The cut-off distance, 0 or more.
    axes : pair of matplotlib.axes.Axes
        Where to draw the dendrogram and the scatter plot, for example
        ``fig.subplots(1, 2)``. Both are checked before anything is drawn.

    Attributes
    ----------
    explorer : CutoffExplorer
    cut : helpers.explorer.Cut
        The cut drawn now.
    figure : matplotlib.figure.Figure
    tree : dict
        What :func:`helpers.fancy_dendrogram` returned.
    cut_line : matplotlib.lines.Line2D
        The dashed cut-off line.
    links : matplotlib.collections.LineCollection
        Every link of the dendrogram, in the order of ``tree["icoord"]``.
    merge_dots : matplotlib.collections.PathCollection or None
        The dots of the annotated merges (``tree["merge_dots"]``).
    dot_links : ndarray of int
        For each merge dot, the index of its link.
    leaf_x : ndarray
        The x of each leaf, left to right.
    leaves : matplotlib.collections.PathCollection
        The strip of markers under the leaves, one per leaf.
    leaf_labels : bool
        Whether the leaves are labelled (only when there is room).
    scatter : matplotlib.collections.PathCollection
        The samples.
    title : matplotlib.text.Text
        The scatter plot's title, which states the number of clusters.

    Raises
    ------
    TypeError
        If `axes` is not a pair of two Matplotlib axes, or `max_d` is not a
        number.
    ValueError
        If `max_d` is negative, NaN or infinite.
    """

    def __init__(self, explorer, max_d, axes):
        cut = explorer.cut(max_d)
        ax_tree, ax_points = _as_axes_pair(axes)
        self.explorer, self.figure = explorer, ax_tree.figure
        self._rgba, self._paths = {}, {}

        # Leaf labels only if they fit, upright, side by side, at 8 points or more.
        width_pt = ax_tree.get_position().width * self.figure.get_figwidth() * 72
        room = width_pt / explorer.n_leaves
        font_size = min(LEAF_FONT_SIZE, room / _ROOM_PER_LABEL)
        self.leaf_labels = bool(font_size >= MIN_FONT_SIZE)
        labels = ({"leaf_rotation": 90, "leaf_font_size": font_size}
                  if self.leaf_labels else {"no_labels": True})
        before = set(ax_tree.collections)
        title = f"Dendrogram ({explorer.method} linkage)"
        if explorer.truncate_p:
            # truncate_mode='lastp' draws p leaves, joined by the last p - 1 merges.
            title += f", truncated to {explorer.truncate_p} leaves"
        self.tree = tree = fancy_dendrogram(
            explorer.Z, ax=ax_tree, max_d=cut.max_d, annotate_above=explorer.annotate_above,
            title=title, **labels, **explorer.dendrogram_kwargs)
        self.cut_line = tree["cut_line"]
        self.merge_dots = tree["merge_dots"][0] if tree["merge_dots"] else None
        # The height labels stay inside the axes (the label placer hides one
        # that would not): a layout engine need not measure them, twice per
        # picture, before they are placed.
        for label in tree["height_labels"]:
            label.set_in_layout(False)
        self._ax_tree = ax_tree
        bottom, top = ax_tree.get_ylim()
        if HEADROOM * explorer.max_height > top:
            ax_tree.set_ylim(bottom, HEADROOM * explorer.max_height)
        self._top = self._base_top = ax_tree.get_ylim()[1]

        # SciPy draws one LineCollection per colour, which a new cut would
        # regroup: draw the same links as one collection, one colour each, so
        # that a new cut only changes colours.
        scipy_links = [c for c in ax_tree.collections
                       if c not in before and isinstance(c, LineCollection)]
        style = ({"linewidths": scipy_links[0].get_linewidths(),
                  "zorder": scipy_links[0].get_zorder()} if scipy_links else {})
        for collection in scipy_links:
            collection.remove()
        icoord, dcoord = np.asarray(tree["icoord"]), np.asarray(tree["dcoord"])
        if not np.array_equal(dcoord[:, 1], explorer._height[explorer._link_nodes]):
            # pragma: no cover - only a SciPy that draws links in another order
            raise RuntimeError(
                "the dendrogram drew its links in another order than the explorer read "
                "them: please report this, with your SciPy version."
            )
        segments = np.stack([icoord, dcoord], axis=-1)
        self.links = ax_tree.add_collection(LineCollection(segments, **style))

        # Which link each merge dot belongs to: the one whose merge it marks.
        merge_of_link = {(x, y): i for i, (x, y) in
                         enumerate(zip(0.5 * (icoord[:, 1] + icoord[:, 2]), dcoord[:, 1], strict=True))}
        offsets = [] if self.merge_dots is None else self.merge_dots.get_offsets()
        self.dot_links = np.array([merge_of_link[(x, y)] for x, y in offsets], dtype=np.intp)

        # Under the leaves, just below the axis, a strip of markers; the leaf
        # labels (or the axis label) move down to make room for it.
        links, sides = explorer._leaf_legs()
        self.leaf_x = icoord[links, sides]
        across = float(np.clip(0.8 * room, _STRIP_MARKER_MIN, _STRIP_MARKER_MAX))
        below_axis = offset_copy(ax_tree.get_xaxis_transform(), fig=self.figure,
                                 y=-(_STRIP_GAP + across / 2), units="points")
        self.leaves = ax_tree.scatter(
            self.leaf_x, np.zeros(len(self.leaf_x)), s=across**2, transform=below_axis,
            marker="s", edgecolors=EDGE_COLOUR, linewidths=0.4 if across >= 4 else 0.0,
            clip_on=False, zorder=3)
        ax_tree.tick_params(axis="x", length=0, pad=across + 2 * _STRIP_GAP)
        if not self.leaf_labels:
            ax_tree.xaxis.labelpad += across + 2 * _STRIP_GAP
            what = "leaves" if explorer.truncate_p else "samples"
            ax_tree.set_xlabel(f"the {explorer.n_leaves} {what}, in dendrogram order")

        self.scatter = ax_points.scatter(
            explorer.points[:, 0], explorer.points[:, 1], s=30, marker="o",
            edgecolors=EDGE_COLOUR, linewidths=0.5)
        ax_points.set_xlabel(explorer.point_labels[0])
        ax_points.set_ylabel(explorer.point_labels[1])
        self.title = ax_points.set_title(cut.summary)
        self._paint(cut)

    def _colours(self, names):
        """RGBA rows for a list of colour names, converting each name once."""
        for name in names:
            if name not in self._rgba:
                self._rgba[name] = to_rgba(name)
        return np.array([self._rgba[name] for name in names]).reshape(-1, 4)

    def _markers(self, markers):
        for marker in markers:
            if marker not in self._paths:
                self._paths[marker] = _marker_path(marker)
        return [self._paths[marker] for marker in markers]

    def _keep_the_cut_in_view(self, max_d):
        """Raise the top of the distance axis when the cut line would be above
        it (or on its frame), and lower it back, no further than it was
        drawn, once the cut comes down; limits set by the caller are left
        alone while the line is in view."""
        bottom, top = self._ax_tree.get_ylim()
        wanted = _CUT_ROOM * max_d
        if top == self._top:  # the top this view set: follow the cut
            new_top = max(self._base_top, wanted)
        else:  # the caller's own limits: only keep the line in view
            new_top = max(top, wanted)
        if new_top != top and new_top > bottom:
            self._ax_tree.set_ylim(bottom, new_top)
        self._top = self._ax_tree.get_ylim()[1]

    def _paint(self, cut):
        self.cut = cut
        self._keep_the_cut_in_view(cut.max_d)
        self.cut_line.set_ydata([cut.max_d, cut.max_d])
        link_colours = self._colours(cut.link_colors)
        self.links.set_colors(link_colours)
        if self.merge_dots is not None:
            self.merge_dots.set_facecolors(link_colours[self.dot_links])
        self.leaves.set_facecolors(self._colours(cut.leaf_colors))
        self.leaves.set_paths(self._markers(cut.leaf_markers))
        self.scatter.set_facecolors(self._colours(cut.sample_colors))
        self.scatter.set_paths(self._markers(cut.sample_markers))
        self.title.set_text(cut.summary)

    def update(self, max_d):
        """Move the cut to `max_d`, changing the drawn artists in place.

        Parameters
        ----------
        max_d : float
            The new cut-off distance, 0 or more.

        Returns
        -------
        helpers.explorer.Cut
            The new cut. The figure is not redrawn: call
            ``fig.canvas.draw_idle()``, or save it again.

        Raises
        ------
        TypeError
            If `max_d` is not a number.
        ValueError
            If `max_d` is negative, NaN or infinite (the picture is left as
            it was).

        Notes
        -----
        A cut above the top of the distance axis raises it, so that the cut
        line stays in view; when the cut comes down again, the axis comes
        back down, to where it was drawn at the lowest. Limits you set
        yourself (``ax.set_ylim``) are kept while the line is inside them.

        Examples
        --------
        >>> from matplotlib.figure import Figure
        >>> from helpers.explorer import CutoffExplorer
        >>> explorer = CutoffExplorer([[0.0, 0.0], [0.0, 1.0], [5.0, 5.0], [5.0, 6.0]], "single")
        >>> view = explorer.draw(10.0, Figure().subplots(1, 2))
        >>> view.title.get_text()
        '1 cluster at max_d = 10.00'
        >>> scatter = view.scatter
        >>> view.update(2.0).k
        2
        >>> view.scatter is scatter, view.title.get_text()
        (True, '2 clusters at max_d = 2.00')
        """
        cut = self.explorer.cut(max_d)
        self._paint(cut)
        return cut


def figure_png(fig, *, description=None):
    """The figure as PNG bytes, for an image widget or a file.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    description : str, optional
        What the picture shows, stored in the PNG as its ``Description``
        text (for example the cut's summary, so that whoever reads the file
        can tell which cut it shows). Default: none.

    Returns
    -------
    bytes
        The PNG file, at the figure's own DPI.

    Raises
    ------
    TypeError
        If `fig` is not a Matplotlib figure, or `description` is not a string.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> figure_png(Figure(figsize=(1, 1)))[:4]
    b'\\x89PNG'
    >>> b"2 clusters" in figure_png(Figure(figsize=(1, 1)), description="2 clusters")
    True
    """
    from matplotlib.figure import Figure

    if not isinstance(fig, Figure):
        raise TypeError(
            f"fig must be a Matplotlib Figure (for example view.figure); got "
            f"{type(fig).__name__}."
        )
    metadata = None
    if description is not None:
        if not isinstance(description, str):
            raise TypeError(f"description must be a str; got {type(description).__name__}.")
        metadata = {"Description": description}
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", metadata=metadata)
    return buffer.getvalue()
