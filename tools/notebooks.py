"""Regenerate and check the course's notebooks.

    python -m tools.notebooks regenerate [NOTEBOOK ...]
    python -m tools.notebooks check [NOTEBOOK ...]

`regenerate` runs each notebook top to bottom in a fresh kernel (the Python
that runs this script), in the notebook's own folder, and stores the outputs
with execution counts 1..n, no timing metadata and normalised notebook
metadata, so that a second run writes the same bytes. It also records

- a fingerprint of the code cells (and of the solutions' code and
  self-check specifications), and one of what the figures and numbers are
  drawn from (``helpers/``, ``notebooks/matplotlibrc`` and ``data/``), so
  that `check` (and the test suite) can tell when a notebook's code, or
  anything it reads, changed without the notebook being run again;
- each figure as an ``<img>`` whose alt text is the comment
  ``# Figure: ...`` that starts its cell (it may continue on the following
  ``#`` lines), as :mod:`helpers.figures` writes it live in a learner's
  session too;
- the smallest text each figure draws, in points, with the figure's
  resolution, as ``metadata["course"]`` of the figure's output, measured in
  the kernel while the figure is rendered, so that `check` can refuse
  figures whose labels are too small to read at their stored size;
- each exercise's solution, run in its place: what it prints and draws is
  written into its closed ``<details>`` block, and the fingerprints of its
  answer into ``helpers/_checks/<chapter>.json`` (:mod:`tools.exercises`).

`check` also refuses an exercise without its answer cell, its closed
solution or a complete self-check specification, and a solution edited by
hand after the regenerate command wrote it. The conventions themselves are
:mod:`tools.course`'s and :mod:`tools.exercises`' (CONTRIBUTING.md explains
them).

Without arguments, both act on every chapter (``notebooks/*.ipynb``).
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import html
import json
import re
import struct
import sys
import time
from pathlib import Path

import nbformat

from helpers.figures import FIGURE_PREFIX, figure_alt
from tools import exercises
from tools.course import (
    COURSE,
    IGNORE_REASON,
    IGNORE_TAG,
    RAISES_TAG,
    ROOT,
    WIDGET_VIEW,
    Course,
)

# tools/bench.py reads the chapters' folder from here.
NOTEBOOKS = COURSE.notebooks
MAX_BYTES = 2_000_000
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
# Text in a stored figure must be at least 8 pt at the course's 90 dpi, that
# is 10 pixels, to be read at the figure's stored size.
MIN_FONT_PT, COURSE_DPI = 8.0, 90

# Run in the kernel before the notebook, with no trace in its history: make
# every figure an <img> with its alt text (as `import helpers` does), and
# measure the smallest text each figure draws (helpers.figures), which the
# output stores in its metadata.
KERNEL_SETUP = """
import helpers.figures
helpers.figures.describe_figures(measure_fonts=True)
del helpers
"""
# The figure an output holds: an <img> of a PNG, with its alt text.
FIGURE_HTML = re.compile(r'<img src="data:image/png;base64,([^"]+)" alt="([^"]*)"[^>]*>')


def course_notebooks():
    """Every chapter, in reading order (:meth:`tools.course.Course.chapters`; tools/bench.py calls this)."""
    return COURSE.chapters()


def code_fingerprint(nb):
    """A hash of the code cells' sources, and of each solution's code and self-check
    specification: what the stored outputs and the self-checks depend on."""
    digest = hashlib.sha256()
    for cell in nb.cells:
        if cell.cell_type == "code":
            digest.update(cell.source.encode("utf-8") + b"\0")
        elif exercises.is_solution(cell):
            try:
                code = exercises.solution_code(cell)
            except ValueError:
                code = ""
            spec = json.dumps(cell.metadata.get("exercise"), sort_keys=True)
            digest.update(b"solution\0" + code.encode("utf-8") + b"\0" + spec.encode("utf-8") + b"\0")
    return digest.hexdigest()


def inputs_fingerprint(root=ROOT):
    """A hash of what the outputs are drawn from besides the code: ``helpers/``
    (its Python files, and the JavaScript module that the merge stepper's
    outputs embed), ``notebooks/matplotlibrc`` and every file in ``data/``.

    Line endings are normalised, so that a checkout with CRLF line endings
    hashes the same."""
    course = Course(root)
    root = course.root
    files = []
    for path, patterns in ((course.helpers, ("*.py", "*.js")), (course.matplotlibrc, ()), (course.data, ("*",))):
        if path.is_file():
            files.append(path)
        elif path.is_dir():
            files += [p for pattern in patterns for p in path.rglob(pattern) if p.is_file()
                      and not any(part.startswith((".", "__pycache__")) for part in p.relative_to(root).parts)]
    digest = hashlib.sha256()
    for path in sorted(files):
        digest.update(path.relative_to(root).as_posix().encode("utf-8") + b"\0")
        digest.update(path.read_bytes().replace(b"\r\n", b"\n") + b"\0")
    return digest.hexdigest()


def is_image(output):
    """Whether an output is a figure: the ``<img>`` helpers.figures writes."""
    return FIGURE_HTML.fullmatch(output.get("data", {}).get("text/html", "")) is not None


def figure_parts(output):
    """``(base64 PNG, alt text)`` of a figure output."""
    match = FIGURE_HTML.fullmatch(output.data["text/html"])
    return match.group(1), html.unescape(match.group(2))


def merge_streams(outputs):
    """Join consecutive stdout (or stderr) chunks into one output.

    How a cell's printed text is split into chunks depends on timing in the
    kernel, so without this two runs could store different bytes.
    """
    merged = []
    for output in outputs:
        previous = merged[-1] if merged else None
        if (output.output_type == "stream" and previous is not None
                and previous.output_type == "stream" and previous.name == output.name):
            previous.text += output.text
        else:
            merged.append(output)
    return merged


def execute(nb, folder, timeout=300, chapter=None):
    """Run a notebook object top to bottom in a fresh kernel, working in `folder`.

    Clears old outputs first, then stores the new ones normalised: printed
    text in one chunk per cell, widget views with stable ids, figures with
    their alt text and font measure. Each solution (a markdown cell tagged
    ``solution``, :mod:`tools.exercises`) runs in its place too: what it
    prints and draws is written into its markdown. Returns the self-checks'
    entries, ``{"N": entry}``, of the exercises with a specification
    (``chapter`` names the chapter they belong to).
    """
    from nbclient import NotebookClient

    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        record_timing=False,
        resources={"metadata": {"path": str(folder)}},
    )
    entries = {}
    with client.setup_kernel():
        # The figures' alt text and font measure first, outside the notebook's history, counts and outputs.
        reply = client.wait_for_reply(client.kc.execute(KERNEL_SETUP, silent=True, store_history=False))
        if reply is None or reply["content"]["status"] != "ok":
            content = reply["content"] if reply else {}
            raise RuntimeError(f"the kernel could not set up the figures' alt text and font measure: "
                               f"{content.get('ename')}: {content.get('evalue')}")
        count = 0
        for index, cell in enumerate(nb.cells):
            if cell.cell_type == "code":
                count += 1
                client.execute_cell(cell, index, execution_count=count)
            elif exercises.is_solution(cell):
                entry = run_solution(client, cell, index, chapter)
                if entry is not None:
                    entries[str(exercises.solution_number(cell))] = entry
    widgets = 0
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = merge_streams(cell.outputs)
            for output in cell.outputs:
                view = output.get("data", {}).get(WIDGET_VIEW)
                if view is not None:
                    # A widget's model lives in the kernel and is not stored
                    # (its id is random): number it, so reruns match.
                    widgets += 1
                    view["model_id"] = f"stored-widget-{widgets}"
                if is_image(output):
                    label_figure(output)
    return entries


def _run_hidden(client, code, index):
    """Run `code` in the notebook's kernel as a cell of no notebook, outside its
    history (so the execution counts stay 1..n); return its outputs."""
    cell, original = nbformat.v4.new_code_cell(code), client.nb.cells[index]
    try:
        client.execute_cell(cell, index, store_history=False)
    finally:
        client.nb.cells[index] = original  # nbclient puts the cell it ran in the notebook
    return merge_streams(cell.outputs)


def run_solution(client, cell, index, chapter):
    """Run a solution's code in its place, write what it printed and drew into its
    markdown, and return its self-check's entry (None without a specification)."""
    number = exercises.solution_number(cell)
    if number is None:
        raise ValueError(f"cell {index + 1} is tagged solution but has no "
                         f"'<summary>{exercises.SUMMARY.format(number='N')}</summary>'")
    blocks = exercises.solution_blocks(cell)
    stored, attachments = [], {}
    for code in blocks:
        outputs = _run_hidden(client, code, index)
        for output in outputs:
            if is_image(output):
                label_figure(output)
        block_outputs, attachments = exercises.store_outputs(number, outputs, attachments)
        stored.append(block_outputs)
    cell.source = exercises.render(number, blocks, stored)
    if attachments:
        cell.attachments = nbformat.from_dict(attachments)
    else:
        cell.pop("attachments", None)
    course = {"outputs": stored}
    cell.metadata["course"] = nbformat.from_dict(course)
    spec = cell.metadata.get("exercise")
    if spec is None:
        return None
    printed = _run_hidden(client, exercises.entry_code(chapter, number, spec), index)
    texts = [output for output in printed if output.output_type == "stream" and output.name == "stdout"]
    errors = [output for output in printed if output.output_type == "error"]
    if errors or not texts:
        detail = f"{errors[0].ename}: {errors[0].evalue}" if errors else "it printed nothing"
        raise RuntimeError(f"exercise {number}'s self-check could not be built ({detail}); "
                           f"check its metadata.exercise")
    return json.loads(texts[0].text)


def png_width(output):
    """The width in pixels of a figure output's PNG, read from its header."""
    header = base64.b64decode(figure_parts(output)[0][:48])
    return struct.unpack(">I", header[16:20])[0]


def label_figure(output):
    """Keep a figure output's metadata to what the checks read: its font measure, as
    ``metadata["course"]`` (helpers.figures measured it in the kernel)."""
    fonts = output.metadata.get("text/html", {}).get("course_fonts")
    output.metadata = nbformat.from_dict({"course": fonts} if fonts else {})


def checks_path(path):
    """Where a chapter's self-checks are stored: ``helpers/_checks/<chapter>.json``
    (a notebook outside the course's chapters, such as a test's, keeps them
    beside it, as ``<name>.checks.json``)."""
    path = Path(path).resolve()
    if path.parent == COURSE.notebooks.resolve():
        return exercises.CHECKS / f"{path.stem}.json"
    return path.with_name(f"{path.stem}.checks.json")


def checks_text(chapter, entries):
    """The bytes of a chapter's self-check file."""
    data = {"chapter": chapter, "exercises": dict(sorted(entries.items(), key=lambda item: int(item[0])))}
    return json.dumps(data, indent=1, sort_keys=False) + "\n"


def regenerate(path, timeout=300):
    """Execute one notebook in a fresh kernel and store its outputs."""
    path = Path(path).resolve()
    nb = nbformat.read(path, as_version=4)
    entries = execute(nb, path.parent, timeout, chapter=path.stem)
    checks = checks_path(path)
    if entries:
        checks.parent.mkdir(exist_ok=True)
        checks.write_text(checks_text(path.stem, entries), encoding="utf-8")
    elif checks.exists():
        checks.unlink()
    nb.metadata = nbformat.from_dict(
        {
            "kernelspec": KERNELSPEC,
            "language_info": {"name": "python"},
            "course": {"code_sha256": code_fingerprint(nb), "inputs_sha256": inputs_fingerprint()},
        }
    )
    nbformat.validate(nb)
    nbformat.write(nb, path)


def problems(path):
    """What is wrong with a stored notebook: a list of sentences, empty if nothing."""
    path = Path(path)
    found = []
    size = path.stat().st_size
    if size > MAX_BYTES:
        found.append(f"it is {size / 1e6:.1f} MB, over the {MAX_BYTES / 1e6:.0f} MB limit: "
                     "lower the figure size or DPI, or print less")
    nb = nbformat.read(path, as_version=4)
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    counts = [cell.execution_count for cell in code]
    if counts != list(range(1, len(code) + 1)):
        found.append(f"its execution counts are {counts}, not 1..{len(code)}: "
                     "a cell was never run, or the notebook was run out of order")
    for number, cell in enumerate(nb.cells, start=1):
        if cell.cell_type == "code" and len(merge_streams(cell.outputs)) != len(cell.outputs):
            found.append(f"cell {number} stores its printed text in several chunks: "
                         "it was not stored by the regenerate command")
    if code and not any(cell.outputs for cell in code):
        found.append("it has no outputs at all: they were cleared")
    if nb.metadata.get("course", {}).get("code_sha256") != code_fingerprint(nb):
        found.append("its code changed since its outputs were made")
    if nb.metadata.get("course", {}).get("inputs_sha256") != inputs_fingerprint():
        found.append("what its outputs are drawn from (helpers/, notebooks/matplotlibrc or data/) "
                     "changed since its outputs were made")
    for number, cell in enumerate(nb.cells, start=1):
        if cell.cell_type == "code":
            found += figure_problems(number, cell)
    found += exercise_problems(path, nb)
    for number, cell in enumerate(nb.cells, start=1):
        if "execution" in cell.metadata:
            found.append(f"cell {number} carries execution timestamps")
        tags = cell.metadata.get("tags", [])
        if cell.cell_type == "code" and "NBVAL_" in cell.source:
            found.append(f"cell {number} uses an nbval comment marker: use the cell tag "
                         f"'{IGNORE_TAG}' (comment markers followed by words are silently ignored)")
        if cell.cell_type == "code" and cell.source.rstrip().endswith(";"):
            found.append(f"cell {number} ends with ';' to hide its result: nbval ignores "
                         "the semicolon, so assign the result to a name instead")
        if IGNORE_TAG in tags and IGNORE_REASON not in cell.source:
            found.append(f"cell {number} is tagged {IGNORE_TAG} but does not say why: "
                         f"add a line '{IGNORE_REASON} <reason>'")
        if cell.cell_type == "code" and RAISES_TAG not in tags:
            for output in cell.outputs:
                if output.output_type == "error":
                    found.append(f"cell {number} stores an error ({output.ename}) "
                                 f"but is not tagged {RAISES_TAG}")
    return found


def exercise_problems(path, nb):
    """What is wrong with a chapter's exercises: each question followed by its answer
    cell and its closed solution, each solution rendered by the regenerate command,
    each specification complete, and the self-check file in step."""
    found = []
    entries = {}
    cells = list(enumerate(nb.cells, start=1))
    for position, (number, cell) in enumerate(cells):
        following = cells[position + 1][1] if position + 1 < len(cells) else None
        if exercises.is_answer_cell(cell) and not (following and exercises.is_solution(following)):
            found.append(f"cell {number} is an exercise's answer cell not followed by its solution")
        if not exercises.is_solution(cell):
            continue
        exercise = exercises.solution_number(cell)
        where = f"cell {number} (the solution to exercise {exercise})"
        if exercise is None:
            found.append(f"cell {number} is tagged solution but has no "
                         f"'<summary>{exercises.SUMMARY.format(number='N')}</summary>'")
            continue
        before = cells[position - 1][1] if position else None
        spec = cell.metadata.get("exercise")
        if spec is not None:
            found += [f"{where}: {problem}" for problem in exercises.spec_problems(exercise, spec)]
            expected = exercises.answer_source(exercise, spec) if not exercises.spec_problems(exercise, spec) else None
            if before is None or not exercises.is_answer_cell(before):
                found.append(f"{where} has no answer cell right before it (a code cell tagged "
                             f"'{exercises.EXERCISE_TAG}')")
            elif expected is not None and before.source != expected:
                found.append(f"{where}: its answer cell is not the one the course writes:\n{expected}")
            entries[str(exercise)] = spec
        else:
            found.append(f"{where} has no self-check specification (metadata.exercise)")
        try:
            blocks = exercises.solution_blocks(cell)
            stored = cell.metadata.get("course", {}).get("outputs")
            if (stored is None or len(stored) != len(blocks)
                    or cell.source != exercises.render(exercise, blocks, stored)):
                found.append(f"{where} was edited after the regenerate command wrote it: edit only "
                             "its ```python blocks, then regenerate")
                continue
        except (ValueError, KeyError) as error:
            found.append(f"{where}: {error}")
            continue
        for code, outputs in exercises.restored_blocks(cell):
            found += figure_problems(number, nbformat.v4.new_code_cell(code), outputs)
    checks = checks_path(path)
    if entries:
        if not checks.exists():
            found.append(f"its self-checks are missing ({checks.name}): regenerate it")
        else:
            stored = json.loads(checks.read_text(encoding="utf-8"))
            if sorted(stored.get("exercises", {}), key=int) != sorted(entries, key=int):
                found.append(f"{checks.name} does not hold the chapter's exercises "
                             f"{', '.join(sorted(entries, key=int))}: regenerate it")
    elif checks.exists():
        found.append(f"{checks.name} holds self-checks but the chapter has no exercise: remove it")
    return found


def figure_problems(number, cell, outputs=None):
    """What is wrong with the figures of one code cell (or of the given outputs of a
    solution): alt text, and text too small to read."""
    found = []
    alt = figure_alt(cell.source)
    images = [output for output in (cell.outputs if outputs is None else outputs) if is_image(output)]
    if any(line.startswith(FIGURE_PREFIX) for line in cell.source.splitlines()[:2]) and not alt:
        found.append(f"cell {number} starts with '{FIGURE_PREFIX}' but says nothing after it")
    if alt and not images:
        found.append(f"cell {number} starts with '{FIGURE_PREFIX}' but stores no figure")
    for output in images:
        stored = figure_parts(output)[1]
        if not alt:
            found.append(f"cell {number} draws a figure but does not start with a comment "
                         f"'{FIGURE_PREFIX} <what it shows, and what to see in it>', its alt text")
        elif stored != alt:
            found.append(f"cell {number}'s figure does not carry its alt text: it was not stored "
                         "by the regenerate command")
        fonts = output.metadata.get("course", {})
        if "smallest_pt" not in fonts or "dpi" not in fonts:
            found.append(f"cell {number}'s figure does not record the size of its text: "
                         "it was not stored by the regenerate command")
            continue
        pixels = fonts["smallest_pt"] * fonts["dpi"] / 72
        if pixels < MIN_FONT_PT * COURSE_DPI / 72 - 1e-6:
            found.append(f"cell {number}'s figure draws text too small to read at its stored size: "
                         f"{fonts['smallest_text']!r} is {fonts['smallest_pt']:g} pt at "
                         f"{fonts['dpi']:g} dpi ({pixels:.1f} px), under {MIN_FONT_PT:g} pt at "
                         f"{COURSE_DPI} dpi ({MIN_FONT_PT * COURSE_DPI / 72:g} px)")
    return found


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["regenerate", "check"])
    parser.add_argument("notebooks", nargs="*", type=Path)
    args = parser.parse_args(argv)
    paths = args.notebooks or COURSE.chapters()
    if args.command == "regenerate":
        for path in paths:
            start = time.perf_counter()
            regenerate(path)
            print(f"{time.perf_counter() - start:6.1f} s  {path}")
        return 0
    failed = 0
    for path in paths:
        for problem in problems(path):
            print(f"{path}: {problem}")
            failed += 1
    if failed:
        print("Regenerate with: make notebooks")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
