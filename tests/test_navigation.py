"""Navigation cells, the contents page and README's contents: generated, and up to date.

The first test checks the course itself; the others run tools/navigation.py
on a throwaway course in a temporary folder.
"""

import subprocess
import sys

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from tools import navigation
from tools.course import ROOT, Course, is_navigation, title_and_summary
from tools.notebooks import code_fingerprint, problems, regenerate


def test_the_course_navigation_and_contents_are_up_to_date():
    stale = [str(p.relative_to(ROOT)) for p in navigation.out_of_date(ROOT)]
    assert not stale, f"out of date: {', '.join(stale)}. Bring them up to date with `make navigation`."


def test_every_notebook_is_in_the_readme_and_the_index():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    index = (ROOT / "notebooks" / "index.md").read_text(encoding="utf-8")
    for path in Course(ROOT).chapters():
        assert f"(notebooks/{path.name})" in readme
        assert f"({path.name})" in index


README = """# A course

<!-- contents:start -->
old hand-written table
<!-- contents:end -->

## More
"""


def chapter(title, first_paragraph, code="x = 1"):
    return new_notebook(cells=[
        new_markdown_cell(f"# {title}\n\n{first_paragraph}\n\nMore words."),
        new_code_cell(code),
        new_markdown_cell("## Exercises\n\nDo something."),
    ])


@pytest.fixture
def course(tmp_path):
    """A throwaway course: three chapters, an assignment with its student copy, a README."""
    (tmp_path / "notebooks").mkdir()
    nbformat.write(chapter("01 · First", "You learn one thing. Then [more](https://example.org).",
                           code="print(6 * 7)"),
                   tmp_path / "notebooks" / "01_first.ipynb")
    nbformat.write(chapter("02 · Second", "A [linked](x.ipynb) idea | with a bar"),
                   tmp_path / "notebooks" / "02_second.ipynb")
    title_only = new_notebook(cells=[new_markdown_cell("# 03 · Third"),
                                     new_markdown_cell("The summary is here. Not this."),
                                     new_code_cell("y = 2")])
    nbformat.write(title_only, tmp_path / "notebooks" / "03_third.ipynb")
    for kind in ("source", "release"):
        folder = tmp_path / "assignments" / kind / "hw1"
        folder.mkdir(parents=True)
        nbformat.write(chapter("Assignment 1 · Cut a tree", "Cut it by hand."), folder / "hw1.ipynb")
    (tmp_path / "README.md").write_text(README)
    return tmp_path


def cells(path):
    return nbformat.read(path, as_version=4).cells


def nav_cells(path):
    return [c for c in cells(path) if is_navigation(c)]


def test_each_notebook_gets_navigation_after_its_title_and_at_its_end(course):
    navigation.write(course)
    for path in Course(course).chapters():
        found = cells(path)
        assert is_navigation(found[1]) and is_navigation(found[-1])
        assert found[0].source.startswith("# ")
        assert len(nav_cells(path)) == 2
        for cell in nav_cells(path):
            assert cell.cell_type == "markdown" and "outputs" not in cell
    first, second, third = Course(course).chapters()
    # The top cell also says how long the chapter takes to read (tools.prose.reading_time).
    assert nav_cells(first)[0].source == ("[Contents](index.md) | [02 · Second →](02_second.ipynb)\n\n"
                                          "*Reading time: about 1 minute.*")
    assert nav_cells(second)[0].source.startswith(
        "[← 01 · First](01_first.ipynb) | [Contents](index.md) | [03 · Third →](03_third.ipynb)\n\n")
    assert nav_cells(third)[-1].source == "[← 02 · Second](02_second.ipynb) | [Contents](index.md)"


def test_a_second_run_changes_no_byte(course):
    assert navigation.write(course)
    before = {p: p.read_bytes() for p in course.rglob("*") if p.is_file()}
    assert navigation.write(course) == []
    assert navigation.out_of_date(course) == []
    assert {p: p.read_bytes() for p in course.rglob("*") if p.is_file()} == before


def test_the_code_and_its_fingerprint_are_untouched(course):
    path = course / "notebooks" / "01_first.ipynb"
    before = nbformat.read(path, as_version=4)
    navigation.write(course)
    after = nbformat.read(path, as_version=4)
    assert code_fingerprint(after) == code_fingerprint(before)
    assert [c.source for c in after.cells if not is_navigation(c)] == [c.source for c in before.cells]


def test_a_regenerated_notebook_stays_fresh_and_passes_nbval(course):
    path = course / "notebooks" / "01_first.ipynb"
    regenerate(path)
    navigation.write(course)
    assert problems(path) == []
    regenerate(path)  # and regenerating keeps the navigation as it is
    assert navigation.out_of_date(course) == []
    result = subprocess.run([sys.executable, "-m", "pytest", "--nbval", "--nbval-current-env", "-p", "no:cacheprovider",
                             "-q", str(path)], cwd=course, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_contents_list_chapters_and_assignments_with_their_summaries(course):
    navigation.write(course)
    index = (course / "notebooks" / "index.md").read_text()
    assert "| [01 · First](01_first.ipynb) | You learn one thing. |" in index
    assert "| [02 · Second](02_second.ipynb) | A linked idea \\| with a bar |" in index
    assert "| [03 · Third](03_third.ipynb) | The summary is here. |" in index
    assert "| [Assignment 1 · Cut a tree](../assignments/release/hw1/hw1.ipynb) | Cut it by hand. |" in index
    readme = (course / "README.md").read_text()
    assert "old hand-written table" not in readme
    assert "| [01 · First](notebooks/01_first.ipynb) | You learn one thing. |" in readme
    assert "(assignments/release/hw1/hw1.ipynb)" in readme
    assert readme.startswith("# A course\n\n<!-- contents:start -->\n")
    assert readme.endswith("<!-- contents:end -->\n\n## More\n")


def test_an_assignment_without_a_student_copy_links_to_its_source(course):
    (course / "assignments" / "release" / "hw1" / "hw1.ipynb").unlink()
    navigation.write(course)
    assert "(../assignments/source/hw1/hw1.ipynb)" in (course / "notebooks" / "index.md").read_text()


def test_a_renamed_chapter_makes_its_neighbours_and_the_contents_stale(course):
    navigation.write(course)
    path = course / "notebooks" / "02_second.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells[0].source = nb.cells[0].source.replace("02 · Second", "02 · Renamed")
    nbformat.write(nb, path)
    stale = {p.name for p in navigation.out_of_date(course)}
    assert stale == {"01_first.ipynb", "03_third.ipynb", "index.md", "README.md"}
    navigation.write(course)
    assert "[02 · Renamed →](02_second.ipynb)" in nav_cells(course / "notebooks" / "01_first.ipynb")[0].source


def test_a_new_chapter_or_a_hand_edited_cell_is_caught(course):
    navigation.write(course)
    nbformat.write(chapter("04 · Fourth", "Last."), course / "notebooks" / "04_fourth.ipynb")
    assert {p.name for p in navigation.out_of_date(course)} == {
        "03_third.ipynb", "04_fourth.ipynb", "index.md", "README.md"}
    navigation.write(course)
    path = course / "notebooks" / "01_first.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells[1].source = "[Contents](index.md)"
    nbformat.write(nb, path)
    assert [p.name for p in navigation.out_of_date(course)] == ["01_first.ipynb"]


def test_a_notebook_without_a_title_is_named(course):
    nbformat.write(new_notebook(cells=[new_code_cell("1")]), course / "notebooks" / "05_untitled.ipynb")
    with pytest.raises(ValueError, match="05_untitled.ipynb has no title"):
        navigation.write(course)


def test_a_readme_without_markers_is_refused(course):
    (course / "README.md").write_text("# A course\n")
    with pytest.raises(ValueError, match="contents:start"):
        navigation.write(course)


@pytest.mark.parametrize("text, summary", [
    # The summary comment, wherever it stands in the title cell, links as plain text ...
    ("# 01 · T\n<!-- summary: the [tree](x.ipynb), in short -->\n\nOne sentence. Two.", "the tree, in short"),
    ("# 01 · T\n\nIntro.\n\n<!-- summary:\n  over two\n  lines -->", "over two lines"),
    # ... else the first sentence after the title.
    ("# 01 · T\n\nOne sentence. Two.", "One sentence."),
    ("# 01 · T\nsame cell,\nwrapped lines.", "same cell, wrapped lines."),
    ("# 01 · T\n\n## A heading first", ""),
    ("# 01 · T\n\nCall `f()`, e.g. twice! Then.", "Call `f()`, e.g. twice!"),
    ("# 01 · T\n\nAfter 00. You will\n\n- draw `X`;\n- and cut it.", "After 00."),
])
def test_the_summary_is_the_comment_else_the_first_sentence_after_the_title(text, summary):
    nb = new_notebook(cells=[new_markdown_cell(text)])
    assert title_and_summary(nb) == ("01 · T", summary)


# --- The Binder badge: from the repository pyproject.toml names, or none -------------------

PYPROJECT = """[project]
name = "a-course"
dependencies = []

[project.optional-dependencies]
course = ["jupyterlab"]
"""


def test_the_readme_holds_the_binder_markers_and_no_placeholder():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme.count(navigation.BINDER_START) == 1 and readme.count(navigation.BINDER_END) == 1
    assert "OWNER" not in readme and "REPOSITORY" not in readme
    if navigation.repository(ROOT) is None:
        assert "make binder REPO=" in readme, "without a repository, the README must say how to get a badge"


def test_make_binder_names_the_repository_and_the_readme_gets_its_badge(course):
    (course / "README.md").write_text(f"# A course\n\n{navigation.BINDER_START}\n{navigation.BINDER_END}\n\n"
                                      + README.split("\n", 1)[1])
    (course / "pyproject.toml").write_text(PYPROJECT)
    navigation.write(course)
    assert "mybinder" not in (course / "README.md").read_text(), "no repository, no badge"
    result = subprocess.run([sys.executable, "-m", "tools.navigation", "--repository", "x"],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 2 and "owner/name" in result.stderr

    assert navigation.set_repository("someone/a-course", course) == "https://github.com/someone/a-course"
    text = (course / "pyproject.toml").read_text()
    assert text.index("[project.urls]") < text.index("[project.optional-dependencies]")
    assert navigation.repository(course) == "someone/a-course"
    navigation.write(course)
    readme = (course / "README.md").read_text()
    assert ("(https://mybinder.org/v2/gh/someone/a-course/HEAD?urlpath=lab/tree/notebooks/00_welcome.ipynb)"
            in readme)
    assert readme.index(navigation.BINDER_START) < readme.index("mybinder") < readme.index(navigation.BINDER_END)
    # Again, as an address: the one Repository line is replaced, the table kept.
    navigation.set_repository("https://github.com/other/b.git", course)
    text = (course / "pyproject.toml").read_text()
    assert text.count("[project.urls]") == 1 and text.count("Repository =") == 1
    assert navigation.repository(course) == "other/b"
    # An existing table without a Repository gets one.
    (course / "pyproject.toml").write_text(PYPROJECT + '\n[project.urls]\nHomepage = "https://example.org"\n')
    navigation.set_repository("third/c", course)
    assert navigation.repository(course) == "third/c"
    assert 'Homepage = "https://example.org"' in (course / "pyproject.toml").read_text()


@pytest.mark.parametrize("name", ["", "x", "a/b/c", "../b", "https://gitlab.com/a/b", "a b/c"])
def test_make_binder_refuses_what_is_no_github_repository(tmp_path, name):
    (tmp_path / "pyproject.toml").write_text(PYPROJECT)
    with pytest.raises(ValueError, match="owner/name"):
        navigation.set_repository(name, tmp_path)
    assert (tmp_path / "pyproject.toml").read_text() == PYPROJECT
