"""The learner's working copy (course_workspace.py): their work never changes the course, and updates reach them.

The browser test (tests/test_live_session_browser.py) plays a whole session
in JupyterLab and Notebook 7 on a working copy and checks that ``git
status`` stays clean; here, the copying and merging themselves, on small
courses in temporary folders and on this course's own files.
"""

import json
import re
import shutil

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from course_workspace import Workspace, main, merge_notebooks
from tools.course import COURSE

WELCOME = "# 00 · Welcome: hierarchical clustering, one dendrogram at a time"


def chapter(*cells):
    nb = new_notebook(cells=[new_markdown_cell(source) if source.startswith("#") else new_code_cell(source)
                             for source in cells])
    for number, cell in enumerate(nb.cells):
        cell.id = f"cell-{number}"
    return nb


@pytest.fixture
def course(tmp_path):
    root = tmp_path / "course"
    (root / "notebooks").mkdir(parents=True)
    (root / "assignments" / "release" / "a1").mkdir(parents=True)
    nbformat.write(chapter(WELCOME, "x = 1", "answer_1 = ...\ncheck(1, answer_1)", "y = 2"),
                   root / "notebooks" / "00_welcome.ipynb")
    nbformat.write(chapter("# 01 · Sample data", "z = 3"), root / "notebooks" / "01_sample_data.ipynb")
    (root / "notebooks" / "index.md").write_text("# Contents\n")
    (root / "notebooks" / "matplotlibrc").write_text("figure.dpi: 90\n")
    (root / "notebooks" / "notes.txt").write_text("not mirrored\n")
    nbformat.write(chapter("# Assignment 1", "q = 1"), root / "assignments" / "release" / "a1" / "a1.ipynb")
    return root


def learner_edits(path, change):
    nb = nbformat.read(path, as_version=4)
    change(nb)
    nbformat.write(nb, path)


def sources(path):
    return [cell.source for cell in nbformat.read(path, as_version=4).cells]


def test_sync_mirrors_what_a_learner_opens_at_the_same_places(course):
    report = Workspace(course).sync()
    work = course / "work"
    assert sorted(str(p.relative_to(work)) for p in work.rglob("*") if p.is_file() and ".course" not in p.parts) == [
        "assignments/release/a1/a1.ipynb", "notebooks/00_welcome.ipynb", "notebooks/01_sample_data.ipynb",
        "notebooks/index.md", "notebooks/matplotlibrc"]
    assert len(report) == 5 and all(line.startswith("new") for line in report)
    assert Workspace(course).sync() == [], "a second sync has nothing to do"


def test_the_learners_work_never_changes_the_course(course):
    before = {p: p.read_bytes() for p in course.rglob("*") if p.is_file()}
    workspace = Workspace(course)
    workspace.sync()
    learner_edits(course / "work/notebooks/00_welcome.ipynb",
                  lambda nb: nb.cells.append(new_code_cell("print('mine')")))
    workspace.sync()
    assert {p: p.read_bytes() for p in before} == before


def test_an_untouched_copy_takes_the_course_update(course):
    workspace = Workspace(course)
    workspace.sync()
    learner_edits(course / "notebooks/01_sample_data.ipynb", lambda nb: setattr(nb.cells[1], "source", "z = 4"))
    assert workspace.sync() == ["updated  notebooks/01_sample_data.ipynb"]
    assert sources(course / "work/notebooks/01_sample_data.ipynb") == ["# 01 · Sample data", "z = 4"]


def test_a_course_update_reaches_a_learner_who_edited_the_chapter_without_a_conflict(course):
    workspace = Workspace(course)
    workspace.sync()
    mine = course / "work/notebooks/00_welcome.ipynb"

    def answer_and_add(nb):
        nb.cells[2].source = "answer_1 = 42\ncheck(1, answer_1)"
        nb.cells.insert(2, new_code_cell("scratch = x * 2"))  # the learner's own cell, after "x = 1"
        nb.cells[1].outputs = [nbformat.v4.new_output("stream", text="ran\n")]  # outputs of a run
    learner_edits(mine, answer_and_add)

    def update(nb):
        nb.cells[1].source = "x = 10"  # the course changes a cell the learner only ran
        nb.cells.append(new_code_cell("w = 5"))  # and adds one
        nb.cells[-1].id = "cell-new"
    learner_edits(course / "notebooks/00_welcome.ipynb", update)
    (line,) = workspace.sync()
    assert line.startswith("merged   notebooks/00_welcome.ipynb (the course's update and your work; your copy as "
                           "it was: work/.course/backups/")
    assert sources(mine) == [WELCOME, "x = 10", "scratch = x * 2", "answer_1 = 42\ncheck(1, answer_1)",
                             "y = 2", "w = 5"]
    assert nbformat.read(mine, as_version=4).cells[1].outputs == [], "the course's version of a cell it changed"
    backups = list((course / "work/.course/backups").rglob("00_welcome.ipynb"))
    assert len(backups) == 1 and "scratch = x * 2" in backups[0].read_text()
    nbformat.validate(nbformat.read(mine, as_version=4))
    assert workspace.sync() == [], "the merge is remembered"


def test_when_both_change_a_cell_the_learners_version_is_kept(course):
    workspace = Workspace(course)
    workspace.sync()
    learner_edits(course / "work/notebooks/00_welcome.ipynb", lambda nb: setattr(nb.cells[3], "source", "y = 'mine'"))
    learner_edits(course / "notebooks/00_welcome.ipynb", lambda nb: setattr(nb.cells[3], "source", "y = 'course'"))
    (line,) = workspace.sync()
    assert "kept your version of 1 cell(s) the course changed too" in line
    assert sources(course / "work/notebooks/00_welcome.ipynb")[3] == "y = 'mine'"


def test_a_deleted_copy_is_made_again_and_fresh_replaces_one_chapter(course):
    workspace = Workspace(course)
    workspace.sync()
    (course / "work/notebooks/01_sample_data.ipynb").unlink()
    assert workspace.sync() == ["new      notebooks/01_sample_data.ipynb"]
    learner_edits(course / "work/notebooks/00_welcome.ipynb", lambda nb: setattr(nb.cells[1], "source", "x = 'no'"))
    assert workspace.status() == ["changed  notebooks/00_welcome.ipynb"]
    line = workspace.fresh("00")
    assert line.startswith("fresh    notebooks/00_welcome.ipynb (your copy as it was: work/.course/backups/")
    assert sources(course / "work/notebooks/00_welcome.ipynb")[1] == "x = 1"
    assert workspace.status() == []


def test_fresh_names_the_chapters_when_it_cannot_tell(course):
    Workspace(course).sync()
    with pytest.raises(ValueError, match="'07' names no chapter or assignment; name one by its number or file "
                                         "name: 00_welcome, 01_sample_data"):
        Workspace(course).fresh("07")


def test_the_root_must_be_a_course(tmp_path):
    with pytest.raises(ValueError, match="root must be the course's folder, which holds notebooks/"):
        Workspace(tmp_path)


def test_the_command_line(course, capsys, monkeypatch):
    monkeypatch.chdir(course)
    assert main(["sync"]) == 0 and "new      notebooks/00_welcome.ipynb" in capsys.readouterr().out
    assert main(["status"]) == 0 and capsys.readouterr().out == "You have changed none of the course's files.\n"
    assert main(["fresh", "01"]) == 0 and capsys.readouterr().out.startswith("fresh    notebooks/01_sample_data.ipynb")
    assert main(["fresh", "9"]) == 2 and "error: '9' names no chapter" in capsys.readouterr().err


def test_a_cell_the_learner_added_first_goes_first_and_deleted_cells_stay_deleted():
    base = {"cells": [{"id": "a", "source": "1"}, {"id": "b", "source": "2"}]}
    mine = {"cells": [{"id": "m", "source": "mine"}, {"id": "a", "source": "1"}]}
    theirs = {"cells": [{"id": "a", "source": "1"}, {"id": "b", "source": "2"}, {"id": "c", "source": "3"}]}
    merged, kept = merge_notebooks(base, mine, theirs)
    assert [c["id"] for c in merged["cells"]] == ["m", "a", "c"] and kept == []


def test_this_course_syncs_into_a_working_copy_with_working_links(tmp_path):
    """The course's own chapters and student copies: every relative link between them resolves in work/."""
    root = tmp_path / "course"
    shutil.copytree(COURSE.notebooks, root / "notebooks")
    shutil.copytree(COURSE.assignments / "release", root / "assignments" / "release")
    shutil.copytree(COURSE.root / "data", root / "data")
    Workspace(root).sync()
    work = root / "work"
    # What a chapter's code reads by a relative path (01: np.loadtxt("../data/two_clusters.csv")).
    for nb in (work / "notebooks").glob("*.ipynb"):
        code = "".join(c["source"] if isinstance(c["source"], str) else "".join(c["source"])
                       for c in json.loads(nb.read_text())["cells"] if c["cell_type"] == "code")
        for target in re.findall(r"[\"'](\.\./[\w./-]+\.\w+)[\"']", code):
            assert (nb.parent / target).resolve().is_file(), f"{nb.name} reads {target}, missing in work/"
    assert (work / "data" / "two_clusters.csv").read_bytes() == (COURSE.root / "data" / "two_clusters.csv").read_bytes()
    for page in list((work / "notebooks").glob("*.ipynb")) + [work / "notebooks" / "index.md"]:
        text = page.read_text()
        if page.suffix == ".ipynb":
            text = "\n".join(c["source"] if isinstance(c["source"], str) else "".join(c["source"])
                             for c in json.loads(text)["cells"] if c["cell_type"] == "markdown")
        for target in re.findall(r"\]\(([^)#:]+\.(?:ipynb|md))(?:#[^)]*)?\)", text):
            assert (page.parent / target).resolve().is_file(), f"{page.name} links to {target}, missing in work/"


# --- The Jupyter server extension, in a real server (no browser needed) ---


def fetch(url, headers=None):
    """GET `url` without following redirects: (status, Location header or body)."""
    import urllib.error
    import urllib.request

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(urllib.request.Request(url, headers=headers or {}), timeout=60) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Location") or error.read().decode()


VISIT = {"Sec-Fetch-Dest": "document", "Sec-Fetch-Mode": "navigate"}


@pytest.mark.parametrize("app, page", [("notebook7", "notebooks/"), ("jupyterlab", "lab/tree/")])
def test_the_server_extension_opens_pages_not_raw_files(course, tmp_path, app, page):
    from browser import jupyter_server

    Workspace(course).sync()
    with jupyter_server(app, course / "work", tmp_path / "home") as server:
        base, token = server["base"], server["token"]
        # A page visit to a notebook under /files/ (a link followed in Notebook 7) opens its page.
        status, location = fetch(f"{base}/files/notebooks/01_sample_data.ipynb?token={token}", VISIT)
        assert status == 302 and location.endswith(f"/{page}notebooks/01_sample_data.ipynb"), (status, location)
        # A download, or a script fetching the file, still gets the file itself.
        status, body = fetch(f"{base}/files/notebooks/01_sample_data.ipynb?token={token}")
        assert status == 200 and "".join(json.loads(body)["cells"][0]["source"]) == "# 01 · Sample data"
        status, body = fetch(f"{base}/files/notebooks/01_sample_data.ipynb?download=1&token={token}", VISIT)
        assert status == 200 and body.startswith("{")
        # The contents page: rendered, its links as written, in Notebook 7 (JupyterLab opens it itself).
        status, body = fetch(f"{base}/files/notebooks/index.md?token={token}", VISIT)
        if app == "notebook7":
            assert status == 200 and '<html lang="en">' in body and "<h1>Contents</h1>" in body
        else:
            assert status == 200 and body == "# Contents\n"


@pytest.mark.parametrize("base_url", ["/", "/user/ann/"])
def test_course_open_syncs_and_opens_the_working_copy(course, tmp_path, base_url):
    """A hub's nbgitpuller link ends on /course/open/<course>/notebooks/<chapter>: the working copy is
    brought up to date, and the chapter's copy opens, in JupyterLab, also under a hub's user server's
    base URL (whose start page, /user/ann/lab, names the interface after it)."""
    from browser import jupyter_server

    home = tmp_path / "home-of-a-learner"
    home.mkdir()
    shutil.copytree(course, home / "course")
    with jupyter_server("jupyterlab", home, tmp_path / "server", base_url=base_url) as server:
        status, location = fetch(f"{server['base']}/course/open/course/notebooks/00_welcome.ipynb"
                                 f"?token={server['token']}")
        assert status == 302 and location == f"{base_url}lab/tree/course/work/notebooks/00_welcome.ipynb", location
        assert (home / "course" / "work" / "notebooks" / "00_welcome.ipynb").is_file()
        status, _ = fetch(f"{server['base']}/course/open/nowhere/x.ipynb?token={server['token']}")
        assert status == 404


def test_a_copy_only_run_and_saved_takes_the_update_without_a_backup(course):
    """Running a chapter and saving it (outputs, and the metadata JupyterLab fills in from the kernel
    as a notebook opens) is no work of the learner's: an update replaces it, with nothing to back up."""
    workspace = Workspace(course)
    workspace.sync()

    def run_and_save(nb):
        nb.metadata["language_info"] = {"name": "python", "version": "3.11.7", "mimetype": "text/x-python"}
        nb.cells[1].outputs = [nbformat.v4.new_output("stream", text="ran\n")]
        nb.cells[1].execution_count = 1
    learner_edits(course / "work/notebooks/01_sample_data.ipynb", run_and_save)
    assert workspace.status() == [], "nothing of the learner's"
    learner_edits(course / "notebooks/01_sample_data.ipynb", lambda nb: setattr(nb.cells[1], "source", "z = 4"))
    assert workspace.sync() == ["updated  notebooks/01_sample_data.ipynb"]
    assert not (course / "work/.course/backups").exists()
