"""Figures that carry their description, live: alt text in JupyterLab, Notebook 7 and on the site.

Every cell of the course that draws a figure starts with a comment that
describes it::

    # Figure: the tree cut at max_d = 13, the dashed line crossing five
    # vertical lines.
    fig, ax = plt.subplots(figsize=(9, 4))

JupyterLab and Notebook 7 show an ordinary figure output (a PNG) with no
alt text at all, whatever the notebook stores. So in a Jupyter kernel
:func:`describe_figures` (which ``import helpers`` calls) makes Matplotlib's
inline figures come out as an HTML ``<img>`` whose ``alt`` is that comment,
read from the cell as it runs: a screen reader then reads the description
of every figure a learner makes by running a chapter, in both interfaces,
and the static site shows the same ``<img>``. A figure drawn by a cell
without such a comment gets a description made from its titles and axis
labels (:func:`describe`).

Outside IPython, or with another Matplotlib backend (``%matplotlib widget``),
nothing changes.
"""

from __future__ import annotations

import base64
import html
import struct

__all__ = ["FIGURE_PREFIX", "figure_alt", "describe", "describe_figures"]

#: The comment that starts a figure cell; its text is the figure's alt text.
FIGURE_PREFIX = "# Figure:"
#: Wider than this (in pixels), a figure is shown at its own size, with a
#: scroll bar, rather than shrunk to the notebook's width (its text would
#: fall below the size the course's checks measured).
WIDE_PX = 1100


def figure_alt(source):
    """The alt text of a figure cell: its leading ``# Figure: ...`` comment,
    continued on the ``#`` lines right after it; None if the cell has none.

    Examples
    --------
    >>> figure_alt("# Figure: two clouds of points,\\n# one above the other.\\nplt.show()")
    'two clouds of points, one above the other.'
    >>> figure_alt("plt.plot([1, 2])") is None
    True
    """
    lines = source.lstrip("\n").splitlines()
    if not lines or not lines[0].startswith(FIGURE_PREFIX):
        return None
    parts = [lines[0][len(FIGURE_PREFIX):].strip()]
    for line in lines[1:]:
        if not line.startswith("#"):
            break
        parts.append(line.lstrip("#").strip())
    return " ".join(part for part in parts if part) or None


def describe(fig):
    """A description of a Matplotlib figure made from its titles and axis labels.

    The alt text of a figure whose cell does not describe it.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> ax.set(title="Merge heights", xlabel="merge", ylabel="height")
    [Text(0.5, 1.0, 'Merge heights'), Text(0.5, 0, 'merge'), Text(0, 0.5, 'height')]
    >>> describe(fig)
    'A figure: Merge heights (height against merge).'
    >>> plt.close(fig)
    """
    parts = []
    suptitle = getattr(fig, "_suptitle", None)
    if suptitle is not None and suptitle.get_text().strip():
        parts.append(suptitle.get_text().strip())
    for ax in fig.get_axes():
        title = " ".join(t.get_text().strip() for t in (ax.title, ax._left_title, ax._right_title)
                         if t.get_text().strip())
        x, y = ax.get_xlabel().strip(), ax.get_ylabel().strip()
        axes = f"{y} against {x}" if x and y else (x or y)
        if title or axes:
            parts.append(f"{title} ({axes})" if title and axes else title or axes)
    if not parts:
        return "A figure without a title or axis labels."
    return "A figure: " + "; ".join(parts) + "."


def _png_width(data):
    """The width in pixels of a base64-encoded PNG, read from its header."""
    return struct.unpack(">I", base64.b64decode(data[:48])[16:20])[0]


def _running_cell(shell):
    """The source of the cell the kernel is running now, or "" when it cannot be known."""
    get_parent = getattr(getattr(shell, "kernel", None), "get_parent", None)  # ipykernel's
    parent = get_parent() if callable(get_parent) else None
    code = ((parent or {}).get("content") or {}).get("code")
    if isinstance(code, str):
        return code
    history = getattr(getattr(shell, "history_manager", None), "input_hist_raw", None)
    return (history[-1] or "") if history else ""


class _Describer:
    """Reads each cell's figure comment as it runs, and writes figures as ``<img>`` with that alt text."""

    def __init__(self, shell):
        self.shell = shell
        self.alt = None
        self.measure_fonts = False
        self.png = None

    def pre_run_cell(self, info):
        self.alt = figure_alt(info.raw_cell or "")
        self.register()  # again, in case `%matplotlib inline` dropped it

    def register(self):
        from matplotlib.figure import Figure

        formatters = self.shell.display_formatter.formatters
        html_formatter, png_formatter = formatters["text/html"], formatters["image/png"]
        try:
            current = html_formatter.lookup_by_type(Figure)
        except KeyError:
            current = None
        if current == self.html:
            return True
        try:
            png = png_formatter.lookup_by_type(Figure)
        except KeyError:
            return False  # not the inline backend: leave figures alone
        self.png = png
        html_formatter.for_type(Figure, self.html)
        # The PNG goes inside the <img>, once: no second copy beside it.
        png_formatter.for_type(Figure, _no_png)
        return True

    def render(self, fig):
        """The PNG of `fig` (base64), and, when figures are measured, what the course's checks
        read of it: the smallest text it draws, and its layout (:mod:`helpers._measure`)."""
        if not self.measure_fonts:
            return self.png(fig), None
        from matplotlib.backends.backend_agg import RendererAgg

        drawn = []
        draw_text = RendererAgg.draw_text

        def spy(renderer, gc, x, y, s, prop, angle, ismath=False, mtext=None):
            if s.strip():
                drawn.append((prop.get_size_in_points(), s))
            return draw_text(renderer, gc, x, y, s, prop, angle, ismath=ismath, mtext=mtext)

        RendererAgg.draw_text = spy
        try:
            data = self.png(fig)
        finally:
            RendererAgg.draw_text = draw_text
        fonts = {}
        if drawn:
            size, text = min(drawn)
            fonts = {"smallest_pt": round(float(size), 2), "smallest_text": " ".join(text.split())[:60],
                     "dpi": round(float(fig.dpi), 2)}
        from ._measure import measure

        return data, measure(fig, self.shell.user_ns, fonts) or None

    def html(self, fig):
        data, measured = self.render(fig)
        if isinstance(data, tuple):  # (data, metadata) from another formatter
            data = data[0]
        if not data:
            return None
        if isinstance(data, bytes):
            data = base64.b64encode(data).decode("ascii")
        alt = self.alt or describe(fig)
        wide = _png_width(data) > WIDE_PX
        style = ' style="max-width: none"' if wide else ""
        tag = f'<img src="data:image/png;base64,{data}" alt="{html.escape(alt)}"{style}>'
        metadata = {"alt": alt}
        if wide:
            metadata["unconfined"] = True
        if measured:
            metadata["course_measure"] = measured
        return tag, metadata


def _no_png(fig):
    return None


def describe_figures(measure_fonts=False):
    """Make every inline figure of this IPython session an ``<img>`` with alt text.

    The alt text is the ``# Figure: ...`` comment of the cell that draws
    the figure (:func:`figure_alt`), or else a description made from the
    figure's titles and axis labels (:func:`describe`). ``import helpers``
    calls this; calling it again changes nothing.

    Parameters
    ----------
    measure_fonts : bool, optional
        Also record, in the output's metadata, the smallest text each figure
        draws and the layout the course's figure checks read (cut lines near
        merges, the aspect of scatter plots of samples...: see
        :mod:`helpers._measure`). The course's regenerate command sets it,
        and the authors' figure checks judge what it recorded. Default: False.

    Returns
    -------
    bool
        Whether figures are now described: False outside IPython, or when
        Matplotlib's backend is not the inline one.
    """
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    if shell is None or not hasattr(shell, "display_formatter"):
        return False
    describer = getattr(shell, "_course_describer", None)
    if describer is None:
        import matplotlib
        import matplotlib.pyplot as plt

        # Load the backend now (Matplotlib loads it at the first figure): the
        # inline backend registers its PNG formatter as it loads, and would
        # drop ours if it loaded later.
        plt.switch_backend(matplotlib.get_backend())
        describer = _Describer(shell)
        shell._course_describer = describer
        shell.events.register("pre_run_cell", describer.pre_run_cell)
        # The cell running now (the one that imports helpers) started before the hook existed:
        # read its source from the request the kernel is answering (its input history holds it
        # only when the cell is stored in the history, which nbval, for one, does not ask for).
        describer.alt = figure_alt(_running_cell(shell))
    describer.measure_fonts = describer.measure_fonts or bool(measure_fonts)
    return describer.register()
