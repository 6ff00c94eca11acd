"""Write the student edition: everything a learner gets, and nothing else.

This repository is the instructors' copy: it holds the assignments' sources
(solutions and hidden tests), the wrong-answer fixtures, the tests and the
tools. For graded use, hand out the student edition instead: the chapters,
the helpers, the data, the student copies of the assignments, and the files
to install and run them (README, pyproject.toml, environment.yml, Makefile).

    python -m tools.student_edition build [FOLDER]
        write the edition into FOLDER (default: _build/student-edition); a
        `.git` folder already there is kept, so that a published edition can
        be rebuilt and committed on top of its history
    python -m tools.student_edition link --hub URL --repo URL [--branch B] [--open PATH]
        print the nbgitpuller link that clones (or updates) the published
        edition into each learner's home on a JupyterHub and opens PATH

`make student-edition` runs the first. assignments/README.md (the
instructor's guide) explains how to publish the edition as its own
repository or branch.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path
from urllib.parse import quote, urlencode

from tools.course import FIRST_CHAPTER, LEARNER_FILES, LEARNER_FOLDERS, ROOT, Course
from tools.navigation import END, START
from tools.setup_env import OVERRIDES

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover (Python 3.10)
    import tomli as tomllib

DEFAULT_FOLDER = ROOT / "_build" / "student-edition"
TEMPLATE = Path(__file__).resolve().parent / "student_edition_template"
#: Written into the edition's root so that `build` knows it may replace the folder.
STAMP = ".student-edition"
#: Never copied from the learner's folders.
IGNORED = shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__", "*.pyc", ".DS_Store")
#: Where the student copies go in the edition (from assignments/release/<name>/).
ASSIGNMENTS = "assignments"


def _relink(text):
    """Links to the student copies, rewritten for the edition's layout."""
    return text.replace("assignments/release/", f"{ASSIGNMENTS}/")


def pyproject_text(root=ROOT):
    """The edition's pyproject.toml: the course's package and what it needs to run, no more.

    Name, version, dependencies and the ``course`` and ``spark`` extras
    (chapter 13's Apache Spark, which the edition's ``make spark`` installs)
    come from the repository's own pyproject.toml, so the two never
    disagree; the test, site and instructor extras (pytest, nbgrader, ...)
    stay behind.
    """
    project = tomllib.loads((Path(root) / "pyproject.toml").read_text())
    meta = project["project"]
    build = project["build-system"]
    ours_package_data = project["tool"]["setuptools"]["package-data"]["helpers"]  # self-checks, stepper
    s = json.dumps  # a JSON string is a valid TOML basic string

    def array(items):
        return "[\n" + "".join(f"    {s(item)},\n" for item in items) + "]"

    lines = [
        "# The student edition of the course, written by tools/student_edition.py",
        "# from the course's own pyproject.toml: install it with",
        "#     pip install -e \".[course]\"",
        "# (make course does it for you, in .venv).",
        "[build-system]",
        f"requires = {array(build['requires'])}",
        f"build-backend = {s(build['build-backend'])}",
        "",
        "[project]",
        f"name = {s(meta['name'])}",
        f"version = {s(meta['version'])}",
        f"description = {s(meta['description'])}",
        'readme = "README.md"',
        f"license = {s(meta['license'])}",
        f"requires-python = {s(meta['requires-python'])}",
        f"dependencies = {array(meta['dependencies'])}",
        "",
        "[project.optional-dependencies]",
        f"course = {array(meta['optional-dependencies']['course'])}",
        f"spark = {array(meta['optional-dependencies']['spark'])}",
        "",
        "[tool.setuptools]",
        'packages = ["helpers"]',
        "",
        "[tool.setuptools.package-data]",
        f"helpers = {array(ours_package_data)}",
        "",
    ]
    return "\n".join(lines)


def readme_text(root=ROOT):
    """The edition's README: how to run the course, and its contents (from the repository's README)."""
    readme = (Path(root) / "README.md").read_text()
    contents = readme[readme.index(START) + len(START):readme.index(END)].strip()
    contents = "\n".join(line for line in contents.splitlines() if not line.startswith("<!--"))
    template = (TEMPLATE / "README.md").read_text()
    return template.replace("{{ contents }}", _relink(contents).strip())


def makefile_text():
    """The edition's Makefile: ``make course``, with the same JupyterLab settings as the course's own
    environments (:data:`tools.setup_env.OVERRIDES`: no news pop-up)."""
    template = (TEMPLATE / "Makefile").read_text()
    return template.replace("{{ overrides }}", json.dumps(OVERRIDES, separators=(",", ":")))


def constraints_text(root=ROOT):
    """The edition's constraints.txt: the course's lock file exported for pip.

    ``constraints/locked.txt`` (written by ``make lock`` from ``uv.lock``) pins
    every package of every extra; as pip constraints, only those the
    ``course`` extra installs take effect, at the versions the stored outputs
    were made with.
    """
    locked = (Path(root) / "constraints" / "locked.txt").read_text()
    return ("# The versions the course was tested with (its lock file, for pip):\n"
            "#   pip install -c constraints.txt -e '.[course]'\n" + locked)


def build(folder=DEFAULT_FOLDER, root=ROOT):
    """Write the student edition into `folder` and return the list of files written (relative paths).

    The folder must be empty, missing, or an earlier edition (it holds the
    stamp file); everything in it except ``.git`` is replaced.
    """
    root, folder = Path(root), Path(folder).resolve()
    if folder.exists() and any(folder.iterdir()) and not (folder / STAMP).exists():
        raise SystemExit(f"{folder} is not empty and holds no earlier student edition: "
                         f"choose an empty or a new folder")
    folder.mkdir(parents=True, exist_ok=True)
    for entry in folder.iterdir():
        if entry.name == ".git":
            continue
        shutil.rmtree(entry) if entry.is_dir() and not entry.is_symlink() else entry.unlink()

    for name in LEARNER_FOLDERS:
        shutil.copytree(root / name, folder / name, ignore=IGNORED)
    for name in LEARNER_FILES:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / name, folder / name)
    for name, release in Course(root).student_copies().items():
        shutil.copytree(release, folder / ASSIGNMENTS / name, ignore=IGNORED)
    index = folder / "notebooks" / "index.md"
    if index.exists():
        index.write_text(_relink(index.read_text()))

    (folder / "README.md").write_text(readme_text(root))
    (folder / "pyproject.toml").write_text(pyproject_text(root))
    (folder / "Makefile").write_text(makefile_text())
    (folder / "constraints.txt").write_text(constraints_text(root))
    shutil.copy2(TEMPLATE / "gitignore", folder / ".gitignore")
    (folder / STAMP).write_text(
        "This folder is the student edition of the dendrogram course, written by\n"
        "tools/student_edition.py; running it again replaces everything here but .git.\n"
    )
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*")
                  if p.is_file() and ".git" not in p.relative_to(folder).parts)


def nbgitpuller_link(hub, repo, branch="main", open_path=FIRST_CHAPTER, interface="lab"):
    """The nbgitpuller link that puts the edition into a learner's home on `hub` and opens `open_path`.

    nbgitpuller clones `repo` at `branch` the first time, into the folder
    the link names (``targetpath``: the repository's name, without ``.git``;
    left out, nbgitpuller would keep the ``.git``), and on later clicks
    merges new commits without overwriting the learner's own changes.

    Examples
    --------
    >>> print(nbgitpuller_link("https://hub.example.org", "https://github.com/teacher/course-student"))
    https://hub.example.org/hub/user-redirect/git-pull?repo=https%3A%2F%2Fgithub.com%2Fteacher%2Fcourse-student&branch=main&targetpath=course-student&urlpath=lab%2Ftree%2Fcourse-student%2Fnotebooks%2F00_welcome.ipynb
    """
    folder = repo.rstrip("/").rsplit("/", 1)[-1].removesuffix(".git")
    urlpath = f"{interface}/tree/{folder}/{open_path}"
    query = urlencode({"repo": repo, "branch": branch, "targetpath": folder, "urlpath": urlpath},
                      quote_via=quote, safe="")
    return f"{hub.rstrip('/')}/hub/user-redirect/git-pull?{query}"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("build", help="write the student edition into a folder")
    make.add_argument("folder", nargs="?", default=str(DEFAULT_FOLDER))
    link = commands.add_parser("link", help="print the nbgitpuller link to a published edition")
    link.add_argument("--hub", required=True, help="the JupyterHub's address, e.g. https://hub.example.org")
    link.add_argument("--repo", required=True, help="the published edition's git URL")
    link.add_argument("--branch", default="main")
    link.add_argument("--open", default=FIRST_CHAPTER, help="the file to open, relative to the edition")
    args = parser.parse_args(argv)
    if args.command == "link":
        print(nbgitpuller_link(args.hub, args.repo, args.branch, args.open))
        return 0
    written = build(args.folder)
    print(f"wrote the student edition ({len(written)} files) to {Path(args.folder).resolve()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
