"""tools/course.py, the one list of what the course contains, is right about
the course; and every tool runs as a module from the repository's root.
"""

import re
import subprocess
import sys

import nbformat
import pytest

from tools.course import (
    CHAPTER_NAME,
    COURSE,
    DATA_FILES,
    FIRST_CHAPTER,
    LEARNER_FILES,
    LEARNER_FOLDERS,
    ROOT,
    SUMMARY_COMMENT,
    TITLE_SEPARATOR,
    Course,
    is_navigation,
    read_entry,
)
from tools.make_data import SETS

CHAPTERS = COURSE.chapters()


def test_chapters_are_numbered_from_00_without_gaps_and_their_titles_carry_their_numbers():
    names = [path.name for path in CHAPTERS]
    assert names, "no chapter found in notebooks/"
    assert all(CHAPTER_NAME.fullmatch(name) for name in names), names
    assert [name[:2] for name in names] == [f"{i:02d}" for i in range(len(names))]
    for path in CHAPTERS:
        title = read_entry(path).title
        assert title.startswith(path.name[:2] + TITLE_SEPARATOR), f"{path.name}: its title is {title!r}"
    assert FIRST_CHAPTER == CHAPTERS[0].relative_to(ROOT).as_posix()


@pytest.mark.parametrize("path", CHAPTERS + COURSE.assignment_sources(), ids=lambda p: p.name)
def test_every_notebook_gives_its_summary_in_a_comment_of_its_title_cell(path):
    nb = nbformat.read(path, as_version=4)
    title_cell = next(c for c in nb.cells if c.cell_type == "markdown" and not is_navigation(c))
    assert SUMMARY_COMMENT.search(title_cell.source), f"{path.name}: add <!-- summary: ... --> to its title cell"


def test_each_assignment_has_its_student_copy_and_its_fixtures():
    names = COURSE.assignment_ids()
    assert names and set(COURSE.student_copies()) == set(names)
    for source in COURSE.assignment_sources():
        assert COURSE.student_copy(source) != source, f"{source.name} has no student copy: run `make assignments`"
    assert {p.stem for p in COURSE.fixtures.glob("*.py")} == set(names)


def test_assignments_come_in_their_numbers_order_not_their_names(tmp_path):
    names = ("a10_ten", "a2_two", "a1_one")
    for name in names:
        for folder in ("source", "release"):
            (tmp_path / "assignments" / folder / name).mkdir(parents=True)
        (tmp_path / "assignments" / "source" / name / f"{name}.ipynb").write_text("{}")
    course = Course(tmp_path)
    assert course.assignment_ids() == ["a1_one", "a2_two", "a10_ten"]
    assert [p.parent.name for p in course.assignment_sources()] == ["a1_one", "a2_two", "a10_ten"]
    (tmp_path / "assignments" / "release" / "a2_two-solution").mkdir()  # a released solution: after its own
    assert list(course.student_copies()) == ["a1_one", "a2_two", "a2_two-solution", "a10_ten"]


def test_the_data_files_are_those_in_data_and_make_data_writes_its_own():
    shipped = {p.name for p in COURSE.data.iterdir() if p.name != "README.md"}
    assert shipped == set(DATA_FILES)
    assert {name for name, command in DATA_FILES.items() if command.endswith("tools.make_data")} == set(SETS)


def test_what_the_student_edition_copies_exists():
    for name in LEARNER_FOLDERS:
        assert (ROOT / name).is_dir(), name
    for name in LEARNER_FILES:
        assert (ROOT / name).is_file(), name


def run(*args):
    return subprocess.run([sys.executable, *args], cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_the_course_and_the_setup_need_nothing_but_the_standard_library():
    """tools/setup_env.py runs before any environment exists, with whatever python3 is on the PATH."""
    result = run("-I", "-S", "-c", "import sys; sys.path.insert(0, '.'); import tools.course, tools.setup_env")
    assert result.returncode == 0, result.stderr


def test_python_dash_m_tools_course_lists_the_chapters_and_assignments():
    result = run("-m", "tools.course")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == len(CHAPTERS) + len(COURSE.assignment_sources())
    assert lines[0].startswith(f"{FIRST_CHAPTER}  00{TITLE_SEPARATOR}")


TOOLS = sorted(p.stem for p in (ROOT / "tools").glob("*.py") if p.stem != "__init__")


@pytest.mark.parametrize("tool", TOOLS)
def test_every_tool_runs_as_a_module_from_the_root(tool):
    """Each tool imports what it needs as ``tools.x`` and ``helpers``: no ``sys.path`` edits, no
    running from inside ``tools/``. A tool with a command line answers ``--help``; the others
    (which would write files) are imported."""
    source = (ROOT / "tools" / f"{tool}.py").read_text()
    if "argparse" in source:
        result = run("-m", f"tools.{tool}", "--help")
        assert result.returncode == 0 and result.stdout.startswith("usage:"), result.stderr
    else:
        result = run("-c", f"import tools.{tool}")
        assert result.returncode == 0, result.stderr


# --- Chapters named outside the chapters: what renumbering a chapter must update ---

#: Where the repository's own text lives (environments, builds and lock files aside).
SKIPPED = {".git", "_build", "build", "test-artifacts", "node_modules", "__pycache__", ".ipynb_checkpoints",
           ".pytest_cache", ".hypothesis", ".ruff_cache", ".uv", "mutants"}
TEXT = {".md", ".py", ".toml", ".yml", ".yaml", ".cfg", ".j2", ".txt", ".sh", ".json", ""}
#: Tests that build throwaway courses, whose chapters are their own.
THROWAWAY = {"tests/test_course.py", "tests/test_navigation.py", "tests/test_notebooks.py", "tests/test_prose.py",
             "tests/test_site.py", "tests/test_site_accessibility.py"}
CHAPTER_FILE = re.compile(r"(?<![\w/])(?:notebooks/)?(\d\d_[a-z0-9_]+\.ipynb)\b")
CHAPTER_NUMBER = re.compile(r"\b(?:chapters?|notebooks?) (\d\d)\b", re.IGNORECASE)
REFERENCE = re.compile(rf"(?<![\w.])(\d\d){TITLE_SEPARATOR}(?=[A-Z])")
WORD = re.compile(r"[\w'-]+")


def repository_texts():
    """{path relative to the root: text} of every text file outside the chapters, the lock files and the
    tests that build throwaway courses."""
    texts = {}
    for path in ROOT.rglob("*"):
        rel = path.relative_to(ROOT)
        if (path.is_file() and path.suffix in TEXT and not rel.parts[0].startswith(".venv")
                and not SKIPPED & set(rel.parts) and rel.parts[0] != "notebooks" and ".egg-info" not in str(rel)
                and path.name not in ("uv.lock", "locked.txt") and rel.as_posix() not in THROWAWAY):
            try:
                texts[rel.as_posix()] = path.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                continue
    return texts


def test_every_chapter_named_outside_the_chapters_exists_under_that_name_and_number():
    """A chapter renumbered or renamed must be renamed everywhere: docs, tests, tools, helpers'
    docstrings. (Inside the chapters, tools/prose.py checks the same.) A title may be shortened
    ("06 · Automatic cut-offs" in a table), never changed: its first words must be the title's."""
    names = {path.name for path in CHAPTERS}
    titles = COURSE.chapter_titles()
    found = []
    for rel, text in repository_texts().items():
        flat = " ".join(text.replace("**", "").replace("`", "").split())
        for match in CHAPTER_FILE.finditer(text):
            if match.group(1) not in names:
                found.append(f"{rel}: {match.group(0)} is no chapter")
        for match in CHAPTER_NUMBER.finditer(flat):
            if match.group(1) not in titles:
                found.append(f"{rel}: '{match.group(0)}' names no chapter")
        for match in REFERENCE.finditer(flat):
            number = match.group(1)
            said = WORD.findall(flat[match.end():match.end() + 80])[:2]
            if len(said) == 2 and not said[1].isalpha():  # a title shortened to its first word
                said = said[:1]
            title = WORD.findall(titles.get(number, "").partition(TITLE_SEPARATOR)[2])[:len(said)]
            if said != title:
                found.append(f"{rel}: '{number}{TITLE_SEPARATOR}{' '.join(said)} ...' is not the title of "
                             f"chapter {number} ({titles.get(number, 'no such chapter')})")
    assert not found, "\n".join(found)


def test_contributing_describes_every_tool():
    guide = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    missing = [f"{tool}.py" for tool in TOOLS if f"`{tool}.py`" not in guide]
    assert not missing, f"CONTRIBUTING.md's table of tools lacks {missing}"


# --- Chapter 00 tells the reader what the course holds -----------------------------

COVERS_HEADING = "## What the course covers"
LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")


def covers_section(path):
    """The markdown of a chapter's section "What the course covers", up to the next level-2 heading."""
    section, inside = [], False
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type != "markdown" or is_navigation(cell):
            continue
        for line in cell.source.splitlines():
            if line.startswith("## "):
                inside = line.strip() == COVERS_HEADING
                continue
            if inside:
                section.append(line)
    return "\n".join(section)


def test_chapter_00_lists_every_chapter_by_its_exact_title():
    """00's "What the course covers" links to every other chapter, with its full ``NN · Title``
    (bold and code marks aside), so that a chapter added, renamed or removed shows there too."""
    section = covers_section(CHAPTERS[0])
    assert section, f"{CHAPTERS[0].name} has no section '{COVERS_HEADING}'"
    listed = {}
    for text, target in LINK.findall(section):
        listed.setdefault(target, " ".join(text.replace("**", "").replace("`", "").split()))
    problems = []
    for path in CHAPTERS[1:]:
        title = " ".join(read_entry(path).title.replace("`", "").split())
        if path.name not in listed:
            problems.append(f"{path.name} is missing: add [**{title}**]({path.name}) with a line on what it teaches")
        elif listed[path.name] != title:
            problems.append(f"{path.name} is listed as '{listed[path.name]}', its title is '{title}'")
    problems += [f"{target} is listed but is no chapter" for target in listed
                 if target.endswith(".ipynb") and target not in {p.name for p in CHAPTERS}]
    assert not problems, (f"{CHAPTERS[0].name}, '{COVERS_HEADING}' (a markdown edit, nothing to regenerate):\n"
                          + "\n".join(problems))


# --- MAINTAINING.md's map of the repository -----------------------------------------

LAYOUT_HEADING = "## How the repository is laid out"
#: Paths the layout may name that a checkout need not hold: the learner's working copy.
NOT_IN_A_CHECKOUT = {"work/"}


def layout_paths():
    """The paths named (in backquotes) in the first column of MAINTAINING.md's layout table."""
    text = (ROOT / "MAINTAINING.md").read_text(encoding="utf-8")
    assert LAYOUT_HEADING in text, f"MAINTAINING.md has no section '{LAYOUT_HEADING}'"
    section = text.split(LAYOUT_HEADING, 1)[1].split("\n## ", 1)[0]
    rows = [line.split("|")[1] for line in section.splitlines() if line.startswith("| `")]
    return {path for row in rows for path in re.findall(r"`([^`]+)`", row)}


def test_maintaining_lays_out_every_top_level_entry_helpers_module_and_tool():
    """Every file and folder at the top of the repository (a folder may be named by a path inside
    it, `.ci/run`), every module of helpers/ and every tool has its row."""
    named = layout_paths()
    tops = {p.name + ("/" if p.is_dir() else "") for p in ROOT.iterdir()
            if p.name not in SKIPPED | {".git", "work"} and not p.name.startswith(".venv")
            and not p.name.endswith(".egg-info")}
    modules = {p.relative_to(ROOT).as_posix() for folder in ("helpers", "tools") for p in (ROOT / folder).glob("*.py")}
    missing = sorted(path for path in tops | modules
                     if path not in named and not (path.endswith("/") and any(n.startswith(path) for n in named)))
    assert not missing, f"MAINTAINING.md's layout table ('{LAYOUT_HEADING}') lacks a row for {missing}"


def test_maintaining_layout_names_only_paths_that_exist():
    gone = sorted(path for path in layout_paths() - NOT_IN_A_CHECKOUT if not (ROOT / path).exists())
    assert not gone, f"MAINTAINING.md's layout table names paths that do not exist: {gone}"
