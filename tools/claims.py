"""Check what the chapters claim, teach and draw against what they do: the kinds of defect of the third reading.

    python -m tools.claims [NOTEBOOK ...]          the static checks (seconds)
    python -m tools.claims --run [NOTEBOOK ...]    and the checks that run each chapter in a fresh kernel

Default: every chapter. ``tools/prose.py`` checks that the prose quotes only
printed numbers; this module checks the other kinds of defect that the third
reading (issue 24) and the exercise review (issue 21) found, each where a
check can see it. Every problem names the chapter, the cell (counted from 1,
as ``tools.prose`` does) and what to do.

**Static checks**, on the stored notebook:

* *Truncation wording* (:func:`truncation_problems`): ``truncate_mode="lastp",
  p=P`` draws P leaves and P - 1 merges; prose or an alt text that calls it
  "the last P merges" is wrong.
* *The tutorial* (:func:`tutorial_problems`): a chapter that speaks of "the
  tutorial" links it (:data:`TUTORIAL_URL`) at least once, so that a reader
  can check what it says of it.
* *Order* (:func:`order_problems`): a chapter that calls a function before the
  chapter that teaches it (:data:`INTRODUCED`) names that chapter before its
  first call.
* *Reading time* (:func:`length_problems`): the main path, everything outside
  the ``## Going deeper: ...`` sections and the exercises, reads in at most
  :data:`MAX_MAIN_MINUTES` by the navigation's measure (200 words a minute,
  15 s a code cell).
* *Optional means optional* (:func:`optional_problems`): no main-path cell
  and no exercise uses a name that only a ``Going deeper`` section defines,
  so that a reader who skips one still runs the rest.
* *Exercise specs* (:func:`exercise_spec_problems`): every exercise has one
  solution cell whose metadata holds an ``exercise`` entry the converter of
  issue 21 can read (kind, answer, at least one other right form, at least
  one known mistake with its own hint, wrong answers, a general hint), and no
  chapter has fewer exercises than :data:`MIN_EXERCISES` says.

**Run checks** (``--run``), on a fresh run of the chapter (:func:`run_chapter`):

* *Exercises* (:func:`exercise_value_problems`): each answer evaluated right
  after its solution ran; every right form is accepted, every mistake and
  wrong answer refused, two mistakes never share a value (each gets its own
  hint); and the answer is nowhere the learner sees it before opening the
  solution: not in the chapter's outputs outside the solutions, not in its
  prose, not in the question, not in a hint.
* *Figures* (:func:`figure_problems`), measured on each figure as it is
  rendered: a cut line keeps :data:`MIN_CUT_CLEARANCE_PX` pixels from every
  merge of the tree it cuts; panels that show the same samples give the same
  group the same colour and marker, and a colour and marker that two panels
  share marks nested groups; height labels keep the order and spacing of
  the heights they write (two labels do not make a band look twice as wide
  as it is).
"""

from __future__ import annotations

import argparse
import ast
import json
import re
import sys
from pathlib import Path

import nbformat

from tools.course import COURSE, EXERCISE, SOLUTION_FIRST_LINE, SOLUTION_TAG, is_navigation, tags
from tools.prose import comments

#: The 2015 tutorial the course follows.
TUTORIAL_URL = "https://joernhees.de/blog/2015/08/26/scipy-hierarchical-clustering-and-dendrogram-tutorial/"

#: Where each function is taught: a chapter before it that calls it must say so first.
INTRODUCED = {
    "fcluster": "07",
    "cut_tree": "07",
    "inconsistent": "06",
    "silhouette_score": "09",
    "gap_statistic": "09",
    "HDBSCAN": "09",
    "adjusted_rand_score": "08",
    "linkage_vector": "11",
}

#: The longest main path, in minutes by the navigation's measure. That measure
#: counts neither the figures nor running and reading the code's output, so
#: 15 minutes by it is about 20 for a learner.
MAX_MAIN_MINUTES = 15.0
WORDS_PER_MINUTE = 200
SECONDS_PER_CODE_CELL = 15

#: Exercises per chapter before issue 21: a chapter keeps its count or raises it.
MIN_EXERCISES = {"06": 3, "07": 3, "08": 2, "09": 2, "10": 2, "11": 3}

#: The kinds of answer the self-check of issue 21 knows (NOTES.md).
KINDS = {"number", "integer", "text", "choice", "samples", "partition", "sequence"}

#: How close, in pixels at the stored size, a cut line may come to a merge it does not cut.
MIN_CUT_CLEARANCE_PX = 6.0

GOING_DEEPER = re.compile(r"^## Going deeper:", re.M)
LEVEL_2 = re.compile(r"^## (.*)$", re.M)
LASTP = re.compile(r"""truncate_mode\s*=\s*["']lastp["'][^)]*?\bp\s*=\s*(\d+)|\btruncate_p\s*=\s*(\d+)""", re.S)
LAST_MERGES = re.compile(r"\blast\s+(\d+)\s+merges\b", re.I)
TUTORIAL_WORD = re.compile(r"\b(?:the|its|original|2015) tutorial\b", re.I)


# --- Reading the chapters -------------------------------------------------------------

def read(path):
    return nbformat.read(Path(path), as_version=4)


def chapter_number(path):
    return Path(path).name[:2]


def sections(nb):
    """(cell number, cell, section) for every cell; section is "main", "deeper" or "exercises".

    A level-2 heading starts a section: ``## Going deeper: ...`` an optional
    one, ``## Exercises`` the exercises, any other a main one. A markdown
    cell is in the section its first line is in (a heading further down
    starts the next section with the next cell); navigation cells are left out.
    """
    found, section = [], "main"
    for number, cell in enumerate(nb.cells, start=1):
        if is_navigation(cell):
            continue
        if cell.cell_type == "markdown":
            lines = cell.source.lstrip().splitlines()
            first = lines[0] if lines else ""
            if first.startswith("## "):
                section = _section_of(first)
            found.append((number, cell, section))
            for heading in LEVEL_2.findall(cell.source)[1 if first.startswith("## ") else 0:]:
                section = _section_of(f"## {heading}")
        else:
            found.append((number, cell, section))
    return found


def _section_of(heading):
    if heading.startswith("## Going deeper:"):
        return "deeper"
    if heading.startswith("## Exercises"):
        return "exercises"
    return "main"


def reading_minutes(nb, section="main"):
    """Minutes to read a section kind by the navigation's measure: words / 200 + 15 s per code cell."""
    words = cells = 0
    for _, cell, where in sections(nb):
        if where != section:
            continue
        if cell.cell_type == "markdown":
            words += len(cell.source.split())
        elif cell.cell_type == "code":
            cells += 1
    return words / WORDS_PER_MINUTE + cells * SECONDS_PER_CODE_CELL / 60


def prose_texts(nb, with_solutions=True):
    """(cell number, text) of the markdown and code comments a learner reads."""
    texts = []
    for number, cell in enumerate(nb.cells, start=1):
        if is_navigation(cell):
            continue
        if cell.cell_type == "markdown":
            texts.append((number, cell.source))
        elif cell.cell_type == "code" and (with_solutions or SOLUTION_TAG not in tags(cell)):
            found, _ = comments(cell.source)
            texts.append((number, "\n".join(found)))
    return texts


def exercise_cells(nb):
    """{N: {"question": (cell number, text), "solutions": [(cell number, cell), ...]}}."""
    found = {}
    for number, cell in enumerate(nb.cells, start=1):
        if cell.cell_type == "markdown":
            match = re.search(r"^" + EXERCISE.pattern, cell.source, re.M)
            if match:
                found.setdefault(int(match.group(1)), {"solutions": []})["question"] = (number, cell.source)
        elif cell.cell_type == "code" and SOLUTION_TAG in tags(cell):
            match = SOLUTION_FIRST_LINE.match(cell.source)
            if match:
                found.setdefault(int(match.group(1)), {"solutions": []})["solutions"].append((number, cell))
    return found


def spec_of(exercise):
    """The solution cell number and ``exercise`` entry of one exercise, or (None, None)."""
    for number, cell in exercise["solutions"]:
        if "exercise" in cell.metadata:
            return number, cell.metadata["exercise"]
    return None, None


# --- Static checks --------------------------------------------------------------------

def truncation_problems(nb):
    """Prose that calls a tree truncated to P leaves "the last P merges".

    ``truncate_mode="lastp", p=P`` (and the explorer's ``truncate_p=P``)
    draws P leaves, joined by P - 1 merges. Any "last P merges" in a chapter
    whose code truncates to P leaves is taken to describe that tree.
    """
    leaves = {}
    for number, cell in enumerate(nb.cells, start=1):
        if cell.cell_type == "code":
            for match in LASTP.finditer(cell.source):
                leaves.setdefault(int(match.group(1) or match.group(2)), number)
    found = []
    for number, text in prose_texts(nb):
        for match in LAST_MERGES.finditer(text):
            p = int(match.group(1))
            if p in leaves:
                found.append(f"cell {number}: '{' '.join(match.group(0).split())}' where cell {leaves[p]} "
                             f"truncates to {p} leaves: that tree shows {p} leaves joined by {p - 1} "
                             f"merges; say 'truncated to {p} leaves'")
    return found


def tutorial_problems(nb):
    """A chapter that speaks of the tutorial without ever linking it."""
    mentions = [number for number, text in prose_texts(nb) if TUTORIAL_WORD.search(text)]
    linked = any(TUTORIAL_URL in cell.source for cell in nb.cells if cell.cell_type == "markdown")
    if mentions and not linked:
        return [f"cells {', '.join(map(str, mentions[:5]))}{'...' if len(mentions) > 5 else ''} speak of "
                f"the tutorial, but no markdown cell links it: link {TUTORIAL_URL} where the chapter "
                "first names it"]
    return []


def order_problems(nb, number):
    """Calls of a function before the chapter that teaches it, without naming that chapter first."""
    found = []
    for name, teacher in INTRODUCED.items():
        if number >= teacher:
            continue
        call = re.compile(rf"\b{re.escape(name)}\s*\(")
        reference = re.compile(rf"\b{teacher} · |\bchapter {teacher}\b|\(?{teacher}_\w+\.ipynb")
        for cell_number, cell in enumerate(nb.cells, start=1):
            if is_navigation(cell):
                continue
            if cell.cell_type == "markdown" and reference.search(cell.source):
                break  # named before any call: fine from here on
            if cell.cell_type == "code":
                code = comments(cell.source)[1]
                if call.search(code):
                    found.append(f"cell {cell_number} calls {name}, which chapter {teacher} teaches, "
                                 f"before this chapter names chapter {teacher}: point there first, or "
                                 "leave the call to that chapter")
                    break
    return found


def length_problems(nb):
    minutes = reading_minutes(nb, "main")
    if minutes > MAX_MAIN_MINUTES:
        return [f"the main path reads in {minutes:.1f} minutes by the navigation's measure, over "
                f"{MAX_MAIN_MINUTES:g}: move material into '## Going deeper: ...' sections or to "
                "another chapter"]
    return []


def _assigned(tree):
    """Names a code cell binds at its top level (assignments, defs, imports, for targets)."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
    return names


def _used(tree):
    return {node.id for node in ast.walk(tree) if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)}


def optional_problems(nb):
    """Main-path or exercise cells that need a name only an optional section defines."""
    defined_main, defined_deeper, found = set(), {}, []
    for number, cell, section in sections(nb):
        if cell.cell_type != "code":
            continue
        try:
            tree = ast.parse(cell.source)
        except SyntaxError:
            continue
        if section != "deeper":
            local = _assigned(tree)
            for name in sorted(_used(tree) - local - defined_main):
                if name in defined_deeper:
                    kind = "exercise" if section == "exercises" else "main-path"
                    found.append(f"cell {number} ({kind}) uses {name!r}, which only the optional cell "
                                 f"{defined_deeper[name]} defines: define it on the main path, or move "
                                 "this cell into the optional section (and say so in an exercise)")
            defined_main |= local
        else:
            for name in _assigned(tree) - defined_main:
                defined_deeper.setdefault(name, number)
    return found


def exercise_spec_problems(nb, number):
    found = []
    exercises = exercise_cells(nb)
    least = MIN_EXERCISES.get(number, 0)
    if len(exercises) < least:
        found.append(f"{len(exercises)} exercises, fewer than the {least} the chapter had: keep or raise the count")
    for n, exercise in sorted(exercises.items()):
        where = f"exercise {n}"
        if "question" not in exercise:
            found.append(f"{where}: no '**{n}.**' question")
        specs = [(c, cell.metadata["exercise"]) for c, cell in exercise["solutions"] if "exercise" in cell.metadata]
        if not exercise["solutions"]:
            found.append(f"{where}: no solution cell")
            continue
        if len(specs) != 1:
            found.append(f"{where}: {len(specs)} solution cells carry an 'exercise' spec; exactly one must "
                         "(NOTES.md, 'Exercises: the format chapters will move to')")
            continue
        cell_number, spec = specs[0]
        found += [f"{where} (cell {cell_number}): {problem}" for problem in _spec_shape_problems(spec)]
    return found


def _spec_shape_problems(spec):
    found = []
    kind = spec.get("kind")
    if kind not in KINDS:
        found.append(f"kind {kind!r} is not one of {sorted(KINDS)}")
    if not isinstance(spec.get("answer"), str) or not spec.get("answer"):
        found.append("'answer' must be a Python expression (a string)")
    if not isinstance(spec.get("right"), list) or not spec["right"]:
        found.append("'right' must list at least one other correct form")
    mistakes = spec.get("mistakes")
    if not isinstance(mistakes, list) or not mistakes:
        found.append("'mistakes' must list at least one known mistake with its hint")
    else:
        for mistake in mistakes:
            if not (isinstance(mistake, dict) and mistake.get("answer") and mistake.get("hint")):
                found.append(f"mistake {mistake!r} needs an 'answer' and a 'hint'")
    if not isinstance(spec.get("wrong"), list) or not spec["wrong"]:
        found.append("'wrong' must list at least one other wrong answer")
    if not spec.get("hint"):
        found.append("'hint' (the general hint) is missing")
    if kind == "number" and not isinstance(spec.get("decimals"), int):
        found.append("a 'number' needs 'decimals', the precision the chapter prints")
    if kind == "choice" and not (isinstance(spec.get("options"), list) and len(spec["options"]) >= 2):
        found.append("a 'choice' needs 'options', two or more, listed in the question")
    return found


def static_problems(path):
    nb = read(path)
    number = chapter_number(path)
    return (truncation_problems(nb) + tutorial_problems(nb) + order_problems(nb, number)
            + length_problems(nb) + optional_problems(nb) + exercise_spec_problems(nb, number))


# --- Running a chapter ------------------------------------------------------------------

# Run in the kernel first, silently: wrap the inline backend's PNG formatter so
# that each figure, once rendered, also reports what tools/claims_audit.py
# measures on it, in the output's metadata["image/png"]["claims_audit"].
KERNEL_SETUP = """
def _claims_setup(path):
    import importlib.util
    import matplotlib
    import matplotlib.pyplot as plt
    from matplotlib.figure import Figure

    spec = importlib.util.spec_from_file_location("_claims_audit", path)
    audit = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(audit)
    plt.switch_backend(matplotlib.get_backend())
    formatter = get_ipython().display_formatter.formatters["image/png"]
    draw_png = formatter.lookup_by_type(Figure)

    def png_and_audit(fig):
        data = draw_png(fig)
        if data is None:
            return data
        if isinstance(data, tuple):
            data, metadata = data
        else:
            metadata = {}
        return data, {**metadata, "claims_audit": audit.audit_figure(fig)}

    formatter.for_type(Figure, png_and_audit)


_claims_setup(%r)
del _claims_setup
"""

# Run silently right after a solution cell: the values of its spec's expressions, as JSON.
EVALUATE = """
def _claims_values(spec):
    import json
    import numpy as np

    def plain(value):
        if isinstance(value, (set, frozenset)):
            value = sorted(value)
        if isinstance(value, np.ndarray):
            value = value.tolist()
        if isinstance(value, (list, tuple)):
            return [plain(v) for v in value]
        if isinstance(value, np.generic):
            return value.item()
        return value

    def evaluate(expression):
        try:
            return {"value": plain(eval(expression, globals()))}
        except Exception as error:
            return {"error": f"{type(error).__name__}: {error}"}

    return json.dumps({
        "answer": evaluate(spec["answer"]),
        "right": [evaluate(e) for e in spec["right"]],
        "mistakes": [evaluate(m["answer"]) for m in spec["mistakes"]],
        "wrong": [evaluate(e) for e in spec["wrong"]],
    })
"""


def run_chapter(path, timeout=600):
    """Run a chapter in a fresh kernel: its figures' audits and its exercises' values.

    Returns ``{"figures": {cell number: [audit, ...]}, "values": {N: {...}}}``:
    each audit is what :func:`tools.claims_audit.audit_figure` measured on a
    figure as it was rendered; each exercise's values are its spec's
    expressions evaluated right after its solution ran.
    """
    from nbclient import NotebookClient

    path = Path(path)
    nb = read(path)
    specs = {}
    for n, exercise in exercise_cells(nb).items():
        cell_number, spec = spec_of(exercise)
        if spec is not None:
            specs[cell_number] = (n, spec)
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", record_timing=False,
                            resources={"metadata": {"path": str(path.parent)}})
    values = {}
    audit_path = Path(__file__).with_name("claims_audit.py")
    with client.setup_kernel():
        for code in (KERNEL_SETUP % str(audit_path), EVALUATE):
            reply = client.wait_for_reply(client.kc.execute(code, silent=True, store_history=False))
            if reply is None or reply["content"]["status"] != "ok":
                raise RuntimeError(f"the kernel could not set up the claims check: {reply and reply['content']}")
        for index, cell in enumerate(nb.cells):
            cell.outputs = [] if cell.cell_type == "code" else None
            if cell.cell_type != "code":
                continue
            client.execute_cell(cell, index, execution_count=client.code_cells_executed + 1)
            if index + 1 in specs:
                n, spec = specs[index + 1]
                expression = f"_claims_values(__import__('json').loads({json.dumps(json.dumps(spec))}))"
                reply = client.wait_for_reply(client.kc.execute(
                    "", silent=True, store_history=False, user_expressions={"values": expression}))
                result = reply["content"]["user_expressions"]["values"]
                if result.get("status") != "ok":
                    values[n] = {"error": f"{result.get('ename')}: {result.get('evalue')}"}
                else:
                    values[n] = json.loads(ast.literal_eval(result["data"]["text/plain"]))
    figures = {}
    for number, cell in enumerate(nb.cells, start=1):
        if cell.cell_type != "code":
            continue
        for output in cell.outputs:
            audit = output.get("metadata", {}).get("image/png", {}).get("claims_audit")
            if audit is not None:
                figures.setdefault(number, []).append(audit)
    return {"figures": figures, "values": values}


# --- Exercises: the values ----------------------------------------------------------------

def accepts(spec, expected, given):
    """Whether the self-check would accept `given` for an answer `expected` (both plain JSON values)."""
    kind = spec["kind"]
    try:
        if kind == "number":
            return abs(float(given) - float(expected)) <= 0.5 * 10 ** -spec["decimals"] * (1 + 1e-9)
        if kind == "integer":
            return float(given) == float(expected) and float(given).is_integer()
        if kind in ("text", "choice"):
            return str(given).strip().casefold() == str(expected).strip().casefold()
        if kind == "samples":
            return sorted(set(map(int, given))) == sorted(set(map(int, expected))) and len(given) == len(set(given))
        if kind == "sequence":
            return [int(v) for v in given] == [int(v) for v in expected]
        if kind == "partition":
            return _same_partition(given, expected)
    except (TypeError, ValueError):
        return False
    return False


def _same_partition(first, second):
    if len(first) != len(second):
        return False
    forward, backward = {}, {}
    for a, b in zip(first, second, strict=True):
        if forward.setdefault(a, b) != b or backward.setdefault(b, a) != a:
            return False
    return True


def answer_forms(spec, value):
    """How the answer would read if printed: regexes to search the visible text with."""
    kind = spec["kind"]
    if kind == "number":
        return ("number", float(value), spec["decimals"])
    if kind == "integer":
        return ("integer", int(value))
    if kind in ("samples", "sequence"):
        return (kind, [int(v) for v in value])
    if kind in ("text", "choice"):
        return ("text", str(value))
    return None


NUMBER_TOKEN = re.compile(r"(?<![\w.])-?\d+(?:\.\d+)?(?![\w])")
BRACKETED = re.compile(r"[\[({]([-\d\s,.]+)[\])}]")


def shows(text, form, *, small_integers=False):
    """Whether `text` shows an answer of the given form."""
    kind = form[0]
    if kind == "number":
        _, value, decimals = form
        tolerance = 0.5 * 10 ** -decimals * (1 + 1e-9)
        for token in NUMBER_TOKEN.findall(text.replace(",", "")):
            if "." in token and len(token.split(".")[1]) >= decimals and abs(float(token) - value) <= tolerance:
                return True
        return False
    if kind == "integer":
        _, value = form
        if abs(value) < 10 and not small_integers:
            return False  # a small count is everywhere; the question and hints are searched apart
        return any(float(token) == value for token in NUMBER_TOKEN.findall(text.replace(",", "")))
    if kind in ("samples", "sequence"):
        _, value = form
        for match in BRACKETED.finditer(text):
            numbers = [float(t) for t in re.findall(r"-?\d+(?:\.\d+)?", match.group(1))]
            if kind == "samples" and sorted(numbers) == sorted(value) and len(value) > 1:
                return True
            if kind == "sequence" and numbers == value and len(value) > 1:
                return True
        return False
    _, value = form
    return re.search(rf"\b{re.escape(value)}\b", text, re.I) is not None


def visible_texts(nb):
    """(where, text) of everything a learner sees before opening a solution."""
    found = []
    for number, cell in enumerate(nb.cells, start=1):
        if is_navigation(cell) or SOLUTION_TAG in tags(cell):
            continue
        if cell.cell_type == "markdown":
            found.append((f"cell {number} (markdown)", cell.source))
            continue
        found.append((f"cell {number} (comments)", "\n".join(comments(cell.source)[0])))
        for output in cell.get("outputs", []):
            text = output.get("text", "") if output.get("output_type") == "stream" else \
                output.get("data", {}).get("text/plain", "")
            found.append((f"cell {number} (output)", text))
    return found


def exercise_value_problems(nb, values):
    found = []
    visible = visible_texts(nb)
    for n, exercise in sorted(exercise_cells(nb).items()):
        _, spec = spec_of(exercise)
        if spec is None:
            continue
        where = f"exercise {n}"
        result = values.get(n)
        if result is None:
            found.append(f"{where}: not evaluated (did its solution run?)")
            continue
        if "error" in result:
            found.append(f"{where}: {result['error']}")
            continue
        answer = result["answer"]
        if "error" in answer:
            found.append(f"{where}: the answer {spec['answer']!r} fails: {answer['error']}")
            continue
        expected = answer["value"]
        for expression, got in zip(spec["right"], result["right"], strict=True):
            if "error" in got or not accepts(spec, expected, got["value"]):
                found.append(f"{where}: the right form {expression!r} is not accepted "
                             f"({got.get('error') or got['value']!r})")
        mistake_values = []
        for mistake, got in zip(spec["mistakes"], result["mistakes"], strict=True):
            if "error" in got:
                found.append(f"{where}: the mistake {mistake['answer']!r} fails: {got['error']}")
                continue
            if accepts(spec, expected, got["value"]):
                found.append(f"{where}: the mistake {mistake['answer']!r} would pass as right")
            if any(accepts(spec, other, got["value"]) for other in mistake_values):
                found.append(f"{where}: the mistake {mistake['answer']!r} has the value of an earlier "
                             "mistake, so it cannot get a hint of its own")
            mistake_values.append(got["value"])
        for expression, got in zip(spec["wrong"], result["wrong"], strict=True):
            if "error" not in got and accepts(spec, expected, got["value"]):
                found.append(f"{where}: the wrong answer {expression!r} would pass as right")
        form = answer_forms(spec, expected)
        if form is None:
            continue
        question = EXERCISE.sub(" ", exercise.get("question", (None, ""))[1])  # not its own number
        hints = [spec.get("hint", "")] + [m.get("hint", "") for m in spec["mistakes"]]
        for label, text in [("the question", question)] + [("a hint", h) for h in hints]:
            if spec["kind"] == "choice" and label == "the question":
                continue  # a choice lists its options in the question
            if shows(text, form, small_integers=True):
                found.append(f"{where}: {label} gives the answer away ({expected!r})")
        for place, text in visible:
            if spec["kind"] == "choice":
                break  # an option's word may well appear in the prose
            if shows(text, form):
                found.append(f"{where}: {place} shows the answer ({expected!r}) before the solution is opened")
                break
    return found


# --- Figures ------------------------------------------------------------------------------

def figure_problems(figures):
    found = []
    for number, audits in sorted(figures.items()):
        for audit in audits:
            for index, axes in enumerate(audit["axes"]):
                panel = f"cell {number}, panel {index + 1} ({axes['title'][:50]!r})"
                for cut, height, pixels in axes["close_cuts"]:
                    found.append(f"{panel}: the cut at {cut:g} lies {pixels:.1f} px from the merge at "
                                 f"{height:g}, under {MIN_CUT_CLEARANCE_PX:g} px at the stored size: "
                                 "zoom the axis (ylim) or draw the region in a panel of its own")
                labels = sorted(axes["height_labels"], key=lambda pair: pair[0])
                for (low, low_text), (high, high_text) in zip(labels, labels[1:], strict=False):
                    true, written = high - low, _value(high_text) - _value(low_text)
                    if true > 0 and abs(written - true) > 0.5 * true:
                        found.append(f"{panel}: the labels {low_text!r} and {high_text!r} write merges "
                                     f"{true:.5g} apart as {written:.5g} apart: write them with more digits, "
                                     "or label only one of them")
            found += [f"cell {number}: {problem}" for problem in _panel_style_problems(audit["axes"])]
    return found


def _value(text):
    return float(text.replace(",", ""))


def _panel_style_problems(panels):
    found = []
    groups = []  # per panel: {style: frozenset of points}
    for axes in panels:
        by_style = {}
        for style, points in axes["scatter_groups"]:
            by_style.setdefault(tuple(style), set()).update(map(tuple, points))
        groups.append({style: frozenset(points) for style, points in by_style.items()})
    for i in range(len(groups)):
        for j in range(i + 1, len(groups)):
            first, second = groups[i], groups[j]
            if not first or not second:
                continue
            if frozenset().union(*first.values()) != frozenset().union(*second.values()):
                continue  # the panels do not show the same samples
            where = f"panels {i + 1} and {j + 1}"
            for style, points in first.items():
                for other_style, other_points in second.items():
                    if points == other_points and style != other_style:
                        found.append(f"{where}: the same group of {len(points)} samples is drawn as "
                                     f"{_style_name(style)} in one and {_style_name(other_style)} in the other")
            for style in set(first) & set(second):
                a, b = first[style], second[style]
                if not (a <= b or b <= a):
                    found.append(f"{where}: {_style_name(style)} marks {len(a)} samples in one and {len(b)} "
                                 f"others in the other ({len(a & b)} in common): a colour and marker that both "
                                 "panels use must mark the same group, or one part of it")
    return found


def _style_name(style):
    colour, marker = style
    return f"colour {colour} with marker {marker}"


# --- Command line ---------------------------------------------------------------------------

def problems(path, run=False):
    found = static_problems(path)
    if run:
        nb = read(path)
        result = run_chapter(path)
        found += exercise_value_problems(nb, result["values"]) + figure_problems(result["figures"])
    return found


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--run", action="store_true", help="also run each chapter: exercises' values and figures")
    args = parser.parse_args(argv)
    failed = 0
    for path in args.notebooks or COURSE.chapters():
        for problem in problems(path, run=args.run):
            print(f"{path}: {problem}")
            failed += 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

