"""Regenerate and check the course's notebooks.

    python -m tools.notebooks regenerate [NOTEBOOK ...]
    python -m tools.notebooks check [NOTEBOOK ...]

`regenerate` runs each notebook top to bottom in a fresh kernel (the Python
that runs this script), in the notebook's own folder, and stores the outputs
with execution counts 1..n, no timing metadata and normalised notebook
metadata, so that a second run writes the same bytes. It also records

- a fingerprint of the code cells, and one of what the figures and numbers
  are drawn from (``helpers/``, ``notebooks/matplotlibrc`` and ``data/``),
  so that `check` (and the test suite) can tell when a notebook's code, or
  anything it reads, changed without the notebook being run again;
- each figure's alt text, the comment ``# Figure: ...`` that starts its cell
  (it may continue on the following ``#`` lines), as
  ``metadata["image/png"]["alt"]`` of the image output;
- the smallest text each figure draws, in points, with the figure's
  resolution, as ``metadata["course"]`` of the image output, measured in
  the kernel while the figure is rendered, so that `check` can refuse
  figures whose labels are too small to read at their stored size (and
  a figure wider than a notebook column is stored ``unconfined``, so that
  JupyterLab shows it at that size rather than shrinking it).

`check` also refuses a solution (a code cell tagged ``solution``) that is
not hidden, source and output, until the learner opens it, or whose first
line is not ``# Solution to exercise N.``. The conventions themselves are
:mod:`tools.course`'s (CONTRIBUTING.md explains them).

Without arguments, both act on every chapter (``notebooks/*.ipynb``).
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import struct
import sys
import time
from pathlib import Path

import nbformat

from tools.course import (
    ALT_KEY,
    COURSE,
    FIGURE_PREFIX,
    HIDDEN,
    IGNORE_REASON,
    IGNORE_TAG,
    RAISES_TAG,
    ROOT,
    SOLUTION_FIRST_LINE,
    WIDGET_VIEW,
    Course,
    is_solution,
)

# tools/bench.py reads the chapters' folder from here.
NOTEBOOKS = COURSE.notebooks
MAX_BYTES = 2_000_000
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
# Text in a stored figure must be at least 8 pt at the course's 90 dpi, that
# is 10 pixels, to be read at the figure's stored size.
MIN_FONT_PT, COURSE_DPI = 8.0, 90
# Wider than this, a figure is stored "unconfined" (see label_figure).
WIDE_PX = 1100

# Run in the kernel before the notebook, with no trace in its history: wrap
# the inline backend's PNG formatter so that each figure it renders also
# reports the smallest text it drew (through Agg's draw_text, which every
# title, label, tick label, legend entry and annotation goes through). The
# formatter returns (png, metadata), which IPython stores as the output's
# metadata["image/png"].
KERNEL_SETUP = """
def _course_measure_fonts():
    import matplotlib
    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_agg import RendererAgg
    from matplotlib.figure import Figure

    # Load the backend now (Matplotlib loads it at the first figure): the
    # inline backend registers its PNG formatter as it loads.
    plt.switch_backend(matplotlib.get_backend())
    formatter = get_ipython().display_formatter.formatters["image/png"]
    try:
        draw_png = formatter.lookup_by_type(Figure)
    except KeyError:
        return

    def png_and_fonts(fig):
        drawn = []
        draw_text = RendererAgg.draw_text

        def spy(renderer, gc, x, y, s, prop, angle, ismath=False, mtext=None):
            if s.strip():
                drawn.append((prop.get_size_in_points(), s))
            return draw_text(renderer, gc, x, y, s, prop, angle, ismath=ismath, mtext=mtext)

        RendererAgg.draw_text = spy
        try:
            data = draw_png(fig)
        finally:
            RendererAgg.draw_text = draw_text
        if data is None or not drawn:
            return data
        size, text = min(drawn)
        return data, {"course_fonts": {"smallest_pt": round(float(size), 2),
                                       "smallest_text": " ".join(text.split())[:60],
                                       "dpi": round(float(fig.dpi), 2)}}

    formatter.for_type(Figure, png_and_fonts)


_course_measure_fonts()
del _course_measure_fonts
"""


def course_notebooks():
    """Every chapter, in reading order (:meth:`tools.course.Course.chapters`; tools/bench.py calls this)."""
    return COURSE.chapters()


def code_fingerprint(nb):
    """A hash of the code cells' sources: what the stored outputs depend on."""
    digest = hashlib.sha256()
    for cell in nb.cells:
        if cell.cell_type == "code":
            digest.update(cell.source.encode("utf-8") + b"\0")
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


def figure_alt(source):
    """The alt text of a figure cell: its leading ``# Figure: ...`` comment,
    continued on the ``#`` lines right after it. None if the cell has none.

    In a solution the comment comes second, after the line that says it is
    a solution (``# Solution to exercise N.``)."""
    lines = source.splitlines()
    if lines and SOLUTION_FIRST_LINE.fullmatch(lines[0]):
        lines = lines[1:]
    if not lines or not lines[0].startswith(FIGURE_PREFIX):
        return None
    parts = [lines[0][len(FIGURE_PREFIX):].strip()]
    for line in lines[1:]:
        if not line.startswith("#"):
            break
        parts.append(line.lstrip("#").strip())
    return " ".join(part for part in parts if part) or None


def is_image(output):
    return "image/png" in output.get("data", {})


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


def execute(nb, folder, timeout=300):
    """Run a notebook object top to bottom in a fresh kernel, working in `folder`.

    Clears old outputs first, then stores the new ones normalised: printed
    text in one chunk per cell, widget views with stable ids.
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
    with client.setup_kernel():
        # The font measure first, outside the notebook's history, counts and outputs.
        reply = client.wait_for_reply(client.kc.execute(KERNEL_SETUP, silent=True, store_history=False))
        if reply is None or reply["content"]["status"] != "ok":
            content = reply["content"] if reply else {}
            raise RuntimeError(f"the kernel could not set up the font measure: "
                               f"{content.get('ename')}: {content.get('evalue')}")
        for index, cell in enumerate(nb.cells):
            client.execute_cell(cell, index, execution_count=client.code_cells_executed + 1)
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
                    label_figure(output, figure_alt(cell.source))
    return nb


def png_width(output):
    """The width in pixels of an output's PNG image, read from its header."""
    header = base64.b64decode(output.data["image/png"][:48])
    return struct.unpack(">I", header[16:20])[0]


def label_figure(output, alt):
    """Store a figure's alt text, and move the kernel's font measure to ``metadata["course"]``.

    A figure wider than a notebook column is stored ``unconfined``, so that
    JupyterLab shows it at its stored size, with a scroll bar, instead of
    shrinking its text below what the font check measured."""
    image = dict(output.metadata.get("image/png", {}))
    fonts = image.pop("course_fonts", None)
    if alt:
        image[ALT_KEY] = alt
    if png_width(output) > WIDE_PX:
        image["unconfined"] = True
    metadata = {key: value for key, value in output.metadata.items() if key not in ("image/png", "course")}
    if image:
        metadata["image/png"] = image
    if fonts:
        metadata["course"] = fonts
    output.metadata = nbformat.from_dict(metadata)


def regenerate(path, timeout=300):
    """Execute one notebook in a fresh kernel and store its outputs."""
    path = Path(path).resolve()
    nb = execute(nbformat.read(path, as_version=4), path.parent, timeout)
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
        if is_solution(cell) and dict(cell.metadata.get("jupyter", {})) != HIDDEN:
            found.append(f"cell {number} is a solution that is not hidden until opened: set its "
                         f"metadata.jupyter to {{'source_hidden': true, 'outputs_hidden': true}}")
        if is_solution(cell) and not SOLUTION_FIRST_LINE.fullmatch((cell.source.splitlines() or [""])[0]):
            found.append(f"cell {number} is a solution whose first line is not '# Solution to exercise N.': "
                         "JupyterLab and Notebook 7 show the first line of a hidden cell, so it must "
                         "only say which exercise this solves")
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


def figure_problems(number, cell):
    """What is wrong with the figures of one code cell: alt text, and text too small to read."""
    found = []
    alt = figure_alt(cell.source)
    images = [output for output in cell.outputs if is_image(output)]
    if any(line.startswith(FIGURE_PREFIX) for line in cell.source.splitlines()[:2]) and not alt:
        found.append(f"cell {number} starts with '{FIGURE_PREFIX}' but says nothing after it")
    if alt and not images:
        found.append(f"cell {number} starts with '{FIGURE_PREFIX}' but stores no figure")
    for output in images:
        stored = output.metadata.get("image/png", {}).get(ALT_KEY)
        if not alt:
            found.append(f"cell {number} draws a figure but does not start with a comment "
                         f"'{FIGURE_PREFIX} <what it shows, and what to see in it>', its alt text")
        elif stored != alt:
            found.append(f"cell {number}'s figure does not store its alt text "
                         "(metadata['image/png']['alt']): it was not stored by the regenerate command")
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
