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


# --- What a reader would take wrongly (tools.prose.reading_problems) ---------------


@pytest.mark.parametrize("path", CHAPTERS, ids=[p.name for p in CHAPTERS])
def test_no_chapter_says_what_a_reader_would_take_wrongly(path):
    found = prose.reading_problems(path)
    assert not found, f"{path.name}:\n" + "\n".join(f"[{kind}] {problem}" for kind, problem in found)


def test_every_pending_entry_is_still_needed():
    """A PENDING entry whose chapter has been fixed must go: it would hide the next slip."""
    stale = []
    for name, kinds in prose.PENDING.items():
        path = COURSE.notebooks / name
        assert path in CHAPTERS, f"PENDING names {name}, which is no chapter"
        found = {kind for kind, _ in prose.reading_problems(path, pending={})}
        stale += [f"PENDING[{name!r}][{kind!r}]" for kind in kinds if kind not in found]
    assert not stale, "these chapters are fixed, remove the entries: " + ", ".join(stale)


def notebook(tmp_path, *cells):
    """A chapter of markdown (str) and code (a 1-tuple holding the source) cells, with a title."""
    built = [new_markdown_cell("# 01 · First\n\nIntro.")]
    for cell in cells:
        built.append(new_code_cell(cell[0]) if isinstance(cell, tuple) else new_markdown_cell(cell))
    path = tmp_path / "01_first.ipynb"
    nbformat.write(new_notebook(cells=built), path)
    return path


def kinds(path):
    return [kind for kind, _ in prose.reading_problems(path, pending={})]


def test_the_last_n_merges_of_a_tree_truncated_to_n_leaves_is_caught(tmp_path):
    call = ('dendrogram(Z, truncate_mode="lastp", p=30)',)
    assert kinds(notebook(tmp_path, "The tree truncated to its last 30 merges.", call)) == ["lastp"]
    assert kinds(notebook(tmp_path, "The tree truncated to its last thirty\nmerges.", call)) == ["lastp"]
    assert kinds(notebook(tmp_path, "The tree truncated to its last 30 clusters, its top 29 merges.",
                          call)) == []
    # A comment or a figure's title says it too; a count of merges unrelated to a drawn tree does not.
    assert kinds(notebook(tmp_path, ("# Figure: the dendrogram of its last 30 merges\nx = 1",))) == ["lastp"]
    assert kinds(notebook(tmp_path, ('ax.set_title("X2, last 30 merges")\n' + call[0],))) == ["lastp"]
    assert kinds(notebook(tmp_path, "The elbow reads the last 10 merges.", call)) == []


def test_a_claim_over_every_k_must_say_which_k(tmp_path):
    wrong = "Its ratio is 7.80, against at most 1.35 for any other `k`."
    assert kinds(notebook(tmp_path, wrong)) == ["range"]
    for right in ("Its ratio is 7.80, against at most 1.35 for any other `k` from 3 to 7.",
                  "Its ratio is 7.80, against at most 1.35 for any other k (k = 3 to 7).",
                  "Pick any `k` you like.",  # no number claimed
                  "The ratio of every band, 1.35 at most, holds for the three bands shown."):
        assert kinds(notebook(tmp_path, right)) == [], right


def test_a_main_path_too_long_to_read_is_caught_and_going_deeper_sections_do_not_count(tmp_path):
    words = " ".join(["word"] * 200)  # a minute
    long_main = [words] * 13
    assert kinds(notebook(tmp_path, *long_main)) == ["length"]
    deeper = [words] * 6 + ["## Going deeper: more\n\n" + words] + [words] * 6 + ["## Back on the path"]
    assert kinds(notebook(tmp_path, *deeper)) == []
    nb = nbformat.read(notebook(tmp_path, *deeper), as_version=4)
    assert prose.reading_minutes(nb, "main") == pytest.approx(6, abs=0.1)  # and the title
    assert prose.reading_minutes(nb, "optional") == pytest.approx(7, abs=0.1)


SPEC = {"kind": "number", "decimals": 2, "answer": "answer_1", "right": ["round(answer_1, 2)"],
        "mistakes": [{"answer": "answer_1 + 1", "hint": "Rows of Z count from 0."}],
        "wrong": ["answer_1 * 2"], "hint": "Look at the interval."}


def with_solution(tmp_path, spec, question="**1.** How high?", before=(), solution="answer_1 = 2.5"):
    cell = new_markdown_cell("<details>\n<summary>Show the solution to exercise 1</summary>\n\n"
                             f"```python\n{solution}\n```\n\n</details>")
    cell.metadata["tags"] = ["solution"]
    if spec is not None:
        cell.metadata["exercise"] = spec
    cells = [new_markdown_cell("# 01 · First\n\nIntro.")]
    cells += [new_code_cell(c[0]) if isinstance(c, tuple) else new_markdown_cell(c) for c in before]
    cells += [new_markdown_cell("## Exercises"), new_markdown_cell(question), cell]
    path = tmp_path / "01_first.ipynb"
    nbformat.write(new_notebook(cells=cells), path)
    return [p for k, p in prose.reading_problems(path, pending={}) if k == "exercise"]


def test_a_choice_lists_its_options_in_its_question(tmp_path):
    """(A specification's completeness is tools/notebooks.py's check: tests/test_notebooks.py.)"""
    assert with_solution(tmp_path, SPEC) == []
    assert with_solution(tmp_path, SPEC, question="**2.** Another question.") == [
        "cell 4 (the solution to exercise 1) comes before its question '**1.**'"]
    choice = {**SPEC, "kind": "choice", "options": ["single", "ward"]}
    assert with_solution(tmp_path, choice, question="**1.** Which, `single` or `ward`?") == []
    assert any("options its question does not list" in problem
               for problem in with_solution(tmp_path, choice, question="**1.** Which method?"))


def test_an_exercise_that_needs_an_optional_section_must_say_so(tmp_path):
    before = ["## Going deeper: inversions", ("Z_centroid = 1",), "## Back"]
    found = with_solution(tmp_path, SPEC, before=before, solution="answer_1 = Z_centroid + 1")
    assert len(found) == 1 and "uses Z_centroid, which only an optional section defines" in found[0]
    assert with_solution(tmp_path, SPEC, before=before, solution="answer_1 = Z_centroid + 1",
                         question="**1.** (needs *Going deeper: inversions*) How high?") == []
    assert with_solution(tmp_path, SPEC, before=before, solution="Z_centroid = 2\nanswer_1 = Z_centroid") == []


def test_a_going_deeper_heading_must_start_its_cell(tmp_path):
    assert kinds(notebook(tmp_path, "Text.\n\n## Going deeper: more\n\nDepth.")) == ["structure"]
    assert kinds(notebook(tmp_path, "## Going deeper: more\n\nDepth.\n\n## Back on the path")) == ["structure"]
    assert kinds(notebook(tmp_path, "## Going deeper: more\n\nDepth.", "## Back on the path\n\nText.")) == []
