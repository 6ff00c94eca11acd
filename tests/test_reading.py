"""What a reader meets when a chapter runs: figures that read as they should,
and exercises whose answers stay to be found (issue 24, issue 21).

Each chapter of :data:`RUN` runs once, in a fresh kernel in ``notebooks/``,
with a probe (:data:`PROBE`) that measures every figure as ``plt.show()``
draws it and evaluates every exercise's specification right after its
solution ran. Then the tests check, on those measures:

Figures (:func:`figure_problems`)
    * a scatter plot of samples (points that are rows of a data array of
      the kernel, such as ``X``) has equal aspect, as chapter 01 asks: one
      unit as long across as up;
    * in a dendrogram of at most :data:`MAX_READ_LEAVES` leaves that writes
      its merge heights (a truncated tree meant to be read, not a full
      tree's fringe), every link can be read in some panel of its figure:
      each leg from a lower merge up to its parent is at least
      :data:`MIN_LEG_PX` tall, or the parent and the child read as one
      merge (00's links at 8.75 and 8.05);
    * a cut-off line keeps :data:`MIN_CUT_GAP_PX` clear of every link's bar
      and of every merge dot's edge (04's cut at 16 over the link at 15.1,
      05's cut at 13 on the dot at 12.4);
    * no connector line (an inset's) crosses a text (03's over the 0.25 tick).

Exercises (:func:`exercise_problems`, :func:`shown_answers`)
    * the specification holds: the answer evaluates to its kind, every other
      right form is accepted, every known mistake and every wrong answer is
      refused, and no two mistakes are the same answer (each gets its hint);
    * the answer is not in what the chapter shows a reader who has not opened
      a solution (its prose and the outputs of the other cells), nor in the
      question or any hint: a number at the exercise's precision, a list of
      samples or a sequence as printed; whole numbers and words are too
      common to search.

The measures could be taken by ``tools/notebooks.py regenerate`` instead,
stored with each figure and checked without running (the lead's tool; see
the report of branch reading-a); until then they cost one run per chapter.
"""

import json
import math
import re
import shutil

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from tools import prose
from tools.course import COURSE, is_navigation, is_solution

#: The chapters run here (06-11 join when their exercises have specifications).
RUN = ("00", "01", "02", "03", "04", "05")
CHAPTERS = [path for path in COURSE.chapters() if path.name[:2] in RUN]

#: A leg shorter than this, in pixels, makes a parent merge and its child read as one.
MIN_LEG_PX = 4.0
#: A tree of more leaves than this has a fringe of merges too close to read, by nature:
#: the leg check reads only smaller (truncated) trees.
MAX_READ_LEAVES = 30
#: Pixels a cut-off line keeps clear of links' bars and of merge dots' edges.
MIN_CUT_GAP_PX = 5.0

PROBE = r'''
def _reading_setup():
    import json

    import matplotlib.pyplot as plt
    import numpy as np
    from matplotlib.collections import LineCollection, PathCollection
    from matplotlib.patches import ConnectionPatch
    from matplotlib.text import Annotation

    ip = get_ipython()
    state = {"figures": [], "exercises": {}}

    def sample_arrays():
        arrays = []
        for name, value in list(ip.user_ns.items()):
            if (not name.startswith("_") and isinstance(value, np.ndarray) and value.ndim == 2
                    and value.shape[1] == 2 and value.shape[0] >= 10 and value.dtype.kind == "f"):
                arrays.append({tuple(row) for row in value.tolist()})
        return arrays

    def links_of(ax):
        links = []
        for collection in ax.collections:
            if isinstance(collection, LineCollection):
                segments = [np.asarray(s, dtype=float) for s in collection.get_segments()]
                if segments and all(s.shape == (4, 2) and s[0, 0] == s[1, 0] and s[1, 1] == s[2, 1]
                                    and s[2, 0] == s[3, 0] for s in segments):
                    links += segments
        return links

    def text_boxes(fig, renderer):
        boxes = []
        for ax in fig.axes:
            texts = [ax.title, ax._left_title, ax._right_title, ax.xaxis.label, ax.yaxis.label]
            texts += list(ax.texts)
            if ax.get_legend() is not None:
                texts += list(ax.get_legend().get_texts())
            for axis, which, (low, high) in ((ax.xaxis, 0, sorted(ax.get_xlim())),
                                             (ax.yaxis, 1, sorted(ax.get_ylim()))):
                for label in axis.get_ticklabels():
                    if low <= label.get_position()[which] <= high:
                        texts.append(label)
            boxes += [(t.get_text(), t.get_window_extent(renderer)) for t in texts
                      if t.get_visible() and t.get_text().strip()]
        texts = list(fig.texts) + [t for legend in fig.legends for t in legend.get_texts()]
        if getattr(fig, "_suptitle", None) is not None:
            texts.append(fig._suptitle)
        boxes += [(t.get_text(), t.get_window_extent(renderer)) for t in texts
                  if t.get_visible() and t.get_text().strip()]
        return boxes

    def vertices_of(found):
        # A path, or (in Matplotlib 3.10) lists of paths and of whether each is filled.
        if hasattr(found, "vertices"):
            return [found.vertices]
        if isinstance(found, (list, tuple)):
            return [v for item in found for v in vertices_of(item)]
        return []

    def measure(fig):
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        arrays = sample_arrays()
        report = {"axes": [], "legs": [], "cuts": [], "crossings": []}
        for number, ax in enumerate(fig.axes):
            title = ax.get_title() or f"axes {number + 1}"
            samples = 0
            for collection in ax.collections:
                if isinstance(collection, PathCollection):
                    rows = [tuple(r) for r in np.asarray(collection.get_offsets(), dtype=float).tolist()]
                    if len(rows) >= 3 and any(all(r in a for r in rows) for a in arrays):
                        samples += len(rows)
            aspect = ax.get_aspect()
            report["axes"].append({"title": title, "samples": samples,
                                   "aspect": aspect if isinstance(aspect, str) else float(aspect)})
            links = links_of(ax)
            if not links:
                continue
            low, high = sorted(ax.get_ylim())
            to_px = lambda y: float(ax.transData.transform((0.0, y))[1])  # noqa: E731
            annotated = any(isinstance(t, Annotation) and t.get_visible() for t in ax.texts)
            bars = [s[1, 1] for s in links if low <= s[1, 1] <= high]
            for s in links:
                bar = s[1, 1]
                if not low <= bar <= high:
                    continue
                for side, foot in ((0, s[0, 1]), (1, s[3, 1])):
                    if foot > 0:  # a leg from a lower merge, not from a leaf
                        report["legs"].append({
                            "axes": title, "annotated": annotated, "leaves": len(links) + 1,
                            "key": [round(float(s[0, 0]), 3), round(float(s[3, 0]), 3),
                                    round(float(bar), 6), side],
                            "heights": [round(float(foot), 5), round(float(bar), 5)],
                            "px": abs(to_px(bar) - to_px(max(foot, low)))})
            dots = []
            for collection in ax.collections:
                if isinstance(collection, PathCollection) and len(collection.get_offsets()):
                    sizes = collection.get_sizes()
                    for i, (x, y) in enumerate(np.asarray(collection.get_offsets(), dtype=float)):
                        size = sizes[i % len(sizes)] if len(sizes) else 36.0
                        dots.append((float(y), float(np.sqrt(size) / 2 * fig.dpi / 72)))
            for line in ax.lines:
                ys = np.asarray(line.get_ydata(), dtype=float)
                if line.get_linestyle() not in ("--", "dashed") or len(ys) < 2 or np.ptp(ys) != 0:
                    continue
                cut = float(ys[0])
                if not low <= cut <= high:
                    continue
                gaps = [(abs(to_px(bar) - to_px(cut)), "link", bar) for bar in bars]
                gaps += [(abs(to_px(y) - to_px(cut)) - radius, "dot", y) for y, radius in dots
                         if low <= y <= high]
                gap, what, height = min(gaps)
                report["cuts"].append({"axes": title, "cut": cut, "gap": gap, "what": what,
                                       "height": round(height, 5)})
        boxes = text_boxes(fig, renderer)
        patches = fig.findobj(ConnectionPatch)
        for indicator in fig.findobj(lambda artist: hasattr(artist, "connectors")):
            patches += [c for c in (indicator.connectors or []) if c not in patches]
        for patch in patches:
            if not patch.get_visible():
                continue
            points = []
            for vertices in vertices_of(patch._get_path_in_displaycoord()):
                for a, b in zip(vertices[:-1], vertices[1:]):
                    points += [a + (b - a) * t for t in np.linspace(0, 1, 200)]
            for text, box in boxes:
                near = box.padded(1)  # a line within a pixel of a text runs into it
                if any(near.contains(x, y) for x, y in points):
                    report["crossings"].append(text)
        return report

    show = plt.show

    def probing_show(*args, **kwargs):
        for number in plt.get_fignums():
            report = measure(plt.figure(number))
            report["cell"] = ip.user_ns.get("_reading_cell")
            state["figures"].append(report)
        return show(*args, **kwargs)

    plt.show = probing_show

    def normalise(value, kind):
        if kind == "number":
            value = float(value)
            if not np.isfinite(value):
                raise ValueError("not a finite number")
            return value
        if kind == "integer":
            if float(value) != int(value):
                raise ValueError(f"{value!r} is not a whole number")
            return int(value)
        if kind in ("text", "choice"):
            return str(value).strip().casefold()
        if isinstance(value, (set, frozenset)):
            value = sorted(value)
        values = np.asarray(value).ravel().tolist()
        if kind == "samples":
            return sorted({int(v) for v in values})
        if kind == "sequence":
            return [int(v) for v in values]
        if kind == "partition":
            first = {}
            return [first.setdefault(v, len(first)) for v in values]
        raise ValueError(f"unknown kind {kind!r}")

    def evaluate(expression, kind):
        try:
            return {"value": normalise(eval(expression, ip.user_ns), kind)}
        except Exception as error:
            return {"error": f"{type(error).__name__}: {error}"}

    def exercise(number, spec):
        spec = json.loads(spec)
        kind = spec.get("kind")
        state["exercises"][str(number)] = {
            "answer": evaluate(spec.get("answer", "None"), kind),
            "right": [evaluate(e, kind) for e in spec.get("right", [])],
            "mistakes": [evaluate(m.get("answer", "None"), kind) for m in spec.get("mistakes", [])],
            "wrong": [evaluate(e, kind) for e in spec.get("wrong", [])],
        }

    def dump():
        print("READING-REPORT " + json.dumps(state))

    return exercise, dump


_reading_exercise, _reading_dump = _reading_setup()
del _reading_setup
'''


def run(path):
    """Run one chapter with the probe: {"figures": [...], "exercises": {N: ...}, "nb": the notebook}."""
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    cells = [new_code_cell(PROBE)]
    for number, cell in enumerate(nb.cells, start=1):
        if cell.cell_type != "code":
            continue
        cells += [new_code_cell(f"_reading_cell = {number}"), new_code_cell(cell.source)]
        spec = cell.metadata.get("exercise")
        first = prose.SOLUTION_FIRST_LINE.fullmatch((cell.source.splitlines() or [""])[0])
        if is_solution(cell) and first and isinstance(spec, dict):
            cells.append(new_code_cell(f"_reading_exercise({first.group(1)}, {json.dumps(json.dumps(spec))})"))
    cells.append(new_code_cell("_reading_dump()"))
    run_nb = new_notebook(cells=cells)
    client = NotebookClient(run_nb, timeout=None, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    text = "".join(o.get("text", "") for o in run_nb.cells[-1].outputs if o.output_type == "stream")
    report = json.loads(text.split("READING-REPORT ", 1)[1])
    report["nb"] = nb
    return report


# --- Figures ------------------------------------------------------------------------


def figure_problems(figures):
    """What a reader would misread in the figures: a list of sentences."""
    found = []
    for figure in figures:
        where = f"cell {figure['cell']}"
        for ax in figure["axes"]:
            if ax["samples"] and ax["aspect"] != 1.0:
                found.append(f"{where}: '{ax['title']}' scatters {ax['samples']} samples with aspect "
                             f"{ax['aspect']!r}: set ax.set_aspect('equal'), so that shapes and "
                             "distances are not stretched (chapter 01's rule)")
        best = {}
        for leg in figure["legs"]:
            key = tuple(leg["key"])
            best[key] = max(best.get(key, 0.0), leg["px"])
        for leg in figure["legs"]:
            if leg["annotated"] and leg["leaves"] <= MAX_READ_LEAVES and best[tuple(leg["key"])] < MIN_LEG_PX:
                low, high = leg["heights"]
                found.append(f"{where}: in '{leg['axes']}' the link at {high:g} stands only "
                             f"{leg['px']:.1f} px above the merge at {low:g} below it, and no panel "
                             f"shows it taller than {MIN_LEG_PX:g} px: the two read as one merge")
        for cut in figure["cuts"]:
            if cut["gap"] < MIN_CUT_GAP_PX:
                found.append(f"{where}: in '{cut['axes']}' the cut at {cut['cut']:g} passes "
                             f"{cut['gap']:.1f} px from the {cut['what']} at {cut['height']:g} "
                             f"(under {MIN_CUT_GAP_PX:g} px): a reader cannot tell on which side it is")
        for text in figure["crossings"]:
            found.append(f"{where}: a connector line crosses the text '{text}'")
    return found


# --- Exercises ----------------------------------------------------------------------


def specs(nb):
    """{exercise number: (its solution cell's specification, its question's text)}."""
    questions, found = {}, {}
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for match in prose.EXERCISE.finditer(cell.source):
                questions[int(match.group(1))] = cell.source
        elif is_solution(cell) and isinstance(cell.metadata.get("exercise"), dict):
            first = prose.SOLUTION_FIRST_LINE.fullmatch(cell.source.splitlines()[0])
            number = int(first.group(1))
            found[number] = (cell.metadata["exercise"], questions.get(number, ""))
    return found


def accepts(spec, answer, value):
    """Whether the self-check would take `value` for the right `answer` (NOTES' rules)."""
    if spec["kind"] == "number":
        return abs(value - answer) <= 0.5 * 10 ** -spec["decimals"] + 1e-9 * max(1.0, abs(answer))
    return value == answer


def exercise_problems(nb, evaluated):
    """Specifications that do not hold when the chapter runs."""
    found = []
    for number, (spec, _) in sorted(specs(nb).items()):
        where = f"exercise {number}"
        result = evaluated.get(str(number))
        if result is None:
            found.append(f"{where}: its specification was never evaluated (did its solution run?)")
            continue
        if "error" in result["answer"]:
            found.append(f"{where}: its answer {spec['answer']!r} fails: {result['answer']['error']}")
            continue
        answer = result["answer"]["value"]
        if spec["kind"] == "choice" and answer not in [str(o).strip().casefold() for o in spec["options"]]:
            found.append(f"{where}: its answer {answer!r} is not one of its options")
        for expression, got in zip(spec["right"], result["right"], strict=True):
            if "error" in got or not accepts(spec, answer, got["value"]):
                found.append(f"{where}: the right form {expression!r} is refused "
                             f"({got.get('error') or got['value']!r})")
        values = []
        for mistake, got in zip(spec["mistakes"], result["mistakes"], strict=True):
            if "error" in got:
                found.append(f"{where}: the mistake {mistake['answer']!r} fails: {got['error']}")
            elif accepts(spec, answer, got["value"]):
                found.append(f"{where}: the mistake {mistake['answer']!r} would pass as right")
            elif any(accepts(spec, other, got["value"]) for other in values):
                found.append(f"{where}: the mistake {mistake['answer']!r} is the same answer as "
                             "another mistake, so it cannot get its own hint")
            else:
                values.append(got["value"])
        for expression, got in zip(spec["wrong"], result["wrong"], strict=True):
            if "error" in got:
                found.append(f"{where}: the wrong answer {expression!r} fails: {got['error']}")
            elif accepts(spec, answer, got["value"]):
                found.append(f"{where}: the wrong answer {expression!r} would pass as right")
    return found


def visible_text(nb):
    """What a reader sees without opening a solution: prose, and the outputs of the other cells."""
    texts = []
    for cell in nb.cells:
        if is_navigation(cell) or is_solution(cell):
            continue
        if cell.cell_type == "markdown":
            texts.append(cell.source)
            continue
        texts += prose.comments(cell.source)[0]
        for output in cell.get("outputs", []):
            if output.output_type == "stream":
                texts.append(output.text)
            texts += [output.get("data", {}).get("text/plain", "")]
    return texts


LIST = re.compile(r"[\[({]([\d\s,.]+)[\])}]")


def shows(spec, answer, text):
    """Whether `text` holds `answer` in a form a reader could copy."""
    kind = spec["kind"]
    if kind == "number":
        for match, value in prose.numbers_in(text):
            decimals = len(match.group(0).partition(".")[2])
            if value is not None and decimals >= spec["decimals"] and accepts(spec, answer, float(value)):
                return True
        return False
    if kind in ("samples", "sequence") and len(answer) >= 2:
        for match in LIST.finditer(text):
            numbers = [float(v) for v in re.findall(r"\d+(?:\.\d*)?", match.group(1))]
            if not all(v == int(v) for v in numbers):
                continue
            numbers = [int(v) for v in numbers]
            if (sorted(set(numbers)) == answer) if kind == "samples" else (numbers == answer):
                return True
        return False
    if kind == "text":
        return bool(re.search(rf"\b{re.escape(answer)}\b", text.casefold()))
    return False  # whole numbers, choices and partitions: too common, or no literal form


def shown_answers(nb, evaluated):
    """Exercises whose answer the chapter shows, or whose question or hints give it away."""
    found = []
    shown = visible_text(nb)
    for number, (spec, question) in sorted(specs(nb).items()):
        got = evaluated.get(str(number), {}).get("answer", {})
        if "value" not in got:
            continue
        answer = got["value"]
        others = [text for text in shown if text != question]
        if any(shows(spec, answer, text) for text in others):
            found.append(f"exercise {number}: its answer {answer!r} is shown in the chapter, "
                         "in its prose or an output a reader sees without opening a solution")
        hints = [m["hint"] for m in spec["mistakes"]] + ([spec["hint"]] if "hint" in spec else [])
        for text, what in [(question, "its question")] + [(h, "a hint") for h in hints]:
            if (spec["kind"] != "choice" or what != "its question") and (
                    shows(spec, answer, text) or (spec["kind"] == "choice" and answer in text.casefold())):
                found.append(f"exercise {number}: {what} gives its answer {answer!r} away")
    return found


# --- The chapters ------------------------------------------------------------------


@pytest.fixture(scope="module", params=CHAPTERS, ids=[p.name for p in CHAPTERS])
def chapter(request):
    return run(request.param)


def test_every_figure_reads_as_it_should(chapter):
    found = figure_problems(chapter["figures"])
    assert not found, "\n".join(found)


def test_every_exercise_specification_holds(chapter):
    found = exercise_problems(chapter["nb"], chapter["exercises"])
    assert not found, "\n".join(found)


def test_no_answer_is_shown_before_the_learner_looks(chapter):
    found = shown_answers(chapter["nb"], chapter["exercises"])
    assert not found, "\n".join(found)


# --- The checks catch what they should, on a small spoiled chapter -------------------

SPOILED = [
    ("import matplotlib.pyplot as plt\nimport numpy as np\nfrom scipy.cluster.hierarchy import "
     "dendrogram, linkage\nimport helpers\nX = helpers.two_clusters()\nZ = linkage(X, 'ward')\n"
     "print(f'{Z[5, 2]:.5f}')"),
    # 2: samples scattered with the default (auto) aspect
    "fig, ax = plt.subplots(figsize=(6, 3))\nax.scatter(X[:, 0], X[:, 1])\nax.set_title('auto')\nplt.show()",
    # 3: the same, equal: fine
    "fig, ax = plt.subplots()\nax.scatter(X[:, 0], X[:, 1])\nax.set_aspect('equal')\nplt.show()",
    # 4: an annotated truncated tree whose links at 8.75 and 8.05 read as one
    "fig, ax = plt.subplots(figsize=(8, 4))\ntree = helpers.fancy_dendrogram(Z, ax=ax, truncate_mode="
    "'lastp', p=12, annotate_above=10)\nplt.show()",
    # 5: a cut 1-2 px above a link, and one on a dot
    "fig, ax = plt.subplots(figsize=(8, 4))\ntree = helpers.fancy_dendrogram(Z, ax=ax, no_labels=True, "
    "max_d=16, annotate_above=20)\nplt.show()",
    # 6: an inset whose connector crosses the inset's tick labels
    "fig, (a, b) = plt.subplots(1, 2, figsize=(8, 4))\na.scatter(X[:, 0], X[:, 1])\nb.scatter(X[:, 0], "
    "X[:, 1])\nfor ax in (a, b):\n    ax.set_aspect('equal')\nb.set_xlim(8, 11)\nb.set_ylim(-2, 1)\n"
    "a.indicate_inset((8, -2, 3, 3), inset_ax=b)\nplt.show()",
]


@pytest.fixture(scope="module")
def spoiled(tmp_path_factory):
    cells = [new_markdown_cell("# A spoiled chapter\n\nIntro.")]
    cells += [new_code_cell(source) for source in SPOILED]
    cells += [new_markdown_cell("## Exercises"),
              new_markdown_cell("**1.** At what height does row 5 merge? (Hint: 0.10928 or so.)"),
              new_markdown_cell("**Solution**")]
    solution = new_code_cell("# Solution to exercise 1.\nanswer_1 = Z[5, 2]")
    solution.metadata.update(tags=["solution"], jupyter={"source_hidden": True, "outputs_hidden": True},
                             exercise={"kind": "number", "decimals": 5, "answer": "answer_1",
                                       "right": ["round(answer_1, 5)", "answer_1 + 0.1"],
                                       "mistakes": [{"answer": "Z[5, 2]", "hint": "Rows count from 0."},
                                                    {"answer": "Z[4, 2]", "hint": "Rows count from 0."},
                                                    {"answer": "Z[4, 2] + 0", "hint": "Again."}],
                                       "wrong": ["answer_1 * 2"]})
    cells.append(solution)
    folder = tmp_path_factory.mktemp("spoiled")
    shutil.copy(COURSE.matplotlibrc, folder)  # the course's look, as in notebooks/
    path = folder / "spoiled.ipynb"
    nb = new_notebook(cells=cells)
    nb.cells[1].outputs = [new_output("stream", name="stdout", text="0.10928\n")]
    nbformat.write(nb, path)
    return run(path)


def test_the_figure_checks_catch_what_a_reader_would_misread(spoiled):
    found = figure_problems(spoiled["figures"])
    assert any(p.startswith("cell 3:") and "aspect 'auto'" in p for p in found), found
    assert not any(p.startswith("cell 4:") for p in found), found
    assert any(p.startswith("cell 5:") and "link at 8.74822" in p and "merge at 8.04935" in p
               for p in found), found
    assert any(p.startswith("cell 6:") and "cut at 16 passes" in p and "link at 15.1153" in p
               for p in found), found
    assert any(p.startswith("cell 7:") and "connector line crosses" in p for p in found), found


def test_the_exercise_checks_catch_a_broken_specification_and_a_shown_answer(spoiled):
    found = exercise_problems(spoiled["nb"], spoiled["exercises"])
    assert any("right form 'answer_1 + 0.1' is refused" in p for p in found), found
    assert any("mistake 'Z[5, 2]' would pass as right" in p for p in found), found
    assert any("mistake 'Z[4, 2] + 0' is the same answer as another" in p for p in found), found
    shown = shown_answers(spoiled["nb"], spoiled["exercises"])
    assert any("is shown in the chapter" in p for p in shown), shown
    assert any("its question gives its answer" in p for p in shown), shown


@pytest.mark.parametrize("kind, answer, text, expected", [
    ("number", 0.10928, "merges at 0.10928 into", True),
    ("number", 0.10928, "about 0.11", False),  # fewer decimals than the exercise asks
    ("number", 13.77134, "middle 13.77", True),
    ("samples", [4, 40, 127], "['127', '40', '4']", False),  # strings: not a printed list of numbers
    ("samples", [4, 40, 127], "[127 40 4]", True),
    ("sequence", [23, 27, 24], "[23 24 27]", False),
    ("sequence", [23, 27, 24], "sizes [23 27 24]", True),
    ("integer", 5, "5 clusters", False),
])
def test_what_counts_as_showing_an_answer(kind, answer, text, expected):
    spec = {"kind": kind, "decimals": 2 if answer == 13.77134 else 5}
    assert shows(spec, answer, text) is expected


def test_accepts_follows_the_self_check_rules():
    number = {"kind": "number", "decimals": 2}
    assert accepts(number, 13.77134, 13.77) and accepts(number, 13.77134, 13.7713)
    assert not accepts(number, 13.77134, 13.78) and not accepts(number, 13.77134, 13.8)
    assert accepts({"kind": "samples"}, [1, 2], [1, 2]) and not accepts({"kind": "integer"}, 4, 5)
    assert math.isclose(0.5 * 10 ** -2, 0.005)
