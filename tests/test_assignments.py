"""The nbgrader assignments in assignments/: they grade fairly, and nothing leaks.

Two kinds of grading checks, both on the answers in
tests/fixtures/assignments/<assignment>.py (at least two correct answers and
one plausible wrong answer per question):

- every answer is run the way nbgrader's autograde runs it (the locked setup
  and the question's own inputs, the answer, then the check and the hidden
  tests of the source), in this Python: each correct answer must earn full
  marks, each wrong one its check's point and no hidden point (a
  "wrong-form" one, which the check refuses too, nothing);
- no locked cell reads a name a learner may rebind, and a learner who
  rebinds every name the notebook defines (np, linkage, X, Z, max, sum...)
  loses nothing; every hidden assertion says what it checked, never the
  expected value;
- nbgrader itself, in a temporary copy of the course root (its gradebook and
  folders never land in the repository), autogrades the source notebook (full
  marks), the blank student copy (zero) and students made of fixture
  answers: two that mix wrong and correct answers (so a wrong answer costs
  only its own question), the shadowing student (every question's second
  correct answer, every public name rebound after it), and one who hands in
  the same late (the late policy takes its share). The scores are read from nbgrader's gradebook, never from the
  exit code of `nbgrader validate`, which is 0 even when tests fail; they
  must equal what the quick runs above predict. Written answers wait for
  the instructor's grade in the formgrader.

Select them with ``pytest -m grading``; ``python -m tools.assignments matrix``
prints the grading matrix.
"""

import ast
import builtins
import csv
import os
import re
import shutil
import subprocess
import sys

import nbformat
import pytest

from tools.assignments import (
    EXPECTED,
    FIXTURES,
    LATE,
    MARKERS,
    NBGRADER_ROOT,
    RUNTIME,
    as_expected,
    assignment_ids,
    differences,
    grade_fixtures,
    hidden_message_problems,
    locked_cell_problems,
    nbgrader_all,
    public_names,
    question,
    read_answers,
    run_answer,
    run_student,
    secret_lines,
    shadowing_problems,
    shadowing_student,
)
from tools.course import ROOT

pytestmark = pytest.mark.grading

ASSIGNMENTS = assignment_ids()
#: The assignment whose solutions for students the grading checks generate.
SOLVED = ASSIGNMENTS[0]
#: What a student copy may import: the course's own runtime dependencies, and two modules of Python's own.
ALLOWED_IMPORTS = {"numpy", "scipy", "matplotlib", "sklearn", "fastcluster", "helpers", "csv", "math"}
#: The assignments with a written answer graded by hand, and the points it carries.
WRITTEN = {"a2_choosing_a_cutoff": 3, "a4_choosing_k": 3}


def notebook_path(folder, assignment):
    return NBGRADER_ROOT / folder / assignment / f"{assignment}.ipynb"


def read(folder, assignment):
    return nbformat.read(str(notebook_path(folder, assignment)), as_version=4)


def nbgrader_meta(cell):
    return cell.metadata.get("nbgrader", {})


def graded_cells(nb):
    """{grade_id: points} of the autograded test cells."""
    return {nbgrader_meta(c)["grade_id"]: nbgrader_meta(c)["points"] for c in nb.cells if nbgrader_meta(c).get("grade")}


def answer_cells(nb):
    """Every answer cell: the autograded code and the written (markdown) answers graded by hand."""
    return [c for c in nb.cells if nbgrader_meta(c).get("solution")]


def code_answer_cells(nb):
    return [c for c in answer_cells(nb) if c.cell_type == "code"]


def written_cells(nb):
    return [c for c in answer_cells(nb) if c.cell_type == "markdown"]


def answers(assignment):
    return read_answers(FIXTURES / f"{assignment}.py")


def require_nbgrader():
    """Fail under CI, skip elsewhere, saying how to install nbgrader."""
    if sys.version_info < (3, 11):
        pytest.skip("nbgrader 0.9.6 needs Python 3.11 or later; the grading checks "
                    "run on the newer Pythons (the course itself supports 3.10)")
    try:
        import nbgrader.api  # noqa: F401
    except ImportError:
        message = ("nbgrader is not installed: pip install -e '.[instructor]' "
                   "(make test installs it); the grading checks always run under CI")
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """Generate and autograde every assignment once, in a temporary course root.

    Returns the generated release folder, the scores read from the gradebook
    (``scores[assignment][student][grade_id] = (score, max_score)``), what
    each fixture student was meant to score, and the exported grades.
    """
    require_nbgrader()
    course = tmp_path_factory.mktemp("nbgrader") / "course"
    scores, penalties, plans = grade_fixtures(course)
    # Then, side by side: the grades exported, the feedback, and the solutions of one assignment (the
    # first: it runs quickest).
    nbgrader_all(course, [["export", "--to", "grades.csv"], ["generate_feedback", "*"],
                          ["generate_solution", SOLVED, "--force"]])
    with open(course / "grades.csv", newline="") as file:
        grades_csv = list(csv.DictReader(file))
    return {"release": course / "release", "scores": scores, "penalties": penalties, "plans": plans,
            "grades_csv": grades_csv, "feedback": course / "feedback", "solution": course / "solution"}


# --- every answer, run quickly ------------------------------------------------

@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_correct_answer_earns_full_marks_and_every_wrong_one_loses_the_hidden_points(assignment):
    source = notebook_path("source", assignment)
    unfair = []
    for grade_id, kinds in sorted(answers(assignment).items()):
        q = question(grade_id)
        for kind in EXPECTED:
            for answer in kinds[kind]:
                earned = run_answer(source, grade_id, answer.code)
                check, hidden = earned[f"{q}_check"], earned[f"{q}_hidden"]
                if not as_expected(kind, check, hidden):
                    unfair.append(f"{q} {kind} ({answer.note}): check {check[0]:g}/{check[1]:g}, "
                                  f"hidden {hidden[0]:g}/{hidden[1]:g}")
    assert not unfair, f"{assignment}:\n" + "\n".join(unfair)


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_question_has_two_different_correct_answers_and_a_wrong_one(assignment):
    found = answers(assignment)
    expected = {nbgrader_meta(c)["grade_id"] for c in code_answer_cells(read("source", assignment))}
    assert set(found) == expected, "one fixture section per autograded answer cell, no other"
    normal = lambda code: "\n".join(line.split("#")[0].rstrip() for line in code.splitlines() if line.strip())  # noqa: E731
    for grade_id, kinds in found.items():
        correct = [normal(a.code) for a in kinds["correct"]]
        assert len(set(correct)) >= 2, f"{grade_id}: give at least two different correct answers"
        assert kinds["wrong"], f"{grade_id}: give a plausible wrong answer of the right form"
        assert not set(correct) & {normal(a.code) for a in kinds["wrong"] + kinds["wrong-form"]}


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_no_locked_cell_reads_a_name_a_learner_may_rebind(assignment):
    """The inputs, checks and hidden tests read only the grader's names (an underscore first) and a few built-ins."""
    problems = locked_cell_problems(notebook_path("source", assignment))
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_a_learner_who_rebinds_every_name_loses_nothing(assignment):
    """After every public name is rebound, each question's inputs are the same and a correct answer keeps its marks."""
    source = notebook_path("source", assignment)
    assert {"np", "X", "max", "sum", "range"} <= public_names(source)
    problems = shadowing_problems(source, answers(assignment))
    assert not problems, "\n".join(problems)
    earned = run_student(source, shadowing_student(source, answers(assignment)))
    assert all(score == points for score, points in earned.values()), earned


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_hidden_assertion_says_what_it_checked_and_never_the_value(assignment):
    problems = hidden_message_problems(notebook_path("source", assignment))
    assert not problems, "\n".join(problems)


def test_the_assignments_are_in_their_numbers_order(tmp_path):
    for name in ("a10_ten", "a2_two", "a1_one"):
        (tmp_path / "assignments" / "source" / name).mkdir(parents=True)
    assert assignment_ids(tmp_path) == ["a1_one", "a2_two", "a10_ten"]


def test_a_fixture_file_with_a_bad_header_is_refused(tmp_path):
    path = tmp_path / "bad.py"
    path.write_text("# %% q1_answer\nrow = 1\n")
    with pytest.raises(ValueError, match="correct: <how>"):
        read_answers(path)


# --- what nbgrader measures -------------------------------------------------

@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_source_notebook_autogrades_to_full_marks(graded, assignment):
    """Every autograded cell at full marks; a written answer waits for the instructor (None)."""
    grades = graded["scores"][assignment]["solution"]
    written = {nbgrader_meta(c)["grade_id"] for c in written_cells(read("source", assignment))}
    assert grades == {name: (None if name in written else points, points)
                      for name, points in graded_cells(read("source", assignment)).items()}


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_blank_student_copy_scores_zero(graded, assignment):
    """Unanswered, even a written answer scores 0 without waiting for the instructor."""
    grades = graded["scores"][assignment]["blank"]
    assert set(grades) == set(graded_cells(read("source", assignment)))
    assert all(score == 0 for score, _ in grades.values()), grades


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_fixture_students_score_as_planned_and_as_the_quick_runs_predict(graded, assignment):
    """Wrong answers cost only their own question, and nbgrader agrees with run_answer."""
    source = notebook_path("source", assignment)
    for student, (chosen, expected) in graded["plans"][assignment].items():
        grades = graded["scores"][assignment][student]
        for grade_id, code in chosen.items():
            q = question(grade_id)
            check, hidden = grades[f"{q}_check"], grades[f"{q}_hidden"]
            assert check[0] == check[1], f"{student}: {q}'s check failed"
            if student in ("shadowing", LATE[0]):
                continue  # the whole notebook matters here: compared with run_student below
            if expected[q] == "full":
                assert hidden[0] == hidden[1], f"{student}: the correct answer to {q} lost hidden points"
            else:
                assert hidden[0] == 0, f"{student}: the wrong answer to {q} earned hidden points"
            predicted = run_answer(source, grade_id, code)
            assert {k: grades[k] for k in predicted} == predicted, f"{student}: {q}"
    shadowing = graded["scores"][assignment]["shadowing"]
    predicted = run_student(source, graded["plans"][assignment]["shadowing"][0])
    assert {k: shadowing[k] for k in predicted} == predicted
    assert all(score == points for score, points in predicted.values())


def test_a_late_submission_loses_the_late_policys_share(graded):
    """Handed in two days and a minute late (three started days), the late student loses 30 % of the score."""
    late, due, handed = LATE
    first = ASSIGNMENTS[0]
    earned = sum(score or 0 for score, _ in graded["scores"][first][late].values())
    assert earned > 0 and graded["penalties"][first][late] == pytest.approx(0.3 * earned)
    assert all(penalty == 0 for student, penalty in graded["penalties"][first].items() if student != late)
    row = next(r for r in graded["grades_csv"] if r["assignment"] == first and r["student_id"] == late)
    assert float(row["late_submission_penalty"]) == pytest.approx(0.3 * earned)
    assert float(row["score"]) == pytest.approx(0.7 * earned)


def test_exported_grades_are_the_gradebook_totals(graded):
    """One row per student and assignment: the gradebook's total less the late penalty; nothing handed in, 0."""
    exported = {(row["assignment"], row["student_id"]): (float(row["score"]), float(row["max_score"]))
                for row in graded["grades_csv"]}
    expected = {
        (assignment, student): (sum(s or 0 for s, _ in grades.values())
                                - graded["penalties"][assignment][student], sum(m for _, m in grades.values()))
        for assignment, by_student in graded["scores"].items() for student, grades in by_student.items()
    }
    assert {key: exported[key] for key in expected} == expected
    points = {assignment: next(iter(by_student.values())) for assignment, by_student in graded["scores"].items()}
    for (assignment, student), (score, maximum) in exported.items():
        if (assignment, student) not in expected:  # a student of another assignment only: nothing handed in
            assert (score, maximum) == (0.0, sum(m for _, m in points[assignment].values()))
    # full marks, partial marks and zero all appear
    totals = {score / maximum for score, maximum in exported.values()}
    assert 1.0 in totals and 0.0 in totals and any(0 < t < 1 for t in totals)


def hidden_test_lines(assignment):
    """The substantial lines of the source's hidden tests that appear nowhere else in it."""
    hidden, other = set(), set()
    for cell in read("source", assignment).cells:
        inside = False
        for line in cell.source.splitlines():
            if "### BEGIN HIDDEN TESTS" in line:
                inside = True
            elif "### END HIDDEN TESTS" in line:
                inside = False
            elif len(line.strip()) >= 12:
                (hidden if inside else other).add(line.strip())
    return hidden - other


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_feedback_shows_scores_and_errors_but_never_the_hidden_tests(graded, assignment):
    import html

    secret = hidden_test_lines(assignment)
    assert secret
    pages = sorted(graded["feedback"].glob(f"*/{assignment}/{assignment}.html"))
    assert {p.parent.parent.name for p in pages} == set(graded["scores"][assignment])
    for page in pages:
        text = html.unescape(re.sub(r"<[^>]+>", "", page.read_text()))
        student = page.parent.parent.name
        total = (sum(s or 0 for s, _ in graded["scores"][assignment][student].values())
                 - graded["penalties"][assignment][student])
        assert re.search(rf"Score: {total:.1f} / \d+\.0", text), page
        assert "HIDDEN TESTS" not in text, page
        lines = {line.strip() for line in text.splitlines()}
        assert not secret & lines, f"{page}: {sorted(secret & lines)[:3]}"
        if student.startswith("mixed"):
            # Feedback that teaches: each failed hidden test says what it checked.
            assert re.search(r"AssertionError: [\w`]\S* ", text), f"{page}: no failed test says what it checked"
            assert not re.search(r"AssertionError\s*$", text, re.M), f"{page}: a failed test says nothing"


def test_committed_student_copies_are_what_nbgrader_generates(graded):
    problems = differences(graded["release"], NBGRADER_ROOT / "release")
    assert not problems, "\n".join(problems + ["Run `make assignments` and commit assignments/release/."])


def test_drift_is_detected(graded, tmp_path):
    """The comparison itself notices an edited cell and a missing file."""
    stale = tmp_path / "release"
    shutil.copytree(graded["release"], stale)
    path = stale / ASSIGNMENTS[0] / f"{ASSIGNMENTS[0]}.ipynb"
    nb = nbformat.read(str(path), as_version=4)
    nb.cells[0].source += "\nAn edit made in the student copy instead of the source."
    nbformat.write(nb, str(path))
    (stale / ASSIGNMENTS[-1] / f"{ASSIGNMENTS[-1]}.ipynb").unlink()
    problems = differences(graded["release"], stale)
    assert any(p.startswith("stale:") and ASSIGNMENTS[0] in p for p in problems), problems
    assert any(p.startswith("missing") and ASSIGNMENTS[-1] in p for p in problems), problems


# --- the shape of every assignment ------------------------------------------

@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_question_has_an_answer_a_visible_check_and_hidden_tests(assignment):
    nb = read("source", assignment)
    points = graded_cells(nb)
    answers = [nbgrader_meta(c)["grade_id"] for c in code_answer_cells(nb)]
    questions = [re.fullmatch(r"(q\d+)_answer", a).group(1) for a in answers]
    written = [nbgrader_meta(c)["grade_id"] for c in written_cells(nb)]
    assert len(questions) >= 3
    assert sorted(points) == sorted([f"{q}_{kind}" for q in questions for kind in ("check", "hidden")] + written)
    assert all(p > 0 for p in points.values())
    for cell in nb.cells:
        meta = nbgrader_meta(cell)
        if meta.get("grade_id", "").endswith("_hidden"):
            assert "### BEGIN HIDDEN TESTS" in cell.source and "### END HIDDEN TESTS" in cell.source
        if meta.get("solution") and cell.cell_type == "code":
            assert "### BEGIN SOLUTION" in cell.source and "### END SOLUTION" in cell.source
    title = nb.cells[0].source.splitlines()[0]
    number = int(re.match(r"a(\d+)_", assignment).group(1))
    assert re.fullmatch(rf"# Assignment {number} · \S.*", title), title


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_question_starts_from_its_own_locked_inputs(assignment):
    """A `q<N>_given` cell, locked, sits between the question's text and its answer."""
    cells = read("source", assignment).cells
    ids = [nbgrader_meta(c).get("grade_id") for c in cells]
    for cell in code_answer_cells(read("source", assignment)):
        q = question(nbgrader_meta(cell)["grade_id"])
        assert f"{q}_given" in ids, f"{q} has no inputs cell"
        given = cells[ids.index(f"{q}_given")]
        assert nbgrader_meta(given)["locked"] and not nbgrader_meta(given)["grade"]
        assert ids.index(f"{q}_given") + 1 == ids.index(f"{q}_answer")


def _names(source, context):
    """Names a cell stores and names it loads (that it has not stored first)."""
    stored, loaded = set(), set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Name):
            (stored if isinstance(node.ctx, ast.Store) else loaded).add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            stored.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            stored |= {(alias.asname or alias.name).split(".")[0] for alias in node.names}
        elif isinstance(node, ast.arg):
            stored.add(node.arg)
    return stored, loaded - stored - set(dir(builtins)) - {context}


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_no_question_reads_a_name_that_only_another_answer_defines(assignment):
    nb = read("source", assignment)
    by_id = {nbgrader_meta(c).get("grade_id"): c.source for c in nb.cells if c.cell_type == "code"}
    answered = {question(g): _names(src, g)[0] for g, src in by_id.items() if g and g.endswith("_answer")}
    shared = _names(by_id["setup"], "setup")[0]
    for q, own in answered.items():
        allowed = shared | own | _names(by_id[f"{q}_given"], "given")[0]
        elsewhere = set().union(*(names for other, names in answered.items() if other != q)) - allowed
        for kind in ("answer", "check", "hidden"):
            _, loaded = _names(by_id[f"{q}_{kind}"], kind)
            assert not loaded & elsewhere, f"{q}_{kind} reads {sorted(loaded & elsewhere)}, defined by another answer"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_assignment_says_what_it_practises_and_how_long_it_takes(assignment):
    intro = read("source", assignment).cells[0].source
    assert re.search(r"<!-- summary: .+\(about \d+ minutes\) -->", intro), "a summary ending '(about N minutes)'"
    assert "**What you practise:**" in intro
    assert re.search(r"\*\*Time:\*\* about \d+ minutes", intro)
    assert re.search(r"\*\*Before you start:\*\* chapters? \d\d", intro)
    points = sum(graded_cells(read("source", assignment)).values())
    assert f"**Points:** {points} in all" in intro


def test_no_known_wording_slip_is_back():
    text = "\n".join(c.source for a in ASSIGNMENTS for c in read("source", a).cells)
    assert "cultivator" not in text  # cultivars: grape varieties, not farmers
    assert "feature ranges" not in text  # the set-up prints standard deviations


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_student_copy_holds_no_solution_no_marker_and_no_hidden_test(assignment):
    source, student = read("source", assignment), read("release", assignment)
    shown = "\n".join(cell.source for cell in student.cells)
    for marker in MARKERS:
        assert marker not in shown
    secret = secret_lines([source])
    assert secret, "the source should hold solutions and hidden tests"
    leaked = [line for line in secret if line in shown]
    assert not leaked, leaked
    for cell in code_answer_cells(student):
        assert cell.source == "# YOUR CODE HERE\nraise NotImplementedError()"
    for cell in written_cells(student):
        assert cell.source == "YOUR ANSWER HERE"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_student_copy_needs_only_the_course_dependencies(assignment):
    imported = set()
    for cell in read("release", assignment).cells:
        if cell.cell_type != "code":
            continue
        assert "nbgrader" not in cell.source
        for node in ast.walk(ast.parse(cell.source)):
            if isinstance(node, ast.Import):
                imported |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom):
                imported.add(node.module.split(".")[0])
    assert imported <= ALLOWED_IMPORTS, imported - ALLOWED_IMPORTS


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_written_answers_are_graded_by_hand_with_a_rubric_of_their_points(assignment):
    """A written answer: a markdown cell graded by hand, under a numbered rubric of one point per line."""
    nb = read("source", assignment)
    written = written_cells(nb)
    assert {nbgrader_meta(c)["points"] for c in written} == ({WRITTEN[assignment]} if assignment in WRITTEN else set())
    for cell in written:
        meta = nbgrader_meta(cell)
        assert meta["grade"] and meta["solution"] and not meta["locked"] and not meta["task"]
        question_text = nb.cells[nb.cells.index(cell) - 1].source
        assert "graded by hand" in question_text and "rubric" in question_text
        rubric = re.findall(r"^\d+\. \*\*", question_text, re.M)
        assert len(rubric) == meta["points"], "one rubric line per point"
        assert len(cell.source.split()) > 60, "the source holds a model answer for the instructors"


def test_solutions_for_students_hold_no_hidden_test(graded):
    """`nbgrader generate_solution`, as the course configures it, keeps the solutions and drops the hidden tests."""
    assignment = SOLVED
    solution = graded["solution"] / assignment / f"{assignment}.ipynb"
    nb = nbformat.read(str(solution), as_version=4)
    text = "\n".join(cell.source for cell in nb.cells)
    assert "BEGIN HIDDEN TESTS" not in text
    assert not hidden_test_lines(assignment) & {line.strip() for line in text.splitlines()}
    assert "### BEGIN SOLUTION" in text
    assert any(cell.get("outputs") for cell in nb.cells if cell.cell_type == "code"), "the solution is run"


def test_the_assignments_follow_the_chapters():
    assert len(ASSIGNMENTS) >= 5
    assert [int(re.match(r"a(\d+)_", a).group(1)) for a in ASSIGNMENTS] == list(range(1, len(ASSIGNMENTS) + 1))
    for assignment in ASSIGNMENTS:
        assert notebook_path("release", assignment).exists(), f"run `make assignments` for {assignment}"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_assignments_that_plot_carry_the_course_matplotlibrc(assignment):
    rc = (ROOT / "notebooks" / "matplotlibrc").read_bytes()
    plots = "matplotlib" in "\n".join(c.source for c in read("source", assignment).cells)
    for folder in ("source", "release"):
        copy = NBGRADER_ROOT / folder / assignment / "matplotlibrc"
        if plots:
            assert copy.exists(), f"copy notebooks/matplotlibrc into assignments/{folder}/{assignment}/"
        if copy.exists():
            assert copy.read_bytes() == rc, f"{copy} differs from notebooks/matplotlibrc"


def test_assignment_2_is_defended_without_the_labels():
    """Its data: the elbow says two clusters, the relative jump clearly three, and no labels anywhere."""
    import numpy as np

    import helpers

    setup = next(c.source for c in read("source", "a2_choosing_a_cutoff").cells
                 if nbgrader_meta(c).get("grade_id") == "setup")
    space = {}
    exec(setup.replace("plt.show()", ""), space)  # noqa: S102 (our own locked setup cell)
    Z = space["Z"]
    assert helpers.elbow(Z).k == 2
    d = Z[::-1, 2][:10]
    ratios = d[:-1] / d[1:]
    assert int(np.argmax(ratios)) + 2 == 3
    assert ratios[1] > 1.5 * ratios[0] > 1.5 * 1.5 * max(ratios[2:])  # no near tie
    shown = "\n".join(c.source for c in read("release", "a2_choosing_a_cutoff").cells)
    assert "adjusted_rand_score" not in shown and "labels_true" not in shown
    assert not re.search(r"\by\b\s*=", shown), "the student copy holds no true labels"


def test_what_nbgrader_writes_is_never_committed():
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    for name in RUNTIME:
        path = f"assignments/{name}" + ("" if "." in name else "/x/a1/a1.ipynb")
        result = subprocess.run(["git", "check-ignore", "-q", path], cwd=ROOT)
        assert result.returncode == 0, f"{path} is not ignored by .gitignore"


def test_the_instructor_extra_alone_carries_nbgrader():
    from test_environment import pyproject

    project = pyproject()["project"]
    extras = project["optional-dependencies"]
    assert any(r.startswith("nbgrader") for r in extras["instructor"])
    for name in ("course", "test"):
        assert not any(r.startswith("nbgrader") for r in extras[name]), name
    assert not any(r.startswith("nbgrader") for r in project["dependencies"])


def test_pytest_never_collects_the_assignment_notebooks():
    """nbval would run the student copies, which raise NotImplementedError by design."""
    from test_environment import pyproject

    options = pyproject()["tool"]["pytest"]["ini_options"]
    assert not any(path.split("/")[0] == "assignments" for path in options["testpaths"])
    assert "fixtures" in options["norecursedirs"], "the wrong-answer fixtures are not tests"


def test_the_instructors_guide_lists_every_assignment_as_it_is():
    """assignments/README.md's table: each assignment's questions, points and time, as in its notebook."""
    guide = (NBGRADER_ROOT / "README.md").read_text()
    for assignment in ASSIGNMENTS:
        nb = read("source", assignment)
        row = next((line for line in guide.splitlines() if line.startswith(f"| `{assignment}` ·")), None)
        assert row, f"the guide's table has no row for {assignment}"
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        title = nb.cells[0].source.splitlines()[0].split("·", 1)[1].strip()
        minutes = re.search(r"\*\*Time:\*\* about (\d+) minutes", nb.cells[0].source).group(1)
        # the questions: every answer cell, the written ones included
        assert cells[0] == f"`{assignment}` · {title}"
        assert cells[2:] == [str(len(answer_cells(nb))), f"{sum(graded_cells(nb).values()):g}",
                             f"about {minutes} minutes"], row
