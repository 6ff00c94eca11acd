"""A learner's whole session, live, in JupyterLab and in Notebook 7, in headless Chromium.

The other checks certify the notebooks as stored; learners use them live.
This test plays a session on a throwaway clone of the course, the way
``make course`` sets it up (the chapters and student copies synced into
``work/`` by course_workspace.py, the server serving ``work/``):

1. it opens each chapter that has exercises, runs every cell (Run All), and
   checks what the learner sees: no part of any solution (its code, what it
   printed or drew) until opened, each answer cell saying "not answered
   yet", and every figure carrying its description as alt text; it answers
   one exercise wrongly and reads the self-check's "not yet";
2. it saves, reloads the page and checks all of that again, then opens one
   solution with one click and sees it;
3. it follows every link of the chapters and of the contents page
   (assignments included): each opens where the learner is;
4. it brings a course update into the learner's edited copy (sync) and
   finds both on the page; and ``git status`` in the clone is clean: the
   learner's work never changed the course.

Each interface is a class of its own, so that pytest-xdist runs the two side
by side (``--dist loadscope``). Like every browser test it runs whenever
``CI`` is set and skips elsewhere, saying how to enable it. Screenshots go
to ``test-artifacts/live-session/``.
"""

import json
import re
import shutil
import subprocess
import time
from urllib.parse import unquote, urlsplit

import nbformat
import pytest

from browser import APPS, PATIENCE_S, jupyter_server, server_api
from course_workspace import Workspace
from helpers.figures import figure_alt
from tools.course import COURSE
from tools.exercises import is_answer_cell, is_solution, restored_outputs, solution_code

ARTIFACTS = COURSE.root / "test-artifacts" / "live-session"
CHAPTERS = [p.name for p in COURSE.chapters()
            if any(is_solution(c) for c in nbformat.read(p, as_version=4).cells)]
GIT = {"GIT_AUTHOR_NAME": "Course", "GIT_AUTHOR_EMAIL": "course@example.org",
       "GIT_COMMITTER_NAME": "Course", "GIT_COMMITTER_EMAIL": "course@example.org"}


def git(course, *args):
    import os

    result = subprocess.run(["git", *args], cwd=course, capture_output=True, text=True,
                            env={**os.environ, **GIT})
    assert result.returncode == 0, result.stderr
    return result.stdout


def wait_until(condition, what, server, state=None):
    """Poll `condition` until it is true; fail after PATIENCE_S, or at once if the server died."""
    deadline = time.monotonic() + PATIENCE_S
    while time.monotonic() < deadline:
        if server["process"].poll() is not None:
            pytest.fail(f"the server exited ({server['process'].returncode}) while waiting for {what}:\n"
                        + server["log"].read_text()[-3000:])
        if condition():
            return
        time.sleep(0.25)
    seen = f"; the page shows: {state()}" if state else ""
    pytest.fail(f"gave up waiting for {what} after {PATIENCE_S} s{seen}")


def kernels_idle(server):
    try:
        kernels = server_api(server, "kernels")
    except OSError:
        return False
    return bool(kernels) and all(k["execution_state"] == "idle" for k in kernels)


def stop_kernels(server):
    for kernel in server_api(server, "kernels"):
        server_api(server, f"kernels/{kernel['id']}", method="DELETE")


def open_chapter(page, server, name, nb):
    """Open the chapter `name` (whose cells are `nb`'s), alone; return its notebook once every
    cell is in the page and every markdown cell with text has rendered it (JupyterLab renders
    them one after another: under load, the first can come after the last)."""
    page.goto(server["url"](f"notebooks/{name}"))
    worded = sum(bool(re.sub(r"<!--.*?-->", "", c.source, flags=re.S).strip())
                 for c in nb.cells if c.cell_type == "markdown")
    page.wait_for_function(
        "([n, worded]) => [...document.querySelectorAll('.jp-Notebook')].some("
        "  nb => nb.checkVisibility() && nb.querySelectorAll('.jp-Cell').length === n"
        "    && [...nb.querySelectorAll('.jp-MarkdownCell .jp-RenderedMarkdown')]"
        "         .filter(m => m.textContent.trim() || m.querySelector('img')).length >= worded)",
        arg=[len(nb.cells), worded], timeout=PATIENCE_S * 1000)
    return page.locator(".jp-Notebook:visible")


def run_all(page, server, notebook, nb):
    """Run every cell from the Run menu, once the kernel is idle; wait until every code cell has run."""
    wait_until(lambda: kernels_idle(server), "the kernel to start", server)
    # The page's own kernel status, too: a Run All sent before the page is connected to its
    # kernel is lost (the status bar says Idle once it is).
    page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']:visible").first.wait_for()
    page.locator(".lm-MenuBar-item", has_text=re.compile(r"^Run$")).click()
    page.locator(".lm-Menu-item:visible", has_text=re.compile(r"^Run All Cells")).first.click()
    n_code = sum(c.cell_type == "code" for c in nb.cells)
    prompts = notebook.locator(".jp-CodeCell .jp-InputPrompt")

    def all_run():
        shown = [t.strip() for t in prompts.all_inner_texts()]
        return len(shown) == n_code and all(re.fullmatch(r"\[\d+\]:", t) for t in shown) and kernels_idle(server)

    wait_until(all_run, "every cell to run", server, state=lambda: prompts.all_inner_texts())


def check_links(notebook, server, name):
    """Every relative link of the open chapter `name` leads to a file of the working copy."""
    work = server["course"] / "work"
    hrefs = notebook.locator(".jp-RenderedMarkdown a:not(.jp-InternalAnchorLink)").evaluate_all(
        "links => links.map(a => a.href)")
    for href in hrefs:
        parts = urlsplit(href)
        if parts.netloc != urlsplit(server["base"]).netloc:
            continue  # a link to the web
        assert parts.path.startswith("/files/"), f"{name}: a link to {href}"
        target = work / unquote(parts.path[len("/files/"):])
        assert target.is_file(), f"{name}: its link to {href} leads nowhere in work/"


def revealing(nb):
    """Lines of each solution that must not show until it is opened: its code and its printed
    output, less lines that the rest of the chapter shows anyway."""
    others = "\n".join(c.source + "".join(o.get("text", "") for o in c.get("outputs", []))
                       for c in nb.cells if not is_solution(c))
    found = []
    for cell in nb.cells:
        if is_solution(cell):
            text = solution_code(cell) + "\n" + "\n".join(
                o.get("text", "") or o.get("data", {}).get("text/plain", "")
                for o in restored_outputs(cell))
            found += [line.strip() for line in text.splitlines()
                      if len(line.strip()) > 8 and line.strip() not in others]
    return found


def check_what_shows(page, notebook, nb, name, when, server):
    """No solution shows; every answer cell says what to do; every figure has its alt text.

    First waits until the page shows every solution's ``<details>``, a verdict per exercise and
    every figure of the chapter's cells, each with its cell's ``# Figure:`` comment as alt text
    (:func:`helpers.figures.figure_alt`). A cell's output can reach the page a moment after its
    prompt has its number, and the checks of absence below would pass on a page that does not
    show everything yet."""
    details = notebook.locator(".jp-MarkdownCell details")
    n_solutions = sum(is_solution(c) for c in nb.cells)
    answers = [c for c in nb.cells if is_answer_cell(c)]
    verdicts = notebook.locator(".jp-CodeCell").filter(has_text="check(").locator(".jp-OutputArea-output")
    figures = notebook.locator(".jp-OutputArea-output img")
    expected = {figure_alt(c.source) for c in nb.cells if c.cell_type == "code" and figure_alt(c.source)}

    def said():
        return [t for t in verdicts.all_inner_texts() if re.match(r"Exercise \d+: ", t)]

    def missing():  # the figures of the chapter's cells that the page does not show (by alt text)
        return expected - set(figures.evaluate_all("imgs => imgs.map(i => i.alt)"))

    wait_until(lambda: details.count() == n_solutions and len(said()) >= len(answers) and not missing(),
               f"{name} {when}: every solution, verdict and figure to show", server,
               state=lambda: f"{details.count()} <details> of {n_solutions}, {len(said())} verdicts of "
                             f"{len(answers)}, figures missing: {missing()}")
    assert not any(page.evaluate("els => els.map(e => e.open)", details.element_handles())), \
        f"{name} {when}: a solution is open"
    text = notebook.inner_text()
    for line in revealing(nb):
        assert line not in text, f"{name} {when}: a line of a solution shows: {line!r}"
    assert notebook.locator(".jp-MarkdownCell details img:visible").count() == 0
    alts = figures.evaluate_all("imgs => imgs.map(i => i.alt)")
    assert alts, f"{name} {when}: no figure shows"
    assert all(alts), f"{name} {when}: a figure without alt text"
    # A widget's picture (chapter 10's explorer) says what it shows now, not a cell's comment.
    live = set(notebook.locator(".jp-OutputArea-output .jupyter-widgets img").evaluate_all(
        "imgs => imgs.map(i => i.alt)"))
    alts = [alt for alt in alts if alt not in live]
    unexpected = set(alts) - expected
    assert not unexpected, f"{name} {when}: figures whose alt text is not their cell's comment: {unexpected}"


#: The links of a contents page: JupyterLab's markdown preview, or the page Notebook 7 gets.
LINKS = ".jp-RenderedMarkdown:visible a:not(.jp-InternalAnchorLink), main a"


def follow(page, link, server):
    """Click a link; return the page it opened: a new browser tab, or this one once its address
    has changed (JupyterLab shows the document in front in its address, and Notebook 7 goes
    to the page)."""
    before, address = set(page.context.pages), urlsplit(page.url).path
    link.click()
    deadline = time.monotonic() + PATIENCE_S
    while time.monotonic() < deadline:
        opened = [p for p in page.context.pages if p not in before]
        if opened:
            opened[0].wait_for_load_state()
            opened[0].set_default_timeout(PATIENCE_S * 1000)
            return opened[0]
        if urlsplit(page.url).path != address:
            return page
        page.wait_for_timeout(100)
    pytest.fail(f"the link {link.inner_text()!r} opened nothing in {PATIENCE_S} s; the server's log:\n"
                + server["log"].read_text()[-3000:])


def save(page, server, path, before):
    page.keyboard.press("Escape")
    page.keyboard.press("Control+s")
    wait_until(lambda: path.stat().st_mtime_ns != before, f"{path.name} to be saved", server)
    time.sleep(0.5)  # the file is written in one go, but give the rename a moment


class Session:
    """The steps of the session; one subclass per interface."""

    app = None

    @pytest.fixture(scope="class")
    @classmethod
    def server(cls, browser, tmp_path_factory):  # asking for browser first skips early
        tmp = tmp_path_factory.mktemp(f"session-{cls.app}")
        course = tmp / "course"
        (course / "assignments").mkdir(parents=True)
        shutil.copytree(COURSE.notebooks, course / "notebooks")
        shutil.copytree(COURSE.assignments / "release", course / "assignments" / "release")
        shutil.copytree(COURSE.root / "data", course / "data")
        shutil.copy(COURSE.root / ".gitignore", course / ".gitignore")
        git(course, "init", "-q")
        git(course, "add", "-A")
        git(course, "commit", "-qm", "the course")
        Workspace(course).sync()
        with jupyter_server(cls.app, course / "work", tmp / "home",
                            env={"MPLBACKEND": "module://matplotlib_inline.backend_inline"}) as info:
            yield dict(info, course=course)

    @pytest.mark.parametrize("name", CHAPTERS)
    def test_run_all_save_reload_and_no_solution_shows(self, server, browser, name):
        nb = nbformat.read(COURSE.notebooks / name, as_version=4)
        path = server["course"] / "work" / "notebooks" / name
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        shot = ARTIFACTS / f"{self.app}-{name[:2]}"
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(PATIENCE_S * 1000)
        try:
            notebook = open_chapter(page, server, name, nb)
            # As in make course's environment, which has no nbgrader: the server's is turned off.
            assert page.locator(".lm-MenuBar-item", has_text="Nbgrader").count() == 0
            check_links(notebook, server, name)
            before = path.stat().st_mtime_ns
            run_all(page, server, notebook, nb)
            check_what_shows(page, notebook, nb, name, "after Run All", server)
            page.screenshot(path=f"{shot}-run-all.png")

            # The learner answers exercise 1, wrongly: the self-check says "not yet".
            index = next(i for i, c in enumerate(nb.cells) if is_answer_cell(c) and "answer_1 = ..." in c.source)
            answer = notebook.locator(".jp-Cell").nth(index)
            answer.locator(".cm-content").click()
            page.keyboard.press("Control+a")
            page.keyboard.type('answer_1 = "no idea"\ncheck(1, answer_1)')
            page.keyboard.press("Shift+Enter")
            wait_until(lambda: "Exercise 1: not yet" in answer.inner_text(), "the self-check's verdict", server,
                       state=answer.inner_text)

            save(page, server, path, before)
            saved = json.loads(path.read_text())
            assert any('answer_1 = "no idea"' in "".join(c["source"]) for c in saved["cells"])
            page.reload()
            notebook = open_chapter(page, server, name, nb)
            check_what_shows(page, notebook, nb, name, "after saving and reloading", server)

            # One click opens a solution: the checks above are not vacuous.
            summary = notebook.locator(".jp-MarkdownCell details > summary").last
            summary.scroll_into_view_if_needed()
            summary.click()
            last = [c for c in nb.cells if is_solution(c)][-1]
            first_line = next(line for line in solution_code(last).splitlines() if len(line.strip()) > 8)
            wait_until(lambda: first_line.strip() in notebook.inner_text(), "the solution to open", server)
            page.screenshot(path=f"{shot}-solution-open.png")
        except BaseException:
            page.screenshot(path=f"{shot}-failure.png")
            raise
        finally:
            page.close()
            stop_kernels(server)

    def test_every_link_opens_where_the_learner_is(self, server, browser):
        """Each relative link of each chapter resolves to a file of the working copy, and clicking
        the contents page's links opens them."""
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(PATIENCE_S * 1000)
        try:
            # The chapters with exercises had their links checked when they were opened to be run.
            for name in [p.name for p in COURSE.chapters() if p.name not in CHAPTERS]:
                nb = nbformat.read(COURSE.notebooks / name, as_version=4)
                check_links(open_chapter(page, server, name, nb), server, name)
                stop_kernels(server)  # each notebook opened starts a kernel, which this part never uses
            # The contents, from a chapter's "Contents" link: JupyterLab opens it in a tab of its
            # own; Notebook 7 in a new browser tab (course_workspace renders it there).
            first = COURSE.chapters()[0].name
            notebook = open_chapter(page, server, first, nbformat.read(COURSE.notebooks / first, as_version=4))
            link = notebook.locator(".jp-RenderedMarkdown a", has_text=re.compile("^Contents$")).first
            contents = follow(page, link, server)
            links = contents.locator(LINKS)
            links.first.wait_for()
            titles = links.all_inner_texts()
            assert any("Assignment 1" in t for t in titles) and len(titles) >= len(COURSE.chapters()), titles
            for index, title in enumerate(titles):
                target = follow(contents, contents.locator(LINKS).nth(index), server)
                number = re.match(r"\d\d|Assignment \d", title).group(0)
                heading = target.locator(".jp-Notebook:visible h1").first
                wait_until(lambda heading=heading, number=number: heading.count() and number in heading.inner_text(),
                           f"the link {title!r} to open its notebook", server)
                stop_kernels(server)  # each notebook opened starts a kernel
                if target is not contents:
                    target.close()
                elif self.app == "jupyterlab":  # back to the contents' tab
                    page.locator(".lm-TabBar-tab", has_text="index.md").click()
                else:  # Notebook 7 opened it in the contents' own browser tab: back to the contents
                    contents.go_back()
                    contents.locator(LINKS).first.wait_for()
            contents.screenshot(path=ARTIFACTS / f"{self.app}-contents.png")
        finally:
            page.close()
            stop_kernels(server)

    def test_an_update_reaches_the_learners_edited_copy_and_git_stays_clean(self, server, browser):
        course = server["course"]
        name = CHAPTERS[0]
        work = course / "work" / "notebooks" / name
        if 'answer_1 = "no idea"' not in work.read_text():  # run alone: the learner's saved answer, written here
            mine = nbformat.read(work, as_version=4)
            for cell in mine.cells:
                if is_answer_cell(cell) and "answer_1 = ..." in cell.source:
                    cell.source = cell.source.replace("answer_1 = ...", 'answer_1 = "no idea"')
            nbformat.write(mine, work)
        update = "A sentence the course added in an update."
        nb = nbformat.read(course / "notebooks" / name, as_version=4)
        nb.cells[0].source += f"\n\n{update}"
        nbformat.write(nb, course / "notebooks" / name)
        git(course, "commit", "-qam", "an update")
        report = Workspace(course).sync()
        assert any(line.startswith(f"merged   notebooks/{name}") for line in report), report
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        try:
            notebook = open_chapter(page, server, name, nbformat.read(work, as_version=4))
            wait_until(lambda: update in notebook.inner_text()
                       and 'answer_1 = "no idea"' in notebook.inner_text().replace("\u200b", ""),
                       "the update and the learner's answer to show", server,
                       state=lambda: notebook.inner_text()[:2000])
            page.screenshot(path=ARTIFACTS / f"{self.app}-after-update.png")
        finally:
            page.close()
            stop_kernels(server)
        assert git(course, "status", "--porcelain") == "", "the learner's session changed the course's files"


class TestJupyterLab(Session):
    app = "jupyterlab"


class TestNotebook7(Session):
    app = "notebook7"


def test_both_interfaces_are_played():
    assert {TestJupyterLab.app, TestNotebook7.app} == set(APPS)
