"""What tools/claims.py measures on a figure as the kernel renders it.

Loaded by path inside the chapter's kernel (``tools.claims.KERNEL_SETUP``),
so it needs only Matplotlib and NumPy, and imports nothing of the course.
:func:`audit_figure` returns plain JSON: for each axes, its title, the cut
lines that come too close to a merge of a dendrogram, the numeric height
labels with the heights they stand at, and the scatter plots' groups by
colour and marker.
"""

import numpy as np
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.markers import MarkerStyle
from matplotlib.text import Annotation

#: How close, in pixels at the stored size, a cut line may come to a merge (as tools.claims).
MIN_CUT_CLEARANCE_PX = 6.0


def audit_figure(fig):
    """Measure every axes of a rendered figure (see the module's docstring)."""
    return {"axes": [_audit_axes(ax) for ax in fig.axes if ax.get_visible()]}


def _audit_axes(ax):
    return {
        "title": ax.get_title(),
        "close_cuts": _close_cuts(ax),
        "height_labels": _height_labels(ax),
        "scatter_groups": _scatter_groups(ax),
    }


def _cut_heights(ax):
    """Heights of the dashed horizontal lines that span the axes (axhline), as cut lines are drawn."""
    heights = []
    for line in ax.get_lines():
        x, y = (np.asarray(v, dtype=float) for v in line.get_data())
        if (len(y) == 2 and y[0] == y[1] and line.get_linestyle() in ("--", "dashed")
                and line.get_transform() == ax.get_yaxis_transform()):
            heights.append(float(y[0]))
    return heights


def _merge_segments(ax):
    """(height, x0, x1) of the horizontal bar of every U-shaped link a dendrogram drew."""
    bars = []
    for collection in ax.collections:
        if not isinstance(collection, LineCollection):
            continue
        for segment in collection.get_segments():
            if len(segment) == 4 and segment[1][1] == segment[2][1]:
                bars.append((float(segment[1][1]), float(segment[1][0]), float(segment[2][0])))
    return bars


def _close_cuts(ax):
    found = []
    bars = _merge_segments(ax)
    if not bars:
        return found
    (x_low, x_high), (y_low, y_high) = sorted(ax.get_xlim()), sorted(ax.get_ylim())
    to_pixels = ax.transData.transform
    for cut in _cut_heights(ax):
        if not y_low <= cut <= y_high:
            continue
        cut_px = to_pixels((x_low, cut))[1]
        for height, x0, x1 in bars:
            if not (y_low <= height <= y_high) or max(x0, x1) < x_low or min(x0, x1) > x_high:
                continue
            gap = abs(to_pixels((x_low, height))[1] - cut_px)
            if gap < MIN_CUT_CLEARANCE_PX:
                found.append([cut, height, float(gap)])
    return found


def _height_labels(ax):
    """[height, text] of every visible numeric annotation of a dendrogram, at the height it points to.

    Only axes that hold a dendrogram's links (drawn upwards) count: elsewhere
    a number written on a figure (a sample's index beside its dot) is no height.
    """
    found = []
    if not _merge_segments(ax):
        return found
    for text in ax.texts:
        if not isinstance(text, Annotation) or not text.get_visible():
            continue
        try:
            float(text.get_text().replace(",", ""))
        except ValueError:
            continue
        found.append([float(text.xy[1]), text.get_text()])
    return found


def _hex(rgba):
    return "#" + "".join(f"{round(float(c) * 255):02x}" for c in rgba[:3])


def _marker_paths():
    """{name: vertices} of Matplotlib's filled markers, to name a scatter's marker."""
    found = {}
    for name in "o s ^ v < > D d p h H 8 * P X".split():
        style = MarkerStyle(name)
        found[name] = np.round(style.get_path().transformed(style.get_transform()).vertices, 3)
    return found


def _marker_name(path):
    """A marker's name ("o", "s", "^"...), or a description of its path when it has none."""
    vertices = np.round(path.vertices, 3)
    for name, known in _MARKERS.items():
        if known.shape == vertices.shape and np.array_equal(known, vertices):
            return name
    return f"a path of {len(vertices)} points"


_MARKERS = _marker_paths()


def _scatter_groups(ax):
    """[[colour, marker], points] for every colour and marker of the axes' scatter plots.

    A scatter plot may give each point its own colour (and, with several
    paths, its own marker): its points are grouped by the pair.
    """
    groups = {}
    for collection in ax.collections:
        if not isinstance(collection, PathCollection):
            continue
        offsets = np.asarray(collection.get_offsets(), dtype=float)
        colours, paths = collection.get_facecolor(), collection.get_paths()
        if offsets.ndim != 2 or not len(offsets) or len(colours) not in (1, len(offsets)) \
                or len(paths) not in (1, len(offsets)):
            continue
        names = [_marker_name(path) for path in paths]
        for i, point in enumerate(np.round(offsets, 9).tolist()):
            style = (_hex(colours[i % len(colours)]), names[i % len(names)])
            groups.setdefault(style, []).append(point)
    return [[list(style), points] for style, points in groups.items()]
