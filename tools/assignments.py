"""Generate, check and grade the course's nbgrader assignments.

``assignments/`` is an nbgrader course root: authors edit only the notebooks
in ``assignments/source/<assignment>/``; the student copies in
``assignments/release/<assignment>/`` are generated from them by nbgrader
and committed, so that learners without nbgrader can open them.

    python -m tools.assignments generate   write assignments/release/ afresh
    python -m tools.assignments check      fail if assignments/release/ is stale
    python -m tools.assignments matrix     run every answer in tests/fixtures/assignments/
                                           and print what each earns (the grading matrix)

The first two run nbgrader in a temporary copy of the course root, so nothing nbgrader
writes (its gradebook.db, submitted/, autograded/, feedback/) lands in the
repository. nbgrader must be installed (``pip install -e ".[instructor]"``);
it runs ``alembic`` from PATH, so the interpreter's own ``bin`` folder goes
first on the PATH of every nbgrader command run from here.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import nbformat

from tools.course import COURSE

#: nbgrader's course root: ``source/`` (what authors edit) and ``release/`` (the student copies).
NBGRADER_ROOT = COURSE.assignments
CONFIG = "nbgrader_config.py"
#: Every assignment's answers, correct and wrong, that the grading checks autograde.
FIXTURES = COURSE.fixtures
#: nbgrader's markers around what only the instructors' copy holds.
MARKERS = ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS")
#: The folders and files nbgrader writes at run time; never committed.
RUNTIME = ("gradebook.db", "submitted", "autograded", "feedback", "grades.csv", "downloaded", ".nbgrader.log")


def nbgrader(course, *args, check=True):
    """Run ``nbgrader ARGS`` in the course root `course`, from this interpreter's environment."""
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    # Grade in this environment's "python3" kernel, even if the user has another.
    env["JUPYTER_PREFER_ENV_PATH"] = "1"
    return subprocess.run(
        [sys.executable, "-m", "nbgrader", *args],
        cwd=course, env=env, check=check, capture_output=True, text=True,
    )


def copy_course(dest):
    """Copy the course root (config and sources only) into `dest`; return `dest`."""
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy2(NBGRADER_ROOT / CONFIG, dest / CONFIG)
    shutil.copytree(
        NBGRADER_ROOT / "source", dest / "source",
        ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"),
    )
    return dest


def generate_into(course):
    """Generate every assignment's student copy in the course root `course`."""
    result = nbgrader(course, "generate_assignment", "*", "--force", "--create", check=False)
    if result.returncode != 0:
        raise RuntimeError(f"nbgrader generate_assignment failed:\n{result.stdout}\n{result.stderr}")
    return Path(course) / "release"


def secret_lines(sources, shown_anyway=()):
    """What must never reach a learner: every substantial line (12 characters
    or more) between nbgrader's markers in the ``sources`` (notebooks, or their
    paths), unless a line outside the markers, or one of ``shown_anyway``, holds it too."""
    secret, public = set(), {line.strip() for line in shown_anyway}
    for source in sources:
        nb = source if hasattr(source, "cells") else nbformat.read(str(source), as_version=4)
        for cell in nb.cells:
            inside = False
            for line in cell.source.splitlines():
                if re.search(r"### BEGIN (SOLUTION|HIDDEN TESTS)", line):
                    inside = True
                elif re.search(r"### END (SOLUTION|HIDDEN TESTS)", line):
                    inside = False
                elif len(line.strip()) >= 12:
                    (secret if inside else public).add(line.strip())
    return secret - public


def normalised(path):
    """What matters in a notebook: its metadata, and each cell's type, id, source and metadata."""
    nb = nbformat.read(str(path), as_version=4)
    cells = [
        (cell.cell_type, cell.get("id"), cell.source.strip(), _plain(cell.metadata))
        for cell in nb.cells
    ]
    return _plain(nb.metadata), cells


def _plain(node):
    """nbformat's NotebookNode as plain dicts and lists, so == compares content."""
    if isinstance(node, dict):
        return {key: _plain(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_plain(value) for value in node]
    return node


def differences(generated, committed):
    """How the committed release folder differs from a freshly generated one."""
    generated, committed = Path(generated), Path(committed)

    def files(top):
        if not top.is_dir():
            return set()
        return {p.relative_to(top) for p in top.rglob("*") if p.is_file() and ".ipynb_checkpoints" not in p.parts}

    new, old = files(generated), files(committed)
    problems = [f"missing from {committed.name}/: {p}" for p in sorted(new - old)]
    problems += [f"not generated by nbgrader, remove it: {p}" for p in sorted(old - new)]
    for rel in sorted(new & old):
        if rel.suffix == ".ipynb":
            same = normalised(generated / rel) == normalised(committed / rel)
        else:
            same = filecmp.cmp(generated / rel, committed / rel, shallow=False)
        if not same:
            problems.append(f"stale: {rel}")
    return problems


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["generate", "check", "matrix"])
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="nbgrader-") as tmp:
        if args.command == "matrix":
            os.environ.setdefault("MPLBACKEND", "Agg")
            print(matrix_table(grading_matrix()))
            return 0
        release = generate_into(copy_course(Path(tmp) / "course"))
        problems = differences(release, NBGRADER_ROOT / "release")
        if args.command == "check":
            for problem in problems:
                print(problem)
            if problems:
                print("Run `make assignments` to regenerate assignments/release/.")
            return 1 if problems else 0
        shutil.rmtree(NBGRADER_ROOT / "release", ignore_errors=True)
        shutil.copytree(release, NBGRADER_ROOT / "release")
        for rel in sorted(p.relative_to(release) for p in release.rglob("*") if p.is_file()):
            print(f"wrote assignments/release/{rel}")
        return 0


ANSWER_HEADER = re.compile(r"^# %% (?P<grade_id>\S+) (?P<kind>correct|wrong): (?P<note>.+?)\s*$")


@dataclass(frozen=True)
class Answer:
    """One answer to one question, from a fixture file."""

    grade_id: str  # the answer cell's nbgrader grade_id, e.g. "q1_answer"
    kind: str      # "correct" (must earn full marks) or "wrong" (must lose the hidden points)
    note: str      # how it answers, or which mistake it makes
    code: str


def read_answers(path):
    """The answers in a fixture file: ``{grade_id: {"correct": [Answer, ...], "wrong": [Answer, ...]}}``.

    The file is Python split into sections by lines
    ``# %% <grade_id> correct: <how>`` or ``# %% <grade_id> wrong: <mistake>``,
    one per answer, in the order of the file. Lines before the first section
    (the file's own comments) are ignored.
    """
    found, current = {}, None
    for number, line in enumerate(Path(path).read_text().splitlines(), start=1):
        if line.startswith("# %%"):
            header = ANSWER_HEADER.match(line)
            if not header:
                raise ValueError(f"{path}:{number}: expected '# %% <grade_id> correct: <how>' "
                                 f"or '# %% <grade_id> wrong: <mistake>', got {line!r}")
            current = [header["grade_id"], header["kind"], header["note"], []]
            found.setdefault(current[0], {"correct": [], "wrong": []})[current[1]].append(current)
        elif current is not None:
            current[3].append(line)
    return {
        grade_id: {kind: [Answer(g, k, note, "\n".join(lines).strip("\n")) for g, k, note, lines in answers]
                   for kind, answers in kinds.items()}
        for grade_id, kinds in found.items()
    }


def fill_answers(notebook, answers):
    """A copy of the student notebook `notebook` with `answers` (``{grade_id: code}``) in its answer cells."""
    nb = nbformat.read(str(notebook), as_version=4)
    unknown = set(answers)
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in answers:
            cell.source = answers[grade_id]
            unknown.discard(grade_id)
    if unknown:
        raise KeyError(f"{Path(notebook).name} has no answer cells {sorted(unknown)}")
    return nb


# --- grading the fixtures: every correct answer, every wrong one, and independence ---

def question(grade_id):
    """``"q2"`` for any of ``q2_answer``, ``q2_check``, ``q2_hidden``, ``q2_given``."""
    return grade_id.split("_")[0]


def _by_number(grade_ids):
    return sorted(grade_ids, key=lambda g: int(question(g)[1:]))


def submissions(answers):
    """The fixture students that nbgrader autogrades for one assignment.

    Returns ``{student: (chosen, expected)}``: ``chosen`` is ``{grade_id:
    code}``, and ``expected[question]`` is ``"full"`` (the check's point and
    the hidden ones) or ``"check only"`` (the check's point, none hidden).

    - ``mixed-a``: odd questions wrong, even ones their first correct answer;
    - ``mixed-b``: even questions wrong, odd ones their first correct answer.
      Every wrong answer must lose its hidden points while the correct
      answers beside it keep full marks: no question depends on another's
      answer.
    - ``correct-2``: every question its second correct answer, so that
      nbgrader itself gives full marks to two different answers per question
      (the source notebook's solution is a third).

    :func:`run_answer` checks every answer, however many, without nbgrader.
    """
    ids = _by_number(answers)
    students = {"correct-2": ({g: answers[g]["correct"][1].code for g in ids},
                              {question(g): "full" for g in ids})}
    for name, wrong_parity in (("mixed-a", 1), ("mixed-b", 0)):
        chosen, expected = {}, {}
        for g in ids:
            if int(question(g)[1:]) % 2 == wrong_parity:
                chosen[g], expected[question(g)] = answers[g]["wrong"][0].code, "check only"
            else:
                chosen[g], expected[question(g)] = answers[g]["correct"][0].code, "full"
        students[name] = (chosen, expected)
    return students


def autograde(course, assignments, handed_in):
    """Autograde the submissions ``handed_in[assignment][student]`` in the course root `course`.

    Each submission is a notebook (an nbformat node) or the path of one; it
    is handed in with the other files of the release folder
    (``matplotlibrc``). Returns ``scores[assignment][student][grade_id] =
    (score, max_score)``, read from nbgrader's gradebook (never from the exit
    code of ``nbgrader validate``, which is 0 even when tests fail).
    """
    from nbgrader.api import Gradebook

    course = Path(course)
    for assignment in assignments:
        for student, notebook in handed_in[assignment].items():
            folder = course / "submitted" / student / assignment
            shutil.copytree(course / "release" / assignment, folder)
            target = folder / f"{assignment}.ipynb"
            if isinstance(notebook, (str, Path)):
                shutil.copy(notebook, target)
            else:
                nbformat.write(notebook, str(target))
    result = nbgrader(course, "autograde", "*", "--force", "--create", check=False)
    if result.returncode != 0:
        raise RuntimeError(f"nbgrader autograde failed:\n{result.stdout}\n{result.stderr}")
    scores = {}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        for assignment in assignments:
            for student in handed_in[assignment]:
                notebook = gradebook.find_submission_notebook(assignment, assignment, student)
                scores.setdefault(assignment, {})[student] = {
                    grade.name: (grade.score, grade.max_score) for grade in notebook.grades
                }
    return scores


def grade_fixtures(course, fixtures=FIXTURES, assignments=None):
    """Generate, then autograde with nbgrader, in the new course root `course` (a copy of this one).

    Per assignment: the source notebook (``solution``), the blank student
    copy (``blank``) and the students of :func:`submissions`, built from
    ``<fixtures>/<assignment>.py``. Returns ``(scores, plans)``: the scores
    as :func:`autograde` gives them, and ``plans[assignment][student] =
    (chosen, expected)``.
    """
    course = copy_course(course)
    generate_into(course)
    assignments = assignments or COURSE.assignment_ids()
    handed_in, plans = {}, {}
    for assignment in assignments:
        release = course / "release" / assignment / f"{assignment}.ipynb"
        handed_in[assignment] = {"solution": NBGRADER_ROOT / "source" / assignment / f"{assignment}.ipynb",
                                 "blank": release}
        plans[assignment] = submissions(read_answers(Path(fixtures) / f"{assignment}.py"))
        for student, (chosen, _) in plans[assignment].items():
            handed_in[assignment][student] = fill_answers(release, chosen)
    return autograde(course, assignments, handed_in), plans


def _cells(notebook):
    nb = nbformat.read(str(notebook), as_version=4)
    return {cell.metadata.get("nbgrader", {}).get("grade_id"): cell for cell in nb.cells
            if cell.cell_type == "code"}


def run_answer(source, grade_id, code):
    """What one answer earns, without nbgrader: ``{grade_id: (score, max_score)}`` of its question.

    Runs, in a fresh namespace of this Python, what nbgrader's autograde runs
    for the question: the locked ``setup`` cell, the question's locked
    ``q<N>_given`` cell (if any), the answer `code`, then the check and the
    hidden tests of the source notebook `source`. A graded cell earns its
    points when it raises nothing, as under nbgrader. Questions give each
    their own inputs, so one question can be run alone; the nbgrader run of
    :func:`grade_fixtures` checks that this gives the same scores.
    """
    import contextlib
    import io
    import warnings

    cells = _cells(source)
    q = question(grade_id)
    namespace = {"__name__": "__main__"}
    with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name in ("setup", f"{q}_given"):
            if name in cells:
                exec(compile(cells[name].source, name, "exec"), namespace)  # noqa: S102 (our locked cells)
        with contextlib.suppress(Exception):
            exec(compile(code, grade_id, "exec"), namespace)  # noqa: S102 (a fixture answer)
        earned = {}
        for kind in ("check", "hidden"):
            cell = cells[f"{q}_{kind}"]
            points = cell.metadata["nbgrader"]["points"]
            try:
                exec(compile(cell.source, f"{q}_{kind}", "exec"), namespace)  # noqa: S102 (our own tests)
                earned[f"{q}_{kind}"] = (float(points), float(points))
            except Exception:  # noqa: BLE001 (any error fails the test cell, as under nbgrader)
                earned[f"{q}_{kind}"] = (0.0, float(points))
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")
    return earned


def grading_matrix(assignments=None, fixtures=FIXTURES):
    """Every answer of every fixture file and what it earns: a list of dicts, one per answer."""
    rows = []
    for assignment in assignments or COURSE.assignment_ids():
        source = NBGRADER_ROOT / "source" / assignment / f"{assignment}.ipynb"
        answers = read_answers(Path(fixtures) / f"{assignment}.py")
        for grade_id in _by_number(answers):
            for kind in ("correct", "wrong"):
                for answer in answers[grade_id][kind]:
                    earned = run_answer(source, grade_id, answer.code)
                    q = question(grade_id)
                    rows.append({"assignment": assignment, "question": q, "kind": kind, "note": answer.note,
                                 "check": earned[f"{q}_check"], "hidden": earned[f"{q}_hidden"]})
    return rows


def matrix_table(rows):
    """The grading matrix as a Markdown table."""
    lines = ["| assignment | question | answer | check | hidden |", "|---|---|---|---|---|"]
    for row in rows:
        (c, cm), (h, hm) = row["check"], row["hidden"]
        lines.append(f"| {row['assignment']} | {row['question']} | {row['kind']}: {row['note']} "
                     f"| {c:g}/{cm:g} | {h:g}/{hm:g} |")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
