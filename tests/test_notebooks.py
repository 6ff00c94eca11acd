"""Every notebook is fresh: run top to bottom by the regenerate command, and
small. nbval checks that the stored outputs are right; it passes cells that
were never run, so this is the check that they were."""

import configparser
import re
import shutil

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from helpers.exercises import SelfCheck
from helpers.figures import figure_alt
from tools.course import COURSE, IGNORE_TAG, WIDGET_VIEW
from tools.exercises import EXERCISE_TAG, SOLUTION_TAG, answer_source, expand
from tools.notebooks import checks_path, figure_parts, inputs_fingerprint, is_image, problems, regenerate

NOTEBOOKS = COURSE.chapters()


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
    assert output.data[WIDGET_VIEW]["model_id"] == "stored-widget-1"
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


# Figures: alt text and readable text, recorded by the regenerate command.

FIGURE_CELLS = [
    new_code_cell("import matplotlib.pyplot as plt"),
    new_code_cell("# Figure: a line going up,\n# drawn for the test.\n"
                  "fig, ax = plt.subplots(figsize=(3, 2))\nax.plot([0, 1])\nax.set_title('Up')\nplt.show()"),
    new_code_cell("# Figure: a title in tiny letters.\n"
                  "fig, ax = plt.subplots(figsize=(3, 2))\nax.plot([0, 1])\n"
                  "ax.set_title('Tiny title', fontsize=6)\nplt.show()"),
    new_code_cell("fig, ax = plt.subplots(figsize=(3, 2))\nax.plot([1, 0])\nplt.show()"),
    new_code_cell("# Figure: promised, never drawn.\nx = 1"),
    new_code_cell("# Figure: a line across a wide figure.\n"
                  "fig, ax = plt.subplots(figsize=(14, 2))\nax.plot([0, 1])\nax.set_title('Wide')\nplt.show()"),
]


@pytest.fixture(scope="module")
def figures_fresh(tmp_path_factory):
    """A regenerated notebook with a good figure, one with tiny text, one without alt
    text, and a cell that promises a figure and draws none."""
    path = tmp_path_factory.mktemp("figures") / "figures.ipynb"
    nbformat.write(new_notebook(cells=[new_markdown_cell("# Figures")] + FIGURE_CELLS), path)
    regenerate(path)
    return path


@pytest.fixture
def figures(figures_fresh, tmp_path):
    return shutil.copy(figures_fresh, tmp_path / "figures.ipynb")


def figure_output(path, index):
    (output,) = [o for o in nbformat.read(path, as_version=4).cells[index].outputs if is_image(o)]
    return output


def test_a_figure_is_an_img_whose_alt_text_is_the_figure_comment(figures):
    assert figure_parts(figure_output(figures, 2))[1] == "a line going up, drawn for the test."
    # Without a comment, a description made from the figure (it has no title): never nothing.
    assert figure_parts(figure_output(figures, 4))[1] == "A figure without a title or axis labels."


def test_a_figure_wider_than_a_column_is_shown_at_its_stored_size(figures):
    assert 'style="max-width: none"' in figure_output(figures, 6).data["text/html"]
    assert "max-width" not in figure_output(figures, 2).data["text/html"]


def test_a_figure_is_stored_once_inside_its_img(figures):
    output = figure_output(figures, 2)
    assert set(output.data) == {"text/html", "text/plain"}, "no second copy of the PNG beside the <img>"
    assert figure_parts(output)[0].startswith("iVBORw0KGgo"), "a PNG"


def test_the_smallest_text_of_each_figure_is_recorded(figures):
    good, tiny = figure_output(figures, 2).metadata["course"], figure_output(figures, 3).metadata["course"]
    assert good["smallest_pt"] >= 8 and good["dpi"] > 0
    assert tiny["smallest_pt"] == 6 and tiny["smallest_text"] == "Tiny title"


def test_figure_problems_are_caught(figures):
    found = problems(figures)
    assert not any(p.startswith("cell 3") for p in found), "the good figure passes"
    assert any(p.startswith("cell 4") and "too small" in p and "'Tiny title' is 6 pt" in p for p in found)
    assert any(p.startswith("cell 5") and "does not start with a comment '# Figure:" in p for p in found)
    assert any(p.startswith("cell 6") and "stores no figure" in p for p in found)
    assert len(found) == 3


def test_a_figure_stored_without_alt_text_or_font_record_is_caught(figures):
    def strip(nb):
        output = [o for o in nb.cells[2].outputs if is_image(o)][0]
        output.metadata = {}
        output.data["text/html"] = output.data["text/html"].replace("a line going up", "a line")
    edit(figures, strip)
    found = [p for p in problems(figures) if p.startswith("cell 3")]
    assert any("does not carry its alt text" in p for p in found)
    assert any("does not record the size of its text" in p for p in found)


@pytest.mark.parametrize("source, alt", [
    ("# Figure: one line.\nplt.show()", "one line."),
    ("# Figure: the tree,\n#   cut at 50.\n\n# a code comment\nplt.show()", "the tree, cut at 50."),
    ("# Figure: first.\nx = 1  # Figure: not this\n# nor this", "first."),
    ("x = 1\n# Figure: not at the start", None),
    ("# Figure:\nplt.show()", None),
])
def test_figure_alt_is_the_leading_comment(source, alt):
    assert figure_alt(source) == alt


def test_changed_inputs_make_a_notebook_stale(tiny):
    assert problems(tiny) == []

    def spoil(nb):
        nb.metadata["course"]["inputs_sha256"] = "0" * 64
    edit(tiny, spoil)
    assert any("helpers/, notebooks/matplotlibrc or data/" in p for p in problems(tiny))


def test_the_inputs_fingerprint_covers_helpers_matplotlibrc_and_data(tmp_path):
    (tmp_path / "helpers").mkdir()
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "data").mkdir()
    (tmp_path / "helpers" / "plotting.py").write_text("PALETTE = ['#0072B2']\n")
    (tmp_path / "helpers" / "stepper.js").write_text("export default {};\n")
    (tmp_path / "notebooks" / "matplotlibrc").write_text("figure.dpi: 90\n")
    (tmp_path / "data" / "points.csv").write_text("x\n1\n")
    first = inputs_fingerprint(tmp_path)
    assert inputs_fingerprint(tmp_path) == first
    (tmp_path / "helpers" / "__pycache__").mkdir()
    (tmp_path / "helpers" / "__pycache__" / "plotting.cpython-311.pyc").write_bytes(b"\0")
    (tmp_path / "notebooks" / "unrelated.txt").write_text("not an input")
    assert inputs_fingerprint(tmp_path) == first, "caches and other files are not inputs"
    (tmp_path / "helpers" / "plotting.py").write_bytes(b"PALETTE = ['#0072B2']\r\n")
    assert inputs_fingerprint(tmp_path) == first, "line endings do not matter"
    for path, text in [("helpers/plotting.py", "PALETTE = ['#D55E00']\n"),
                       ("helpers/stepper.js", "export default { render() {} };\n"),
                       ("notebooks/matplotlibrc", "figure.dpi: 72\n"), ("data/points.csv", "x\n2\n")]:
        before = inputs_fingerprint(tmp_path)
        (tmp_path / path).write_text(text)
        assert inputs_fingerprint(tmp_path) != before, f"a change to {path} went unnoticed"


# Exercises: an answer cell, a self-check, and a solution closed until opened.

SPEC = {"kind": "integer", "answer": "answer", "right": ["42.0"],
        "mistakes": [{"answer": "answer + 1", "hint": "Count from 0."}], "wrong": ["41"]}


def exercise_notebook(path, spec=SPEC, code="answer = 6 * 7\nprint(f'the answer is {answer}')"):
    """A chapter-like notebook with one exercise: question, answer cell, closed solution."""
    answer = new_code_cell(answer_source(1, spec))
    answer.metadata["tags"] = [EXERCISE_TAG]
    solution = new_markdown_cell(f"<details>\n<summary>Show the solution to exercise 1</summary>\n\n"
                                 f"```python\n{code}\n```\n\n</details>")
    solution.metadata["tags"] = [SOLUTION_TAG]
    solution.metadata["exercise"] = spec
    check = new_code_cell(f"import helpers.exercises\ncheck = helpers.exercises.SelfCheck('{path.stem}', None)")
    nb = new_notebook(cells=[new_markdown_cell("# Exercise"), check, new_markdown_cell("**1.** What is 6 × 7?"),
                             answer, solution])
    nbformat.write(nb, path)
    return path


@pytest.fixture(scope="module")
def exercise_fresh(tmp_path_factory):
    path = exercise_notebook(tmp_path_factory.mktemp("exercise") / "quiz.ipynb")
    regenerate(path)
    return path


@pytest.fixture
def exercise(exercise_fresh, tmp_path):
    shutil.copy(checks_path(exercise_fresh), tmp_path / checks_path(exercise_fresh).name)
    return shutil.copy(exercise_fresh, tmp_path / "quiz.ipynb")


def test_a_solution_is_run_and_written_into_its_closed_details(exercise):
    nb = nbformat.read(exercise, as_version=4)
    solution = nb.cells[4]
    assert solution.source.startswith("<details>\n<summary>Show the solution to exercise 1</summary>")
    assert solution.source.endswith("</details>")
    assert "Output:\n\n```text\nthe answer is 42\n```" in solution.source
    assert [c.execution_count for c in nb.cells if c.cell_type == "code"] == [1, 2], \
        "a solution is no code cell: the counts stay 1..n"
    assert nb.cells[3].outputs[0].text.startswith("Exercise 1: not answered yet.")
    assert problems(exercise) == []


def test_the_self_check_stores_fingerprints_not_the_answer(exercise):
    text = checks_path(exercise).read_text()
    assert "42" not in text and "answer" not in text.replace('"mistakes"', "")
    check = SelfCheck("quiz", __import__("json").loads(text)["exercises"])
    assert check.verdict(1, 42) == (True, check.verdict(1, 42.0)[1])
    assert check.verdict(1, 43)[1].endswith("Hint: Count from 0.")
    assert check.verdict(1, 41) == (False, "Exercise 1: not yet.")


def test_a_solution_edited_by_hand_is_caught(exercise):
    def spoil(nb):
        nb.cells[4].source = nb.cells[4].source.replace("the answer is 42", "the answer is 41")
    edit(exercise, spoil)
    assert any("edited after the regenerate command wrote it" in p for p in problems(exercise))


def test_a_changed_solution_or_specification_makes_the_chapter_stale(exercise):
    for change in (lambda nb: setattr(nb.cells[4], "source", nb.cells[4].source.replace("6 * 7", "7 * 6")),
                   lambda nb: nb.cells[4].metadata["exercise"].update(wrong=["40"])):
        copy = shutil.copy(exercise, exercise.with_name("copy.ipynb"))
        edit(copy, change)
        assert any("code changed" in p for p in problems(copy))


def test_an_exercise_without_its_parts_is_caught(exercise):
    def no_answer_cell(nb):
        del nb.cells[3]
    copy = shutil.copy(exercise, exercise.with_name("quiz2.ipynb"))
    shutil.copy(checks_path(exercise), checks_path(copy))
    edit(copy, no_answer_cell)
    assert any("has no answer cell right before it" in p for p in problems(copy))

    def incomplete(nb):
        nb.cells[4].metadata["exercise"] = {"kind": "integer", "answer": "answer"}
    edit(exercise, incomplete)
    found = problems(exercise)
    for words in ("no other right form", "no known mistake", "no wrong answer"):
        assert any(words in p for p in found), words


def test_expand_gives_nbval_the_solution_and_a_verification(exercise):
    expanded = expand(nbformat.read(exercise, as_version=4), "quiz")
    code = [c for c in expanded.cells if c.cell_type == "code"]
    assert [c.execution_count for c in code] == [1, 2, 3, 4]
    solution, verify = code[2], code[3]
    assert solution.source == "answer = 6 * 7\nprint(f'the answer is {answer}')"
    assert solution.outputs[0].text == "the answer is 42\n"
    assert "_verify('quiz', 1, answer=(answer), right=[(42.0)], mistakes=[((answer + 1), 'Count from 0.')]" \
        in verify.source
    assert verify.outputs[0].text.startswith("Exercise 1's self-check holds: 2 right answers pass")


def test_every_sanitize_entry_matches_a_stored_output():
    """An entry of tests/nbval_sanitize.cfg that matches no output of any chapter hides nothing but a
    future difference: remove it."""
    config = configparser.ConfigParser()
    config.read(COURSE.root / "tests" / "nbval_sanitize.cfg")
    texts = []
    for path in NOTEBOOKS:
        for cell in nbformat.read(path, as_version=4).cells:
            for output in cell.get("outputs", []):
                texts.append(output.get("text", ""))
                texts += [value for mime, value in output.get("data", {}).items() if mime.startswith("text/")]
                texts += output.get("traceback", [])
    assert config.sections()
    for name in config.sections():
        pattern = re.compile(config[name]["regex"])
        assert any(pattern.search(text) for text in texts), f"[{name}] matches no stored output"
