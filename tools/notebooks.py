"""Regenerate and check the course's notebooks.

    python tools/notebooks.py regenerate [NOTEBOOK ...]
    python tools/notebooks.py check [NOTEBOOK ...]

`regenerate` runs each notebook top to bottom in a fresh kernel (the Python
that runs this script), in the notebook's own folder, and stores the outputs
with execution counts 1..n, no timing metadata and normalised notebook
metadata, so that a second run writes the same bytes. It also records a
fingerprint of the code cells, so that `check` (and the test suite) can tell
when a notebook's code was edited without being run again.

Without arguments, both act on every notebook under ``notebooks/``.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
MAX_BYTES = 2_000_000
IGNORE_TAG = "nbval-ignore-output"
IGNORE_REASON = "# nbval ignores this output:"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


def course_notebooks():
    """Every notebook of the course, in reading order."""
    return sorted(p for p in NOTEBOOKS.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)


def code_fingerprint(nb):
    """A hash of the code cells' sources: what the stored outputs depend on."""
    digest = hashlib.sha256()
    for cell in nb.cells:
        if cell.cell_type == "code":
            digest.update(cell.source.encode("utf-8") + b"\0")
    return digest.hexdigest()


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
    NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        record_timing=False,
        resources={"metadata": {"path": str(folder)}},
    ).execute()
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
    return nb


def regenerate(path, timeout=300):
    """Execute one notebook in a fresh kernel and store its outputs."""
    path = Path(path).resolve()
    nb = execute(nbformat.read(path, as_version=4), path.parent, timeout)
    nb.metadata = nbformat.from_dict(
        {
            "kernelspec": KERNELSPEC,
            "language_info": {"name": "python"},
            "course": {"code_sha256": code_fingerprint(nb)},
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
        if cell.cell_type == "code" and "raises-exception" not in tags:
            for output in cell.outputs:
                if output.output_type == "error":
                    found.append(f"cell {number} stores an error ({output.ename}) "
                                 "but is not tagged raises-exception")
    return found


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["regenerate", "check"])
    parser.add_argument("notebooks", nargs="*", type=Path)
    args = parser.parse_args(argv)
    paths = args.notebooks or course_notebooks()
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
