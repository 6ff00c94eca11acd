"""Figures carry their description live (helpers/figures.py): in a learner's kernel, as JupyterLab shows them.

A learner's kernel is a plain Jupyter kernel in which a chapter ran
``import helpers``; these tests run cells in one (nbclient) and read what
the kernel sends to JupyterLab, as the browser test
(tests/test_live_session_browser.py) reads what JupyterLab then shows.
"""

import html
import re

import matplotlib.pyplot as plt
import nbformat
import pytest
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_notebook

from helpers.figures import describe, figure_alt
from tools.course import COURSE

IMG = re.compile(r'<img src="data:image/png;base64,([^"]+)" alt="([^"]*)"([^>]*)>')


def run(*sources):
    """Run cells in a fresh kernel, in the chapters' folder (their matplotlibrc), as a learner would."""
    nb = new_notebook(cells=[new_code_cell(source) for source in sources])
    NotebookClient(nb, kernel_name="python3", resources={"metadata": {"path": str(COURSE.notebooks)}}).execute()
    return nb.cells


def figures(cell):
    found = []
    for output in cell.outputs:
        match = IMG.fullmatch(output.get("data", {}).get("text/html", ""))
        if match:
            assert "image/png" not in output.data, "the PNG is stored once, inside the <img>"
            found.append(html.unescape(match.group(2)))
    return found


@pytest.fixture(scope="module")
def session():
    return run(
        "import matplotlib.pyplot as plt\nimport helpers",
        "# Figure: a line going up,\n# then nothing else.\nfig, ax = plt.subplots(figsize=(3, 2))\n"
        "ax.plot([0, 1])\nplt.show()",
        "fig, ax = plt.subplots(figsize=(3, 2))\nax.set(title='Heights', xlabel='merge', ylabel='height')\nplt.show()",
        "%matplotlib inline",
        '# Figure: drawn after %matplotlib inline, with "quotes" & <brackets>.\n'
        "fig, ax = plt.subplots(figsize=(3, 2))\nplt.show()",
    )


def test_a_figure_drawn_live_carries_its_cell_comment_as_alt_text(session):
    assert figures(session[1]) == ["a line going up, then nothing else."]


def test_a_figure_without_a_comment_is_described_from_its_titles(session):
    assert figures(session[2]) == ["A figure: Heights (height against merge)."]


def test_alt_text_survives_the_inline_magic_and_is_escaped(session):
    assert figures(session[4]) == ['drawn after %matplotlib inline, with "quotes" & <brackets>.']
    assert "&quot;quotes&quot; &amp; &lt;brackets&gt;" in session[4].outputs[0].data["text/html"]


def test_another_backend_is_left_alone():
    (_, cell) = run("%matplotlib agg\nimport helpers", "import matplotlib.pyplot as plt\n"
                    "fig, ax = plt.subplots()\nplt.show()\nprint('no figure')")
    assert [o.get("text") for o in cell.outputs] == ["no figure\n"]


def test_describe_reads_the_suptitle_and_every_axes():
    fig, (left, right) = plt.subplots(1, 2)
    fig.suptitle("Two views")
    left.set(title="Tree", ylabel="height")
    right.set(xlabel="x", ylabel="y")
    try:
        assert describe(fig) == "A figure: Two views; Tree (height); y against x."
    finally:
        plt.close(fig)


def test_figure_alt_reads_only_a_leading_comment():
    assert figure_alt("\n# Figure: after a blank line.\nx = 1") == "after a blank line."
    assert figure_alt("# Figure:   \n# \nx = 1") is None
    assert figure_alt("") is None


def test_a_stored_chapter_figure_is_an_img_with_its_comment():
    """The regenerate command stores what the live kernel shows."""
    path = COURSE.notebooks / "01_sample_data.ipynb"
    for cell in nbformat.read(path, as_version=4).cells:
        alt = figure_alt(cell.source) if cell.cell_type == "code" else None
        if alt:
            assert figures(cell) == [alt]
            return
    pytest.fail("chapter 01 draws no figure")
