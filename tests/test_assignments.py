"""The nbgrader assignments in assignments/: they grade right, and nothing leaks.

The grading checks run nbgrader itself (installed by the `instructor` extra,
which `make test` installs) in a temporary copy of the course root, so that
its gradebook and folders never land in the repository. They autograde three
submissions per assignment, the source notebook (full marks), the blank
student copy (zero) and the student copy filled with the plausible wrong
answers of tests/fixtures/assignments/<assignment>.py (every hidden test
lost), and read the scores from nbgrader's gradebook: never from the exit
code of `nbgrader validate`, which is 0 even when tests fail.

Select them with ``pytest -m grading``.
"""

import ast
import csv
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from tools.assignments import (
    COURSE,
    RUNTIME,
    assignment_ids,
    copy_course,
    differences,
    fill_answers,
    generate_into,
    nbgrader,
    read_answers,
)

pytestmark = pytest.mark.grading

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "assignments"
ASSIGNMENTS = assignment_ids()
STUDENTS = ("solution", "blank", "wrong")
MARKERS = ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS")
#: What a student copy may import: the course's own runtime dependencies.
ALLOWED_IMPORTS = {"numpy", "scipy", "matplotlib", "sklearn", "helpers"}


def notebook_path(folder, assignment):
    return COURSE / folder / assignment / f"{assignment}.ipynb"


def read(folder, assignment):
    return nbformat.read(str(notebook_path(folder, assignment)), as_version=4)


def nbgrader_meta(cell):
    return cell.metadata.get("nbgrader", {})


def graded_cells(nb):
    """{grade_id: points} of the autograded test cells."""
    return {nbgrader_meta(c)["grade_id"]: nbgrader_meta(c)["points"] for c in nb.cells if nbgrader_meta(c).get("grade")}


def answer_cells(nb):
    return [c for c in nb.cells if nbgrader_meta(c).get("solution")]


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

    Returns the generated release folder and the scores read from the
    gradebook: ``scores[assignment][student][grade_id] = (score, max_score)``.
    """
    require_nbgrader()
    from nbgrader.api import Gradebook

    course = copy_course(tmp_path_factory.mktemp("nbgrader") / "course")
    release = generate_into(course)
    for assignment in ASSIGNMENTS:
        name = f"{assignment}.ipynb"
        for student in STUDENTS:
            # What a student hands in: the committed student copy and its files.
            shutil.copytree(COURSE / "release" / assignment, course / "submitted" / student / assignment)
        shutil.copy(notebook_path("source", assignment), course / "submitted" / "solution" / assignment / name)
        wrong = fill_answers(notebook_path("release", assignment), read_answers(FIXTURES / f"{assignment}.py"))
        nbformat.write(wrong, str(course / "submitted" / "wrong" / assignment / name))
    result = nbgrader(course, "autograde", "*", "--force", "--create", check=False)
    assert result.returncode == 0, result.stdout + result.stderr

    scores = {}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        for assignment in ASSIGNMENTS:
            for student in STUDENTS:
                submission = gradebook.find_submission_notebook(assignment, assignment, student)
                scores.setdefault(assignment, {})[student] = {
                    grade.name: (grade.score, grade.max_score) for grade in submission.grades
                }
    exported = nbgrader(course, "export", "--to", "grades.csv", check=False)
    assert exported.returncode == 0, exported.stdout + exported.stderr
    with open(course / "grades.csv", newline="") as file:
        grades_csv = list(csv.DictReader(file))
    return {"release": release, "scores": scores, "grades_csv": grades_csv}


# --- what nbgrader measures -------------------------------------------------

@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_source_notebook_autogrades_to_full_marks(graded, assignment):
    grades = graded["scores"][assignment]["solution"]
    assert grades == {name: (points, points) for name, points in graded_cells(read("source", assignment)).items()}


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_blank_student_copy_scores_zero(graded, assignment):
    grades = graded["scores"][assignment]["blank"]
    assert set(grades) == set(graded_cells(read("source", assignment)))
    assert all(score == 0 for score, _ in grades.values()), grades


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_each_wrong_answer_passes_its_check_and_loses_the_hidden_points(graded, assignment):
    grades = graded["scores"][assignment]["wrong"]
    for name, (score, max_score) in grades.items():
        if name.endswith("_hidden"):
            assert score == 0, f"{assignment}: the wrong answer still earns the hidden points of {name}"
        else:
            assert score == max_score, f"{assignment}: the wrong answer should pass the visible {name}"


def test_exported_grades_are_the_gradebook_totals(graded):
    exported = {(row["assignment"], row["student_id"]): (float(row["score"]), float(row["max_score"]))
                for row in graded["grades_csv"]}
    expected = {
        (assignment, student): (sum(s for s, _ in grades.values()), sum(m for _, m in grades.values()))
        for assignment, by_student in graded["scores"].items() for student, grades in by_student.items()
    }
    assert exported == expected


def test_committed_student_copies_are_what_nbgrader_generates(graded):
    problems = differences(graded["release"], COURSE / "release")
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
    answers = [nbgrader_meta(c)["grade_id"] for c in answer_cells(nb)]
    questions = [re.fullmatch(r"(q\d+)_answer", a).group(1) for a in answers]
    assert len(questions) >= 3
    assert sorted(points) == sorted(f"{q}_{kind}" for q in questions for kind in ("check", "hidden"))
    assert all(p > 0 for p in points.values())
    for cell in nb.cells:
        meta = nbgrader_meta(cell)
        if meta.get("grade_id", "").endswith("_hidden"):
            assert "### BEGIN HIDDEN TESTS" in cell.source and "### END HIDDEN TESTS" in cell.source
        if meta.get("solution"):
            assert "### BEGIN SOLUTION" in cell.source and "### END SOLUTION" in cell.source
    title = nb.cells[0].source.splitlines()[0]
    number = int(re.match(r"a(\d+)_", assignment).group(1))
    assert re.fullmatch(rf"# Assignment {number} · \S.*", title), title


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_answer_cell_has_a_plausible_wrong_answer(assignment):
    answers = {nbgrader_meta(c)["grade_id"] for c in answer_cells(read("source", assignment))}
    assert set(read_answers(FIXTURES / f"{assignment}.py")) == answers


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_student_copy_holds_no_solution_no_marker_and_no_hidden_test(assignment):
    source, student = read("source", assignment), read("release", assignment)
    shown = "\n".join(cell.source for cell in student.cells)
    for marker in MARKERS:
        assert marker not in shown
    # Every substantial line inside a solution or hidden-test region of the
    # source, unless the same line also appears outside such regions.
    secret, public = set(), set()
    for cell in source.cells:
        inside = False
        for line in cell.source.splitlines():
            if re.search(r"### BEGIN (SOLUTION|HIDDEN TESTS)", line):
                inside = True
            elif re.search(r"### END (SOLUTION|HIDDEN TESTS)", line):
                inside = False
            elif len(line.strip()) >= 12:
                (secret if inside else public).add(line.strip())
    secret -= public
    assert secret, "the source should hold solutions and hidden tests"
    leaked = [line for line in secret if line in shown]
    assert not leaked, leaked
    for cell in answer_cells(student):
        assert cell.source == "# YOUR CODE HERE\nraise NotImplementedError()"


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


def test_the_assignments_follow_the_chapters():
    assert len(ASSIGNMENTS) >= 3
    assert [int(re.match(r"a(\d+)_", a).group(1)) for a in ASSIGNMENTS] == list(range(1, len(ASSIGNMENTS) + 1))
    for assignment in ASSIGNMENTS:
        assert notebook_path("release", assignment).exists(), f"run `make assignments` for {assignment}"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_assignments_that_plot_carry_the_course_matplotlibrc(assignment):
    rc = (ROOT / "notebooks" / "matplotlibrc").read_bytes()
    plots = "matplotlib" in "\n".join(c.source for c in read("source", assignment).cells)
    for folder in ("source", "release"):
        copy = COURSE / folder / assignment / "matplotlibrc"
        if plots:
            assert copy.exists(), f"copy notebooks/matplotlibrc into assignments/{folder}/{assignment}/"
        if copy.exists():
            assert copy.read_bytes() == rc, f"{copy} differs from notebooks/matplotlibrc"


def test_the_elbow_is_wrong_on_assignment_2():
    """Assignment 2's data: three groups, and the elbow says two."""
    import numpy as np
    from scipy.cluster.hierarchy import fcluster, linkage
    from sklearn.metrics import adjusted_rand_score

    import helpers

    setup = next(c.source for c in read("source", "a2_choosing_a_cutoff").cells if nbgrader_meta(c).get("grade_id") == "setup")
    space = {}
    exec(setup, space)  # noqa: S102 (our own locked setup cell)
    X, y = space["X"], space["y"]
    Z = linkage(X, "ward")
    assert len(np.unique(y)) == 3
    assert helpers.elbow(Z).k == 2
    assert adjusted_rand_score(y, fcluster(Z, 3, criterion="maxclust")) == 1.0
    assert adjusted_rand_score(y, fcluster(Z, 2, criterion="maxclust")) < 0.5


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
