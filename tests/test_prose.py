"""The chapters quote only what they print, and name other chapters by their titles.

The first tests check the course itself (tools/prose.py); the others show on
small spoiled notebooks that each check fails when it should.
"""

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from tools import prose
from tools.course import COURSE

CHAPTERS = COURSE.chapters()
TITLES = prose.chapter_titles(COURSE.root)


@pytest.mark.parametrize("path", CHAPTERS, ids=[p.name for p in CHAPTERS])
def test_every_quoted_number_is_printed_and_every_reference_is_a_title(path):
    found = prose.problems(path, titles=TITLES)
    assert not found, f"{path.name}:\n" + "\n".join(found)


def test_every_allowed_number_is_still_needed():
    """An allow-list entry that no chapter needs any more is a stale excuse."""
    used = set()
    for path in CHAPTERS:
        for problem in prose.problems(path, allowed={}, titles=TITLES):
            if " quotes " in problem:
                used.add((path.name, prose.value(problem.split(" quotes ")[1].split()[0])))
    stale = []
    for chapter, entries in prose.ALLOWED.items():
        for number in entries:
            names = [p.name for p in CHAPTERS] if chapter == "*" else [chapter]
            if not any((name, prose.value(number)) in used for name in names):
                stale.append(f"ALLOWED[{chapter!r}][{number!r}]")
    assert not stale, "no chapter needs these any more, remove them: " + ", ".join(stale)


def chapter(tmp_path, markdown, code="print(1)", outputs=None, tags=()):
    """A one-chapter notebook: a title, `markdown`, and one code cell with stored outputs."""
    cell = new_code_cell(code, outputs=outputs if outputs is not None else [
        new_output("stream", name="stdout", text="1\n")])
    cell.metadata["tags"] = list(tags)
    nb = new_notebook(cells=[new_markdown_cell("# 01 · First\n\nIntro."), new_markdown_cell(markdown), cell])
    path = tmp_path / "01_first.ipynb"
    nbformat.write(nb, path)
    return path


def check(path, allowed=None):
    titles = {"01": "01 · First", "02": "02 · The second chapter"}
    return prose.problems(path, allowed=allowed or {}, titles=titles)


def printing(text):
    return [new_output("stream", name="stdout", text=text)]


def test_a_count_quoted_but_not_printed_is_caught(tmp_path):
    path = chapter(tmp_path, "Take the first: row 32 merges samples 47 and 59.",
                   outputs=printing("[[47. 59. 0.29906 2.]]\n"))
    found = check(path)
    assert len(found) == 1 and "quotes 32" in found[0] and "row 32 merges" in found[0]


def test_printed_numbers_pass_whatever_their_format(tmp_path):
    path = chapter(tmp_path, "Row 32 merges at 0.29906 and 77,460 samples fit; 94.1% of it; "
                             "the acceleration is 11.13389.",
                   outputs=printing("row 32: [47. 59. 0.29906 2.]\n77460 -11.13389 94.1%\n"))
    assert check(path) == []


def test_a_decimal_must_be_printed_as_quoted(tmp_path):
    path = chapter(tmp_path, "The height is 23.1.", outputs=printing("23.12199\n"))
    assert any("quotes 23.1 " in p for p in check(path))


def test_spelled_out_counts_from_eleven_are_checked(tmp_path):
    path = chapter(tmp_path, "Eleven of the twelve leaves; two clusters.", outputs=printing("11 of 12\n"))
    assert check(path) == []
    path = chapter(tmp_path, "Look at where the eleven misplaced Chinstraps sit.", outputs=printing("10\n"))
    assert any("quotes eleven" in p for p in check(path))


def test_code_maths_links_and_exercise_numbers_are_not_quotes(tmp_path):
    path = chapter(tmp_path, "**1.** Cut at `max_d = 13`, see $n(n-1)/2$ and "
                             "[this](03_third.ipynb).\n\n```python\nx = 45\n```")
    assert check(path) == []


def test_outputs_that_vary_do_not_count(tmp_path):
    path = chapter(tmp_path, "It took 0.56 s.", outputs=printing("0.56 s\n"), tags=["nbval-ignore-output"])
    assert any("quotes 0.56" in p for p in check(path))


def test_only_the_text_an_html_output_shows_counts(tmp_path):
    """An HTML output's scripts, styles and tags (an embedded module and its data, a picture's
    source) print nothing; its text does."""
    page = ('<div data-key="4711"><p>A stepper of 15 samples</p><img src="data:,M 23 41"></div>'
            '<style>p { margin: 6px; }</style>'
            '<script type="module">boot("4711", {"rows": [[3, 8, "0.29906"]]});</script>')
    outputs = [new_output("display_data", data={"text/html": page, "text/plain": "a stepper"})]
    assert check(chapter(tmp_path, "A stepper of 15 samples.", outputs=outputs)) == []
    for quote in ("4711", "0.29906", "23", "6"):
        found = check(chapter(tmp_path, f"It holds {quote}.", outputs=outputs))
        assert any(f"quotes {quote}" in p for p in found), quote


def test_allowed_inputs_pass_and_the_reason_is_required(tmp_path):
    path = chapter(tmp_path, "The tutorial seeds its generator with 4711.")
    assert any("quotes 4711" in p for p in check(path))
    assert check(path, {"01_first.ipynb": {"4711": "the seed, an input"}}) == []
    assert check(path, {"*": {"4711": "the seed, an input"}}) == []


def test_a_comment_may_quote_the_code_beside_it(tmp_path):
    path = chapter(tmp_path, "Text.", code="# any threshold from 15.1 to 17.1 works: 16\n"
                                           "tree = dendrogram(Z, color_threshold=16)",
                   outputs=printing("15.1 17.1\n"))
    assert check(path) == []
    path = chapter(tmp_path, "Text.", code="# the highest is at 5.05391\nx = 1")
    assert any("(comment) quotes 5.05391" in p for p in check(path))


def test_a_summary_comment_is_checked(tmp_path):
    path = chapter(tmp_path, "<!-- summary: about 10 to 30 s to run -->\nText.")
    assert {p.split(" quotes ")[1].split()[0] for p in check(path)} == {"10", "30"}


def test_chapter_references_must_match_a_title(tmp_path):
    good = ("See **02 · The second chapter**, and [**02 · The second\nchapter**](02_second.ipynb); "
            "chapter 02; 24 · 10⁹ is no reference.")
    assert check(chapter(tmp_path, good, outputs=printing("24\n"))) == []
    for wrong in ("See **02 · The second**, for more.", "See **02 · Second chapter**.",
                  "See **03 · The third chapter**.", "As chapter 07 showed."):
        found = check(chapter(tmp_path, wrong))
        assert len(found) == 1 and ("title" in found[0] or "does not exist" in found[0]), (wrong, found)
