"""What the course contains, and the conventions its notebooks follow: the one list every tool reads.

    python -m tools.course      print the chapters and assignments as the tools see them

* **Where things are** (:class:`Course`): the chapters in ``notebooks/``, in
  reading order, each with its ``NN · Title`` and summary; the assignments
  (nbgrader's ``assignments/source/``) and their student copies
  (``assignments/release/``); the data files; the README and the contents
  page. :data:`COURSE` is this repository; a test makes a ``Course`` of a
  throwaway course in a temporary folder.
* **The conventions** that the chapters follow and the tools check or rely
  on: how a notebook names its title and summary, how a figure states its
  alt text, how an exercise's solution is marked and hidden, the tags nbval
  and the navigation read, and the MIME types of widget outputs.
  CONTRIBUTING.md explains them to authors.

Tools import what they need from here, and run as modules from the
repository's root (``python -m tools.site``). This module needs only the
standard library (``tools/setup_env.py`` runs before any environment
exists); reading a notebook imports nbformat where it happens.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

#: The repository's root folder.
ROOT = Path(__file__).resolve().parent.parent

# --- The conventions -----------------------------------------------------------

#: A notebook's title: the first line starting with ``# `` in its first
#: markdown cell, ``# NN · Title`` for a chapter (``NN`` is the number in its
#: file name) and ``# Assignment N · Title`` for an assignment.
TITLE_PREFIX = "# "
#: The separator between a chapter's number and its title, which the prose
#: check also reads in references to other chapters.
TITLE_SEPARATOR = " · "
#: A chapter's file name: two digits, an underscore, words (``05_choosing_a_cutoff_by_eye.ipynb``).
CHAPTER_NAME = re.compile(r"(\d\d)_[a-z0-9_]+\.ipynb")
#: The one-line summary the contents show, as a comment in the title cell
#: (invisible when the cell is rendered).
SUMMARY_COMMENT = re.compile(r"<!--\s*summary:\s*(.*?)\s*-->", re.S)

#: A figure cell's first line starts with this comment; its text, continued
#: on the ``#`` lines right after it, is the figure's alt text.
FIGURE_PREFIX = "# Figure:"
#: Where the regenerate command stores that text: ``metadata["image/png"]["alt"]`` of the image output.
ALT_KEY = "alt"

#: The tag of an exercise's solution cell.
SOLUTION_TAG = "solution"
#: A solution's first line, and nothing more: JupyterLab and Notebook 7 show
#: the first line of a hidden cell, so it must give nothing away.
SOLUTION_FIRST_LINE = re.compile(r"# Solution to exercise (\d+)\.")
#: A solution's ``metadata.jupyter``: its code and its output hidden until the learner opens it.
HIDDEN = {"source_hidden": True, "outputs_hidden": True}
#: How the markdown numbers an exercise: ``**1.**`` (or ``**Exercise 1.**``).
EXERCISE = re.compile(r"\*\*(?:Exercise )?(\d+)\.\*\*")

#: The tag of the generated navigation cells (tools/navigation.py writes them; never edit them).
NAVIGATION_TAG = "navigation"
#: nbval does not compare the output of a cell with this tag ...
IGNORE_TAG = "nbval-ignore-output"
#: ... which must say why, on a line starting with this comment.
IGNORE_REASON = "# nbval ignores this output:"
#: nbval expects an error from a cell with this tag.
RAISES_TAG = "raises-exception"

#: The MIME type of a widget's output (a view of a model that lives in the kernel).
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
#: The MIME type of the widget state a notebook may store in its metadata.
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


def tags(cell):
    return cell.get("metadata", {}).get("tags", [])


def is_navigation(cell):
    """Whether a cell is one of the generated navigation cells."""
    return NAVIGATION_TAG in tags(cell)


def is_solution(cell):
    """Whether a cell is an exercise's solution (a code cell tagged ``solution``)."""
    return cell.get("cell_type") == "code" and SOLUTION_TAG in tags(cell)


# --- Titles and summaries ------------------------------------------------------


def _strip_links(text):
    return re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)


def _first_sentence(paragraph):
    text = " ".join(paragraph.split())
    match = re.search(r"(?<=[.!?])\s+(?=[A-Z*_`\[(])", text)
    return text[: match.start()] if match else text


def _one_line(text):
    """Text on one line, links as plain text, ``|`` escaped for a Markdown table."""
    return " ".join(_strip_links(text).split()).replace("|", "\\|")


def title_and_summary(nb, name="notebook"):
    """The ``# NN · Title`` heading of a notebook and its one-line summary.

    The summary is the text of a comment ``<!-- summary: ... -->`` in the
    title cell (invisible when rendered); without one, the first sentence of
    the first paragraph after the title (in the title cell, or else in the
    next markdown cell).

    Raises ValueError, naming the notebook, when there is no such heading.
    """
    markdown = [c for c in nb.cells if c.cell_type == "markdown" and not is_navigation(c)]
    if not markdown or not any(line.startswith(TITLE_PREFIX) for line in markdown[0].source.splitlines()):
        raise ValueError(f"{name} has no title: its first markdown cell must start with "
                         "a heading line '# NN · Title'")
    lines = markdown[0].source.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith(TITLE_PREFIX))
    title = lines[at][len(TITLE_PREFIX):].strip()
    explicit = SUMMARY_COMMENT.search(markdown[0].source)
    if explicit:
        return title, _one_line(explicit.group(1))
    for text in ["\n".join(lines[at + 1:])] + [c.source for c in markdown[1:2]]:
        paragraphs = [p for p in re.split(r"\n\s*\n", text) if p.strip()]
        if paragraphs and not paragraphs[0].lstrip().startswith(("#", "|", "```", "<", "!")):
            return title, _one_line(_first_sentence(paragraphs[0]))
    return title, ""


@dataclass(frozen=True)
class Entry:
    """One notebook as the course lists it."""

    path: Path  # absolute
    title: str
    summary: str


def read_entry(path, name=None):
    """The :class:`Entry` of the notebook at ``path`` (``name`` says which notebook in an error)."""
    import nbformat

    path = Path(path)
    title, summary = title_and_summary(nbformat.read(path, as_version=4), name or path.name)
    return Entry(path, title, summary)


# --- Where things are ----------------------------------------------------------

#: An assignment's folder name: ``a``, its number, an underscore, words (``a2_choosing_a_cutoff``).
ASSIGNMENT_NAME = re.compile(r"a(\d+)_")


def assignment_order(name):
    """The key that sorts assignments by their numbers: ``a2_...`` before ``a10_...``.

    A released solution (``a2_...-solution``) comes right after its
    assignment; a name without a number, after every numbered one.

    Examples
    --------
    >>> sorted(["a10_ten", "a2_two", "a1_one", "notes"], key=assignment_order)
    ['a1_one', 'a2_two', 'a10_ten', 'notes']
    """
    match = ASSIGNMENT_NAME.match(name)
    return (int(match.group(1)) if match else float("inf"), name)



@dataclass(frozen=True)
class Course:
    """The parts of a course under one root folder.

    :data:`COURSE` is this repository; tests build throwaway courses (a few
    notebooks, an assignment, a README) in a temporary folder and pass its
    root to the tools, which make a ``Course`` of it.
    """

    root: Path

    def __post_init__(self):
        object.__setattr__(self, "root", Path(self.root))

    @property
    def notebooks(self):
        """The chapters' folder (with the course's ``matplotlibrc`` and the contents page)."""
        return self.root / "notebooks"

    @property
    def index(self):
        """The contents page, written by tools/navigation.py."""
        return self.notebooks / "index.md"

    @property
    def matplotlibrc(self):
        """The style every figure of the course is drawn in."""
        return self.notebooks / "matplotlibrc"

    @property
    def readme(self):
        return self.root / "README.md"

    @property
    def helpers(self):
        """The package the notebooks import."""
        return self.root / "helpers"

    @property
    def data(self):
        """The data files (see :data:`DATA_FILES`), with their provenance in its README."""
        return self.root / "data"

    @property
    def assignments(self):
        """The nbgrader course root: ``source/`` (what authors edit), ``release/`` (generated)."""
        return self.root / "assignments"

    @property
    def fixtures(self):
        """Right and wrong answers to every assignment question, one file per assignment."""
        return self.root / "tests" / "fixtures" / "assignments"

    def chapters(self):
        """The chapters, in reading order: every notebook in ``notebooks/`` (their names sort that way)."""
        return sorted(self.notebooks.glob("*.ipynb"))

    def assignment_ids(self):
        """The assignments' names, one per folder of ``assignments/source/``, in their numbers' order.

        ``a2_...`` comes before ``a10_...`` (:func:`assignment_order`), where
        sorting the names as text would put ``a10`` first.
        """
        source = self.assignments / "source"
        return sorted((p.name for p in source.iterdir() if p.is_dir()), key=assignment_order) \
            if source.is_dir() else []

    def assignment_sources(self):
        """The assignments' source notebooks (``assignments/source/NAME/*.ipynb``), in their numbers' order."""
        source = self.assignments / "source"
        return sorted(source.glob("*/*.ipynb"), key=lambda p: (assignment_order(p.parent.name), p.name)) \
            if source.is_dir() else []

    def student_copy(self, source):
        """Where a learner opens an assignment: its student copy in ``release/`` if there is one, else its source."""
        release = self.assignments / "release" / Path(source).relative_to(self.assignments / "source")
        return release if release.exists() else Path(source)

    def student_copies(self):
        """The assignments' student copies: ``{name: folder}`` from ``assignments/release/``."""
        release = self.assignments / "release"
        return {p.name: p for p in sorted(release.iterdir(), key=lambda p: assignment_order(p.name))
                if p.is_dir()} if release.is_dir() else {}

    def chapter_titles(self):
        """``{"NN": "NN · Title"}`` for every chapter."""
        return {entry.title.split(TITLE_SEPARATOR)[0]: entry.title
                for entry in (read_entry(path) for path in self.chapters())}


#: This repository.
COURSE = Course(ROOT)

#: The data files in ``data/``, each with the command that writes it
#: (``data/README.md`` gives their provenance and checksums).
DATA_FILES = {
    "two_clusters.csv": "python -m tools.make_data",
    "five_clusters.csv": "python -m tools.make_data",
    "penguins.csv": "python -m tools.copy_penguins",
}

#: The file that enables the Jupyter server extension of the learner's working
#: copy (course_workspace.py), and where it goes in an environment: a regular
#: install puts it there itself (pyproject.toml's data-files), an editable one
#: (``pip install -e``, as every set-up here does) does not, so the set-ups write it.
SERVER_CONFIG = "jupyter-config/dendrogram-course.json"
SERVER_CONFIG_TARGET = "etc/jupyter/jupyter_server_config.d/dendrogram-course.json"
#: What a learner gets in the student edition besides the student copies
#: (tools/student_edition.py): folders, then single files, copied as they are.
#: The working copy goes too (course_workspace.py and the file that enables its
#: server extension): the edition's ``make course`` and a hub's nbgitpuller
#: link open the chapters from ``work/``, never the tracked files.
LEARNER_FOLDERS = ("notebooks", "helpers", "data")
LEARNER_FILES = ("environment.yml", "docs/dendrogram.png", "course_workspace.py", SERVER_CONFIG)
#: The notebook a learner opens first.
FIRST_CHAPTER = "notebooks/00_welcome.ipynb"


def main():
    for path in COURSE.chapters():
        entry = read_entry(path)
        print(f"{path.relative_to(ROOT)}  {entry.title}")
    for source in COURSE.assignment_sources():
        entry = read_entry(source)
        print(f"{COURSE.student_copy(source).relative_to(ROOT)}  {entry.title}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
