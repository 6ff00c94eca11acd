"""The merge stepper (helpers/stepper.py) in a real browser: live in JupyterLab and in
Notebook 7, and on a static page built by the course's site tool, with no kernel.

For each place, a notebook of six steppers (tests/test_stepper.py's CASES: single,
complete, average and Ward linkage, a tie, and centroid's inversion) is opened in headless
Chromium, and every merge of every tree is stepped through with the keyboard alone (Enter
on the Next button); at each step the sentence in the live region (``role="status"``)
must be exactly what that row of SciPy's Z says (tests/test_stepper.py's ``said``, which
words Z itself). Besides:

- live: Python's ``step`` moves the page (a cell sets it before the reader comes) and the
  page moves Python's (a cell re-run afterwards prints where the reader stopped); Tab
  reaches every control in order; the arrow keys, Home and End work on the buttons and the
  slider without the notebook taking them; no cell shows an error;
- an unrun notebook, as stored (untrusted, so JupyterLab and Notebook 7 sanitise its
  outputs and run no script), shows the note and the picture of the whole tree;
- the static page: every request stays on the page's own server (loopback), nothing fails
  in the console, axe-core finds no WCAG 2.0/2.1 A or AA violation, Play steps on by
  itself and Pause stops it, and slower when the reader asks for reduced motion.

Screenshots of the first, a middle and the last step go to ``test-artifacts/``. Like
every browser test it runs whenever ``CI`` is set and skips elsewhere, saying how to
enable it.
"""

import json
import re
import shutil
import time
import urllib.request

import nbformat
import numpy as np
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
from scipy.cluster.hierarchy import linkage

from browser import APPS, PATIENCE_S, free_port, jupyter_server
from test_stepper import CASES, said
from tools import navigation
from tools.chromium import serve
from tools.course import ROOT
from tools.notebooks import KERNELSPEC, execute
from tools.site import build
from tools.site_audit import axe_results, tab_stops

ARTIFACTS = ROOT / "test-artifacts"
NAME = "stepper_cases.ipynb"
#: The chapter where the course shows the stepper.
CHAPTER = "03_reading_the_linkage_matrix"
#: The keys that move the stepper from its buttons, with what they must do.
BUTTON_KEYS = {"End": "last", "ArrowLeft": "one back", "Home": "first", "ArrowRight": "one on"}


def expected(name):
    """SciPy's Z of a case."""
    X, method = CASES[name]
    return linkage(np.asarray(X, dtype=float), method)


def cases_notebook():
    """A notebook that shows one stepper per case, then sets one stepper's step from Python,
    then prints every stepper's step."""
    # A title in lower case, so that no check takes it for a chapter of the course.
    cells = [new_markdown_cell("# 00 · the stepper's cases\n\nEach case of the stepper's browser test."),
             new_code_cell(f"from helpers.stepper import MergeStepper\n\nCASES = {json.dumps(CASES)}\nsteppers = {{}}")]
    for name in CASES:
        cells.append(new_code_cell(f"steppers[{name!r}] = MergeStepper(*CASES[{name!r}])\nsteppers[{name!r}]"))
    cells.append(new_code_cell('steppers["ward"].step = 2'))
    cells.append(new_code_cell("print({name: s.step for name, s in steppers.items()})"))
    return new_notebook(cells=cells, metadata={"kernelspec": KERNELSPEC, "language_info": {"name": "python"}})


def wait_until(condition, what, server=None, state=None):
    """Poll `condition` until it is true; fail after PATIENCE_S or if the server died."""
    deadline = time.monotonic() + PATIENCE_S
    while time.monotonic() < deadline:
        if server is not None and server["process"].poll() is not None:
            pytest.fail(f"the server exited ({server['process'].returncode}) while waiting for {what}:\n"
                        + server["log"].read_text()[-3000:])
        if condition():
            return
        time.sleep(0.1)
    pytest.fail(f"gave up waiting for {what} after {PATIENCE_S} s" + (f"; the page shows: {state()}" if state else ""))


def focused(page):
    """The focused element, described: tag, text or label, and whether it is in a stepper."""
    return page.evaluate("""() => {
        const e = document.activeElement;
        return e ? [e.tagName.toLowerCase(), (e.getAttribute('aria-label') || e.textContent || '').trim().slice(0, 40),
                    !!e.closest('.course-stepper')] : null;
    }""")


def status_of(stepper):
    return stepper.locator(".cs-status").inner_text().strip()


def step_of(stepper):
    return int(stepper.locator("input[type=range]").input_value())


def expect_step(stepper, name, step, server=None):
    """Wait until the stepper says step `step`; it must say exactly what that row of Z says."""
    want = said(expected(name), step)
    wait_until(lambda: status_of(stepper) == want, f"{name}, step {step}: {want!r}", server,
               state=lambda: status_of(stepper))
    assert step_of(stepper) == step
    return want


def step_through(page, stepper, name, server=None, shots=None):
    """From the first step to the last with Enter on Next, checking every sentence; screenshots
    of the first, a middle and the last step when `shots` (a path prefix) is given."""
    n = len(CASES[name][0])
    buttons = stepper.locator("button")
    buttons.nth(0).focus()
    page.keyboard.press("Enter")  # First
    expect_step(stepper, name, 0, server)
    middle = n // 2  # for the inversion case, the step that drops
    if shots:
        stepper.scroll_into_view_if_needed()
        stepper.screenshot(path=f"{shots}-first.png")
    buttons.nth(3).focus()
    for step in range(1, n):
        page.keyboard.press("Enter")  # Next
        expect_step(stepper, name, step, server)
        assert focused(page)[:2] == ["button", "Next \u203a"], f"the focus left Next: {focused(page)}"
        if shots and step == middle:
            stepper.screenshot(path=f"{shots}-middle.png")
    if shots:
        stepper.screenshot(path=f"{shots}-last.png")
    # One more Enter at the end changes nothing, and says so to assistive technology.
    page.keyboard.press("Enter")
    assert step_of(stepper) == n - 1 and buttons.nth(3).get_attribute("aria-disabled") == "true"


def check_keyboard(page, stepper, name, server=None):
    """Tab reaches every control in order; the arrows, Home and End move the stepper from a
    button and from the slider; the live region and the table are marked up for readers."""
    last = len(CASES[name][0]) - 1
    stepper.locator("button").nth(0).focus()
    seen = [focused(page)]
    for _ in range(6):
        page.keyboard.press("Tab")
        seen.append(focused(page))
    names = [s[1] for s in seen]
    assert names[:5] == ["\u00ab First", "\u2039 Back", "Play", "Next \u203a", "Last \u00bb"], seen
    assert seen[5][0] == "input" and seen[6] == ["div", "Z, one row per merge (scrolls)", True], seen
    status = stepper.locator(".cs-status")
    assert [status.get_attribute(a) for a in ("role", "aria-live", "aria-atomic")] == ["status", "polite", "true"]
    assert stepper.locator("input[type=range]").evaluate("e => e.labels[0].textContent.trim()") == "Step"
    stepper.locator("button").nth(3).focus()
    for key, step in (("End", last), ("ArrowLeft", last - 1), ("Home", 0), ("ArrowRight", 1)):
        page.keyboard.press(key)
        expect_step(stepper, name, step, server)
    slider = stepper.locator("input[type=range]")
    slider.focus()
    for key, step in (("End", last), ("ArrowLeft", last - 1), ("Home", 0), ("ArrowRight", 1)):
        page.keyboard.press(key)
        expect_step(stepper, name, step, server)
    assert stepper.locator("tr[aria-current=step]").inner_text().split()[:2] == ["\u25b6", "0"]


# --- live, in JupyterLab and Notebook 7 -------------------------------------------------------


@pytest.fixture(scope="module")
def stored(tmp_path_factory):
    """The cases' notebook, run as the regenerate command runs a chapter, outputs stored: a folder."""
    folder = tmp_path_factory.mktemp("stored")
    nb = cases_notebook()
    execute(nb, folder)  # runs it in place
    nbformat.write(nb, folder / NAME)
    return folder


@pytest.fixture(scope="module", params=list(APPS))
def server(request, browser, stored, tmp_path_factory):
    """JupyterLab or Notebook 7 on a loopback port, serving the stored notebook and a cleared copy
    (it asks for ``browser`` first, so that without a browser it skips before starting anything)."""
    tmp_path = tmp_path_factory.mktemp(request.param)
    root = tmp_path / "root"
    root.mkdir()
    nb = nbformat.read(stored / NAME, as_version=4)
    nbformat.write(nb, root / f"stored_{NAME}")
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    nbformat.write(nb, root / NAME)
    chapter = nbformat.read(ROOT / "notebooks" / f"{CHAPTER}.ipynb", as_version=4)
    for cell in chapter.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    nbformat.write(chapter, root / f"{CHAPTER}.ipynb")
    shutil.copy(ROOT / "notebooks" / "matplotlibrc", root / "matplotlibrc")
    with jupyter_server(request.param, root, tmp_path / "home") as info:
        yield info


def kernel_idle(server, name):
    """Whether the notebook `name` has a kernel, and it is idle (the kernels of other notebooks,
    opened by earlier tests, do not count)."""
    try:
        with urllib.request.urlopen(f"{server['base']}/api/sessions?token={server['token']}", timeout=5) as response:
            sessions = json.load(response)
    except OSError:
        return False
    return any(s["path"].endswith(name) and s["kernel"]["execution_state"] == "idle" for s in sessions)


def run_all(page, notebook, server, cells, name):
    """Run every cell from the Run menu, once the notebook's kernel is idle; wait until all have run."""
    wait_until(lambda: kernel_idle(server, name), f"the kernel of {name} to start", server)
    if server["app"] == "jupyterlab":
        page.locator(".jp-StatusBar-Item", has_text="Idle").first.wait_for()
    page.locator(".lm-MenuBar-item", has_text=re.compile(r"^Run$")).click()
    page.locator(".lm-Menu-item:visible", has_text=re.compile(r"^Run All Cells")).first.click()
    prompts = notebook.locator(".jp-CodeCell .jp-InputPrompt")
    wait_until(lambda: sum(bool(re.fullmatch(r"\[\d+\]:", t.strip())) for t in prompts.all_inner_texts()) == cells,
               "every cell to run", server, state=lambda: prompts.all_inner_texts())


def test_the_stepper_live_says_z_row_by_row(browser, server):
    ARTIFACTS.mkdir(exist_ok=True)
    app = server["app"]
    page = browser.new_page(viewport={"width": 1300, "height": 1000})
    page.set_default_timeout(PATIENCE_S * 1000)
    try:
        page.goto(server["url"](NAME))
        notebook = page.locator(".jp-Notebook:visible")
        notebook.locator(".jp-Cell").first.wait_for()
        notebook.click()
        run_all(page, notebook, server, len(CASES) + 3, NAME)
        errors = page.locator('[data-mime-type="application/vnd.jupyter.stderr"]')
        assert errors.count() == 0, "a cell shows an error:\n" + "\n".join(errors.all_inner_texts())
        assert page.get_by_text("Error displaying widget").count() == 0
        steppers = notebook.locator(".course-stepper")
        wait_until(lambda: steppers.count() == len(CASES), "every stepper to show", server)
        names = list(CASES)
        # Python set Ward's step to 2 after the stepper was shown: the page follows.
        expect_step(steppers.nth(names.index("ward")), "ward", 2, server)
        check_keyboard(page, steppers.nth(names.index("tie")), "tie", server)
        for k, name in enumerate(names):
            shots = ARTIFACTS / f"stepper-{app}-{name}" if name == "inversion" else None
            step_through(page, steppers.nth(k), name, server, shots)
        # Where the reader stopped, Python knows: run the last cell again and read it.
        last = notebook.locator(".jp-CodeCell").last
        last.locator(".jp-InputArea-editor").click()
        page.keyboard.press("Control+Enter")
        want = str({name: len(CASES[name][0]) - 1 for name in names})
        output = last.locator(".jp-OutputArea-output")
        wait_until(lambda: output.count() and output.first.inner_text().strip() == want,
                   "Python to read the steps the page reached", server,
                   state=lambda: output.all_inner_texts())
        assert errors.count() == 0, "a cell shows an error:\n" + "\n".join(errors.all_inner_texts())
    except BaseException:
        page.screenshot(path=ARTIFACTS / f"stepper-{app}-failure.png")
        raise
    finally:
        page.close()


def test_an_unrun_notebook_shows_the_note_and_the_whole_tree(browser, server):
    """Opened as stored, untrusted: the sanitised text/html, with no script and no widget error."""
    page = browser.new_page(viewport={"width": 1300, "height": 1000})
    page.set_default_timeout(PATIENCE_S * 1000)
    try:
        page.goto(server["url"](f"stored_{NAME}"))
        notebook = page.locator(".jp-Notebook:visible")
        notebook.locator(".jp-Cell").first.wait_for()
        outputs = notebook.locator(".jp-OutputArea-output")
        wait_until(lambda: outputs.count() >= len(CASES), "the stored outputs to show", server)
        pictures = notebook.locator(".jp-OutputArea-output img[alt^='The whole tree the stepper builds']")
        wait_until(lambda: pictures.count() == len(CASES), "a picture of each tree", server,
                   state=lambda: outputs.all_inner_texts())
        assert all(p["ok"] for p in pictures.evaluate_all(
            "els => els.map(e => ({ok: e.complete && e.naturalWidth > 0}))")), "a picture did not load"
        notes = notebook.get_by_text(re.compile(r"^A merge-by-merge stepper of Z \(\d+ samples"))
        assert notes.count() == len(CASES)
        assert notebook.locator(".course-stepper").count() == 0, "no script ran, so no stepper was drawn"
        assert page.get_by_text("Error displaying widget").count() == 0
        pictures.first.scroll_into_view_if_needed()
        page.screenshot(path=ARTIFACTS / f"stepper-{server['app']}-unrun.png")
    finally:
        page.close()


def test_chapter_03_runs_with_its_stepper_live(browser, server):
    """Chapter 03, run from the top: its stepper is the live widget, and every cell runs without error."""
    from helpers.data import two_clusters

    Z = linkage(two_clusters()[::10], "ward")
    page = browser.new_page(viewport={"width": 1300, "height": 1000})
    page.set_default_timeout(PATIENCE_S * 1000)
    try:
        page.goto(server["url"](f"{CHAPTER}.ipynb"))
        notebook = page.locator(".jp-Notebook:visible")
        notebook.locator(".jp-Cell").first.wait_for()
        notebook.click()
        code = [c for c in nbformat.read(ROOT / "notebooks" / f"{CHAPTER}.ipynb", as_version=4).cells
                if c.cell_type == "code" and not c.metadata.get("jupyter", {}).get("source_hidden")]
        run_all(page, notebook, server, len(code), f"{CHAPTER}.ipynb")
        errors = notebook.locator('[data-mime-type="application/vnd.jupyter.stderr"]')
        assert errors.count() == 0, "a cell shows an error:\n" + "\n".join(errors.all_inner_texts())
        stepper = notebook.locator(".course-stepper")
        stepper.wait_for()
        assert stepper.count() == 1
        expect = lambda s: wait_until(lambda: status_of(stepper) == said(Z, s), f"step {s}", server,  # noqa: E731
                                      state=lambda: status_of(stepper))
        expect(0)
        stepper.locator("button").nth(3).focus()
        page.keyboard.press("Enter")
        expect(1)
        stepper.locator("button").nth(4).click()
        expect(len(Z))
        stepper.scroll_into_view_if_needed()
        page.screenshot(path=ARTIFACTS / f"stepper-{server['app']}-chapter03.png")
    except BaseException:
        page.screenshot(path=ARTIFACTS / f"stepper-{server['app']}-chapter03-failure.png")
        raise
    finally:
        page.close()


# --- on a static page, with no kernel and no network -------------------------------------------


@pytest.fixture(scope="module")
def site(browser, stored, tmp_path_factory):
    """A throwaway course whose one chapter is the stored cases' notebook, its site built by
    tools/site.py and served on 127.0.0.1 (after ``browser``, so that it skips first)."""
    root = tmp_path_factory.mktemp("course")
    (root / "notebooks").mkdir()
    nb = nbformat.read(stored / NAME, as_version=4)
    nbformat.write(nb, root / "notebooks" / f"00_{NAME}")
    (root / "README.md").write_text("# The stepper's cases\n\n<!-- contents:start -->\n<!-- contents:end -->\n")
    navigation.write(root)
    out = tmp_path_factory.mktemp("site") / "site"
    written, problems = build(out, root)
    assert not problems, problems
    with serve(out, free_port()) as base:
        yield base + f"00_{NAME.replace('.ipynb', '.html')}"


def open_page(browser, url, **context):
    """A new page on `url`, with every request, console error and failure recorded."""
    page = browser.new_context(**context).new_page()
    page.set_default_timeout(PATIENCE_S * 1000)
    seen = {"requests": [], "errors": []}
    page.on("request", lambda r: seen["requests"].append(r.url))
    page.on("console", lambda m: seen["errors"].append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))
    page.on("requestfailed", lambda r: seen["errors"].append(f"failed: {r.url}"))
    page.goto(url, wait_until="load")
    page.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.promise")
    page.evaluate("() => MathJax.startup.promise")
    return page, seen


def test_the_static_page_says_z_row_by_row_with_no_network(browser, site):
    page, seen = open_page(browser, site, viewport={"width": 1100, "height": 900})
    try:
        steppers = page.locator(".course-stepper")
        wait_until(lambda: steppers.count() == len(CASES), "every stepper to draw itself")
        assert page.get_by_text("once its cell runs").count() == 0, "the note gives way to the stepper"
        assert page.locator(".course-stepper-static img").count() == 0, "and so does the picture"
        # What Tab reaches from the top, as the site's audit measures it: each control, named.
        stops = tab_stops(page)
        assert all(s["name"] for s in stops), [s for s in stops if not s["name"]]
        controls = [s for s in stops if s["tag"] in ("button", "input") or s["cls"] == "cs-table"]
        assert len(controls) == 7 * len(CASES), stops
        names = list(CASES)
        # The page shows each stepper at the step its output was stored at (Ward's: 0, before Python moved it).
        for k, name in enumerate(names):
            expect_step(steppers.nth(k), name, 0)
        check_keyboard(page, steppers.nth(names.index("tie")), "tie")
        for k, name in enumerate(names):
            shots = ARTIFACTS / f"stepper-site-{name}" if name in ("inversion", "ward") else None
            step_through(page, steppers.nth(k), name, shots=shots)
        # The inversion is drawn: its link goes down to a height under the merge before it.
        inversion = steppers.nth(names.index("inversion"))
        inversion.locator("button").nth(0).focus()
        page.keyboard.press("Enter")
        for _ in range(3):
            inversion.locator("button").nth(3).click()
        assert "an inversion" in status_of(inversion)
        assert "the merge before: 2.00000" in inversion.locator(".cs-tree").text_content()
        assert "lower than the merge before it" in inversion.locator(".cs-tree").get_attribute("aria-label")
        origin = re.match(r"https?://[^/]+/", site).group(0)
        outside = [url for url in seen["requests"] if not url.startswith((origin, "data:"))]
        assert not outside, f"the page fetched from outside its own server: {outside}"
        assert not seen["errors"], seen["errors"]
        violations, _, version = axe_results(page)
        assert not violations, f"axe-core {version}: " + "; ".join(
            f"{v['id']}: {[n['target'] for n in v['nodes'][:3]]}" for v in violations)
    finally:
        page.context.close()


@pytest.mark.parametrize("motion, pace", [("no-preference", 1200), ("reduce", 3000)])
def test_play_steps_on_by_itself_and_pause_stops_it(browser, site, motion, pace):
    page, _ = open_page(browser, site, reduced_motion=motion)
    try:
        stepper = page.locator(".course-stepper").first
        stepper.wait_for()
        assert stepper.get_attribute("data-pace") == str(pace)
        play = stepper.locator("button").nth(2)
        play.focus()
        page.keyboard.press("Enter")
        assert play.inner_text() == "Pause"
        wait_until(lambda: step_of(stepper) >= 1, "Play to move on")
        page.keyboard.press("Enter")
        assert play.inner_text() == "Play"
        stopped = step_of(stepper)
        page.wait_for_timeout(pace + 500)  # longer than one step: nothing moves any more
        assert step_of(stepper) == stopped
        assert status_of(stepper) == said(expected(list(CASES)[0]), stopped)
    finally:
        page.context.close()


# --- where the course uses it: chapter 03 on the course's own site ------------------------------


@pytest.fixture(scope="module")
def chapter_page(browser, tmp_path_factory):
    """The course's site, built as `make site` builds it and served on 127.0.0.1: chapter 03's URL."""
    out = tmp_path_factory.mktemp("course-site") / "site"
    _, problems = build(out, ROOT)
    assert not problems, problems
    with serve(out, free_port()) as base:
        yield base + f"{CHAPTER}.html"


def test_chapter_03s_stepper_says_z_row_by_row_on_the_site(browser, chapter_page):
    """The stepper chapter 03 stores (Ward's tree of every tenth sample of X), on the site:
    every merge stepped through and said as Z says it, nothing fetched from outside, axe clean."""
    from helpers.data import two_clusters

    Z = linkage(two_clusters()[::10], "ward")
    page, seen = open_page(browser, chapter_page, viewport={"width": 1200, "height": 900})
    try:
        steppers = page.locator(".course-stepper")
        wait_until(lambda: steppers.count() == 1, "the chapter's stepper to draw itself")
        stepper = steppers.first
        buttons = stepper.locator("button")
        stepper.scroll_into_view_if_needed()
        for step in range(len(Z) + 1):
            if step:
                buttons.nth(3).focus()
                page.keyboard.press("Enter")
            wait_until(lambda s=step: status_of(stepper) == said(Z, s), f"step {step}: {said(Z, step)!r}",
                       state=lambda: status_of(stepper))
            if step in (0, len(Z) // 2, len(Z)):
                which = {0: "first", len(Z) // 2: "middle", len(Z): "last"}[step]
                stepper.screenshot(path=ARTIFACTS / f"stepper-chapter03-site-{which}.png")
        origin = re.match(r"https?://[^/]+/", chapter_page).group(0)
        outside = [url for url in seen["requests"] if not url.startswith((origin, "data:"))]
        assert not outside, f"the page fetched from outside its own server: {outside}"
        assert not seen["errors"], seen["errors"]
        violations, _, version = axe_results(page)
        assert not violations, f"axe-core {version}: " + "; ".join(
            f"{v['id']}: {[n['target'] for n in v['nodes'][:3]]}" for v in violations)
    finally:
        page.context.close()
