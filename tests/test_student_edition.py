"""The student edition (`make student-edition`): everything a learner gets, and nothing else.

It must hold the chapters, the helpers, the data and the student copies of
the assignments, byte for byte, plus the files to install and run them; and
nothing of the instructors' side: no assignment source, no solution, no
hidden test, no fixture, no test, no tool. It must also install and run on
its own: a fresh environment made from the edition alone (with uv, pinned to
the versions of the environment running the tests, so that outputs compare)
passes `python -m helpers`, re-runs chapters under nbval, and runs every
student copy's locked cells.
"""

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from tools.assignments import MARKERS, secret_lines
from tools.course import COURSE, FIRST_CHAPTER, LEARNER_FILES, LEARNER_FOLDERS, ROOT
from tools.setup_env import OVERRIDES
from tools.student_edition import AUTHORS_ONLY, STAMP, build, nbgitpuller_link, tomllib

SANITIZE = ROOT / "tests" / "nbval_sanitize.cfg"
#: The chapters re-run under nbval in the edition's own environment: the
#: environment check (installed metadata), the tutorial's data and the
#: penguins' CSV file (the data folder is found beside the helpers). The
#: whole suite re-runs every chapter in the repository already.
NBVAL_CHAPTERS = ("00_welcome.ipynb", "01_sample_data.ipynb", "08_real_data.ipynb")


@pytest.fixture(scope="module")
def edition(tmp_path_factory):
    folder = tmp_path_factory.mktemp("edition") / "dendrogram-course-student"
    build(folder)
    return folder


def files(top):
    return {p.relative_to(top).as_posix() for p in Path(top).rglob("*")
            if p.is_file() and ".git" not in p.relative_to(top).parts}


def public_files():
    """What a learner gets, as ``{path in the edition: path in the repository}`` (copied byte for byte)."""
    expected = {}
    for folder in LEARNER_FOLDERS:
        for path in (ROOT / folder).rglob("*"):
            rel = path.relative_to(ROOT)
            if path.is_file() and not {"__pycache__", ".ipynb_checkpoints"} & set(rel.parts) and path.suffix != ".pyc":
                expected[rel.as_posix()] = path
    for name in LEARNER_FILES:
        expected[name] = ROOT / name
    for name, release in COURSE.student_copies().items():
        for path in release.rglob("*"):
            if path.is_file():
                expected[f"assignments/{name}/{path.relative_to(release).as_posix()}"] = path
    return expected


WRITTEN = {"README.md", "pyproject.toml", "Makefile", "constraints.txt", ".gitignore", "LICENSE", STAMP}


def for_learners(rel, text):
    """A file's text as the edition holds it: links to the student copies in the edition's layout,
    and what names the authors' side rewritten (tools/student_edition.py's AUTHORS_ONLY)."""
    if rel == "notebooks/index.md":
        text = text.replace("assignments/release/", "assignments/")
    for old, new in AUTHORS_ONLY.get(rel, []):
        text = text.replace(old, new)
    return text


def test_the_edition_holds_exactly_what_a_learner_gets(edition):
    expected = public_files()
    assert files(edition) == set(expected) | WRITTEN
    for rel, source in expected.items():
        if rel.endswith("matplotlibrc"):
            assert (edition / rel).read_text() == for_learners("notebooks/matplotlibrc", source.read_text()), rel
        elif rel == "notebooks/index.md" or rel in AUTHORS_ONLY:
            assert (edition / rel).read_text() == for_learners(rel, source.read_text()), rel
        else:
            assert (edition / rel).read_bytes() == source.read_bytes(), rel
    chapters = sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))
    assert chapters and sorted(p.name for p in (edition / "notebooks").glob("*.ipynb")) == chapters
    assert sorted(p.name for p in (edition / "assignments").iterdir()) == sorted(COURSE.student_copies())


def course_secrets():
    """Every substantial line of a solution or hidden test in the sources, unless it is public anyway:
    a line the chapters show (``max_d = (low + high) / 2``) gives nothing away."""
    chapters = [line for path in COURSE.chapters()
                for cell in nbformat.read(str(path), as_version=4).cells for line in cell.source.splitlines()]
    return secret_lines(COURSE.assignment_sources(), shown_anyway=chapters)


def test_the_edition_leaks_no_solution_hidden_test_source_or_fixture(edition):
    names = files(edition)
    for forbidden in ("assignments/source", "tests/", "tools/", "classroom/", ".github/", "constraints/"):
        assert not any(n.startswith(forbidden) for n in names), forbidden
    assert not any(n.endswith("nbgrader_config.py") for n in names)
    assert not any("fixtures" in n for n in names)
    secrets = course_secrets()
    assert secrets, "the sources should hold solutions and hidden tests"
    for name in names:
        path = edition / name
        try:
            text = path.read_text()
        except UnicodeDecodeError:
            continue  # the README's picture
        for marker in MARKERS:
            assert marker not in text, f"{name} shows {marker!r}"
        if name.endswith(".ipynb"):
            text = "\n".join(cell.source for cell in nbformat.read(str(path), as_version=4).cells)
        leaked = sorted(secrets & {line.strip() for line in text.splitlines()})
        assert not leaked, f"{name} shows lines of a solution or a hidden test: {leaked[:3]}"
    for name in COURSE.student_copies():
        nb = nbformat.read(str(edition / "assignments" / name / f"{name}.ipynb"), as_version=4)
        stubs = {"code": "# YOUR CODE HERE\nraise NotImplementedError()", "markdown": "YOUR ANSWER HERE"}
        for cell in nb.cells:
            if cell.metadata.get("nbgrader", {}).get("solution"):
                assert cell.source == stubs[cell.cell_type]


def links(text):
    return re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text)


def test_every_link_in_the_edition_leads_to_a_file_of_the_edition(edition):
    checked = 0
    for name in sorted(files(edition)):
        path = edition / name
        if name.endswith(".md"):
            texts = [path.read_text()]
        elif name.endswith(".ipynb"):
            texts = [c.source for c in nbformat.read(str(path), as_version=4).cells if c.cell_type == "markdown"]
        else:
            continue
        for target in (t for text in texts for t in links(text)):
            if re.match(r"[a-z]+:", target):
                continue  # a web address
            assert (path.parent / target).resolve().exists(), f"{name} links to {target}, missing"
            assert edition.resolve() in (path.parent / target).resolve().parents, f"{name} links outside: {target}"
            checked += 1
    assert checked > 20


def test_the_edition_names_no_test_tool_or_make_target_it_lacks(edition):
    """A learner's files never send them to the authors' tests, tools or make targets."""
    targets = set(re.findall(r"^([\w-]+):", (edition / "Makefile").read_text(), re.M))
    problems = []
    for name in sorted(files(edition)):
        if name.endswith((".png", ".csv")) or name == "constraints.txt":
            continue
        text = (edition / name).read_text()
        for path in re.findall(r"\b((?:tests|tools)/[\w./-]*\w)", text):
            if not (edition / path).exists():
                problems.append(f"{name} names {path}")
        problems += [f"{name} runs python -m {module}" for module in re.findall(r"-m (tools\.\w+)", text)]
        problems += [f"{name} names make {target}" for target in re.findall(r"`make ([\w-]+)", text)
                     if target not in targets]
    assert not problems, "\n".join(problems)
    assert "MIT License" in (edition / "LICENSE").read_text()


def test_the_edition_says_it_is_one(edition):
    readme = (edition / "README.md").read_text()
    assert "student edition" in readme and "make course" in readme
    assert "nbgrader" not in readme.lower() and "instructor" not in (edition / "pyproject.toml").read_text()
    for line in readme.splitlines():
        assert "{{" not in line


def test_building_again_keeps_git_and_refuses_a_foreign_folder(edition, tmp_path):
    (edition / ".git").mkdir(exist_ok=True)
    (edition / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (edition / "stale.txt").write_text("from an older edition")
    build(edition)
    assert (edition / ".git" / "HEAD").exists() and not (edition / "stale.txt").exists()
    shutil.rmtree(edition / ".git")
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "thesis.tex").write_text("precious")
    with pytest.raises(SystemExit, match="not empty"):
        build(foreign)
    assert (foreign / "thesis.tex").read_text() == "precious"


def test_the_nbgitpuller_link_names_the_repository_branch_and_notebook():
    from urllib.parse import parse_qs, urlsplit

    link = nbgitpuller_link("https://hub.example.org/", "https://github.com/teacher/dc-student.git", "autumn")
    parts = urlsplit(link)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "hub.example.org", "/hub/user-redirect/git-pull")
    # It ends on the working copy's page, which syncs dc-student/work/ and opens the chapter's copy there.
    assert parse_qs(parts.query) == {"repo": ["https://github.com/teacher/dc-student.git"], "branch": ["autumn"],
                                     "targetpath": ["dc-student"],
                                     "urlpath": [f"course/open/dc-student/{FIRST_CHAPTER}"]}


def uv():
    found = shutil.which("uv") or shutil.which("uv", path=str(Path(sys.executable).parent))
    if found is None:
        message = "uv is not installed (pip install uv, or the test extra: pip install -e '.[test]')"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return found


RUN_LOCKED_CELLS = """
import sys, nbformat
for path in sys.argv[1:]:
    space = {}
    for cell in nbformat.read(path, as_version=4).cells:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type == "code" and meta.get("locked") and not meta.get("grade"):
            exec(compile(cell.source, f"{path}:{meta['grade_id']}", "exec"), space)
    print("ran the locked cells of", path)
"""


def test_the_edition_installs_and_runs_on_its_own(edition, tmp_path):
    uv_path = uv()
    env = tmp_path / "venv"
    python = env / "bin" / "python"
    # The versions of the environment running this test, so that the stored outputs compare.
    pins = subprocess.run([uv_path, "pip", "freeze", "--python", sys.executable],
                          check=True, capture_output=True, text=True).stdout
    constraints = tmp_path / "constraints.txt"
    constraints.write_text("\n".join(line for line in pins.splitlines()
                                     if "==" in line and not line.startswith("dendrogram-course")) + "\n")
    subprocess.run([uv_path, "venv", "-q", "--python", sys.executable, str(env)], check=True)
    subprocess.run([uv_path, "pip", "install", "-q", "--python", str(python), "-c", str(constraints),
                    "-e", f"{edition}[course]", "pytest", "nbval", "ipykernel"], check=True)
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV", "PYTEST"))}

    where = subprocess.run([str(python), "-c", "import helpers; print(helpers.__file__)"],
                           cwd=tmp_path, env=clean, check=True, capture_output=True, text=True).stdout
    assert Path(where.strip()).resolve().is_relative_to(edition.resolve())
    check = subprocess.run([str(python), "-m", "helpers"], cwd=tmp_path, env=clean, capture_output=True, text=True)
    assert check.returncode == 0 and "FAIL" not in check.stdout, check.stdout

    nbval = subprocess.run(
        [str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval", "--nbval-current-env",
         f"--nbval-sanitize-with={SANITIZE}", *(f"notebooks/{name}" for name in NBVAL_CHAPTERS)],
        cwd=edition, env=clean, capture_output=True, text=True)
    assert nbval.returncode == 0, nbval.stdout[-4000:] + nbval.stderr[-2000:]
    assert re.search(r"\d+ passed", nbval.stdout) and "failed" not in nbval.stdout

    copies = [str(edition / "assignments" / name / f"{name}.ipynb") for name in COURSE.student_copies()]
    locked = subprocess.run([str(python), "-c", RUN_LOCKED_CELLS, *copies], cwd=edition,
                            env=dict(clean, MPLBACKEND="Agg"),
                            capture_output=True, text=True)
    assert locked.returncode == 0, locked.stderr[-3000:]
    assert locked.stdout.count("ran the locked cells") == len(copies)


def test_make_student_edition_is_documented_and_wired():
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^student-edition:", makefile, re.M)
    assert "-m tools.student_edition build" in makefile
    for doc in ("MAINTAINING.md", "assignments/README.md"):  # the instructors' material
        text = (ROOT / doc).read_text()
        assert "make student-edition" in text, doc
        assert "git-pull?repo=" in text, f"{doc} gives the nbgitpuller link format"



def test_the_edition_installs_the_same_package_with_the_same_requirements(edition):
    from test_environment import pyproject

    ours, theirs = pyproject(), tomllib.loads((edition / "pyproject.toml").read_text())
    package_data = theirs["tool"]["setuptools"]["package-data"]
    assert package_data["helpers"] == ours["tool"]["setuptools"]["package-data"]["helpers"], \
        "the helpers' own files (the merge stepper's module) are installed too"
    ours, theirs = ours["project"], theirs["project"]
    for key in ("name", "version", "requires-python", "dependencies", "license"):
        assert theirs[key] == ours[key], key
    assert theirs["optional-dependencies"] == {extra: ours["optional-dependencies"][extra]
                                               for extra in ("course", "spark")}


def test_the_editions_make_course_turns_off_jupyterlabs_news_pop_up(edition, tmp_path):
    """The edition's `make course` writes the same overrides.json as the course's own environments."""
    venv = tmp_path / "venv"
    dry = subprocess.run(["make", "-n", "-B", f"VENV={venv}", f"{venv}/.course-installed"],
                         cwd=edition, capture_output=True, text=True, check=True)
    commands = [line for line in dry.stdout.splitlines() if "overrides.json" in line or line.startswith("mkdir")]
    assert len(commands) == 2, dry.stdout
    for command in commands:
        subprocess.run(command, shell=True, cwd=edition, check=True)
    written = venv / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    assert json.loads(written.read_text()) == OVERRIDES


def test_the_edition_installs_the_versions_the_course_was_tested_with(edition, tmp_path):
    """Its constraints.txt is the course's lock file, and both ways in (make and the README's pip line) use it."""
    pins = [line for line in (edition / "constraints.txt").read_text().splitlines() if not line.startswith("#")]
    assert pins == (ROOT / "constraints" / "locked.txt").read_text().splitlines()
    assert any(line.startswith("numpy==") for line in pins) and any(line.startswith("scipy==") for line in pins)
    venv = tmp_path / "venv"
    dry = subprocess.run(["make", "-n", "-B", f"VENV={venv}", f"{venv}/.course-installed"],
                         cwd=edition, capture_output=True, text=True, check=True)
    installs = [line for line in dry.stdout.splitlines() if "pip install" in line and "[course]" in line]
    assert len(installs) == 1 and "-c constraints.txt" in installs[0], dry.stdout
    assert 'pip install -c constraints.txt -e ".[course]"' in (edition / "README.md").read_text()


def test_the_editions_make_spark_adds_chapter_13s_extra_at_the_locked_versions_and_checks_java(edition, tmp_path):
    venv = tmp_path / "venv"
    dry = subprocess.run(["make", "-n", "-B", f"VENV={venv}", "spark"],
                         cwd=edition, capture_output=True, text=True, check=True)
    lines = dry.stdout.splitlines()
    assert any("pip install" in line and "-c constraints.txt" in line and "[course,spark]" in line
               for line in lines), dry.stdout
    assert f"{venv}/bin/python -m helpers.spark" in lines
    assert f"{venv}/bin/python -m course_workspace sync" in lines
    opened = next(line for line in lines if "jupyter lab" in line)
    assert opened.startswith("cd work && ")
    chapter = opened.split()[-1]
    assert (edition / chapter).is_file() and "pyspark" in (edition / chapter).read_text()
    assert "make spark" in (edition / "README.md").read_text()


def test_the_editions_make_course_opens_the_learners_working_copy_where_every_link_works(edition, tmp_path):
    """`make course` syncs work/ and opens work/notebooks/00_welcome.ipynb from work/, so that every link of
    the chapters and the contents (the assignments' included) leads to a copy in work/; git ignores work/."""
    venv = tmp_path / "venv"
    dry = subprocess.run(["make", "-n", "-B", f"VENV={venv}", "course"],
                         cwd=edition, capture_output=True, text=True, check=True).stdout.splitlines()
    sync = dry.index(f"{venv}/bin/python -m course_workspace sync")
    opened = next(i for i, line in enumerate(dry) if "jupyter lab" in line)
    assert sync < opened and dry[opened].startswith("cd work && ") and dry[opened].endswith(f" {FIRST_CHAPTER}")
    edition = shutil.copytree(edition, tmp_path / "edition")  # a learner's copy: the module's edition stays as built
    subprocess.run([sys.executable, "-m", "course_workspace", "sync"], cwd=edition, check=True, capture_output=True)
    work = edition / "work"
    assert (work / FIRST_CHAPTER).is_file()
    assert {p.name for p in (work / "assignments").iterdir()} == set(COURSE.student_copies())
    checked = 0
    for path in sorted(work.rglob("*")):
        if ".course" in path.relative_to(work).parts or path.suffix not in (".md", ".ipynb"):
            continue
        texts = ([path.read_text()] if path.suffix == ".md" else
                 [c.source for c in nbformat.read(str(path), as_version=4).cells if c.cell_type == "markdown"])
        for target in (t for text in texts for t in links(text) if not re.match(r"[a-z]+:", t)):
            resolved = (path.parent / target).resolve()
            assert resolved.exists() and work.resolve() in resolved.parents, f"{path}: {target}"
            checked += 1
    assert checked > 20
    subprocess.run(["git", "init", "-q", str(edition)], check=True)
    ignored = subprocess.run(["git", "check-ignore", "-q", "work/notebooks/00_welcome.ipynb"], cwd=edition)
    assert ignored.returncode == 0, "the edition's .gitignore must leave out work/"


def test_the_editions_environment_enables_the_working_copys_server_extension(edition, tmp_path):
    """An editable install gets no data files: make course copies the file that enables course_workspace's
    server extension (Notebook 7's links, a hub's /course/open/) into .venv; a regular install gets it itself."""
    from tools.course import SERVER_CONFIG, SERVER_CONFIG_TARGET

    venv = tmp_path / "venv"
    dry = subprocess.run(["make", "-n", "-B", f"VENV={venv}", f"{venv}/.course-installed"],
                         cwd=edition, capture_output=True, text=True, check=True).stdout.splitlines()
    commands = [line for line in dry if line.startswith("mkdir") or SERVER_CONFIG in line]
    assert len(commands) == 2, dry
    for command in commands:
        subprocess.run(command, shell=True, cwd=edition, check=True)
    enabled = json.loads((venv / SERVER_CONFIG_TARGET).read_text())
    assert enabled == {"ServerApp": {"jpserver_extensions": {"course_workspace": True}}}
    assert (edition / SERVER_CONFIG).read_bytes() == (ROOT / SERVER_CONFIG).read_bytes()
    setuptools = tomllib.loads((edition / "pyproject.toml").read_text())["tool"]["setuptools"]
    assert setuptools["py-modules"] == ["course_workspace"]
    assert setuptools["data-files"] == {str(Path(SERVER_CONFIG_TARGET).parent): [SERVER_CONFIG]}
