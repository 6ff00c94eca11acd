"""The site builder (tools/site.py) on a throwaway course: no browser needed.

tests/test_site_browser.py opens the real course's site in Chromium; these
check what a page must hold whatever the browser: links rewritten, nothing
fetched from the network, widgets and collapsed code handled.
"""

import re
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from helpers.stepper import MergeStepper
from tools import navigation
from tools.course import WIDGET_STATE, WIDGET_VIEW
from tools.site import MARKER, build, pages

# A merge stepper's output as a notebook stores it: the widget, and its static rendering.
STEPPER = MergeStepper([[0, 0], [1, 0], [4, 3], [5, 3]], "average")._repr_mimebundle_()[0]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A course of two chapters and an assignment, its navigation written, and its site built."""
    root = tmp_path_factory.mktemp("course")
    (root / "notebooks").mkdir()
    (root / "data").mkdir()
    (root / "data" / "points.csv").write_text("x,y\n1,2\n")
    first = new_notebook(cells=[
        new_markdown_cell("# 01 · First\n\nMaths: $n(n-1)/2$ pairs. See [the data](../data/points.csv) "
                          "and [the second chapter](02_second.ipynb#Exercises)."),
        new_code_cell("show()", outputs=[new_output("display_data", data={
            WIDGET_VIEW: {"model_id": "abc", "version_major": 2, "version_minor": 0},
            "text/plain": "interactive(children=(FloatSlider(value=50.0)))"})]),
        new_code_cell("MergeStepper(X)", outputs=[new_output("display_data", data=STEPPER)]),
    ])
    first.metadata["widgets"] = {WIDGET_STATE: {"state": {}}}
    second = new_notebook(cells=[
        new_markdown_cell("# 02 · Second\n\nThe end."),
        new_markdown_cell("## Exercises\n\nTry."),
        new_markdown_cell("<details>\n<summary>Show the solution to exercise 1</summary>\n\n"
                          "```python\nanswer = 6 * 7\nprint(answer)\n```\n\nOutput:\n\n```text\n42\n```\n\n"
                          "</details>", metadata={"tags": ["solution"]}),
        new_code_cell("helper_code = 1", metadata={"jupyter": {"source_hidden": True}}),
        new_code_cell("print('long')", outputs=[new_output("stream", name="stdout", text="long output\n")],
                      metadata={"jupyter": {"outputs_hidden": True}}),
    ])
    nbformat.write(first, root / "notebooks" / "01_first.ipynb")
    nbformat.write(second, root / "notebooks" / "02_second.ipynb")
    for kind in ("source", "release"):
        folder = root / "assignments" / kind / "hw1"
        folder.mkdir(parents=True)
        nbformat.write(new_notebook(cells=[new_markdown_cell(f"# Assignment 1 · {kind}\n\nGo.")]),
                       folder / "hw1.ipynb")
    (root / "README.md").write_text("# Course\n\n<!-- contents:start -->\n<!-- contents:end -->\n")
    navigation.write(root)
    out = tmp_path_factory.mktemp("site") / "site"
    written, problems = build(out, root)
    return {"root": root, "out": out, "written": written, "problems": problems}


def read(site, page):
    return (site["out"] / page).read_text(encoding="utf-8")


def test_one_page_per_notebook_and_assignment_with_the_contents_as_home_page(site):
    assert site["written"] == ["index.html", "01_first.html", "02_second.html", "assignments/hw1/hw1.html"]
    assert site["problems"] == []
    assert "Assignment 1 · release" in read(site, "assignments/hw1/hw1.html"), "the student copy, not the source"
    assert pages(site["root"])[site["root"] / "notebooks" / "index.md"] == "index.html"


def test_links_lead_to_pages_and_linked_files_are_copied(site):
    index = read(site, "index.html")
    assert 'href="01_first.html"' in index and 'href="assignments/hw1/hw1.html"' in index
    first = read(site, "01_first.html")
    assert 'href="02_second.html#Exercises"' in first
    assert 'href="index.html"' in first, "the navigation's Contents link"
    assert 'href="files/data/points.csv"' in first
    assert (site["out"] / "files" / "data" / "points.csv").read_text() == "x,y\n1,2\n"


def test_nothing_is_fetched_from_the_network(site):
    for page in site["written"]:
        text = read(site, page)
        sources = re.findall(r'<(?:script|link|img)\b[^>]*?\b(?:src|href)="([^"]+)"', text)
        remote = [s for s in sources if re.match(r"(https?:)?//", s)]
        assert not remote, f"{page} loads {remote}"
    assert 'src="../../_static/mathjax/tex-chtml-full.js"' in read(site, "assignments/hw1/hw1.html")
    assert (site["out"] / "_static" / "mathjax" / "tex-chtml-full.js").is_file()
    assert (site["out"] / "_static" / "mathjax" / "output" / "chtml" / "fonts" / "woff-v2").is_dir()


def test_a_widget_says_where_to_run_it(site):
    first = read(site, "01_first.html")
    assert first.count("This output is interactive") == 1
    assert "widget-state" not in first


def test_a_widget_with_a_static_rendering_shows_it_scripts_intact(site):
    """The merge stepper's text/html reaches the page: its element, and its script (the
    module and the data, with their `<` and `&&`) byte for byte."""
    first = read(site, "01_first.html")
    assert "This output is interactive" not in first.split("course-stepper-static")[1]
    script = re.compile(r'<script type="module">.*?</script>', re.S)
    assert script.findall(first) == script.findall(STEPPER["text/html"])
    assert re.search(r'<div class="course-stepper-static" data-course-stepper="\w+"><p>A merge-by-merge', first)


def details(page, kind):
    """The text inside each <details class="course-hidden-KIND"> of a page, in order."""
    return re.findall(rf'<details class="course-hidden-{kind}"><summary>(.*?)</summary>(.*?)</details>',
                      page, flags=re.S)


def test_a_solution_is_hidden_code_and_output_behind_one_summary(site):
    second = read(site, "02_second.html")
    ((summary, inside),) = re.findall(r'<details class="course-solution"><summary>(.*?)</summary>(.*?)</details>',
                                      second, flags=re.S)
    assert summary == "Show the solution to exercise 1"
    assert "answer" in inside and "42" in inside, "the solution's code and its output"
    before, after = second.split('<details class="course-solution">')
    assert "answer" not in before and "42\n" not in after.split("</details>", 1)[1]


def test_other_collapsed_code_or_output_stays_collapsed(site):
    second = read(site, "02_second.html")
    ((summary, inside),) = details(second, "input")
    assert summary == "Show the code" and "helper_code" in inside
    ((summary, inside),) = details(second, "output")
    assert summary == "Show the output" and "long output" in inside and "print" not in inside


def test_a_rebuild_replaces_the_site_but_never_a_folder_it_did_not_make(site, tmp_path):
    assert (site["out"] / MARKER).is_file()
    build(site["out"], site["root"])  # over its own site: fine
    stranger = tmp_path / "precious"
    stranger.mkdir()
    (stranger / "thesis.txt").write_text("do not delete")
    with pytest.raises(FileExistsError, match="not a site built by this tool"):
        build(stranger, site["root"])
    assert (stranger / "thesis.txt").exists()


def test_a_broken_link_is_reported(tmp_path):
    root = tmp_path / "course"
    (root / "notebooks").mkdir(parents=True)
    nbformat.write(new_notebook(cells=[new_markdown_cell("# 01 · A\n\nSee [gone](99_gone.ipynb).")]),
                   root / "notebooks" / "01_a.ipynb")
    (root / "README.md").write_text("<!-- contents:start -->\n<!-- contents:end -->\n")
    navigation.write(root)
    _, problems = build(tmp_path / "site", root)
    assert problems == [f"{Path('notebooks') / '01_a.ipynb'}: link to 99_gone.ipynb leads nowhere"]
