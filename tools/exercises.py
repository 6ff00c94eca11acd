"""The chapters' exercises: each with an answer cell, a self-check and a solution that stays closed.

An exercise is three cells (CONTRIBUTING.md explains them to authors):

1. markdown, the question: ``**N.** ...``;
2. code, tagged ``exercise``, where the learner answers::

       # Your answer to exercise N (a list of sample indices): replace the ... and run the cell.
       answer_N = ...
       check(N, answer_N)

   ``check`` is the chapter's :func:`helpers.self_check`, made once in a
   code cell under the ``## Exercises`` heading;
3. markdown, tagged ``solution``: the solution, closed until the learner
   opens it, in a ``<details>`` element::

       <details>
       <summary>Show the solution to exercise N</summary>

       ```python
       the solution's code
       ```

       (what it printed and drew, written by the regenerate command)

       </details>

   Its ``metadata.exercise`` is the self-check's specification (the kind of
   answer; the expression that gives the right answer once the solution has
   run; other right forms, known mistakes with their hints, and wrong
   answers, which the tests try).

A solution is markdown, not code, so that nothing of it shows when the
learner runs every cell (JupyterLab re-shows a code cell's output when it
runs, and a folded cell's first line of output when its code is opened):
a closed ``<details>`` shows only its summary in JupyterLab, Notebook 7, on
the site and in most other viewers, and opens with one click, or with the
keyboard. The regenerate command runs each solution's code in the chapter's
kernel, in its place, writes what it printed and drew into the markdown
(figures as the cell's attachments, with their alt text), and writes the
self-check's fingerprints of the answer into ``helpers/_checks/``. For the
tests, :func:`expand` turns each solution back into a code cell with its
stored outputs, followed by a cell that verifies its self-check, so that
nbval runs and compares them like any other cell.
"""

from __future__ import annotations

import html
import json
import re

import nbformat

from tools.course import IGNORE_REASON, IGNORE_TAG, ROOT

#: The tag of the learner's answer cell, and of a solution (a markdown cell).
EXERCISE_TAG = "exercise"
SOLUTION_TAG = "solution"
#: The summary of a closed solution: what the learner clicks.
SUMMARY = "Show the solution to exercise {number}"
SUMMARY_RE = re.compile(r"<summary>Show the solution to exercise (\d+)</summary>")
CODE_RE = re.compile(r"```python\n(.*?)\n```", re.S)
#: Where the self-checks' fingerprints live: one file per chapter, named after it.
CHECKS = ROOT / "helpers" / "_checks"
#: The fields of an exercise's specification (``metadata.exercise``).
SPEC_FIELDS = {"kind", "decimals", "options", "hint", "answer", "right", "mistakes", "wrong"}
#: What the learner is told about each kind of answer (helpers.exercises.KINDS holds the same words).
_IMG = re.compile(r'<img src="data:image/png;base64,([^"]+)" alt="([^"]*)"([^>]*)>')
_ATTACHED = re.compile(r'<img src="attachment:([^"]+)" alt="([^"]*)"([^>]*)>')


def tags(cell):
    return cell.get("metadata", {}).get("tags", [])


def is_solution(cell):
    return cell.get("cell_type") == "markdown" and SOLUTION_TAG in tags(cell)


def is_answer_cell(cell):
    return cell.get("cell_type") == "code" and EXERCISE_TAG in tags(cell)


def solution_number(cell):
    """The exercise a solution cell solves (from its summary), or None."""
    match = SUMMARY_RE.search(cell.source)
    return int(match.group(1)) if match else None


def solution_blocks(cell):
    """The code of a solution: its ```python blocks, run one after the other (a block that
    prints what varies from run to run says so with ``# nbval ignores this output: <why>``)."""
    blocks = CODE_RE.findall(cell.source)
    if not blocks:
        raise ValueError("the solution holds no ```python block: write its code in one")
    return blocks


def solution_code(cell):
    """The whole code of a solution, its blocks one after the other."""
    return "\n\n".join(solution_blocks(cell))


def is_ignored(code):
    """Whether a block's output varies from run to run (it says why, as an ignored cell does)."""
    return IGNORE_REASON in code


def chapter_stem(path):
    return path.stem if hasattr(path, "stem") else str(path).rsplit("/", 1)[-1].removesuffix(".ipynb")


# --- Rendering a solution -----------------------------------------------------------------


def _fence(text, language="text"):
    text = text.rstrip("\n")
    fence = "```"
    while fence in text:
        fence += "`"
    return f"{fence}{language}\n{text}\n{fence}"


def _text_of(output):
    if output.output_type == "stream":
        return output.text
    return output.get("data", {}).get("text/plain", "")


def store_outputs(number, outputs, attachments=None):
    """A solution block's outputs as the cell stores them: figures moved to attachments.

    Returns ``(outputs, attachments)``: the outputs with each figure's
    ``<img>`` pointing at ``attachment:figure-N-K.png``, and the
    attachments, ``{name: {"image/png": base64}}`` (added to `attachments`,
    those of the solution's earlier blocks, when given).
    """
    stored, attachments = [], {} if attachments is None else attachments
    for output in outputs:
        if output.output_type == "error":
            raise ValueError(f"the solution to exercise {number} raised {output.ename}: {output.evalue}")
        output = nbformat.from_dict(json.loads(json.dumps(output)))
        data = output.get("data", {})
        figure = _IMG.fullmatch(data.get("text/html", ""))
        if figure:
            name = f"figure-{number}-{len(attachments) + 1}.png"
            attachments[name] = {"image/png": figure.group(1)}
            data["text/html"] = f'<img src="attachment:{name}" alt="{figure.group(2)}"{figure.group(3)}>'
        stored.append(output)
    return stored, attachments


def render(number, blocks, outputs):
    """The markdown of a closed solution: each block of its code, then what it printed and
    drew (`outputs`: the stored outputs of each block)."""
    parts = [f"<details>\n<summary>{SUMMARY.format(number=number)}</summary>"]
    for code, block_outputs in zip(blocks, outputs, strict=True):
        parts.append(_fence(code, "python"))
        for output in block_outputs:
            html_ = output.get("data", {}).get("text/html", "")
            figure = _ATTACHED.fullmatch(html_)
            if figure:
                parts.append(f"![{html.unescape(figure.group(2))}](attachment:{figure.group(1)})")
                continue
            text = _text_of(output)
            if text.strip():
                label = "It warns:" if output.get("name") == "stderr" else "Output:"
                parts += [label, _fence(text)]
    parts.append("</details>")
    return "\n\n".join(parts)


def answer_source(number, spec):
    """The learner's answer cell of an exercise."""
    from helpers.exercises import KINDS

    what = KINDS[spec["kind"]]
    if spec["kind"] == "choice":
        what = "one of " + ", ".join(repr(option) for option in spec["options"])
    return (f"# Your answer to exercise {number} ({what}): replace the ... and run the cell.\n"
            f"answer_{number} = ...\n"
            f"check({number}, answer_{number})")


# --- Running the self-check's specification in the kernel ------------------------------------


def _expressions(spec, field):
    return [item if isinstance(item, str) else item["answer"] for item in spec.get(field, [])]


def entry_code(chapter, number, spec):
    """Code that prints, as JSON, the self-check's entry of one exercise (run right after its solution)."""
    public = {key: spec[key] for key in ("kind", "decimals", "options", "hint") if key in spec}
    mistakes = ", ".join(f"(({m['answer']}), {m['hint']!r})" for m in spec.get("mistakes", []))
    # Known mistakes may warn (a square matrix given to linkage does): the warning is their
    # point, not this check's output.
    return ("import json as _course_json, warnings as _course_warnings\n"
            "from helpers.exercises import _build_entry as _course_entry\n"
            "with _course_warnings.catch_warnings():\n"
            "    _course_warnings.simplefilter('ignore')\n"
            f"    print(_course_json.dumps(_course_entry({chapter!r}, {number}, {public!r}, "
            f"answer=({spec['answer']}), mistakes=[{mistakes}])))\n"
            "del _course_json, _course_entry, _course_warnings")


def verify_code(chapter, number, spec):
    """Code that verifies one exercise's stored self-check against its solution (see :func:`expand`)."""
    right = ", ".join(f"({e})" for e in _expressions(spec, "right"))
    wrong = ", ".join(f"({e})" for e in _expressions(spec, "wrong"))
    mistakes = ", ".join(f"(({m['answer']}), {m['hint']!r})" for m in spec.get("mistakes", []))
    return ("import warnings as _course_warnings\n"
            "from helpers.exercises import _verify as _course_verify, _visible_text as _course_visible\n"
            "with _course_warnings.catch_warnings():  # a known mistake may warn; that is its point\n"
            "    _course_warnings.simplefilter('ignore')\n"
            f"    print(_course_verify({chapter!r}, {number}, answer=({spec['answer']}), right=[{right}], "
            f"mistakes=[{mistakes}], wrong=[{wrong}], visible_text=_course_visible({chapter + '.ipynb'!r})))\n"
            "del _course_verify, _course_visible, _course_warnings")


def verified_line(number, spec):
    """What the verifying cell prints when the self-check holds."""
    from helpers.exercises import _verified

    return _verified(number, len(spec.get("right", [])), len(spec.get("mistakes", [])), len(spec.get("wrong", [])))


def spec_problems(number, spec):
    """What is wrong with an exercise's specification: a list of sentences."""
    from helpers.exercises import KINDS

    found = []
    if not isinstance(spec, dict):
        return [f"exercise {number}'s metadata.exercise is not a dict"]
    unknown = set(spec) - SPEC_FIELDS
    if unknown:
        found.append(f"exercise {number}'s specification has unknown fields {sorted(unknown)}")
    if spec.get("kind") not in KINDS:
        found.append(f"exercise {number}'s kind {spec.get('kind')!r} is not one of {', '.join(KINDS)}")
    if not isinstance(spec.get("answer"), str):
        found.append(f"exercise {number} names no answer (an expression evaluated after its solution)")
    if len(spec.get("right", [])) < 1:
        found.append(f"exercise {number} lists no other right form of its answer (at least one)")
    mistakes = spec.get("mistakes", [])
    if len(mistakes) < 1 or not all(isinstance(m, dict) and {"answer", "hint"} <= set(m) for m in mistakes):
        found.append(f"exercise {number} lists no known mistake with its hint (at least one, "
                     "{'answer': ..., 'hint': ...})")
    if len(spec.get("wrong", [])) < 1:
        found.append(f"exercise {number} lists no wrong answer (at least one)")
    if spec.get("kind") == "choice" and not spec.get("options"):
        found.append(f"exercise {number} is a choice but lists no options")
    return found


# --- For the tests: solutions as code cells ---------------------------------------------------


def restored_blocks(cell):
    """``[(code, outputs), ...]``: each block of a solution, with its stored outputs, its
    figures' PNGs put back inside their ``<img>``."""
    stored = cell.metadata.get("course", {}).get("outputs", [])
    found = []
    for code, block_outputs in zip(solution_blocks(cell), stored, strict=False):
        outputs = []
        for output in block_outputs:
            output = nbformat.from_dict(json.loads(json.dumps(output)))
            data = output.get("data", {})
            figure = _ATTACHED.fullmatch(data.get("text/html", ""))
            if figure:
                png = cell.attachments[figure.group(1)]["image/png"]
                data["text/html"] = (f'<img src="data:image/png;base64,{png}" alt="{figure.group(2)}"'
                                     f'{figure.group(3)}>')
            outputs.append(output)
        found.append((code, outputs))
    return found


def restored_outputs(cell, ignored=True):
    """Every stored output of a solution, block after block (``ignored=False``: leaving out
    the blocks whose output varies)."""
    return [output for code, outputs in restored_blocks(cell) if ignored or not is_ignored(code)
            for output in outputs]


def expand(nb, chapter):
    """A copy of a chapter in which each solution is a code cell with its stored outputs,
    followed by a cell that verifies the exercise's self-check (what nbval runs)."""
    nb = nbformat.from_dict(json.loads(json.dumps(nb)))
    cells = []
    for cell in nb.cells:
        if not is_solution(cell):
            cells.append(cell)
            continue
        number = solution_number(cell)
        for source, outputs in restored_blocks(cell):
            code = nbformat.v4.new_code_cell(source)
            code.outputs = outputs
            if is_ignored(source):
                code.metadata["tags"] = [IGNORE_TAG]
            cells.append(code)
        spec = cell.metadata.get("exercise")
        if spec:
            verify = nbformat.v4.new_code_cell(verify_code(chapter, number, spec))
            verify.outputs = [nbformat.v4.new_output("stream", name="stdout",
                                                      text=verified_line(number, spec) + "\n")]
            cells.append(verify)
    count = 0
    for cell in cells:
        cell.pop("id", None)
        if cell.cell_type == "code":
            count += 1
            cell.execution_count = count  # nbval runs only cells that were run
    nb.cells = cells
    nb.nbformat_minor = 4  # ids dropped: the generated cells have none
    return nb
