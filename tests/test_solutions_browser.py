"""Nothing of a solution shows in JupyterLab or in Notebook 7 until the learner opens it.

Each chapter stores its solutions as code cells tagged ``solution`` whose
code and output are hidden (``metadata.jupyter``, checked for every chapter
by tests/test_notebooks.py). This test checks that the two interfaces honour
that: it starts JupyterLab and Notebook 7 (the ``notebook`` package of the
``test`` extra) on a loopback port, each with its own temporary settings,
opens chapters as stored, outputs and all, in headless Chromium, and checks
that every solution cell shows nothing but its first line, which says it is
a solution (both interfaces show the first line of a collapsed cell); that
none of its code, printed output or figure is visible; and that opening it
shows its code, then its output. The site is checked in
tests/test_site_browser.py.

Like every browser test it runs whenever ``CI`` is set and skips elsewhere,
saying how to enable it. Screenshots of the first chapter, closed and
opened, go to ``test-artifacts/``.
"""

import shutil

import nbformat
import pytest

from browser import APPS, PATIENCE_S, jupyter_server
from tools.course import COURSE, SOLUTION_FIRST_LINE, is_solution

NOTEBOOKS = COURSE.notebooks
ARTIFACTS = COURSE.root / "test-artifacts"
# Chapters whose solutions include both printed answers and figures.
CHAPTERS = ["04_the_dendrogram.ipynb", "08_real_data.ipynb"]


@pytest.fixture(scope="module", params=list(APPS))
def server(request, browser, tmp_path_factory):
    """JupyterLab or Notebook 7 on a free loopback port, serving copies of the chapters as stored.

    (It asks for ``browser`` first, so that without a browser it skips before starting a server.)"""
    tmp = tmp_path_factory.mktemp(request.param)
    root = tmp / "root"
    root.mkdir()
    for name in CHAPTERS:
        shutil.copy(NOTEBOOKS / name, root / name)
    shutil.copy(COURSE.matplotlibrc, root / "matplotlibrc")
    with jupyter_server(request.param, root, tmp / "home") as server:
        yield server


def solutions(name):
    """(index in the notebook, cell) of every solution of a chapter."""
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    return nb, [(i, c) for i, c in enumerate(nb.cells) if is_solution(c)]


def cell_text(cell):
    """A cell's source and the text of its outputs."""
    texts = [cell.source]
    for output in cell.get("outputs", []):
        texts.append(output.get("text") or output.get("data", {}).get("text/plain", ""))
    return "\n".join(texts)


def revealing_lines(nb, cell):
    """Lines of a solution that must not be visible: its code after the first line and
    its printed output, except lines that other cells of the notebook show too."""
    others = "\n".join(cell_text(c) for c in nb.cells if not is_solution(c))
    lines = cell_text(cell).splitlines()[1:]
    return [line.strip() for line in lines if len(line.strip()) > 6 and line.strip() not in others]


@pytest.mark.parametrize("name", CHAPTERS)
def test_solutions_show_nothing_until_opened(server, browser, name):
    nb, found = solutions(name)
    assert found, f"{name} has no solution to check"
    ARTIFACTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 1300, "height": 900})
    page.set_default_timeout(PATIENCE_S * 1000)
    shot = ARTIFACTS / f"solutions-{server['app']}-{name[:2]}"
    try:
        page.goto(server["url"](name))
        # JupyterLab may restore the tab of a notebook opened before: only the
        # notebook on show counts.
        notebook = page.locator(".jp-Notebook:visible")
        cells = notebook.locator(".jp-Cell")
        page.wait_for_function(
            "n => [...document.querySelectorAll('.jp-Notebook')].some("
            "  nb => nb.checkVisibility() && nb.querySelectorAll('.jp-Cell').length === n)",
            arg=len(nb.cells))
        # The last cell has rendered: the whole notebook is on the page.
        cells.last.locator(".jp-RenderedMarkdown").wait_for()
        cells.nth(found[-1][0]).scroll_into_view_if_needed()
        page.screenshot(path=f"{shot}-closed.png")

        text = notebook.inner_text()
        for index, cell in found:
            dom = cells.nth(index)
            first = cell.source.splitlines()[0]
            assert SOLUTION_FIRST_LINE.fullmatch(first), f"{name} cell {index}: first line {first!r}"
            assert dom.locator(".jp-InputArea-editor:visible").count() == 0, f"{name} cell {index}: code shows"
            assert dom.locator(".jp-OutputArea:visible").count() == 0, f"{name} cell {index}: output shows"
            assert dom.locator("img:visible").count() == 0, f"{name} cell {index}: a figure shows"
            assert " ".join(dom.inner_text().split()) == " ".join(first.split()), (
                f"{name} cell {index} shows {dom.inner_text()!r}, more than its first line")
            for line in revealing_lines(nb, cell):
                assert line not in text, f"{name}: a line of the solution in cell {index} shows: {line!r}"

        # Opening one shows its code, then its output: the check above is not vacuous.
        index, cell = found[-1]
        dom = cells.nth(index)
        dom.locator(".jp-InputPlaceholder").click()
        dom.locator(".jp-InputArea-editor").wait_for()
        assert cell.source.splitlines()[1].strip() in dom.inner_text()
        if cell.outputs:
            dom.locator(".jp-OutputPlaceholder").click()
            dom.locator(".jp-OutputArea-output").first.wait_for()
        dom.scroll_into_view_if_needed()
        page.screenshot(path=f"{shot}-opened.png")
    except BaseException:
        page.screenshot(path=f"{shot}-failure.png")
        raise
    finally:
        page.close()
