"""The annotated dendrogram: SciPy's dendrogram plus merge heights and a cut-off line."""

from __future__ import annotations

import inspect
import numbers

import matplotlib as mpl
import numpy as np
from matplotlib.artist import Artist
from matplotlib.font_manager import FontProperties
from matplotlib.transforms import Bbox
from scipy.cluster import hierarchy
from scipy.cluster.hierarchy import dendrogram

from ._validation import as_distance, as_linkage, check_axes, current_axes
from .plotting import CUT_LINE_COLOUR

__all__ = ["fancy_dendrogram", "DEFAULT_ANNOTATED", "MAX_LABELLED_LEAVES", "MIN_FONT_SIZE"]

#: By default, only this many of the highest merges are annotated.
DEFAULT_ANNOTATED = 30

#: By default, a tree with more leaves than this is drawn without leaf labels:
#: at a readable size they would overlap, and drawing them is slow.
MAX_LABELLED_LEAVES = 100

#: The smallest font, in points, for leaf and height labels.
MIN_FONT_SIZE = 8.0

ORIENTATIONS = ("top", "bottom", "left", "right")

# Gaps, in points, between a merge's dot and its height label.
_GAP_BELOW = 5.0
_GAP_BESIDE = 3.0

# The area of a merge's dot, in points squared (Matplotlib's scatter size).
_DOT_SIZE = 30.0


# -- SciPy's dendrogram, for a tree of any depth --------------------------------
# SciPy's ``dendrogram`` walks the tree recursively, one Python call per level:
# a tree deeper than Python's recursion limit (about 1000 levels; single
# linkage on a thousand samples or more easily makes one) raises
# RecursionError. `_dendrogram` computes the same layout with an explicit
# stack, and draws it with SciPy's own drawing routine, so that nothing
# changes but the depth it can take; the recursion limit is never touched.
# Both SciPy names it reads are private (present from SciPy 1.0 to 1.17 at
# least): without them it falls back on SciPy's public dendrogram.
_plot_dendrogram = getattr(hierarchy, "_plot_dendrogram", None)

TRUNCATE_MODES = (None, "none", "lastp", "level", "mtica")

#: Past this many contraction marks (``show_contracted=True`` on a big tree),
#: `_dendrogram` draws them as one collection of the same ellipses: SciPy
#: adds one patch per mark, which took 30 s for the 20,000 marks of a
#: truncated single-linkage tree of 20,000 samples.
MANY_CONTRACTION_MARKS = 500


def _draw_contraction_marks(ax, marks, top, orientation):
    """SciPy's contraction marks, the same half-transparent black ellipses, as one collection."""
    from matplotlib.collections import EllipseCollection

    along, height = np.asarray(marks, dtype=float).T  # along the leaves, and the merge's height
    size = (top + top * 0.05) / 100  # SciPy's: a hundredth of the distance axis
    if orientation in ("left", "right"):
        offsets, widths, heights = np.column_stack([height, along]), np.full(len(marks), size), np.ones(len(marks))
    else:
        offsets, widths, heights = np.column_stack([along, height]), np.ones(len(marks)), np.full(len(marks), size)
    marks = EllipseCollection(widths, heights, np.zeros(len(marks)), units="xy", offsets=offsets,
                              offset_transform=ax.transData, facecolors="k", edgecolors="none", alpha=0.5)
    ax.add_collection(marks, autolim=False)


def _link_palette():
    """The colours SciPy gives the subtrees below the threshold (its link colour palette)."""
    return getattr(hierarchy, "_link_line_colors", None)


def _dendrogram(Z, p=30, truncate_mode=None, color_threshold=None, get_leaves=True,
                orientation="top", labels=None, count_sort=False, distance_sort=False,
                show_leaf_counts=True, no_plot=False, no_labels=False, leaf_font_size=None,
                leaf_rotation=None, leaf_label_func=None, show_contracted=False,
                link_color_func=None, ax=None, above_threshold_color="C0"):
    """:func:`scipy.cluster.hierarchy.dendrogram` for a tree of any depth (no checks of `Z`).

    Takes the same arguments and returns the same dictionary, with the same
    values in the same order, and draws the same artists (but past
    :data:`MANY_CONTRACTION_MARKS` contraction marks, one collection of the
    same ellipses instead of one patch each); it calls
    `link_color_func` and `leaf_label_func` for the same nodes in the same
    order. Where SciPy recurses once per level of the tree, and so raises
    RecursionError on a tree deeper than Python's recursion limit, this
    walks the tree with an explicit stack: any depth, the recursion limit
    untouched, and about twice as fast as SciPy's (which re-reads its array
    namespace at every node). `Z` must already be checked
    (:func:`helpers._validation.as_linkage`). With ``get_leaves=False``,
    ``"leaves"`` is None (where SciPy 1.17 raises a TypeError).

    For the helpers that draw a tree (:func:`fancy_dendrogram`, the
    interactive explorer): every dendrogram of a tree the learner made goes
    through here.

    Examples
    --------
    A chain of 3000 samples is 2999 levels deep, three times Python's
    default recursion limit:

    >>> import sys
    >>> from scipy.cluster.hierarchy import linkage
    >>> Z = linkage(np.arange(3000.0).reshape(-1, 1) ** 1.5, "single")
    >>> tree = _dendrogram(Z, no_plot=True)
    >>> len(tree["icoord"]), tree["leaves"][:3], sys.getrecursionlimit() < 3000
    (2999, [2999, 2998, 2997], True)
    """
    palette = _link_palette()
    if palette is None or (_plot_dendrogram is None and not no_plot):  # pragma: no cover
        return dendrogram(Z, p=p, truncate_mode=truncate_mode, color_threshold=color_threshold,
                          get_leaves=get_leaves, orientation=orientation, labels=labels,
                          count_sort=count_sort, distance_sort=distance_sort,
                          show_leaf_counts=show_leaf_counts, no_plot=no_plot, no_labels=no_labels,
                          leaf_font_size=leaf_font_size, leaf_rotation=leaf_rotation,
                          leaf_label_func=leaf_label_func, show_contracted=show_contracted,
                          link_color_func=link_color_func, ax=ax,
                          above_threshold_color=above_threshold_color)
    n = Z.shape[0] + 1
    if orientation not in ORIENTATIONS:
        raise ValueError(f"orientation must be one of {ORIENTATIONS}; got {orientation!r}.")
    if labels is not None and len(labels) != n:
        raise ValueError(f"labels must hold one label per sample ({n}); got {len(labels)}.")
    if isinstance(p, (bool, np.bool_)) or not isinstance(p, numbers.Real):
        raise TypeError(f"p must be a number; got {p!r}.")
    p = int(p)
    if truncate_mode not in TRUNCATE_MODES:
        raise ValueError(f"truncate_mode must be one of {TRUNCATE_MODES}; got {truncate_mode!r}.")
    # SciPy's own reading of p and truncate_mode:
    if truncate_mode == "lastp" and (p > n or p == 0):
        p = n
    if truncate_mode == "mtica":
        truncate_mode = "level"
    if truncate_mode == "level" and p <= 0:
        p = np.inf
    if color_threshold is None or (isinstance(color_threshold, str) and color_threshold == "default"):
        color_threshold = np.max(Z[:, 2]) * 0.7

    icoord, dcoord, colours, ivl = [], [], [], []
    leaves = []
    contraction_marks = [] if show_contracted else None
    state = {"colour": 0, "below": False}  # SciPy's current_color and currently_below_threshold

    def leaf(i):
        leaves.append(int(i))
        if leaf_label_func:
            ivl.append(leaf_label_func(int(i)))
        elif labels is not None:
            ivl.append(labels[int(i - n)])  # i - n < 0: SciPy's own way of writing labels[i]
        else:
            ivl.append(str(int(i)))

    def contracted(i, iv):
        leaves.append(int(i))
        if leaf_label_func:
            ivl.append(leaf_label_func(int(i)))
        elif show_leaf_counts:
            ivl.append("(" + str(np.asarray(Z[i - n, 3], dtype=np.int64)) + ")")
        else:
            ivl.append("")
        if contraction_marks is not None:
            # Every merge inside the contracted cluster, in SciPy's (pre-)order.
            stack = [int(Z[i - n, 1]), int(Z[i - n, 0])]
            while stack:
                node = stack.pop()
                if node >= n:
                    contraction_marks.append((iv + 5.0, Z[node - n, 2]))
                    stack += [int(Z[node - n, 1]), int(Z[node - n, 0])]
        return (iv + 5.0, 10.0, 0.0, Z[i - n, 2])

    def visit(i, iv, level):
        """One node, as SciPy's _dendrogram_calculate_info: each `yield` is its recursive call."""
        if truncate_mode == "lastp" and 2 * n - p > i >= n:
            return contracted(i, iv)
        if truncate_mode == "level" and i > n and level > p:
            return contracted(i, iv)
        if i < n:
            leaf(i)
            return (iv + 5.0, 10.0, 0.0, 0.0)
        aa, ab = int(Z[i - n, 0]), int(Z[i - n, 1])
        na, da = (Z[aa - n, 3], Z[aa - n, 2]) if aa >= n else (1, 0.0)
        nb, db = (Z[ab - n, 3], Z[ab - n, 2]) if ab >= n else (1, 0.0)
        if count_sort == "ascending" or count_sort is True:
            ua, ub = (ab, aa) if na > nb else (aa, ab)
        elif count_sort == "descending":
            ua, ub = (aa, ab) if na > nb else (ab, aa)
        elif distance_sort == "ascending" or distance_sort is True:
            ua, ub = (ab, aa) if da > db else (aa, ab)
        elif distance_sort == "descending":
            ua, ub = (aa, ab) if da > db else (ab, aa)
        else:
            ua, ub = aa, ab
        uiva, uwa, uah, uamd = yield (ua, iv, level + 1)
        h = Z[i - n, 2]
        if h >= color_threshold or color_threshold <= 0:
            c = above_threshold_color
            if state["below"]:
                state["colour"] = (state["colour"] + 1) % len(palette)
            state["below"] = False
        else:
            state["below"] = True
            c = palette[state["colour"]]
        uivb, uwb, ubh, ubmd = yield (ub, iv + uwa, level + 1)
        icoord.append([uiva, uiva, uivb, uivb])
        dcoord.append([uah, h, h, ubh])
        if link_color_func is not None:
            c = link_color_func(int(i))
            if not isinstance(c, str):
                raise TypeError(f"link_color_func must return a Matplotlib colour string; "
                                f"got {c!r} for node {int(i)}.")
        colours.append(c)
        return ((uiva + uivb) / 2, uwa + uwb, h, max(uamd, ubmd, h))

    # The trampoline: a stack of suspended visits instead of Python's call stack.
    calls, value = [visit(2 * n - 2, 0.0, 0)], None
    while calls:
        try:
            child = calls[-1].send(value)
        except StopIteration as done:
            calls.pop()
            value = done.value
        else:
            calls.append(visit(*child))
            value = None

    if not no_plot:
        many = contraction_marks is not None and len(contraction_marks) > MANY_CONTRACTION_MARKS
        if many and ax is None:
            import matplotlib.pyplot as plt

            ax = plt.gca()
        _plot_dendrogram(icoord, dcoord, ivl, p, n, np.max(Z[:, 2]), orientation, no_labels,
                         colours, leaf_font_size=leaf_font_size, leaf_rotation=leaf_rotation,
                         contraction_marks=None if many else contraction_marks, ax=ax,
                         above_threshold_color=above_threshold_color)
        if many:
            _draw_contraction_marks(ax, contraction_marks, np.max(Z[:, 2]), orientation)
    # SciPy's leaves_color_list: each leaf takes the colour of the link that stands on it.
    leaves_colours = [None] * len(leaves)
    for xs, ys, colour in zip(icoord, dcoord, colours, strict=True):
        for x, y in zip(xs, ys, strict=True):
            if y == 0.0 and x % 5 == 0 and x % 2 == 1:
                leaves_colours[(int(x) - 5) // 10] = colour
    return {"icoord": icoord, "dcoord": dcoord, "ivl": ivl,
            "leaves": leaves if get_leaves else None, "color_list": colours,
            "leaves_color_list": leaves_colours}


#: The arguments of SciPy's dendrogram that fancy_dendrogram passes on.
_DENDROGRAM_ARGUMENTS = tuple(name for name in inspect.signature(_dendrogram).parameters
                              if name not in ("Z", "ax"))


def _check_dendrogram_kwargs(Z, kwargs):
    """Refuse, by name, what SciPy's dendrogram would refuse with a confusing message, or
    take silently: an unknown argument, truncation mode, colour threshold or set of labels."""
    unknown = sorted(set(kwargs) - set(_DENDROGRAM_ARGUMENTS))
    if unknown:
        raise TypeError(
            f"fancy_dendrogram got an unexpected argument {unknown[0]!r}: besides Z, ax, max_d, "
            f"annotate_above and title it takes the arguments of "
            f"scipy.cluster.hierarchy.dendrogram: {', '.join(_DENDROGRAM_ARGUMENTS)}."
        )
    mode = kwargs.get("truncate_mode")
    if mode is not None and not (isinstance(mode, str) and mode in TRUNCATE_MODES):
        raise ValueError(
            f"truncate_mode must be 'lastp' (show the last p merges), 'level' (show p levels "
            f"below the root) or None (the whole tree); got {mode!r}."
        )
    threshold = kwargs.get("color_threshold")
    if threshold is not None and not (isinstance(threshold, str) and threshold == "default"):
        if isinstance(threshold, (bool, np.bool_)) or not isinstance(threshold, numbers.Real):
            raise TypeError(
                f"color_threshold must be a height (a number: the links below it are "
                f"coloured by cluster) or None; got {threshold!r} of type "
                f"{type(threshold).__name__}. To cut at a height, pass max_d instead."
            )
        if not float(threshold) >= 0:
            raise ValueError(
                f"color_threshold must be a height of 0 or more (0 colours no cluster); "
                f"got {threshold}."
            )
    labels = kwargs.get("labels")
    if labels is not None:
        n = Z.shape[0] + 1
        if isinstance(labels, (str, bytes)) or not hasattr(labels, "__len__"):
            raise TypeError(
                f"labels must be a list of {n} names, one per sample (the rows of X); "
                f"got {type(labels).__name__}."
            )
        if len(labels) != n:
            raise ValueError(
                f"labels must hold one name per sample: {n} (Z has {n - 1} rows, so the tree "
                f"has {n} samples); got {len(labels)}."
            )


def _make_room_for_the_cut(ax, max_d, vertical):
    """Widen the distance axis so that the cut line at `max_d` shows.

    SciPy sets the distance axis to 5 % above the highest merge: a cut above
    that would be drawn outside the axes, and not be seen. The axis then
    reaches 5 % above the cut instead, in the direction SciPy drew it.
    """
    low, high = ax.get_ylim() if vertical else ax.get_xlim()
    if max_d < max(low, high):
        return
    top = max_d * 1.05 if max_d > 0 else 1.0
    limits = (top, min(low, high)) if low > high else (min(low, high), top)
    (ax.set_ylim if vertical else ax.set_xlim)(limits)


def _height_label(y):
    """Three significant figures, never in scientific notation.

    ``f"{y:.3g}"`` writes 1262.5 as "1.26e+03" (and 999.7 as "1e+03"), which
    is hard to read next to an axis in plain numbers; heights that round to
    1000 or more are written as whole numbers instead.
    """
    return f"{y:.3g}" if abs(y) < 999.5 else f"{y:.0f}"


def _check_p(p):
    if isinstance(p, (bool, np.bool_)) or not isinstance(p, numbers.Integral):
        raise TypeError(
            f"p must be a whole number of 1 or more (with truncate_mode='lastp', how "
            f"many leaves to show; with 'level', how many levels); got {p!r} of type "
            f"{type(p).__name__}."
        )
    if p < 1:
        raise ValueError(
            f"p must be 1 or more (with truncate_mode='lastp', how many leaves to "
            f"show; with 'level', how many levels); got {p}. SciPy would silently "
            f"draw the whole tree or a single leaf."
        )
    return int(p)


def _drawn_shape(Z, kwargs):
    """The number of leaves and the merge heights of the tree SciPy will draw."""
    n = Z.shape[0] + 1
    mode = kwargs.get("truncate_mode")
    if mode in (None, "none"):
        return n, Z[:, 2]
    if mode == "lastp":
        p = min(kwargs.get("p", 30), n)
        return p, Z[n - p:, 2]
    shape = _dendrogram(Z, **{**kwargs, "no_plot": True})
    return len(shape["ivl"]), np.array([ys[1] for ys in shape["dcoord"]])


def _default_annotate_above(heights):
    """Annotate the DEFAULT_ANNOTATED highest merges (ties may make it fewer)."""
    if len(heights) <= DEFAULT_ANNOTATED:
        return 0.0
    return float(np.sort(heights)[::-1][DEFAULT_ANNOTATED])


class _LabelPlacer(Artist):
    """Places the height labels each time the figure is drawn.

    Drawn before the labels (lowest z-order), it measures them with the
    renderer at the figure's final size and resolution, and moves or hides
    each one so that no label overlaps another label, the cut line, a link
    of the tree or a merge's dot, or sticks out of the axes.
    """

    zorder = -1e6  # drawn first, before the labels it places

    def __init__(self, ax, labels, heights, bars, links, cut_line, vertical):
        super().__init__()
        self._ax, self._labels, self._vertical = ax, labels, vertical
        self._order = sorted(range(len(heights)), key=lambda i: -heights[i])
        self._bars, self._links = bars, links
        self._cut_line = cut_line
        # SciPy draws the links with Matplotlib's default line width.
        self._link_width = float(mpl.rcParams["lines.linewidth"])

    def draw(self, renderer):
        if self._labels:
            _place_labels(self._ax, renderer, self._labels, self._order, self._bars,
                          self._links, self._link_width, self._cut_line, self._vertical)

    def get_window_extent(self, renderer=None):
        return Bbox.null()


def _boxes_meet(box, others):
    """Whether `box` ([x0, y0, x1, y1]) overlaps any row of `others` (same form)."""
    return bool(np.any((box[0] < others[:, 2]) & (others[:, 0] < box[2])
                       & (box[1] < others[:, 3]) & (others[:, 1] < box[3])))


def _link_boxes(ax, links, half_width):
    """The three segments of every link (its two legs and its bar), in display
    coordinates, each as the box [x0, y0, x1, y1] its drawn line covers."""
    corners = ax.transData.transform(links.reshape(-1, 2)).reshape(links.shape)
    starts, ends = corners[:, :-1].reshape(-1, 2), corners[:, 1:].reshape(-1, 2)
    return np.concatenate([np.minimum(starts, ends) - half_width,
                           np.maximum(starts, ends) + half_width], axis=1)


def _place_labels(ax, renderer, labels, order, bars, links, link_width, cut_line, vertical):
    """Move each label to the first free place, highest merge first.

    A place is free if the label's box, with a pixel to spare on every side,
    lies inside the axes and touches no label already placed, no link of the
    tree (its own merge's branches included), no other merge's dot, and not
    the cut line. The places tried, with `u` pointing from the merge towards
    its branches and `v` across them, on screen:

    0. centred between the two branches, just past the merge (the original
       tutorial's place);
    1. and 2. on the other side of the merge, next to the branch rising from
       it, to one side and then the other;
    3. and 4. level with the merge, outside its branches: beside the first
       branch, then beside the second.

    A label with no free place is hidden; one whose merge lies outside the
    axes' view limits (which Matplotlib does not draw) is left alone.
    """
    to_pixels = renderer.points_to_pixels(1.0)
    transform = ax.transData
    # `u`: from a merge towards its branches (lower distances), on screen;
    # SciPy inverts the distance axis for "bottom" and "left".
    if vertical:
        u = np.array([0, 1]) if ax.yaxis_inverted() else np.array([0, -1])
    else:
        u = np.array([1, 0]) if ax.xaxis_inverted() else np.array([-1, 0])
    v = np.abs(u[::-1])
    axis = 1 if vertical else 0  # the display axis along which distances run
    cut = None
    if cut_line is not None:
        height = max(cut_line.get_ydata() if vertical else cut_line.get_xdata())
        cut = transform.transform((height, height))[axis]
    margin = 1.0  # pixels kept free around each label
    frame = ax.bbox
    obstacles = _link_boxes(ax, links, link_width * to_pixels / 2)
    dots = transform.transform(np.array([label.xy for label in labels], dtype=float))
    dot_radius = np.sqrt(_DOT_SIZE) * to_pixels / 2
    dot_boxes = np.concatenate([dots - dot_radius, dots + dot_radius], axis=1)
    ends = transform.transform(bars.reshape(-1, 2)).reshape(bars.shape)
    placed = np.empty((len(labels), 4))  # [x0, y0, x1, y1] of each label kept
    kept = 0
    beside, below = _GAP_BESIDE * to_pixels, _GAP_BELOW * to_pixels
    for index in order:
        label = labels[index]
        label.set_visible(True)
        dot = dots[index]
        if not ax.contains_point(dot):
            continue
        label.set_horizontalalignment("center")
        label.set_verticalalignment("center")
        extent = label.get_window_extent(renderer)
        size = np.array([extent.width, extent.height])
        along, across = abs(size @ u), abs(size @ v)
        first, second = sorted(ends[index], key=lambda end: end @ v)
        candidates = (
            dot + u * (below + along / 2),
            dot - u * (beside + along / 2) + v * (beside + across / 2),
            dot - u * (beside + along / 2) - v * (beside + across / 2),
            first - v * (beside + across / 2),
            second + v * (beside + across / 2),
        )
        others = np.concatenate([placed[:kept], obstacles, np.delete(dot_boxes, index, axis=0)])
        chosen = None
        for centre in candidates:
            low, high = centre - size / 2 - margin, centre + size / 2 + margin
            box = np.concatenate([low, high])
            if not (frame.x0 <= low[0] and high[0] <= frame.x1
                    and frame.y0 <= low[1] and high[1] <= frame.y1):
                continue
            if cut is not None and low[axis] <= cut <= high[axis]:
                continue
            if _boxes_meet(box, others):
                continue
            chosen = centre, box
            break
        if chosen is None:
            label.set_visible(False)
            continue
        centre, box = chosen
        label.xyann = tuple((centre - dot) / to_pixels)
        placed[kept] = box
        kept += 1


def fancy_dendrogram(Z, *, ax=None, max_d=None, annotate_above=None, title=None, **kwargs):
    """Draw a dendrogram that writes its merge heights and marks a cut-off.

    A thin layer over :func:`scipy.cluster.hierarchy.dendrogram`: it accepts
    every argument of that function, draws the same tree, and adds

    - a dot and the height at every merge higher than `annotate_above`;
    - a dashed line across the tree at `max_d`, with the clusters below it
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
        Draw the cut-off line at this height, and colour each cluster that
        ``fcluster(Z, max_d, criterion='distance')`` gives in its own colour.
        Default: no line.
    annotate_above : float, optional
        Write the height of every merge strictly higher than this. Default:
        the :data:`DEFAULT_ANNOTATED` (30) highest merges of the drawn tree,
        or all of them in a smaller tree; pass 0 to annotate every merge.
    title : str, optional
        The axes title. Default: "Hierarchical clustering dendrogram", with
        "(truncated)" when `truncate_mode` is set.
    **kwargs
        Any other argument of :func:`scipy.cluster.hierarchy.dendrogram`,
        for example ``truncate_mode='lastp'``, ``p=12``,
        ``leaf_rotation=90``, ``show_contracted=True``,
        ``orientation='left'``. `leaf_font_size` defaults to SciPy's choice,
        but never below :data:`MIN_FONT_SIZE` (8) points; `no_labels`
        defaults to True for a tree of more than :data:`MAX_LABELLED_LEAVES`
        (100) leaves.

    Returns
    -------
    dict
        What :func:`scipy.cluster.hierarchy.dendrogram` returns (``icoord``,
        ``dcoord``, ``color_list``, ``leaves``, ``ivl``...), plus what this
        function drew:

        ``"merge_dots"``
            A list holding one ``PathCollection``: a dot per annotated merge,
            in the order of ``"height_labels"``, in its link's colour.
        ``"height_labels"``
            The ``matplotlib.text.Annotation`` of each annotated merge, in
            the order of ``icoord`` and ``dcoord`` (the links whose height is
            above `annotate_above`). A label hidden to avoid an overlap (see
            Notes) is in the list, with ``get_visible()`` False.
        ``"cut_line"``
            The ``Line2D`` drawn at `max_d`, or None.

    Raises
    ------
    TypeError
        If `ax` is not ordinary 2-D Matplotlib axes, a number is not a
        number, `p` is not a whole number, `labels` is not a list, or an
        argument is none of SciPy's ``dendrogram``.
    ValueError
        If `Z` is not a valid linkage matrix, `max_d`, `annotate_above` or
        `color_threshold` is negative, `p` is less than 1, `orientation` is
        not one of "top", "bottom", "left" or "right", `truncate_mode` is
        not 'lastp', 'level' or None, `labels` does not hold one name per
        sample, or `leaf_font_size` is below 8.

    See Also
    --------
    scipy.cluster.hierarchy.dendrogram : the function this one wraps.

    Notes
    -----
    **A merge exactly at max_d.** ``fcluster(Z, max_d, 'distance')`` and
    :func:`helpers.n_clusters_at` keep a merge whose height equals `max_d`
    (clusters are what merged at or below the cut), whereas SciPy's
    dendrogram colours only the links strictly below its `color_threshold`.
    So that the picture agrees with the count, the colour threshold is set
    to the next floating-point number above `max_d`.

    **Where the heights go.** Each label is first written between the two
    branches of its merge, just past the dot, as in the original tutorial.
    Labels are placed from the highest merge down, each time the figure is
    drawn (so at its final size and resolution). A place is taken if the
    label there would overlap a label already placed, cross the cut line,
    touch a link of the tree (its own merge's branches included: a label
    wider than the gap between them does not fit there) or another merge's
    dot, or stick out of the axes. From a taken place the label moves to
    the other side of its merge, next to the branch rising from it, on one
    side and then the other; then level with its merge, outside one branch
    and then the other. If all five places are taken, the label is hidden,
    and only the dot marks that merge: lower merges, the least important
    and the most crowded, are the ones hidden. A merge outside the axes'
    view limits (after ``ax.set_ylim``, say) is not drawn, and its label
    takes no place.

    **A cut above the tree.** SciPy ends the distance axis 5 % above the
    highest merge; a `max_d` at or above that would draw its line outside
    the axes, unseen. The axis then reaches 5 % above `max_d` instead.

    **Deep trees.** SciPy's ``dendrogram`` calls itself once per level of
    the tree, and a tree deeper than Python's recursion limit (about 1000
    levels: single linkage on a few thousand samples easily makes one)
    raises RecursionError. This function lays the tree out with the same
    rules but an explicit stack, and draws it with SciPy's own drawing
    code: any depth, and Python's recursion limit is never changed.

    **Large trees.** By default only the 30 highest merges are annotated,
    all dots are one artist, and above 100 leaves the leaves are left
    unlabelled: a tree of 5000 samples draws and renders about as fast as
    SciPy's own without leaf labels, some fifty times faster than SciPy's
    default, which writes 5000 leaf labels (``tools/bench.py``).

    **Colours.** The subtrees take :data:`helpers.PALETTE` in order, the
    links above the cut :data:`helpers.ABOVE_CUT_COLOUR`, and the cut line
    is black and dashed. The cluster colours come from SciPy's link colour
    palette, which ``import helpers`` sets once for the whole session
    (``scipy.cluster.hierarchy.set_link_color_palette``).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from scipy.cluster.hierarchy import linkage
    >>> Z = linkage([[0.0], [1.0], [5.0], [6.0]], "single")
    >>> fig, ax = plt.subplots()
    >>> tree = fancy_dendrogram(Z, ax=ax, max_d=2.5, annotate_above=0.5)
    >>> tree["ivl"]
    ['0', '1', '2', '3']
    >>> print([label.get_text() for label in tree["height_labels"]])
    ['1', '1', '4']
    >>> tree["cut_line"].get_ydata()
    [2.5, 2.5]
    >>> plt.close(fig)
    """
    check_axes(ax)
    Z = as_linkage(Z)
    _check_dendrogram_kwargs(Z, kwargs)
    if max_d is not None:
        max_d = as_distance(max_d, "max_d")
        kwargs.setdefault("color_threshold", float(np.nextafter(max_d, np.inf)))
    if annotate_above is not None:
        annotate_above = as_distance(annotate_above, "annotate_above")
    orientation = kwargs.get("orientation", "top")
    if orientation not in ORIENTATIONS:
        raise ValueError(
            f"orientation must be one of {', '.join(repr(o) for o in ORIENTATIONS)} "
            f"(where the root of the tree is drawn); got {orientation!r}."
        )
    if "p" in kwargs:
        kwargs["p"] = _check_p(kwargs["p"])
    if kwargs.get("leaf_font_size") is not None:
        size = kwargs["leaf_font_size"]
        if isinstance(size, (bool, np.bool_)) or not isinstance(size, numbers.Real):
            raise TypeError(f"leaf_font_size must be a number of points; got {size!r}.")
        if not size >= MIN_FONT_SIZE:
            raise ValueError(
                f"leaf_font_size must be at least {MIN_FONT_SIZE:g} points to stay readable; "
                f"got {size}. To fit many leaves, truncate the tree (truncate_mode='lastp') "
                f"or leave the leaves unlabelled (no_labels=True)."
            )

    if kwargs.get("no_plot"):
        tree = _dendrogram(Z, **kwargs)
        tree.update(merge_dots=[], height_labels=[], cut_line=None)
        return tree

    # The drawn tree's leaves and merge heights decide two defaults.
    n_leaves, heights = _drawn_shape(Z, kwargs)
    if "no_labels" not in kwargs and n_leaves > MAX_LABELLED_LEAVES:
        kwargs["no_labels"] = True
    if kwargs.get("leaf_font_size") is None:
        scipy_size = 12 if n_leaves <= 20 else 10 if n_leaves <= 30 else MIN_FONT_SIZE
        kwargs["leaf_font_size"] = scipy_size
    if annotate_above is None:
        annotate_above = _default_annotate_above(heights)

    if ax is None:
        ax = current_axes()
    tree = _dendrogram(Z, ax=ax, **kwargs)

    vertical = orientation in ("top", "bottom")
    truncated = kwargs.get("truncate_mode") not in (None, "none")
    if title is None:
        title = "Hierarchical clustering dendrogram" + (" (truncated)" if truncated else "")
    ax.set_title(title)
    if kwargs.get("no_labels"):
        leaf_label = f"the {n_leaves} leaves, in dendrogram order (unlabelled)"
    else:
        leaf_label = "sample index or (cluster size)" if truncated else "sample index"
    if vertical:
        ax.set_xlabel(leaf_label)
        ax.set_ylabel("distance")
    else:
        ax.set_xlabel("distance")
        ax.set_ylabel(leaf_label)
    # Keep the leaf axis's label on the side where SciPy writes the leaves.
    if orientation == "bottom":
        ax.xaxis.set_label_position("top")
    elif orientation == "left":
        ax.yaxis.set_label_position("right")
    ax.grid(False, axis="x" if vertical else "y")

    # Each link is drawn as a U whose flat side, the bar, is the merge: its
    # corners in the axes' (x, y), and the dot in the middle of the bar.
    links = np.stack([np.asarray(tree["icoord"], dtype=float).reshape(-1, 4),
                      np.asarray(tree["dcoord"], dtype=float).reshape(-1, 4)], axis=-1)
    if not vertical:
        links = links[..., ::-1]
    annotated = [i for i, ys in enumerate(tree["dcoord"]) if ys[1] > annotate_above]
    bars = links[annotated][:, 1:3]
    points = [tuple(bar.mean(axis=0)) for bar in bars]
    colours = [tree["color_list"][i] for i in annotated]
    heights = [tree["dcoord"][i][1] for i in annotated]
    font_size = max(MIN_FONT_SIZE, FontProperties(size="small").get_size_in_points())
    # Until the figure is drawn (and _LabelPlacer measures them), each label
    # sits just past its dot, between the merge's two branches.
    offset, ha, va = {
        "top": ((0, -_GAP_BELOW), "center", "top"),
        "bottom": ((0, _GAP_BELOW), "center", "bottom"),
        "left": ((_GAP_BELOW, 0), "left", "center"),
        "right": ((-_GAP_BELOW, 0), "right", "center"),
    }[orientation]
    labels = [
        ax.annotate(_height_label(height), point, xytext=offset, textcoords="offset points",
                    ha=ha, va=va, fontsize=font_size, zorder=4)
        for point, height in zip(points, heights, strict=True)
    ]
    merge_dots = []
    if points:
        xy = np.asarray(points, dtype=float)
        merge_dots.append(ax.scatter(xy[:, 0], xy[:, 1], c=colours, s=_DOT_SIZE, zorder=3,
                                     linewidths=0))
    cut_line = None
    if max_d is not None:
        _make_room_for_the_cut(ax, max_d, vertical)
        line = ax.axhline if vertical else ax.axvline
        cut_line = line(max_d, color=CUT_LINE_COLOUR, linestyle="--", linewidth=1)
    ax.add_artist(_LabelPlacer(ax, labels, heights, bars, links, cut_line, vertical))
    tree.update(merge_dots=merge_dots, height_labels=labels, cut_line=cut_line)
    return tree
