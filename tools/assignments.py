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
#: The course's late-submission penalty, an nbgrader plugin that the config loads from beside it.
PLUGIN = "late_policy.py"
#: Every assignment's answers, correct and wrong, that the grading checks autograde.
FIXTURES = COURSE.fixtures
#: nbgrader's markers around what only the instructors' copy holds.
MARKERS = ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS")
#: The folders and files nbgrader writes at run time; never committed.
RUNTIME = ("gradebook.db", "submitted", "autograded", "feedback", "solution", "grades.csv", "downloaded",
           ".nbgrader.log")


def assignment_ids(root=None):
    """The assignments' names in their numbers' order, ``a2_...`` before ``a10_...``:
    :meth:`tools.course.Course.assignment_ids` of this course, or of the course at `root`."""
    from tools.course import Course

    return (Course(root) if root else COURSE).assignment_ids()


def _nbgrader_env():
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    # Grade in this environment's "python3" kernel, even if the user has another.
    env["JUPYTER_PREFER_ENV_PATH"] = "1"
    return env


def nbgrader(course, *args, check=True):
    """Run ``nbgrader ARGS`` in the course root `course`, from this interpreter's environment."""
    return subprocess.run(
        [sys.executable, "-m", "nbgrader", *args],
        cwd=course, env=_nbgrader_env(), check=check, capture_output=True, text=True,
    )


#: How long an nbgrader command waits for the gradebook when another one is writing to it (SQLite's
#: busy timeout, in seconds): a wait for the lock, never a limit on the command.
GRADEBOOK_BUSY_S = 600


def gradebook_url(course):
    """The gradebook of the course root `course`, as nbgrader's ``CourseDirectory.db_url``: its default
    file, with a busy timeout, so that commands run side by side (:func:`nbgrader_all`) wait for each
    other's writes instead of failing with "database is locked"."""
    return f"sqlite:///{Path(course) / 'gradebook.db'}?timeout={GRADEBOOK_BUSY_S}"


def cores():
    """How many processors this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def nbgrader_all(course, commands, jobs=None):
    """Run several nbgrader commands in the course root `course`, `jobs` at a time (default: one per
    processor), each as :func:`nbgrader` does, sharing the gradebook (:func:`gradebook_url`).

    Returns the completed processes, in the order of `commands`; raises
    RuntimeError, with the output of every command that failed, once all
    have ended.
    """
    from concurrent.futures import ThreadPoolExecutor

    url = f"--CourseDirectory.db_url={gradebook_url(course)}"

    def run(args):
        return subprocess.run([sys.executable, "-m", "nbgrader", *args, url], cwd=course, env=_nbgrader_env(),
                              capture_output=True, text=True)

    with ThreadPoolExecutor(max_workers=max(1, min(jobs or cores(), len(commands)))) as pool:
        results = list(pool.map(run, commands))
    failed = [f"nbgrader {' '.join(args)} failed ({r.returncode}):\n{r.stdout}\n{r.stderr}"
              for args, r in zip(commands, results, strict=True) if r.returncode != 0]
    if failed:
        raise RuntimeError("\n".join(failed))
    return results


def copy_course(dest):
    """Copy the course root (config and sources only) into `dest`; return `dest`."""
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy2(NBGRADER_ROOT / CONFIG, dest / CONFIG)
    shutil.copy2(NBGRADER_ROOT / PLUGIN, dest / PLUGIN)
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
        # Released solutions (release/<assignment>-solution/, the guide's step 7): the instructor's, not generated.
        return {p.relative_to(top) for p in top.rglob("*") if p.is_file() and ".ipynb_checkpoints" not in p.parts
                and not p.relative_to(top).parts[0].endswith("-solution")}

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
            rows = grading_matrix()
            print(matrix_table(rows))
            return 0 if all(row["as expected"] for row in rows) else 1
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


ANSWER_HEADER = re.compile(r"^# %% (?P<grade_id>\S+) (?P<kind>correct|wrong|wrong-form): (?P<note>.+?)\s*$")
#: What each kind of fixture answer must earn: (the check's points, the hidden points), "all" or "none".
EXPECTED = {"correct": ("all", "all"), "wrong": ("all", "none"), "wrong-form": ("none", "none")}


@dataclass(frozen=True)
class Answer:
    """One answer to one question, from a fixture file."""

    grade_id: str  # the answer cell's nbgrader grade_id, e.g. "q1_answer"
    kind: str      # "correct" (full marks), "wrong" (the check's point only) or "wrong-form" (nothing)
    note: str      # how it answers, or which mistake it makes
    code: str


def read_answers(path):
    """The answers in a fixture file: ``{grade_id: {"correct": [...], "wrong": [...], "wrong-form": [...]}}``.

    The file is Python split into sections by lines
    ``# %% <grade_id> correct: <how>`` (an answer that must earn full marks),
    ``# %% <grade_id> wrong: <mistake>`` (one of the right form, that must
    pass the check and lose the hidden points) or
    ``# %% <grade_id> wrong-form: <mistake>`` (one that the check refuses
    too), one per answer, in the order of the file. Lines before the first
    section (the file's own comments) are ignored.
    """
    found, current = {}, None
    for number, line in enumerate(Path(path).read_text().splitlines(), start=1):
        if line.startswith("# %%"):
            header = ANSWER_HEADER.match(line)
            if not header:
                raise ValueError(f"{path}:{number}: expected '# %% <grade_id> correct: <how>', "
                                 f"'# %% <grade_id> wrong: <mistake>' or '# %% <grade_id> wrong-form: <mistake>', "
                                 f"got {line!r}")
            current = [header["grade_id"], header["kind"], header["note"], []]
            found.setdefault(current[0], {kind: [] for kind in EXPECTED})[current[1]].append(current)
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

    :func:`grade_fixtures` adds the student of :func:`shadowing_student`,
    who gives every question's second correct answer (so that nbgrader
    itself gives full marks to two different answers per question, the
    source notebook's solution being a third). :func:`run_answer` checks
    every answer, however many, without nbgrader.
    """
    ids = _by_number(answers)
    students = {}
    for name, wrong_parity in (("mixed-a", 1), ("mixed-b", 0)):
        chosen, expected = {}, {}
        for g in ids:
            if int(question(g)[1:]) % 2 == wrong_parity:
                chosen[g], expected[question(g)] = answers[g]["wrong"][0].code, "check only"
            else:
                chosen[g], expected[question(g)] = answers[g]["correct"][0].code, "full"
        students[name] = (chosen, expected)
    return students


def autograde(course, assignments, handed_in, due_dates=None, timestamps=None, jobs=None):
    """Autograde the submissions ``handed_in[assignment][student]`` in the course root `course`.

    Each submission is a notebook (an nbformat node) or the path of one; it
    is handed in with the other files of the release folder
    (``matplotlibrc``). ``due_dates[assignment]`` sets a due date (as
    ``nbgrader db assignment add --duedate`` does) and
    ``timestamps[(assignment, student)]`` when a submission was handed in
    (nbgrader's ``timestamp.txt``), so that the late penalty applies.
    The assignments are autograded side by side, `jobs` at a time (one
    ``nbgrader autograde`` per assignment, one per processor by default:
    :func:`nbgrader_all`), into the one gradebook; the students are in it
    first, so that no two commands create the same one.
    Returns ``(scores, penalties)``: ``scores[assignment][student][grade_id]
    = (score, max_score)``, a manually graded cell's score being ``None``
    until it is graded, and ``penalties[assignment][student]``, the late
    penalty in points, all read from nbgrader's gradebook (never from the
    exit code of ``nbgrader validate``, which is 0 even when tests fail).
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
            if (assignment, student) in (timestamps or {}):
                (folder / "timestamp.txt").write_text(timestamps[assignment, student])
    with Gradebook(gradebook_url(course), course_id(course)) as gradebook:
        for assignment, due in (due_dates or {}).items():
            gradebook.update_or_create_assignment(assignment, duedate=due)
        for student in sorted({s for a in assignments for s in handed_in[a]}):
            gradebook.update_or_create_student(student)
    nbgrader_all(course, [["autograde", assignment, "--force"] for assignment in assignments], jobs)
    scores, penalties = {}, {}
    with Gradebook(gradebook_url(course), course_id(course)) as gradebook:
        for assignment in assignments:
            for student in handed_in[assignment]:
                notebook = gradebook.find_submission_notebook(assignment, assignment, student)
                scores.setdefault(assignment, {})[student] = {
                    grade.name: (grade.score if not grade.needs_manual_grade else None, grade.max_score)
                    for grade in notebook.grades
                }
                penalties.setdefault(assignment, {})[student] = notebook.late_submission_penalty or 0.0
    return scores, penalties


def course_id(course):
    """The course's name in nbgrader's gradebook (``CourseDirectory.course_id`` of `course`'s config)."""
    text = (Path(course) / CONFIG).read_text()
    return re.search(r"^c\.CourseDirectory\.course_id = \"([^\"]+)\"", text, re.M).group(1)


#: The fixture student who hands in late, and how late: two days and a minute after the due date,
#: three started days, so the course's late policy (late_policy.py) takes 30 % of the score.
LATE = ("late", "2026-10-05 17:00:00 UTC", "2026-10-07 17:01:00 UTC")


def grade_fixtures(course, fixtures=FIXTURES, assignments=None):
    """Generate, then autograde with nbgrader, in the new course root `course` (a copy of this one).

    Per assignment: the source notebook (``solution``), the blank student
    copy (``blank``), the students of :func:`submissions`, built from
    ``<fixtures>/<assignment>.py``, and the student of
    :func:`shadowing_student` (``shadowing``: every question's second correct
    answer). In the first assignment, one more student (:data:`LATE`) hands
    in the same answers late.
    Returns ``(scores, penalties, plans)``: the scores and late penalties as
    :func:`autograde` gives them, and ``plans[assignment][student] =
    (chosen, expected)``.
    """
    course = copy_course(course)
    generate_into(course)
    assignments = assignments or assignment_ids()
    handed_in, plans = {}, {}
    for assignment in assignments:
        source = NBGRADER_ROOT / "source" / assignment / f"{assignment}.ipynb"
        release = course / "release" / assignment / f"{assignment}.ipynb"
        handed_in[assignment] = {"solution": source, "blank": release}
        answers = read_answers(Path(fixtures) / f"{assignment}.py")
        plans[assignment] = submissions(answers)
        shadowing = shadowing_student(source, answers)
        plans[assignment]["shadowing"] = (shadowing, {question(g): "full" for g in shadowing})
        for student, (chosen, _) in plans[assignment].items():
            handed_in[assignment][student] = fill_answers(release, chosen)
    late_student, due, handed = LATE
    first = assignments[0]
    handed_in[first][late_student] = handed_in[first]["shadowing"]
    plans[first][late_student] = plans[first]["shadowing"]
    scores, penalties = autograde(course, assignments, handed_in, due_dates={first: due},
                                  timestamps={(first, late_student): handed})
    return scores, penalties, plans


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


# --- names a learner cannot shadow, and feedback that says what was checked ---

#: Python's own names that the locked cells (and the setup's private functions) may
#: read. The "How to work" cell of every assignment asks learners not to reuse them.
GRADER_BUILTINS = frozenset({
    "abs", "bool", "dict", "enumerate", "float", "frozenset", "int", "isinstance", "len", "list", "print",
    "round", "set", "sorted", "str", "tuple", "zip", "AssertionError", "Exception", "ValueError", "TypeError",
})
#: Built-ins that a learner may well reuse as a variable's name (``max = Z[:, 2].max()``,
#: ``range = high - low``): no locked cell may read them, and the shadowing checks rebind them.
LEARNERS_BUILTINS = ("max", "min", "sum", "range", "all", "any", "next", "map", "filter", "type", "id",
                     "input", "iter", "format", "hash", "vars", "pow", "reversed", "slice", "object")
#: The kinds of locked cell that read only the grader's names.
LOCKED_KINDS = ("given", "check", "hidden")


def cell_names(source):
    """``(stored, free)``: the names a piece of code stores, and those it reads without storing them."""
    import ast

    stored, loaded = set(), set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Name):
            (stored if isinstance(node.ctx, (ast.Store, ast.Del)) else loaded).add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            stored.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            stored |= {(alias.asname or alias.name).split(".")[0] for alias in node.names}
        elif isinstance(node, ast.arg):
            stored.add(node.arg)
    return stored, loaded - stored


def _questions(cells):
    """``["q1", "q2", ...]``: the questions with an autograded answer cell, in order."""
    return [question(g) for g in _by_number({g for g in cells if g and g.endswith("_answer")})]


def _private_of_setup(cells):
    return {name for name in cell_names(cells["setup"].source)[0] if name.startswith("_")}


def _asked(cells, q):
    """The names a question's check and hidden tests read from the answer."""
    answer_names = cell_names(cells[f"{q}_answer"].source)[0]
    return {name for kind in ("check", "hidden") for name in cell_names(cells[f"{q}_{kind}"].source)[1]
            if name in answer_names}


def locked_cell_problems(source):
    """Where a locked cell reads a name that a learner could rebind.

    The ``q<N>_given``, ``q<N>_check`` and ``q<N>_hidden`` cells (and the
    setup's private functions, which they call) may read only names they
    store themselves, the setup's private names (an underscore first), the
    built-ins of :data:`GRADER_BUILTINS` and, for the check and the hidden
    tests, the names the question's answer stores. Anything else (``np``,
    ``linkage``, ``X``, ``max``...) is a name that an answer may have
    rebound, so that one answer would change another question's marks.
    """
    import ast

    cells = _cells(source)
    private = _private_of_setup(cells)
    problems = []
    for node in ast.parse(cells["setup"].source).body:
        if isinstance(node, ast.FunctionDef) and node.name.startswith("_"):
            _, free = cell_names(ast.unparse(node))
            bad = free - private - GRADER_BUILTINS - {node.name}
            if bad:
                problems.append(f"setup: {node.name} reads {sorted(bad)}")
    for q in _questions(cells):
        answer_names = cell_names(cells[f"{q}_answer"].source)[0]
        for kind in LOCKED_KINDS:
            _, free = cell_names(cells[f"{q}_{kind}"].source)
            allowed = private | GRADER_BUILTINS | (answer_names if kind != "given" else set())
            bad = free - allowed
            if bad:
                problems.append(f"{q}_{kind} reads {sorted(bad)}, which an answer may rebind")
    return problems


def hidden_message_problems(source):
    """Hidden-test assertions that would not say, in the feedback, what they checked.

    Every ``assert`` of a hidden-test cell must carry a message; the message
    is a plain string, or an f-string that formats only loop variables of
    the cell (a method's name, say), so that it can never print the expected
    value. Every ``assert`` of a check cell must carry a message too.
    """
    import ast

    cells, problems = _cells(source), []
    for q in _questions(cells):
        for kind in ("check", "hidden"):
            tree = ast.parse(cells[f"{q}_{kind}"].source)
            loop_names = {t.id for node in ast.walk(tree) if isinstance(node, ast.For)
                          for t in ast.walk(node.target) if isinstance(t, ast.Name)}
            for node in ast.walk(tree):
                if not isinstance(node, ast.Assert):
                    continue
                where = f"{q}_{kind}, line {node.lineno}"
                if node.msg is None:
                    problems.append(f"{where}: an assert without a message")
                elif kind == "hidden":
                    msg = node.msg
                    if isinstance(msg, ast.Constant) and isinstance(msg.value, str):
                        continue
                    if isinstance(msg, ast.JoinedStr) and all(
                            isinstance(part, ast.Constant) or (isinstance(part, ast.FormattedValue)
                                                               and isinstance(part.value, ast.Name)
                                                               and part.value.id in loop_names)
                            for part in msg.values):
                        continue
                    problems.append(f"{where}: the message may show a value; use a plain string")
    return problems


def _snapshot(namespace, names):
    import copy

    return {name: copy.deepcopy(namespace[name]) for name in names if name in namespace}


def _same(a, b):
    import numpy as np

    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        if not (isinstance(a, np.ndarray) and isinstance(b, np.ndarray)):
            return False
        return np.array_equal(a, b, equal_nan=a.dtype.kind in "fc" and b.dtype.kind in "fc")
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    try:
        return bool(a == b)
    except Exception:  # noqa: BLE001 (objects that cannot be compared: compare their reprs)
        return repr(a) == repr(b)


class _Quiet:
    """Run code quietly: no printing, no warnings, no figures left open."""

    def __enter__(self):
        import contextlib
        import io
        import warnings

        self._stack = contextlib.ExitStack()
        self._stack.enter_context(contextlib.redirect_stdout(io.StringIO()))
        self._stack.enter_context(warnings.catch_warnings())
        warnings.simplefilter("ignore")
        return self

    def __exit__(self, *exc):
        self._stack.close()
        if "matplotlib.pyplot" in sys.modules:
            sys.modules["matplotlib.pyplot"].close("all")
        return False


def _exec(source, namespace, name):
    exec(compile(source, name, "exec"), namespace)  # noqa: S102 (our notebooks' cells and fixture answers)


def public_names(source):
    """The names a learner may rebind: what the setup and the given cells store
    without an underscore, and the built-ins of :data:`LEARNERS_BUILTINS`."""
    cells = _cells(source)
    names = set(cell_names(cells["setup"].source)[0])
    for q in _questions(cells):
        names |= cell_names(cells[f"{q}_given"].source)[0]
    return {name for name in names if not name.startswith("_")} | set(LEARNERS_BUILTINS)


def shadowing_problems(source, answers):
    """Run each question after every public name was rebound (:func:`public_names`).

    For each question: its given cell must make the same inputs as in a
    clean run, and its check and hidden tests must still give full marks to
    its first correct answer when everything but the answer's names has been
    rebound after it. Returns what went wrong, question by question.
    """
    cells = _cells(source)
    rebind = public_names(source)
    problems = []
    for q in _questions(cells):
        given = cells[f"{q}_given"].source
        inputs = cell_names(given)[0]
        asked = _asked(cells, q)
        with _Quiet():
            clean = {"__name__": "__main__"}
            _exec(cells["setup"].source, clean, "setup")
            _exec(given, clean, f"{q}_given")
            expected_inputs = _snapshot(clean, inputs)
            _exec(answers[f"{q}_answer"]["correct"][0].code, clean, f"{q}_answer")
            answer_values = _snapshot(clean, asked)

            vandal = {"__name__": "__main__"}
            _exec(cells["setup"].source, vandal, "setup")
            vandal.update(dict.fromkeys(rebind))
            try:
                _exec(given, vandal, f"{q}_given")
            except Exception as error:  # noqa: BLE001
                problems.append(f"{q}_given fails once public names are rebound: {error!r}")
                continue
            changed = [name for name in expected_inputs if not _same(vandal.get(name), expected_inputs[name])]
            if changed:
                problems.append(f"{q}_given makes other inputs once public names are rebound: {changed}")
            vandal.update(dict.fromkeys(rebind - asked))
            vandal.update(answer_values)
            for kind in ("check", "hidden"):
                try:
                    _exec(cells[f"{q}_{kind}"].source, vandal, f"{q}_{kind}")
                except Exception as error:  # noqa: BLE001
                    problems.append(f"{q}_{kind} fails a correct answer once public names are rebound: {error!r}")
    return problems


def shadowing_student(source, answers, which=1):
    """A student who rebinds every public name at the end of every answer.

    Each answer starts by importing what the setup imports (as a careful
    learner would after reusing a name), gives the question's correct answer
    number `which` (from 0: the second, by default), then rebinds every name
    of :func:`public_names` except those the question asks for. Returns
    ``{grade_id: code}``; every question must still earn full marks.
    """
    import ast

    cells = _cells(source)
    prelude = [ast.unparse(node) for node in ast.parse(cells["setup"].source).body
               if isinstance(node, (ast.Import, ast.ImportFrom))]
    prelude.append(f"from builtins import {', '.join(LEARNERS_BUILTINS)}")
    rebind = public_names(source)
    chosen = {}
    for q in _questions(cells):
        names = sorted(rebind - _asked(cells, q))
        correct = answers[f"{q}_answer"]["correct"]
        chosen[f"{q}_answer"] = "\n".join([*prelude, correct[min(which, len(correct) - 1)].code,
                                           "# then every other name is rebound", " = ".join([*names, "None"])])
    return chosen


def run_student(source, chosen):
    """What a whole notebook earns, without nbgrader: ``{grade_id: (score, max_score)}`` of every test cell.

    Runs the setup, then every question in order (its given cell, the answer
    ``chosen[grade_id]``, its check and hidden tests) in one namespace, as
    nbgrader's autograde does.
    """
    cells = _cells(source)
    namespace, earned = {"__name__": "__main__"}, {}
    with _Quiet():
        _exec(cells["setup"].source, namespace, "setup")
        for q in _questions(cells):
            for kind in ("given", "answer", "check", "hidden"):
                code = chosen[f"{q}_answer"] if kind == "answer" else cells[f"{q}_{kind}"].source
                try:
                    _exec(code, namespace, f"{q}_{kind}")
                    ok = True
                except Exception:  # noqa: BLE001 (any error fails the cell, as under nbgrader)
                    ok = False
                if kind in ("check", "hidden"):
                    points = float(cells[f"{q}_{kind}"].metadata["nbgrader"]["points"])
                    earned[f"{q}_{kind}"] = (points if ok else 0.0, points)
    return earned


def as_expected(kind, check, hidden):
    """Whether an answer of this fixture kind earned what it must (see :data:`EXPECTED`)."""
    def meets(rule, earned):
        return earned[0] == earned[1] if rule == "all" else earned[0] == 0

    want_check, want_hidden = EXPECTED[kind]
    return meets(want_check, check) and meets(want_hidden, hidden)


def grading_matrix(assignments=None, fixtures=FIXTURES):
    """Every answer of every fixture file and what it earns: a list of dicts, one per answer.

    After each assignment's fixture answers comes one row per question for
    the student of :func:`shadowing_student` (every answer followed by
    rebinding every public name), whom every question must give full marks.
    """
    rows = []
    for assignment in assignments or assignment_ids():
        source = NBGRADER_ROOT / "source" / assignment / f"{assignment}.ipynb"
        answers = read_answers(Path(fixtures) / f"{assignment}.py")
        for grade_id in _by_number(answers):
            for kind in EXPECTED:
                for answer in answers[grade_id][kind]:
                    earned = run_answer(source, grade_id, answer.code)
                    q = question(grade_id)
                    rows.append({"assignment": assignment, "question": q, "kind": kind, "note": answer.note,
                                 "check": earned[f"{q}_check"], "hidden": earned[f"{q}_hidden"]})
        whole = run_student(source, shadowing_student(source, answers))
        for grade_id in _by_number(answers):
            q = question(grade_id)
            rows.append({"assignment": assignment, "question": q, "kind": "correct",
                         "note": "shadowing student: every answer then rebinds np, linkage, helpers, X, Z, "
                                 "max, sum, range... (whole notebook)",
                         "check": whole[f"{q}_check"], "hidden": whole[f"{q}_hidden"]})
    for row in rows:
        row["as expected"] = as_expected(row["kind"], row["check"], row["hidden"])
    return rows


def matrix_table(rows):
    """The grading matrix as a Markdown table, with a last line counting the answers scored as expected."""
    lines = ["| assignment | question | answer | check | hidden | as expected |", "|---|---|---|---|---|---|"]
    for row in rows:
        (c, cm), (h, hm) = row["check"], row["hidden"]
        lines.append(f"| {row['assignment']} | {row['question']} | {row['kind']}: {row['note']} "
                     f"| {c:g}/{cm:g} | {h:g}/{hm:g} | {'yes' if row['as expected'] else '**NO**'} |")
    good = sum(row["as expected"] for row in rows)
    lines.append("")
    lines.append(f"{good} of {len(rows)} answers scored as expected "
                 f"({sum(r['kind'] == 'correct' for r in rows)} correct, "
                 f"{sum(r['kind'] != 'correct' for r in rows)} wrong).")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
