"""Every notebook is fresh: run top to bottom by the regenerate command, and
small. nbval checks that the stored outputs are right; it passes cells that
were never run, so this is the check that they were."""

import shutil

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from tools.notebooks import IGNORE_TAG, course_notebooks, problems, regenerate

NOTEBOOKS = course_notebooks()


def test_there_are_notebooks():
    assert NOTEBOOKS, "no notebook found under notebooks/"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_is_fresh(path):
    found = problems(path)
    assert not found, f"{path.name}: " + "; ".join(found) + ". Regenerate it with `make notebooks`."


@pytest.fixture(scope="module")
def tiny_fresh(tmp_path_factory):
    """A freshly regenerated notebook of two code cells, made once."""
    path = tmp_path_factory.mktemp("fresh") / "tiny.ipynb"
    nb = new_notebook(cells=[new_markdown_cell("# Tiny"), new_code_cell("print(6 * 7)"),
                             new_code_cell("x = 1")])
    nbformat.write(nb, path)
    regenerate(path)
    return path


@pytest.fixture
def tiny(tiny_fresh, tmp_path):
    """A copy of the fresh notebook, for a test to spoil."""
    return shutil.copy(tiny_fresh, tmp_path / "tiny.ipynb")


def test_printed_text_is_stored_in_one_chunk(tmp_path):
    # Output printed around a pause arrives in several messages; it is stored as one.
    path = tmp_path / "chunks.ipynb"
    source = "import sys, time\nfor i in range(3):\n    print(i)\n    sys.stdout.flush()\n    time.sleep(0.2)"
    nbformat.write(new_notebook(cells=[new_code_cell(source)]), path)
    regenerate(path)
    outputs = nbformat.read(path, as_version=4).cells[0].outputs
    assert len(outputs) == 1 and outputs[0].text == "0\n1\n2\n"
    assert problems(path) == []


def test_widget_model_ids_are_stored_stably(tmp_path):
    path = tmp_path / "widget.ipynb"
    source = "import ipywidgets\nipywidgets.IntSlider(3)"
    nbformat.write(new_notebook(cells=[new_code_cell(source)]), path)
    regenerate(path)
    first = path.read_bytes()
    (output,) = nbformat.read(path, as_version=4).cells[0].outputs
    assert output.data["application/vnd.jupyter.widget-view+json"]["model_id"] == "stored-widget-1"
    regenerate(path)
    assert path.read_bytes() == first


def test_regenerate_makes_a_fresh_notebook(tiny):
    assert problems(tiny) == []
    nb = nbformat.read(tiny, as_version=4)
    assert [c.execution_count for c in nb.cells if c.cell_type == "code"] == [1, 2]
    assert nb.cells[1].outputs[0].text == "42\n"


def test_regenerate_is_byte_identical_on_a_second_run(tmp_path):
    for name in ("00_welcome.ipynb", "matplotlibrc"):
        shutil.copy(NOTEBOOKS[0].parent / name, tmp_path / name)
    path = tmp_path / "00_welcome.ipynb"
    regenerate(path)
    first = path.read_bytes()
    regenerate(path)
    assert path.read_bytes() == first


def edit(path, change):
    nb = nbformat.read(path, as_version=4)
    change(nb)
    nbformat.write(nb, path)


def test_cleared_outputs_are_caught(tiny):
    def clear(nb):
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.outputs, cell.execution_count = [], None
    edit(tiny, clear)
    assert any("execution counts" in p for p in problems(tiny))
    assert any("no outputs" in p for p in problems(tiny))


def test_a_cell_never_run_is_caught(tiny):
    edit(tiny, lambda nb: nb.cells.append(new_code_cell("print('new')")))
    found = problems(tiny)
    assert any("execution counts" in p for p in found)
    assert any("code changed" in p for p in found)


def test_code_edited_after_running_is_caught(tiny):
    def change(nb):
        nb.cells[1].source = "print(6 * 9)"
    edit(tiny, change)
    assert any("code changed" in p for p in problems(tiny))


def test_timestamps_are_caught(tiny):
    def stamp(nb):
        nb.cells[1].metadata["execution"] = {"iopub.status.busy": "2026-01-01T00:00:00Z"}
    edit(tiny, stamp)
    assert any("timestamps" in p for p in problems(tiny))


def test_ignored_output_must_say_why(tiny):
    def tag(nb):
        nb.cells[1].metadata["tags"] = [IGNORE_TAG]
    edit(tiny, tag)
    assert any("does not say why" in p for p in problems(tiny))


def test_comment_markers_are_refused(tiny):
    def mark(nb):
        nb.cells[1].source = "# NBVAL_IGNORE_OUTPUT because\n" + nb.cells[1].source
    edit(tiny, mark)
    assert any("comment marker" in p for p in problems(tiny))


def test_large_notebooks_are_caught(tiny):
    edit(tiny, lambda nb: nb.cells.append(new_markdown_cell("x" * 2_100_000)))
    assert any("MB" in p for p in problems(tiny))



def test_trailing_semicolons_are_refused(tiny):
    def hide(nb):
        nb.cells[1].source = "6 * 7;"
    edit(tiny, hide)
    assert any("ends with ';'" in p for p in problems(tiny))
