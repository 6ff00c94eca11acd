"""The interactive cut-off explorer of notebook 10: two menus, a slider, a picture, a spoken count.

:func:`explorer_widget` puts together, with ipywidgets:

- a menu of data sets and a menu of linkage methods;
- a slider for `max_d`;
- a line of text that says how many clusters the cut gives, such as
  "2 clusters at max_d = 50.00": an ARIA live region (:class:`LiveStatus`),
  which screen readers read out each time it changes;
- the picture, a :class:`helpers.explorer_view.ExplorerView` of the chosen
  :class:`helpers.explorer.CutoffExplorer`, saved as a PNG into an image
  widget each time the cut moves.

Everything works with the keyboard alone: Tab moves from the data-set menu
to the method menu and to the slider (then to the slider's number, where a
value can be typed); the arrow keys change the menus and move the cut, by
1/200 of the tree's height (Page Up and Page Down by five times that,
Home and End to either end).

Why a widget of its own for the text: ipywidgets' ``Label`` and ``HTML``
replace their text without being a live region, and nothing in ipywidgets
can make them one, so a screen reader would not say that the count
changed. :class:`LiveStatus` is an `anywidget <https://anywidget.dev>`_
(an ipywidgets widget whose few lines of JavaScript travel with it, so
nothing needs installing in JupyterLab or Notebook 7) whose element is a
polite ``role="status"`` region.
"""

from __future__ import annotations

import threading

import anywidget
import ipywidgets as widgets
import traitlets
from matplotlib.figure import Figure

from .explorer import METHODS, CutoffExplorer
from .explorer_view import figure_png

__all__ = ["LiveStatus", "ExplorerWidget", "explorer_widget", "SLIDER_STEPS"]

#: The slider moves the cut by the tree's height divided by this, per arrow key.
SLIDER_STEPS = 200


class LiveStatus(anywidget.AnyWidget):
    """A line of text that screen readers read out when it changes.

    Its element is an ARIA live region (``role="status"``,
    ``aria-live="polite"``, ``aria-atomic="true"``): when `text` changes, a
    screen reader reads the whole new line once the reader is idle,
    without moving the keyboard focus.

    Parameters
    ----------
    text : str, optional
        The text shown. Default: empty.
    keyboard_scope : str, optional
        A CSS selector of an enclosing element (such as the explorer's box)
        inside which the keys go to the widgets rather than to JupyterLab or
        Notebook 7: in a notebook's command mode, those bind the arrow keys
        to moving between cells, so that a menu or a slider would never see
        them. The element, and every element that takes the focus inside
        it, gets Lumino's ``data-lm-suppress-shortcuts`` attribute, and the
        keys that move (arrows, Home, End, Page Up and Page Down) go no
        further up the page than it. Default: none.

    Examples
    --------
    >>> status = LiveStatus(text="2 clusters at max_d = 50.00")
    >>> status.text
    '2 clusters at max_d = 50.00'
    """

    _esm = """
    export default {
      render({ model, el }) {
        el.classList.add("explorer-status");
        el.setAttribute("role", "status");
        el.setAttribute("aria-live", "polite");
        el.setAttribute("aria-atomic", "true");
        const show = () => { el.textContent = model.get("text"); };
        show();
        model.on("change:text", show);
        // The enclosing box is in the page only after this view is: look for
        // it on the next frames (a few seconds at most).
        const scope = model.get("keyboard_scope");
        const MOVES = new Set(["ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight",
                               "Home", "End", "PageUp", "PageDown"]);
        let frames = 0;
        const claimKeys = () => {
          const box = scope ? el.closest(scope) : null;
          if (box) {
            box.setAttribute("data-lm-suppress-shortcuts", "true");
            // The notebook also acts on these keys as they bubble up (it
            // moves between cells): keep them inside the box.
            box.addEventListener("keydown", (event) => {
              if (MOVES.has(event.key)) { event.stopPropagation(); }
            });
            // Notebook 7 reads its shortcuts as the keys go down the page,
            // and matches them on the focused element first: mark that one.
            box.addEventListener("focusin", (event) => {
              event.target.setAttribute("data-lm-suppress-shortcuts", "true");
            });
          } else if (scope && frames++ < 600) {
            requestAnimationFrame(claimKeys);
          }
        };
        claimKeys();
      },
    };
    """
    _css = """
    .explorer-status { font-weight: bold; padding: 0 1em; line-height: 28px; }
    """
    text = traitlets.Unicode("").tag(sync=True)
    keyboard_scope = traitlets.Unicode("").tag(sync=True)


def _as_data_sets(data_sets):
    """`data_sets` as a dict name -> dict of CutoffExplorer arguments, or a clear error."""
    example = 'for example {"X": dict(X=X), "X2": dict(X=X2, truncate_p=30)}'
    if not isinstance(data_sets, dict) or not data_sets:
        raise TypeError(
            f"data_sets must be a non-empty dict from a name to the arguments of "
            f"CutoffExplorer, {example}; got {type(data_sets).__name__}."
        )
    for name, arguments in data_sets.items():
        if not isinstance(name, str):
            raise TypeError(f"data_sets' names must be strings (shown in the menu); got {name!r}.")
        if not isinstance(arguments, dict) or "X" not in arguments:
            got = (f"a dict of {', '.join(map(repr, arguments)) or 'nothing'}"
                   if isinstance(arguments, dict) else type(arguments).__name__)
            raise TypeError(
                f"data_sets[{name!r}] must be a dict of CutoffExplorer arguments with at "
                f"least X, {example}; got {got}."
            )
        if "method" in arguments:
            raise TypeError(
                f"data_sets[{name!r}] must not give a method: the method menu chooses it."
            )
    return dict(data_sets)


class ExplorerWidget(widgets.VBox):
    """The explorer's widgets, and what a change of each does.

    Made by :func:`explorer_widget`, which documents the parameters.

    Attributes
    ----------
    data_choice, method_choice : ipywidgets.Dropdown
        The menus.
    slider : ipywidgets.FloatSlider
        The cut-off `max_d`.
    status : LiveStatus
        The number of clusters, read out by screen readers.
    image : ipywidgets.Image
        The picture of the cut, a PNG.
    figure : matplotlib.figure.Figure
        The figure drawn into `image`.
    explorer : helpers.explorer.CutoffExplorer
        The model of the chosen data set and method.
    view : helpers.explorer_view.ExplorerView
        The picture of `explorer`'s cut on `figure`.
    cut : helpers.explorer.Cut
        The cut shown.
    """

    def __init__(self, data_sets, *, methods=METHODS, method="ward", figsize=(12, 4.6)):
        self._data_sets = _as_data_sets(data_sets)
        methods = tuple(methods) if not isinstance(methods, str) else (methods,)
        unknown = [m for m in methods if m not in METHODS]
        if not methods or unknown:
            raise ValueError(
                f"methods must be some of {', '.join(repr(m) for m in METHODS)}; got "
                f"{list(methods)!r}."
            )
        if method not in methods:
            raise ValueError(f"method must be one of methods {list(methods)!r}; got {method!r}.")
        self._explorers = {}  # one CutoffExplorer, so one linkage, per data set and method
        self._busy = False
        # JupyterLab 4.6 with ipykernel 7 may handle the messages of different
        # widgets (the menus, the slider) in different threads at once: one
        # change at a time may touch the figure, or a move could draw on a
        # figure that a new menu choice is clearing (Matplotlib is not
        # thread-safe), and the picture would stop following the slider.
        self._lock = threading.RLock()
        self.data_choice = widgets.Dropdown(options=list(self._data_sets), description="data set")
        self.method_choice = widgets.Dropdown(options=methods, value=method, description="method")
        self.slider = widgets.FloatSlider(
            description="max_d", readout_format=".2f", continuous_update=True,
            layout=widgets.Layout(width="55%"))
        self.status = LiveStatus(keyboard_scope=".cutoff-explorer")
        self.image = widgets.Image(format="png", layout=widgets.Layout(max_width="100%"))
        self.figure = Figure(figsize=figsize, layout="constrained")
        super().__init__([
            widgets.HBox([self.data_choice, self.method_choice]),
            widgets.HBox([self.slider, self.status]),
            self.image,
        ])
        self.add_class("cutoff-explorer")
        self.slider.observe(self._move, names="value")
        self.data_choice.observe(self._choose, names="value")
        self.method_choice.observe(self._choose, names="value")
        self._choose()

    def explorer_for(self, name, method):
        """The :class:`CutoffExplorer` of a data set and a method, made once."""
        if (name, method) not in self._explorers:
            self._explorers[name, method] = CutoffExplorer(method=method, **self._data_sets[name])
        return self._explorers[name, method]

    def _choose(self, change=None):
        """Draw a new figure for the chosen data set and method, cut at SciPy's default."""
        with self._lock:
            self.explorer = explorer = self.explorer_for(self.data_choice.value,
                                                         self.method_choice.value)
            self.figure.clear()
            axes = self.figure.subplots(1, 2, width_ratios=(3, 2))
            self._busy = True
            try:
                self.view = explorer.draw(explorer.default_max_d, axes)
                top = 1.05 * explorer.max_height
                with self.slider.hold_trait_notifications():
                    self.slider.min = 0.0
                    self.slider.max = max(top, self.slider.min)
                    self.slider.step = explorer.max_height / SLIDER_STEPS or 1.0
                    self.slider.value = explorer.default_max_d
            finally:
                self._busy = False
            self._move()

    def _move(self, change=None):
        """Move the cut to the slider's value, in place, show the figure and say the count."""
        with self._lock:
            if self._busy:  # _choose, in this thread, moves the cut when it is done
                return
            self.cut = self.view.update(self.slider.value)
            self.image.value = figure_png(self.figure)
            self.status.text = self.cut.summary


def explorer_widget(data_sets, *, methods=METHODS, method="ward", figsize=(12, 4.6)):
    """The interactive cut-off explorer: menus, a `max_d` slider, the picture and the count.

    Parameters
    ----------
    data_sets : dict
        The data sets to offer, in menu order: name -> the arguments of
        :class:`helpers.explorer.CutoffExplorer` other than `method`, for
        example ``{"X": dict(X=X), "X2": dict(X=X2, truncate_p=30)}``. Each
        data set and method is clustered the first time it is chosen, once.
    methods : sequence of str, optional
        The linkage methods to offer. Default: all of
        :data:`helpers.explorer.METHODS`.
    method : str, optional
        The method chosen first. Default ``'ward'``.
    figsize : (float, float), optional
        The size of the picture, in inches. Default (12, 4.6).

    Returns
    -------
    ExplorerWidget
        An ipywidgets ``VBox``: the last expression of a cell shows it.
        Changing a menu draws a new picture, with the cut at SciPy's
        default, 0.7 times the highest merge; moving the slider moves the
        cut in place (:meth:`helpers.explorer_view.ExplorerView.update`).

    Raises
    ------
    TypeError
        If `data_sets` is not a non-empty dict of names to dicts of
        arguments with at least `X` (and no `method`).
    ValueError
        If a method is not one of :data:`helpers.explorer.METHODS`, or a
        data set is refused by :class:`~helpers.explorer.CutoffExplorer`.

    Examples
    --------
    >>> app = explorer_widget({"four points": dict(X=[[0, 0], [0, 1], [5, 5], [5, 6]])},
    ...                       methods=["single"], method="single")
    >>> app.status.text
    '2 clusters at max_d = 4.48'
    >>> app.slider.value = 0.5
    >>> app.status.text
    '4 clusters at max_d = 0.50'
    """
    return ExplorerWidget(data_sets, methods=methods, method=method, figsize=figsize)
