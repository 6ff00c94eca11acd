"""What the course's regenerate command measures on a figure as it is rendered.

:mod:`helpers.figures` calls :func:`measure` on every figure of a chapter
when the regenerate command runs it (``describe_figures(measure_fonts=True)``,
never in a learner's session); the command stores the result in the
figure output's ``metadata["course"]``, and the authors' figure checks
judge it, without a kernel (they live in the course's repository, not in
this package). This module only measures, in pixels at the stored size and
in the data's own units; the limits are the checks'.

What it records, each only where there is something to record:

``smallest_pt``, ``smallest_text``, ``dpi``
    the smallest text drawn, in points, and the figure's resolution;
``panels``
    one entry per visible axes that has something to record: its number
    among the figure's visible axes (``panel``, from 1), its ``title``; for a
    scatter plot of samples (points that are all rows of one array of the
    session, of shape (n, 2) with n >= 10, such as ``X``), how many it
    shows (``samples``) and the axes' ``aspect``; for each dashed line
    across a dendrogram's distance axis, a cut line, the merges and merge
    dots within :data:`NEAR_PX` of it (``cuts``: ``[cut, [[what, height,
    pixels], ...]]``, pixels from the line to the bar, or to the dot's
    edge); the numbers written at a dendrogram's merges (``heights``:
    ``[height, text]``); and, in a figure of two panels or more that
    scatter points, which points each colour and marker marks
    (``groups``: ``{"points": fingerprint of the panel's points, "styles":
    [[colour, marker], ...], "labels": one character per point, in a fixed
    order of the points, naming its style}``);
``legs``
    in a dendrogram of at most :data:`MAX_READ_LEAVES` leaves, each leg from
    a merge up to the next, one of the two labelled with its height, that
    is shorter than :data:`NEAR_PX` in every panel of the figure (any
    dendrogram that draws the same two merges counts): ``[lower height,
    upper height, pixels]``, the pixels of the panel that shows it tallest;
``crossings``
    the texts a connector line (an inset's, a ``ConnectionPatch``) runs
    into, within a pixel.

Needs Matplotlib and NumPy only. Every number is rounded, so that two runs
store the same bytes.
"""

from __future__ import annotations

import hashlib

import numpy as np

#: What lies within this many pixels of a cut line, or a leg shorter than
#: this, is recorded; the check's limits must stay below it.
NEAR_PX = 12.0
#: Legs are read only in trees of at most this many leaves (a truncated tree
#: meant to be read): a full tree's fringe of merges is too close by nature.
MAX_READ_LEAVES = 30
#: A scatter plot of samples: rows of an array of the session of at least this many rows.
MIN_SAMPLE_ROWS = 10
#: Groups of points are recorded for panels of at most this many points.
MAX_GROUPED_POINTS = 5000
_STYLE_CODES = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


def measure(fig, namespace=None, fonts=None):
    """The layout facts of a rendered figure, as plain JSON (see the module's docstring).

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        A figure that has just been rendered (its layout done).
    namespace : dict, optional
        The session's variables, where the samples' arrays are found.
    fonts : dict, optional
        The smallest text's record, kept as it is.
    """
    found = dict(fonts or {})
    renderer = fig.canvas.get_renderer()
    samples = _sample_rows(namespace or {})
    axes = [ax for ax in fig.axes if ax.get_visible()]
    panels = [{"panel": number, **_panel(ax, samples)} for number, ax in enumerate(axes, start=1)]
    grouped = [ax for ax in axes if _points_of(ax)]
    if len(grouped) >= 2:
        for ax, panel in zip(axes, panels, strict=True):
            groups = _groups(ax) if ax in grouped else None
            if groups:
                panel["groups"] = groups
    panels = [panel for panel in panels if len(panel) > 2]  # more than its number and title
    if panels:
        found["panels"] = panels
    legs = _short_legs(axes)
    if legs:
        found["legs"] = legs
    crossings = _crossings(fig, renderer)
    if crossings:
        found["crossings"] = crossings
    return found


# --- Panels ----------------------------------------------------------------------------


def _panel(ax, samples):
    panel = {"title": " ".join(ax.get_title().split())[:60]}
    count = _sample_points(ax, samples)
    if count:
        aspect = ax.get_aspect()
        panel["samples"] = count
        panel["aspect"] = aspect if isinstance(aspect, str) else round(float(aspect), 4)
    links, vertical = _links(ax)
    if links:
        cuts = _cuts(ax, links, vertical)
        if cuts:
            panel["cuts"] = cuts
        heights = _height_labels(ax, vertical)
        if heights:
            panel["heights"] = heights
    return panel


def _sample_rows(namespace):
    """The rows of every array of the session that may hold samples: 2-D, two float columns, many rows."""
    arrays = []
    for name, value in list(namespace.items()):
        if (not name.startswith("_") and isinstance(value, np.ndarray) and value.ndim == 2
                and value.shape[1] == 2 and value.shape[0] >= MIN_SAMPLE_ROWS and value.dtype.kind == "f"):
            arrays.append({tuple(row) for row in value.tolist()})
    return arrays


def _points_of(ax):
    """The offsets of the axes' scatter plots (not a dendrogram's merge dots), one array each."""
    from matplotlib.collections import PathCollection

    if _links(ax)[0]:
        return []
    found = []
    for collection in ax.collections:
        if isinstance(collection, PathCollection) and collection.get_visible():
            offsets = np.asarray(collection.get_offsets(), dtype=float)
            if offsets.ndim == 2 and len(offsets):
                found.append((collection, offsets))
    return found


def _sample_points(ax, samples):
    count = 0
    for _, offsets in _points_of(ax):
        rows = [tuple(row) for row in offsets.tolist()]
        if len(rows) >= 3 and any(all(row in array for row in rows) for array in samples):
            count += len(rows)
    return count


def _links(ax):
    """The U-shaped links of a dendrogram drawn on the axes, as (4, 2) arrays, and whether its
    distances run up (True) or across (False); ([], None) for axes without one."""
    from matplotlib.collections import LineCollection

    up, across = [], []
    for collection in ax.collections:
        if not isinstance(collection, LineCollection):
            continue
        segments = [np.asarray(s, dtype=float) for s in collection.get_segments()]
        if not segments or any(s.shape != (4, 2) for s in segments):
            continue
        if all(s[0, 0] == s[1, 0] and s[1, 1] == s[2, 1] and s[2, 0] == s[3, 0] for s in segments):
            up += segments
        elif all(s[0, 1] == s[1, 1] and s[1, 0] == s[2, 0] and s[2, 1] == s[3, 1] for s in segments):
            across += [s[:, ::-1] for s in segments]  # as if drawn upwards: (position, height)
    if up:
        return up, True
    if across:
        return across, False
    return [], None


def _to_pixels(ax, vertical):
    """Height in data units -> pixels along the distance axis."""
    if vertical:
        return lambda h: float(ax.transData.transform((0.0, h))[1])
    return lambda h: float(ax.transData.transform((h, 0.0))[0])


def _height_limits(ax, vertical):
    return sorted(ax.get_ylim() if vertical else ax.get_xlim())


def _position_limits(ax, vertical):
    return sorted(ax.get_xlim() if vertical else ax.get_ylim())


def _cuts(ax, links, vertical):
    """Each dashed line across the distance axis, with the merges and merge dots near it."""
    from matplotlib.collections import PathCollection

    low, high = _height_limits(ax, vertical)
    start, end = _position_limits(ax, vertical)
    pixels = _to_pixels(ax, vertical)
    bars = [(float(s[1, 1]), "merge") for s in links
            if low <= s[1, 1] <= high and max(s[1, 0], s[2, 0]) >= start and min(s[1, 0], s[2, 0]) <= end]
    dots = []
    for collection in ax.collections:
        if isinstance(collection, PathCollection) and collection.get_visible() and len(collection.get_offsets()):
            sizes = collection.get_sizes()
            for i, point in enumerate(np.asarray(collection.get_offsets(), dtype=float)):
                height = float(point[1] if vertical else point[0])
                radius = float(np.sqrt(sizes[i % len(sizes)] if len(sizes) else 36.0) / 2 * ax.figure.dpi / 72)
                if low <= height <= high:
                    dots.append((height, radius))
    found = []
    for line in ax.get_lines():
        values = np.asarray(line.get_ydata() if vertical else line.get_xdata(), dtype=float)
        if (not line.get_visible() or line.get_linestyle() not in ("--", "dashed") or len(values) < 2
                or np.ptp(values) != 0):
            continue
        cut = float(values[0])
        if not low <= cut <= high:
            continue
        near = {}
        for height, what in bars:
            gap = abs(pixels(height) - pixels(cut))
            near[(what, height)] = min(gap, near.get((what, height), gap))
        for height, radius in dots:
            gap = max(0.0, abs(pixels(height) - pixels(cut)) - radius)
            near[("dot", height)] = min(gap, near.get(("dot", height), gap))
        close = sorted([[what, _round(height), round(gap, 1)] for (what, height), gap in near.items()
                        if gap < NEAR_PX], key=lambda item: (item[2], item[1], item[0]))
        found.append([_round(cut), close])
    return found


def _height_labels(ax, vertical):
    """[height, text] of every visible number written at a merge (an annotation pointing at it)."""
    from matplotlib.text import Annotation

    found = []
    for text in ax.texts:
        if not isinstance(text, Annotation) or not text.get_visible():
            continue
        try:
            float(text.get_text().replace(",", ""))
        except ValueError:
            continue
        height = text.xy[1] if vertical else text.xy[0]
        found.append([_round(float(height)), text.get_text()])
    return sorted(found)


def _short_legs(axes):
    """Legs shorter than NEAR_PX in every panel, in trees of at most MAX_READ_LEAVES leaves,
    from or to a merge whose height the tree writes (a merge the reader is asked to find): the
    same leg, from the same merge to the same merge, may show taller in another panel (the
    tree enlarged, or drawn whole), where it can be read."""
    best, read = {}, set()
    for ax in axes:
        links, vertical = _links(ax)
        if not links:
            continue
        small = len(links) + 1 <= MAX_READ_LEAVES
        labelled = {height for height, _ in _height_labels(ax, vertical)} if small else set()
        low, high = _height_limits(ax, vertical)
        pixels = _to_pixels(ax, vertical)
        for s in links:
            bar = float(s[1, 1])
            if not low <= bar <= high:
                continue
            for foot in (float(s[0, 1]), float(s[3, 1])):
                if foot > 0:  # a leg from a lower merge, not from a leaf
                    key = (_round(foot), _round(bar))
                    best[key] = max(best.get(key, 0.0), abs(pixels(bar) - pixels(max(foot, low))))
                    if key[0] in labelled or key[1] in labelled:
                        read.add(key)
    return [[foot, bar, round(best[foot, bar], 1)] for foot, bar in sorted(read) if best[foot, bar] < NEAR_PX]


# --- Scatter groups ----------------------------------------------------------------------


def _hex(rgba):
    return "#" + "".join(f"{round(float(c) * 255):02x}" for c in rgba[:3])


_MARKERS = {}  # Matplotlib's filled markers, by name: their outlines, filled at the first use


def _marker_name(path):
    """A marker's name ("o", "s", "^"...), or a description of its outline when it has none."""
    from matplotlib.markers import MarkerStyle

    if not _MARKERS:
        for name in "o s ^ v < > D d p h H 8 * P X".split():
            style = MarkerStyle(name)
            _MARKERS[name] = np.round(style.get_path().transformed(style.get_transform()).vertices, 3)
    vertices = np.round(path.vertices, 3)
    for name, known in _MARKERS.items():
        if known.shape == vertices.shape and np.array_equal(known, vertices):
            return name
    return f"a path of {len(vertices)} points"


def _groups(ax):
    """Which colour and marker marks which point: the last drawn wins, as a reader sees it."""
    style_of = {}
    for collection, offsets in _points_of(ax):
        colours, paths = collection.get_facecolor(), collection.get_paths()
        if len(colours) not in (1, len(offsets)) or len(paths) not in (1, len(offsets)):
            continue
        names = [_marker_name(path) for path in paths]
        for i, point in enumerate(np.round(offsets, 9).tolist()):
            style_of[tuple(point)] = (_hex(colours[i % len(colours)]), names[i % len(names)])
    if not style_of or len(style_of) > MAX_GROUPED_POINTS:
        return None
    points = sorted(style_of)
    styles = sorted(set(style_of.values()))
    if len(styles) > len(_STYLE_CODES):
        return None
    code = {style: _STYLE_CODES[i] for i, style in enumerate(styles)}
    digest = hashlib.sha256(repr(points).encode()).hexdigest()[:16]
    return {"points": digest, "styles": [list(style) for style in styles],
            "labels": "".join(code[style_of[point]] for point in points)}


# --- Connectors over text -----------------------------------------------------------------


def _text_boxes(fig, renderer):
    texts = []
    for ax in fig.axes:
        if not ax.get_visible():
            continue
        texts += [ax.title, ax._left_title, ax._right_title, ax.xaxis.label, ax.yaxis.label, *ax.texts]
        if ax.get_legend() is not None:
            texts += list(ax.get_legend().get_texts())
        for axis, which, (low, high) in ((ax.xaxis, 0, sorted(ax.get_xlim())),
                                         (ax.yaxis, 1, sorted(ax.get_ylim()))):
            texts += [label for label in axis.get_ticklabels() if low <= label.get_position()[which] <= high]
    texts += list(fig.texts) + [t for legend in fig.legends for t in legend.get_texts()]
    if getattr(fig, "_suptitle", None) is not None:
        texts.append(fig._suptitle)
    return [(t.get_text(), t.get_window_extent(renderer)) for t in texts
            if t.get_visible() and t.get_text().strip()]


def _vertices(found):
    # A path, or (Matplotlib 3.10) lists of paths and of whether each is filled.
    if hasattr(found, "vertices"):
        return [found.vertices]
    if isinstance(found, (list, tuple)):
        return [v for item in found for v in _vertices(item)]
    return []


def _crossings(fig, renderer):
    """The texts a connector line runs into (within a pixel)."""
    from matplotlib.patches import ConnectionPatch

    patches = list(fig.findobj(ConnectionPatch))
    for indicator in fig.findobj(lambda artist: hasattr(artist, "connectors")):
        patches += [c for c in (indicator.connectors or []) if c not in patches]
    patches = [patch for patch in patches if patch.get_visible()]
    if not patches:
        return []
    boxes = _text_boxes(fig, renderer)
    found = []
    for patch in patches:
        points = []
        for vertices in _vertices(patch._get_path_in_displaycoord()):
            for a, b in zip(vertices[:-1], vertices[1:], strict=False):
                points += [a + (b - a) * t for t in np.linspace(0, 1, 200)]
        for text, box in boxes:
            near = box.padded(1)
            text = " ".join(text.split())[:60]
            if text not in found and any(near.contains(x, y) for x, y in points):
                found.append(text)
    return found


def _round(value):
    """A height, to six significant figures: the same bytes every run."""
    return float(f"{value:.6g}")
