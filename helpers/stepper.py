"""Watch the tree grow: a merge-by-merge stepper of the linkage matrix `Z`.

:class:`MergeStepper` shows, side by side, the samples (a scatter plot), the
dendrogram growing one merge at a time, and the rows of `Z`, with the current
row explained (an index of `n` or more is the cluster formed in row
``idx - n``). Buttons, a slider and the keyboard step forwards and backwards;
Play steps on by itself (slower when the reader's system asks for reduced
motion); each step is said in one sentence, in an ARIA live region that
screen readers read out, the same sentence as :attr:`MergeStepper.sentence`.

Python computes everything it shows from SciPy's own `Z`
(:func:`scipy.cluster.hierarchy.linkage`): the rows, the leaf order, each
link's place and height, the inversions. The drawing is one dependency-free
ES module, ``helpers/stepper.js``, run in two ways:

- **live**, in JupyterLab or Notebook 7: the stepper is an `anywidget
  <https://anywidget.dev>`_, whose `step` Python can read and set;
- **static**, with no kernel and no network: its output also carries a
  ``text/html`` entry holding the module and the data, which a page made by
  nbconvert (the course's site) shows when the notebook stores no widget
  state (``tools/notebooks.py`` stores none). Before any script runs, and
  wherever scripts may not run (an untrusted notebook in JupyterLab, whose
  outputs are sanitised), that entry shows a note and a picture of the whole
  tree instead.
"""

from __future__ import annotations

import hashlib
import json
from importlib import resources
from urllib.parse import quote

import anywidget
import numpy as np
import traitlets
from matplotlib.ticker import MaxNLocator
from scipy.cluster.hierarchy import leaves_list, linkage
from scipy.spatial.distance import pdist

from ._validation import as_count, as_samples
from .plotting import CONTEXT_GREY, PALETTE

__all__ = ["MergeStepper", "METHODS", "MAX_SAMPLES"]

#: The linkage methods the stepper accepts: every method of SciPy's ``linkage``.
METHODS = ("single", "complete", "average", "weighted", "centroid", "median", "ward")
#: The most samples a stepper draws: each sample and each merge is drawn and
#: listed, and the page stays light (under 25 KB per stepper).
MAX_SAMPLES = 50
#: The colours of the merge's two clusters (also told apart by their marks,
#: a triangle and a square) and of the samples still alone.
COLOURS = (PALETTE[0], PALETTE[2], CONTEXT_GREY)


def _module_source():
    """The text of ``helpers/stepper.js``, installed with the package."""
    return resources.files("helpers").joinpath("stepper.js").read_text(encoding="utf-8")


def _compact(source):
    """The module as the page embeds it: no comment lines, no indentation (same code, fewer bytes)."""
    lines = (line.strip() for line in source.splitlines())
    return "\n".join(line for line in lines if line and not line.startswith("//"))


def _name(i, n):
    return f"sample {i}" if i < n else f"cluster {i} (formed in row {i - n})"


def _sentence(rows, drops, n, step):
    """The sentence said at `step` (the same words as stepper.js's `sentence`)."""
    if step == 0:
        return f"Step 0 of {n - 1}: no merge yet; {n} clusters, one per sample."
    r = step - 1
    a, b, height, size = rows[r]
    left = n - step
    text = (f"Step {step} of {n - 1}: row {r} of Z merges {_name(a, n)} and {_name(b, n)} "
            f"at height {height} into cluster {n + r}, of {size} samples; "
            f"{left} cluster{' remains' if left == 1 else 's remain'}.")
    if r in drops:
        text += f" It is lower than the merge before it ({rows[r - 1][2]}): an inversion."
    return text


def _unit_square(X):
    """The samples scaled into [0, 1] by one factor (equal aspect), centred, rounded."""
    low, span = X.min(axis=0), X.max(axis=0) - X.min(axis=0)
    scale = span.max()
    if scale == 0:
        return np.full_like(X, 0.5)
    return np.round((X - low) / scale + (1 - span / scale) / 2, 3)


def _tree(X, Z, method, decimals):
    """Everything the drawing needs, computed from `X` and SciPy's `Z`, as plain JSON values."""
    n = len(X)
    a, b = Z[:, 0].astype(int), Z[:, 1].astype(int)
    order = leaves_list(Z)  # SciPy's dendrogram draws the leaves in this order
    position = np.empty(2 * n - 1)
    position[order] = (np.arange(n) + 0.5) / n
    height = np.zeros(2 * n - 1)
    for r in range(n - 1):  # a link stands midway between its children, as SciPy draws it
        position[n + r] = (position[a[r]] + position[b[r]]) / 2
        height[n + r] = Z[r, 2]
    highest = float(Z[:, 2].max())
    top = highest or 1.0  # every height 0 (samples that coincide): all drawn at the bottom
    level = height / top
    rows = [[int(a[r]), int(b[r]), f"{Z[r, 2]:.{decimals}f}", int(Z[r, 3])] for r in range(n - 1)]
    links = np.round(np.column_stack([position[a], position[b], level[a], level[b], level[n:]]), 4)
    ticks = [t for t in MaxNLocator(nbins=4).tick_values(0, highest) if 0 <= t <= highest * (1 + 1e-9)]
    return {
        "n": n,
        "method": method,
        "colours": list(COLOURS),
        "points": _unit_square(X).tolist(),
        "rows": rows,
        "drops": [int(r) for r in np.flatnonzero(np.diff(Z[:, 2]) < 0) + 1],
        "leaves": [int(i) for i in order],
        "links": links.tolist(),
        "ticks": [[round(float(t) / top, 4), f"{t:g}"] for t in ticks],
    }


def _picture(tree):
    """The whole tree as a small SVG (a scatter plot and the full dendrogram), for where no script runs."""
    n, links = tree["n"], tree["links"]
    dots = "".join(f"M{15 + x * 240:.1f} {255 - y * 240:.1f}h.1" for x, y in tree["points"])
    tree_path = "".join(f"M{300 + xa * 456:.1f} {234 - ya * 206:.1f}V{234 - y * 206:.1f}"
                        f"H{300 + xb * 456:.1f}V{234 - yb * 206:.1f}" for xa, xb, ya, yb, y in links)
    return ("<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 770 270' width='770' height='270'>"
            "<rect width='770' height='270' fill='white'/>"
            f"<path d='{dots}' stroke='black' stroke-width='7' stroke-linecap='round'/>"
            f"<path d='{tree_path}' fill='none' stroke='black' stroke-width='1.4'/>"
            f"<text x='300' y='262' font-size='12' font-family='sans-serif'>the {n} samples, "
            "in the tree's order</text></svg>")


def _static_html(tree, step):
    """The stepper as a self-contained HTML fragment: the module and the data inline."""
    data = json.dumps(tree, separators=(",", ":"))
    key = hashlib.sha256(f"{data}|{step}".encode()).hexdigest()[:12]
    # Inside <script>, "</" could end the script early: JSON spells "<" as \u003c.
    data = data.replace("<", "\\u003c")
    n, top = tree["n"], tree["rows"][-1][2]
    alt = (f"The whole tree the stepper builds: the {n} samples as a scatter plot (left) and "
           f"SciPy's dendrogram of all {n - 1} merges of {tree['method']} linkage (right); "
           f"the last merge is at height {top}.")
    note = (f"A merge-by-merge stepper of Z ({n} samples, {tree['method']} linkage) shows here "
            "once its cell runs: run the notebook (Run \u25b8 Run All Cells) to step through the "
            "merges. Meanwhile, the whole tree it builds:")
    picture = quote(_picture(tree), safe=" '=/:;,.-_()")
    return (f'<div class="course-stepper-static" data-course-stepper="{key}">'
            f"<p>{note}</p><img alt=\"{alt}\" src=\"data:image/svg+xml,{picture}\"></div>\n"
            f'<script type="module">\n{_compact(_module_source())}\n'
            f'boot("{key}", {data}, {step});\n</script>')


class MergeStepper(anywidget.AnyWidget):
    """A merge-by-merge stepper: the samples, the growing dendrogram and the rows of `Z`.

    At step `s` the first `s` merges of SciPy's ``linkage(X, method)`` are
    done: the scatter plot marks the two clusters that merge at row
    ``s - 1`` (a triangle for ``Z[s - 1, 0]``, a square for
    ``Z[s - 1, 1]``), the dendrogram shows every merge so far with the last
    one drawn thick at its height, and the table of `Z` highlights its row
    and explains its indices. Step 0 is the start: every sample alone.

    Parameters
    ----------
    X : array_like of shape (n, 2)
        The samples: 2 features (they are drawn as a scatter plot), from 2
        to :data:`MAX_SAMPLES` samples.
    method : str, optional
        The linkage method, one of :data:`METHODS`. Default ``'ward'``.
    step : int, optional
        The step shown first, from 0 to ``n - 1``. Default 0.
    decimals : int, optional
        How many decimals the heights are written with, from 0 to 10.
        Default 5, as the chapters print `Z`.

    Attributes
    ----------
    step : int
        The step shown, from 0 (no merge yet) to ``n - 1`` (every merge):
        set it from Python to move the stepper, read it to know where the
        reader stopped.
    Z : ndarray of shape (n - 1, 4)
        SciPy's linkage matrix, a copy.
    n : int
        The number of samples.
    method : str
        The linkage method.

    Raises
    ------
    TypeError
        If `X` is not an array of real numbers, or `step` or `decimals` is
        not a whole number.
    ValueError
        If `X` does not have 2 columns, has fewer than 2 or more than
        :data:`MAX_SAMPLES` rows, or non-finite values; if `method` is not
        one of :data:`METHODS`; if `step` or `decimals` is out of range.

    See Also
    --------
    helpers.cutoff.cluster_members : the samples of a cluster of `Z`.

    Notes
    -----
    The notebook shows the stepper live (a widget); a page rendered from the
    stored notebook (nbconvert, the course's site) shows the same drawing
    from the output's ``text/html``, which embeds ``helpers/stepper.js`` and
    the data, and needs neither a kernel nor the network.

    Examples
    --------
    >>> stepper = MergeStepper([[0, 0], [0, 1], [5, 5], [5, 7]], "single", decimals=2)
    >>> print(stepper.sentence)
    Step 0 of 3: no merge yet; 4 clusters, one per sample.
    >>> stepper.step = 3
    >>> print(stepper.sentence)
    Step 3 of 3: row 2 of Z merges cluster 4 (formed in row 0) and cluster 5 (formed in row 1)
    at height 6.40 into cluster 6, of 4 samples; 1 cluster remains.
    >>> stepper.row
    2
    """

    _esm = _module_source()
    tree = traitlets.Dict().tag(sync=True)
    step = traitlets.Any(0).tag(sync=True)

    def __init__(self, X, method="ward", *, step=0, decimals=5):
        X = as_samples(X)
        n, m = X.shape
        if m != 2:
            raise ValueError(
                f"X must have 2 columns (features), drawn as a scatter plot; got {m}. "
                f"Pick two, such as X[:, :2], or project X onto two components first."
            )
        if not 2 <= n <= MAX_SAMPLES:
            raise ValueError(
                f"X must hold from 2 to {MAX_SAMPLES} samples for the stepper to draw each of "
                f"them; got {n}. Take a subset, such as X[::{-(-n // MAX_SAMPLES)}]."
            )
        if not isinstance(method, str) or method not in METHODS:
            raise ValueError(
                f"method must be one of {', '.join(repr(m) for m in METHODS)}; got {method!r}."
            )
        decimals = as_count(decimals, "decimals", 0, 10)
        self._n = n
        self._method = method
        # What linkage(X, method) computes (SciPy takes pdist(X) first), without its warning
        # that a square X, such as two samples, might be a distance matrix.
        self._Z = linkage(pdist(X), method)
        tree = _tree(X, self._Z, method, decimals)
        self._sentences = tuple(_sentence(tree["rows"], set(tree["drops"]), n, s) for s in range(n))
        super().__init__(tree=tree, step=step)

    @traitlets.validate("step")
    def _check_step(self, proposal):
        return as_count(proposal["value"], "step", 0, self._n - 1)

    @property
    def n(self):
        """The number of samples."""
        return self._n

    @property
    def method(self):
        """The linkage method."""
        return self._method

    @property
    def Z(self):
        """SciPy's linkage matrix of the samples (a copy)."""
        return self._Z.copy()

    @property
    def row(self):
        """The row of `Z` merged at the current step, ``step - 1``; None at step 0."""
        return self.step - 1 if self.step else None

    @property
    def sentences(self):
        """The sentence of every step, from 0 to ``n - 1``, as the stepper says them."""
        return self._sentences

    @property
    def sentence(self):
        """The sentence said at the current step: which clusters merge, at what height, how many remain."""
        return self._sentences[self.step]

    def to_html(self):
        """The stepper at its current step as one HTML fragment that needs no kernel and no network.

        The fragment holds a note and a picture of the whole tree, then a
        module script with ``helpers/stepper.js`` and the data, which
        replaces them with the stepper. The output's ``text/html`` is this.
        """
        return _static_html(self.tree, self.step)

    def __repr__(self):
        return (f"MergeStepper of {self._n} samples ({self._method} linkage), "
                f"step {self.step} of {self._n - 1}")

    def _repr_mimebundle_(self, **kwargs):
        # anywidget returns (data, metadata); older releases, as ipywidgets, the data alone.
        bundle = super()._repr_mimebundle_(**kwargs)
        data, metadata = bundle if isinstance(bundle, tuple) else (bundle, {})
        data = {**data, "text/plain": repr(self), "text/html": self.to_html()}
        return data, metadata
