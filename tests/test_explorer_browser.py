"""Notebook 10's cut-off explorer works where learners read it, with the mouse
and with the keyboard alone: in JupyterLab and in Notebook 7, in a real browser.

For each interface, the test starts a server on a free loopback port, with
its own temporary configuration (no news pop-up, no announcements, every
cell kept in the page), opens a copy of the notebook with its outputs
cleared in headless Chromium, and runs all cells. Then, with the keyboard
only, it moves with Tab to the data-set menu, the method menu and the
slider, moves the cut with the arrow keys (End, then Left until the count
changes; Home), changes the method with the arrow keys, and checks each
time that the count said in the live region (``role="status"``,
``aria-live="polite"``) changes, and that the picture changes. In
JupyterLab it also drags the slider with the mouse. No cell may show an
error. Screenshots go to ``test-artifacts/`` (not committed).

Every wait is on a condition (a cell run, a text changed), with generous
limits that only stop a test that would otherwise hang.
"""

import io
import json
import re
import shutil
import time
import urllib.request

import nbformat
import pytest

from browser import APPS, PATIENCE_S, browser, jupyter_server  # noqa: F401  (browser is a fixture)
from tools.course import COURSE

NOTEBOOK = COURSE.notebooks / "10_interactive_cutoff.ipynb"
ARTIFACTS = COURSE.root / "test-artifacts"
# How many Tab presses may separate the last code cell from the explorer's
# first menu: a bound that only a focus trap would reach.
MAX_TABS = 60

STATUS = re.compile(r"(\d+) clusters? at max_d = (\d+\.\d\d)")


def cleared_copy(folder):
    """Copy the notebook (and the matplotlibrc beside it) with its outputs cleared,
    so that everything the test sees on the page was made by this run."""
    nb = nbformat.read(NOTEBOOK, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    nbformat.write(nb, folder / NOTEBOOK.name)
    shutil.copy(NOTEBOOK.parent / "matplotlibrc", folder / "matplotlibrc")


def wait_until(condition, what, server=None, state=None):
    """Poll `condition` until it is true; fail after PATIENCE_S or if the server died.

    `state`, if given, describes what the page shows, for the failure message."""
    deadline = time.monotonic() + PATIENCE_S
    while time.monotonic() < deadline:
        if server is not None and server["process"].poll() is not None:
            pytest.fail(f"the server exited ({server['process'].returncode}) while waiting for "
                        f"{what}:\n" + server["log"].read_text()[-3000:])
        if condition():
            return
        time.sleep(0.25)
    seen = f"; the page shows: {state()}" if state else ""
    pytest.fail(f"gave up waiting for {what} after {PATIENCE_S} s{seen}")


@pytest.fixture(params=list(APPS))
def server(request, browser, tmp_path):  # noqa: F811  (asking for browser first skips early)
    """JupyterLab or Notebook 7 on a free loopback port, serving a cleared copy of the notebook."""
    root = tmp_path / "root"
    root.mkdir()
    cleared_copy(root)
    with jupyter_server(request.param, root, tmp_path / "home",
                        env={"MPLBACKEND": "module://matplotlib_inline.backend_inline"}) as info:
        yield dict(info, url=info["url"](NOTEBOOK.name))


def scatter_half(png):
    """The right 40 % of the explorer's image, where the scatter plot is."""
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    width, height = image.size
    return image.crop((int(width * 0.6), 0, width, height))


def kernel_idle(server):
    """Whether the server has a kernel, and every kernel it has is idle."""
    try:
        with urllib.request.urlopen(f"{server['base']}/api/kernels?token={server['token']}",
                                    timeout=5) as response:
            kernels = json.load(response)
    except OSError:
        return False
    return bool(kernels) and all(k["execution_state"] == "idle" for k in kernels)


def run_all_cells(page, server):
    """Once the kernel is idle, run every cell from the Run menu; wait until each
    shown prompt has a number and the last cell that shows its output has one."""
    wait_until(lambda: kernel_idle(server), "the kernel to start", server)
    page.locator(".lm-MenuBar-item", has_text=re.compile(r"^Run$")).click()
    page.locator(".lm-Menu-item:visible", has_text=re.compile(r"^Run All Cells")).first.click()
    code = [c for c in nbformat.read(NOTEBOOK, as_version=4).cells if c.cell_type == "code"]
    hidden = [c.metadata.get("jupyter", {}) for c in code]
    n_shown = sum(not h.get("source_hidden") for h in hidden)
    last_shown = max(i for i, h in enumerate(hidden) if not h.get("outputs_hidden"))
    prompts = page.locator(".jp-CodeCell .jp-InputPrompt")
    last_output = page.locator(".jp-CodeCell").nth(last_shown).locator(".jp-OutputArea-output")

    def all_run():
        shown = [t.strip() for t in prompts.all_inner_texts() if t.strip()]
        return (len(shown) == n_shown and all(re.fullmatch(r"\[\d+\]:", t) for t in shown)
                and last_output.count() > 0)

    wait_until(all_run, "every cell to run", server,
               state=lambda: f"{len(code)} code cells, prompts {prompts.all_inner_texts()}")


def focused(page):
    """What has the keyboard focus: tag, classes and accessible role, for messages."""
    return page.evaluate("""() => {
        const e = document.activeElement;
        return e ? `${e.tagName.toLowerCase()}.${[...e.classList].join('.')}`
                   + (e.getAttribute('role') ? `[role=${e.getAttribute('role')}]` : '') : 'nothing';
    }""")


def focus_is(page, selector):
    return page.evaluate("s => !!document.activeElement && document.activeElement.matches(s)",
                         selector)


def status_of(page):
    text = page.locator(".cutoff-explorer .explorer-status").inner_text().strip()
    match = STATUS.fullmatch(text)
    assert match, f"the live region says {text!r}"
    return int(match.group(1)), float(match.group(2)), text


def press_until_status_changes(page, key, before, server, presses=1):
    for _ in range(presses):
        page.keyboard.press(key)
    wait_until(lambda: status_of(page)[2] != before, f"{key} to change the count's text", server,
               state=lambda: f"{status_of(page)[2]!r}, focus on {focused(page)}")
    return status_of(page)


def image_source(page):
    return page.locator(".cutoff-explorer img").get_attribute("src")


def image_png(page):
    """The PNG the explorer's image shows, read in the page (no scrolling, no focus change)."""
    import base64

    url = page.locator(".cutoff-explorer img").evaluate("""async img => {
        const blob = await (await fetch(img.src)).blob();
        return await new Promise(done => {
            const reader = new FileReader();
            reader.onload = () => done(reader.result);
            reader.readAsDataURL(blob);
        });
    }""")
    return base64.b64decode(url.split(",", 1)[1])


def wait_for_new_image(page, old, server=None):
    """Wait until the explorer's image shows a picture other than `old` (its src).

    The image is looked up afresh at every poll: JupyterLab may render the
    output again (a new element) while the kernel is busy on a loaded machine."""
    shown = """img => (img.complete && img.naturalWidth > 0) ? img.src : null"""
    wait_until(lambda: page.locator(".cutoff-explorer img").evaluate(shown) not in (None, old),
               "the explorer's new picture", server,
               state=lambda: f"status {status_of(page)[2]!r}, {page.locator('.cutoff-explorer img').count()} image(s)")


def test_the_explorer_works_with_the_keyboard_alone(browser, server):  # noqa: F811
    started = time.monotonic()
    ARTIFACTS.mkdir(exist_ok=True)
    name = server["app"]
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.set_default_timeout(PATIENCE_S * 1000)
    try:
        page.goto(server["url"])
        page.locator(".jp-Notebook .jp-Cell").first.wait_for()
        page.locator(".jp-Notebook").first.click()  # give the page focus, as a reader's first click
        run_all_cells(page, server)
        errors = page.locator('[data-mime-type="application/vnd.jupyter.stderr"]')
        assert errors.count() == 0, "a cell shows an error:\n" + "\n".join(errors.all_inner_texts())
        assert page.get_by_text("Error displaying widget").count() == 0

        explorer = page.locator(".cutoff-explorer")
        explorer.wait_for()
        live = explorer.locator(".explorer-status")
        wait_until(lambda: STATUS.fullmatch(live.inner_text().strip()) is not None,
                   "the count to be shown", server)
        assert live.get_attribute("role") == "status"
        assert live.get_attribute("aria-live") == "polite"
        assert live.get_attribute("aria-atomic") == "true"
        k, max_d, text = status_of(page)
        assert k == 2, text
        explorer.scroll_into_view_if_needed()
        page.screenshot(path=ARTIFACTS / f"explorer-{name}-before.png")

        # From the cell above the explorer, in command mode, Tab to its first menu.
        cells = page.locator(".jp-Notebook .jp-Cell")
        explorer_cell = page.locator(".jp-Notebook .jp-Cell", has=explorer)
        index = [i for i in range(cells.count())
                 if cells.nth(i).locator(".cutoff-explorer").count()][0]
        cells.nth(index).click(position={"x": 2, "y": 2})  # select the cell (its left margin)
        page.keyboard.press("Escape")
        menus = explorer.locator("select")
        data_menu, method_menu = menus.nth(0), menus.nth(1)
        path = []
        for _ in range(MAX_TABS):
            if focus_is(page, ".cutoff-explorer select"):
                break
            page.keyboard.press("Tab")
            path.append(focused(page))
        print(f"{name}: {len(path)} Tab presses from the explorer's cell to its first menu")
        assert data_menu.evaluate("e => e === document.activeElement"), \
            f"Tab never reached the data-set menu; focus went: {path}"
        page.keyboard.press("Tab")
        assert method_menu.evaluate("e => e === document.activeElement"), focused(page)
        page.keyboard.press("Tab")
        assert focus_is(page, ".cutoff-explorer [role=slider]"), focused(page)

        # The arrow keys move the cut; the live region says the new count.
        image = image_source(page)
        k, top, text = press_until_status_changes(page, "End", text, server)
        assert k == 1, text
        wait_for_new_image(page, image, server)
        end_png = image_png(page)
        k, max_d, text = press_until_status_changes(page, "ArrowLeft", text, server)
        steps = 1
        while k == 1 and steps < 40:
            k, max_d, text = press_until_status_changes(page, "ArrowLeft", text, server)
            steps += 1
        assert k == 2 and max_d < top, text
        assert focus_is(page, ".cutoff-explorer [role=slider]"), focused(page)
        image = image_source(page)
        k, max_d, text = press_until_status_changes(page, "Home", text, server)
        assert (k, max_d) == (150, 0.0), text
        wait_for_new_image(page, image, server)
        home_png = image_png(page)
        assert scatter_half(end_png).tobytes() != scatter_half(home_png).tobytes(), \
            "the scatter plot looks the same after moving the cut"
        page.screenshot(path=ARTIFACTS / f"explorer-{name}-keyboard.png")

        # Back to the method menu; the down arrow chooses the next method.
        page.keyboard.press("Shift+Tab")
        assert method_menu.evaluate("e => e === document.activeElement"), focused(page)
        page.keyboard.press("ArrowDown")
        wait_until(lambda: method_menu.input_value() == "complete", "the method to change", server)
        k, max_d, text = press_until_status_changes(page, "Shift", text, server, presses=0)
        assert k >= 1 and max_d > 0, text

        if name == "jupyterlab":
            # And with the mouse: drag the handle to the start of its track.
            before = text
            image = image_source(page)
            track = explorer.locator(".widget-slider .noUi-target").first
            handle = explorer.locator(".widget-slider .noUi-handle").first
            box, grip = track.bounding_box(), handle.bounding_box()
            page.mouse.move(grip["x"] + grip["width"] / 2, grip["y"] + grip["height"] / 2)
            page.mouse.down()
            page.mouse.move(box["x"] + 1, grip["y"] + grip["height"] / 2, steps=4)
            page.mouse.up()
            # The slider sends values while it moves: wait for the last one.
            wait_until(lambda: status_of(page)[1] < 1.0, "the cut to come near 0", server,
                       state=lambda: status_of(page)[2])
            assert status_of(page)[0] > 100 and status_of(page)[2] != before, status_of(page)[2]
            wait_for_new_image(page, image, server)
        page.screenshot(path=ARTIFACTS / f"explorer-{name}-after.png")
        assert errors.count() == 0, "a cell shows an error:\n" + "\n".join(errors.all_inner_texts())
        assert explorer_cell.count() == 1
    except BaseException:
        page.screenshot(path=ARTIFACTS / f"explorer-{name}-failure.png")
        raise
    finally:
        page.close()
        print(f"{name}: browser test took {time.monotonic() - started:.1f} s")
