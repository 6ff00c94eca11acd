"""The interactive cut-off explorer of notebook 10: two menus, a slider, a picture, a spoken count.

:func:`explorer_widget` puts together, with ipywidgets:

- a menu of data sets and a menu of linkage methods;
- the picture, a :class:`helpers.explorer_view.ExplorerView` of the chosen
  :class:`helpers.explorer.CutoffExplorer`, saved as a PNG into an image
  widget each time the cut moves;
- under it, a slider for `max_d`, and a line of text that says how many
  clusters the cut gives, such as "2 clusters at max_d = 50.00": an ARIA
  live region (:class:`LiveStatus`), which screen readers read out each
  time it changes.

Everything works with the keyboard alone: Tab moves from the data-set menu
to the method menu and to the slider (then to the slider's number, where a
value can be typed); the arrow keys change the menus and move the cut, by
1/200 of the tree's height (Page Up and Page Down by five times that,
Home and End to either end). While a menu or the slider has the focus, the
picture is kept in view with it (the page scrolls as little as it can).

Why the slider is a subclass of ipywidgets' own: a menu change resets the
cut to SciPy's default, 0.7 times the highest merge, which changes the
slider's range, step and value at once. The browser's slider applies each
of them as it arrives, each against the others as they were: given the
new range first, it fits its *old* value into it; given the new value
first, it fits the value into the *old* range. Either way it then sends
the value it fitted back to the kernel as a move of the learner's, which
arrives after the reset and undoes it (issue 22 measured it in 3 changes
of 7: "1 cluster at 15.75" instead of "2 clusters at 10.81"). Within one
message the browser sets every attribute before it acts on any, in the
order of the message's keys; so :class:`CutoffSlider` sends its range,
step and value in one message, the value last, and the browser fits the
new value into the new range, which it already lies in: nothing comes
back.

Why a widget of its own for the text: ipywidgets' ``Label`` and ``HTML``
replace their text without being a live region, and nothing in ipywidgets
can make them one, so a screen reader would not say that the count
changed. :class:`LiveStatus` is an `anywidget <https://anywidget.dev>`_
(an ipywidgets widget whose few lines of JavaScript travel with it, so
nothing needs installing in JupyterLab or Notebook 7) whose element is a
polite ``role="status"`` region.
"""

from __future__ import annotations

import base64
import html
import io
import threading

import anywidget
import ipywidgets as widgets
import traitlets
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from .explorer import ARGUMENTS, METHODS, CutoffExplorer, _check_arguments

__all__ = ["LiveStatus", "CutoffSlider", "ExplorerWidget", "explorer_widget", "SLIDER_STEPS"]

#: The slider moves the cut by the tree's height divided by this, per arrow key.
SLIDER_STEPS = 200

# A value the browser sends back that differs from the cut shown by at most
# this fraction of a slider step is that cut, up to float noise.
_NOISE = 1e-9


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
        further up the page than it. While an element inside it has the
        focus, the element's picture (its ``img``) is kept in view with the
        focused element: after the focus moves in, and after each of those
        keys, the nearest scrolling container scrolls as little as it takes
        to show both (or, if both do not fit, the focused element and the
        part of the picture next to it). Default: none.

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
        // The box's picture (an ipywidgets Image, which has no alt of its own)
        // gets its description as alt text.
        const describe = () => {
          const box = scope ? el.closest(scope) : null;
          const picture = box && box.querySelector ? box.querySelector("img") : null;
          if (picture) { picture.alt = model.get("picture_alt"); }
        };
        model.on("change:picture_alt", describe);
        const MOVES = new Set(["ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight",
                               "Home", "End", "PageUp", "PageDown"]);
        // Scroll the nearest scrolling container of the box as little as it
        // takes to show the focused element and the picture together.
        const keepInView = (box) => {
          const picture = box.querySelector("img");
          const focused = document.activeElement;
          if (!picture || !focused || !box.contains(focused)) { return; }
          const p = picture.getBoundingClientRect(), f = focused.getBoundingClientRect();
          let top = Math.min(p.top, f.top), bottom = Math.max(p.bottom, f.bottom);
          let scroller = box.parentElement;
          while (scroller && !(/(auto|scroll)/.test(getComputedStyle(scroller).overflowY)
                               && scroller.scrollHeight > scroller.clientHeight)) {
            scroller = scroller.parentElement;
          }
          scroller = scroller || document.scrollingElement;
          if (!scroller) { return; }
          const frame = scroller === document.scrollingElement
            ? { top: 0, bottom: window.innerHeight } : scroller.getBoundingClientRect();
          const viewTop = Math.max(frame.top, 0);
          const viewBottom = Math.min(frame.bottom, window.innerHeight);
          if (bottom - top > viewBottom - viewTop) {
            // Both do not fit: the focused element, and the picture's side next to it.
            if (f.top >= p.bottom) { top = bottom - (viewBottom - viewTop); }
            else { bottom = top + (viewBottom - viewTop); }
          }
          if (top < viewTop) { scroller.scrollTop -= viewTop - top; }
          else if (bottom > viewBottom) { scroller.scrollTop += bottom - viewBottom; }
        };
        let frames = 0;
        const claimKeys = () => {
          const box = scope ? el.closest(scope) : null;
          if (box) {
            describe();  // the picture is in the box before this view (it comes first)
            box.setAttribute("data-lm-suppress-shortcuts", "true");
            // The notebook also acts on these keys as they bubble up (it
            // moves between cells): keep them inside the box.
            box.addEventListener("keydown", (event) => {
              if (MOVES.has(event.key)) {
                event.stopPropagation();
                requestAnimationFrame(() => keepInView(box));
              }
            });
            // Notebook 7 reads its shortcuts as the keys go down the page,
            // and matches them on the focused element first: mark that one.
            box.addEventListener("focusin", (event) => {
              event.target.setAttribute("data-lm-suppress-shortcuts", "true");
              // After the browser's own scrolling to the focused element.
              requestAnimationFrame(() => keepInView(box));
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
    #: The alt text of the picture (the first ``img``) inside `keyboard_scope`'s element.
    picture_alt = traitlets.Unicode("").tag(sync=True)


class CutoffSlider(widgets.FloatSlider):
    """An ipywidgets ``FloatSlider`` that sends its value after its range.

    The same slider, in the browser too; only the order of the keys of the
    state it sends differs: every key other than ``value`` first, then
    ``value``. Set its range and value inside ``hold_sync()`` (one message):
    the browser then sets them all before its slider acts on any, acts on the
    range first, and fits the new value into the new range; in any other
    order it fits the new value into the old range, or the old value into
    the new one, and sends that back as a move (see the module's notes).

    Examples
    --------
    >>> slider = CutoffSlider(max=10.0, value=5.0)
    >>> sent = []
    >>> slider._send = lambda msg, buffers=None: sent.append(list(msg["state"]))
    >>> with slider.hold_sync():
    ...     slider.value, slider.max, slider.step = 50.0, 100.0, 0.5
    >>> sent[0][-1], len(sent)
    ('value', 1)
    """

    def send_state(self, key=None):
        """Send the state of `key` (all by default) to the browser, ``value`` last."""
        if key is None:
            key = self.keys
        elif isinstance(key, str):
            key = [key]
        key = sorted(key, key=lambda name: name == "value")  # stable: the others keep their order
        super().send_state(key)


def _as_data_sets(data_sets):
    """`data_sets` as a dict name -> dict of CutoffExplorer arguments, each checked, or a clear error.

    Every data set is checked here, before anything is shown, as
    :class:`~helpers.explorer.CutoffExplorer` would check it (nothing is
    clustered yet): a bad one is refused by name, instead of failing later,
    inside a menu's observer, when it is chosen.
    """
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
        unknown = [key for key in arguments if key not in ARGUMENTS]
        if unknown:
            raise TypeError(
                f"data_sets[{name!r}] has {', '.join(map(repr, unknown))}, which CutoffExplorer "
                f"does not take: its arguments are {', '.join(map(repr, ARGUMENTS))}."
            )
        try:
            _check_arguments(**arguments)
        except (TypeError, ValueError) as error:
            raise type(error)(f"data_sets[{name!r}]: {error}") from error
    return dict(data_sets)


def _as_methods(methods, method):
    """The methods to offer, as a tuple, and the first one; or a clear error."""
    if methods is None:
        methods = METHODS
    elif isinstance(methods, str):
        methods = (methods,)
    else:
        try:
            methods = tuple(methods)
        except TypeError:
            raise TypeError(
                f"methods must be a sequence of linkage methods, some of "
                f"{', '.join(repr(m) for m in METHODS)}, or None for all of them; got "
                f"{type(methods).__name__}."
            ) from None
    unknown = [m for m in methods if not isinstance(m, str) or m not in METHODS]
    if not methods or unknown:
        raise ValueError(
            f"methods must be some of {', '.join(repr(m) for m in METHODS)}; got "
            f"{list(methods)!r}."
        )
    if len(set(methods)) != len(methods):
        raise ValueError(f"methods must not repeat a method; got {list(methods)!r}.")
    if method not in methods:
        raise ValueError(f"method must be one of methods {list(methods)!r}; got {method!r}.")
    return methods, method


class ExplorerWidget(widgets.VBox):
    """The explorer's widgets, and what a change of each does.

    Made by :func:`explorer_widget`, which documents the parameters.

    Attributes
    ----------
    data_choice, method_choice : ipywidgets.Dropdown
        The menus.
    image : ipywidgets.Image
        The picture of the cut, a PNG, whose ``Description`` text says the
        cut it shows (the cut's summary).
    slider : CutoffSlider
        The cut-off `max_d`, under the picture: an ipywidgets
        ``FloatSlider`` that sends its value after its range.
    status : LiveStatus
        The number of clusters, read out by screen readers.
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
        methods, method = _as_methods(methods, method)
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
        self.slider = CutoffSlider(
            description="max_d", readout_format=".2f", continuous_update=True,
            layout=widgets.Layout(width="55%"))
        self.status = LiveStatus(keyboard_scope=".cutoff-explorer")
        self.image = widgets.Image(format="png", layout=widgets.Layout(max_width="100%"))
        self.figure = Figure(figsize=figsize, layout="constrained")
        FigureCanvasAgg(self.figure)  # its canvas, which prints PNGs in one draw
        # The picture between the menus and the slider: a keyboard user on
        # the slider sees it just above, on any common window.
        super().__init__([
            widgets.HBox([self.data_choice, self.method_choice]),
            self.image,
            widgets.HBox([self.slider, self.status]),
        ])
        self.add_class("cutoff-explorer")
        self.slider.observe(self._move, names="value")
        self.data_choice.observe(self._choose, names="value")
        self.method_choice.observe(self._choose, names="value")
        self._choose()

    def explorer_for(self, name, method):
        """The :class:`CutoffExplorer` of a data set and a method, made once.

        Parameters
        ----------
        name : str
            One of the data sets' names (the data-set menu's choices).
        method : str
            One of the methods offered (the method menu's choices).

        Raises
        ------
        ValueError
            If `name` or `method` is not one the menus offer.
        """
        if not isinstance(name, str) or name not in self._data_sets:
            raise ValueError(
                f"name must be one of the data sets {list(self._data_sets)!r}; got {name!r}."
            )
        if not isinstance(method, str) or method not in self.method_choice.options:
            raise ValueError(
                f"method must be one of the methods offered {list(self.method_choice.options)!r}; "
                f"got {method!r}."
            )
        if (name, method) not in self._explorers:
            self._explorers[name, method] = CutoffExplorer(method=method, **self._data_sets[name])
        return self._explorers[name, method]

    def _repr_mimebundle_(self, **kwargs):
        """The widget, and a still picture of it for where no kernel runs it.

        Where the widget cannot be shown (the notebook opened without being
        run, or read as a web page), JupyterLab, Notebook 7 and nbconvert
        show the ``text/html`` instead: the picture of the first cut, what
        it shows, and how to make it live.
        """
        bundle = super()._repr_mimebundle_(**kwargs)
        bundle["text/html"] = self.still_html()
        return bundle

    def picture_alt(self):
        """The live picture's alt text: what it shows, with the cut's summary.

        Examples
        --------
        >>> app = explorer_widget({"four points": dict(X=[[0, 0], [0, 1], [5, 5], [5, 6]])},
        ...                       methods=["single"], method="single")
        >>> app.slider.value = 0.5
        >>> app.status.picture_alt.endswith("clusters: 4 clusters at max_d = 0.50.")
        True
        >>> app.status.picture_alt == app.picture_alt()
        True
        """
        return (f"The explorer's picture: the dendrogram of {self.data_choice.value} "
                f"({self.method_choice.value} linkage) cut at the dashed line, next to the samples "
                f"in the colours of their clusters: {self.cut.summary}.")

    def still_html(self):
        """A still picture of the explorer as it is now, and how to make it live (HTML)."""
        data_set = html.escape(self.data_choice.value)
        method = html.escape(self.method_choice.value)
        summary = html.escape(self.cut.summary)
        alt = (f"A still picture of the explorer: the dendrogram of {data_set} "
               f"({method} linkage) cut at the dashed line, next to the samples in the "
               f"colours of their clusters: {summary}.")
        png = base64.b64encode(self.image.value).decode("ascii")
        return (
            '<div class="cutoff-explorer-still course-widget-note">'
            f"<p><strong>A still picture of the explorer</strong> (data set &ldquo;{data_set}"
            f"&rdquo;, {method} linkage): {summary}. To move the cut and change the data set "
            f"or the method, run this notebook: <code>make course</code> opens the course in "
            f"JupyterLab (see the README), then choose Run, Run All Cells.</p>"
            f'<img src="data:image/png;base64,{png}" alt="{alt}" style="max-width: 100%">'
            "</div>"
        )

    def _choose(self, change=None):
        """Draw a new figure for the chosen data set and method, cut at SciPy's default."""
        with self._lock:
            self.explorer = explorer = self.explorer_for(self.data_choice.value,
                                                         self.method_choice.value)
            self.figure.clear()
            self.figure.set_layout_engine("constrained")
            axes = self.figure.subplots(1, 2, width_ratios=(3, 2))
            self._lay_out = True  # the next picture places the axes
            self._busy = True
            try:
                self.view = explorer.draw(explorer.default_max_d, axes)
                top = 1.05 * explorer.max_height
                # One message to the browser, with the new range, step,
                # format and value together, the value last (CutoffSlider):
                # otherwise the browser's slider fits the old value into the
                # new range, or the new value into the old range, and sends
                # it back as a move, undoing the reset (see the module's notes).
                with self.slider.hold_sync(), self.slider.hold_trait_notifications():
                    self.slider.min = 0.0
                    self.slider.max = max(top, self.slider.min)
                    self.slider.step = explorer.max_height / SLIDER_STEPS or 1.0
                    self.slider.readout_format = explorer.max_d_format
                    self.slider.value = explorer.default_max_d
            finally:
                self._busy = False
            self._move()

    def _move(self, change=None):
        """Move the cut to the slider's value, in place, show the figure and say the count."""
        with self._lock:
            if self._busy:  # _choose, in this thread, moves the cut when it is done
                return
            if change is not None and abs(change["new"] - self.cut.max_d) <= _NOISE * self.slider.step:
                # The browser's slider sends back the value it was given,
                # recomputed from its position (noUiSlider), up to float
                # noise: the same cut, already shown.
                return
            self.cut = self.view.update(self.slider.value)
            self.image.value = self._picture()
            self.status.picture_alt = self.picture_alt()
            self.status.text = self.cut.summary

    def _picture(self):
        """The figure as a PNG whose Description is the cut's summary, in one draw.

        A new figure is laid out once (its constrained layout executed, where
        saving it would lay it out and draw it twice over), and then keeps
        that layout while the cut moves: a move changes no text that the
        layout makes room for (the slider's range lies inside the distance
        axis). Each picture is one draw of the figure, where a move cost
        three (two for the layout, one to render: 1.6 s at n = 2000).
        """
        if self._lay_out:
            self.figure.get_layout_engine().execute(self.figure)
            self.figure.set_layout_engine("none")
            self._lay_out = False
        buffer = io.BytesIO()
        self.figure.canvas.print_png(buffer, metadata={"Description": self.cut.summary})
        return buffer.getvalue()


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
        The linkage methods to offer, in menu order. Default (or None): all
        of :data:`helpers.explorer.METHODS`.
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
        Where no kernel runs it (a notebook opened without running it, a
        web page), a still picture of its first cut shows instead, with how
        to make it live.

    Raises
    ------
    TypeError
        If `data_sets` is not a non-empty dict of names to dicts of
        arguments with at least `X` (and no `method`, nor any argument
        that :class:`~helpers.explorer.CutoffExplorer` does not take), or
        if a data set is refused by :class:`~helpers.explorer.CutoffExplorer`
        with a TypeError; the message names the data set.
    ValueError
        If a method is not one of :data:`helpers.explorer.METHODS`, or a
        data set is refused by :class:`~helpers.explorer.CutoffExplorer`
        with a ValueError: every data set is checked before anything is
        shown, and the message names it (``data_sets['name']: X must ...``).

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
