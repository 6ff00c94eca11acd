"""Notebook 10's cut-off explorer works where learners read it: in JupyterLab,
in a real browser.

The test starts JupyterLab on a free loopback port, with its own temporary
configuration (no news pop-up, no announcements, every cell kept in the
page), opens a copy of the notebook with its outputs cleared in headless
Chromium, runs all cells, drags the max_d slider, and checks that the number
of clusters shown changes, that the picture of the samples changes, and that
no cell shows an error. It saves screenshots before and after moving the
slider in ``test-artifacts/`` (not committed).

Every wait is on a condition (the kernel idle, a cell run, a text changed),
with generous limits that only stop a test that would otherwise hang.
"""

import io
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest

from browser import browser, free_port  # noqa: F401  (browser is a fixture)

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "10_interactive_cutoff.ipynb"
ARTIFACTS = ROOT / "test-artifacts"
PATIENCE_S = 300  # only ever reached when something hangs; normal runs wait far less
KERNEL_IDLE = re.compile(r"Python 3 \(ipykernel\)\s*\|\s*Idle")

# JupyterLab user settings: no news or update checks (the first-run pop-up
# would cover the notebook), and every cell rendered in the page, even those
# scrolled out of view, so that the test can read them all.
USER_SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {
        "windowingMode": "none",
    },
}


def cleared_copy(folder):
    """Copy the notebook (and the matplotlibrc beside it) with its outputs cleared,
    so that everything the test sees on the page was made by this run."""
    nb = nbformat.read(NOTEBOOK, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    nbformat.write(nb, folder / NOTEBOOK.name)
    shutil.copy(NOTEBOOK.parent / "matplotlibrc", folder / "matplotlibrc")


def wait_until(condition, what, server=None, log=None, state=None):
    """Poll `condition` until it is true; fail after PATIENCE_S or if the server died.

    `state`, if given, describes what the page shows, for the failure message."""
    deadline = time.monotonic() + PATIENCE_S
    while time.monotonic() < deadline:
        if server is not None and server.poll() is not None:
            pytest.fail(f"JupyterLab exited ({server.returncode}) while waiting for {what}:\n"
                        + log.read_text()[-3000:])
        if condition():
            return
        time.sleep(0.25)
    seen = f"; the page shows: {state()}" if state else ""
    pytest.fail(f"gave up waiting for {what} after {PATIENCE_S} s{seen}")


def responds(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status == 200
    except OSError:
        return False


@pytest.fixture
def jupyterlab(tmp_path):
    """A JupyterLab server on a free loopback port, serving a cleared copy of the notebook."""
    root, home = tmp_path / "root", tmp_path / "home"
    root.mkdir()
    cleared_copy(root)
    settings = home / "lab-settings"
    for name, values in USER_SETTINGS.items():
        path = settings / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))
    env = dict(
        os.environ,
        JUPYTER_CONFIG_DIR=str(home / "config"),
        JUPYTER_DATA_DIR=str(home / "data"),
        JUPYTER_RUNTIME_DIR=str(home / "runtime"),
        JUPYTERLAB_SETTINGS_DIR=str(settings),
        JUPYTERLAB_WORKSPACES_DIR=str(home / "workspaces"),
        IPYTHONDIR=str(home / "ipython"),
        MPLBACKEND="module://matplotlib_inline.backend_inline",
    )
    token, port = secrets.token_hex(16), free_port()
    command = [
        sys.executable, "-m", "jupyterlab", "--no-browser",
        f"--ServerApp.token={token}", "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
        f"--ServerApp.root_dir={root}",
    ]
    if os.geteuid() == 0:
        command.append("--allow-root")
    log = tmp_path / "jupyterlab.log"
    with open(log, "wb") as output:
        server = subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT,
                                  stdin=subprocess.DEVNULL, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: responds(f"{base}/api/status?token={token}"),
                   "JupyterLab to answer", server, log)
        yield {"url": f"{base}/lab/tree/{NOTEBOOK.name}?token={token}",
               "server": server, "log": log}
    finally:
        stop(server, base, token)


def stop(server, base, token):
    """Shut JupyterLab and its kernels down; kill them if they do not go."""
    if server.poll() is None:
        try:  # the clean way: the server stops its kernels, then itself
            request = urllib.request.Request(f"{base}/api/shutdown?token={token}", method="POST")
            urllib.request.urlopen(request, timeout=10).close()
        except OSError:
            pass
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            pass
    for sig in (signal.SIGTERM, signal.SIGKILL):
        if server.poll() is not None:
            break
        try:
            os.killpg(server.pid, sig)
        except ProcessLookupError:
            break
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            continue


def scatter_half(png):
    """The right 40 % of the explorer's image, where the scatter plot is."""
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    width, height = image.size
    return image.crop((int(width * 0.6), 0, width, height))


def test_the_slider_recolours_the_clusters_in_jupyterlab(browser, jupyterlab):  # noqa: F811
    started = time.monotonic()
    ARTIFACTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.set_default_timeout(PATIENCE_S * 1000)
    try:
        page.goto(jupyterlab["url"])
        # The kernel has started when the status bar names it and says Idle.
        page.get_by_text(KERNEL_IDLE).first.wait_for()

        page.locator(".lm-MenuBar-item", has_text=re.compile(r"^Run$")).click()
        page.locator(".lm-Menu-item:visible",
                     has_text=re.compile(r"^Run All Cells")).first.click()

        # Cells run in order: all have run once every prompt shows a number and
        # the last cell shows its output. (Solution cells hide their input, and
        # with it their prompt.)
        code = [c for c in nbformat.read(NOTEBOOK, as_version=4).cells if c.cell_type == "code"]
        n_shown = sum(not c.metadata.get("jupyter", {}).get("source_hidden") for c in code)
        prompts = page.locator(".jp-CodeCell .jp-InputPrompt")
        # The last cell that shows its output (solutions hide theirs until opened).
        last_shown = max(i for i, c in enumerate(code) if not c.metadata.get("jupyter", {}).get("outputs_hidden"))
        last_output = page.locator(".jp-CodeCell").nth(last_shown).locator(".jp-OutputArea-output")

        def all_run():
            shown = [t.strip() for t in prompts.all_inner_texts() if t.strip()]
            return (len(shown) == n_shown and all(re.fullmatch(r"\[\d+\]:", t) for t in shown)
                    and last_output.count() > 0)

        wait_until(all_run, "every cell to run", jupyterlab["server"], jupyterlab["log"],
                   state=lambda: f"{len(code)} code cells, prompts {prompts.all_inner_texts()}")
        page.get_by_text(KERNEL_IDLE).first.wait_for()

        errors = page.locator('[data-mime-type="application/vnd.jupyter.stderr"]')
        assert errors.count() == 0, "a cell shows an error:\n" + "\n".join(errors.all_inner_texts())
        assert page.get_by_text("Error displaying widget").count() == 0

        count = page.locator(".cutoff-count")
        image = page.locator("img.widget-image")
        count.wait_for()
        image.scroll_into_view_if_needed()
        page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())
        before_text = count.inner_text()
        before_src = image.get_attribute("src")
        assert re.fullmatch(r"Number of clusters: 2", before_text.strip()), before_text
        page.screenshot(path=ARTIFACTS / "explorer-before.png")
        before_png = image.screenshot()

        # Drag the slider's handle to a tenth of its track: a much lower cut.
        track = page.locator(".widget-slider .noUi-target").first
        handle = page.locator(".widget-slider .noUi-handle").first
        box, grip = track.bounding_box(), handle.bounding_box()
        page.mouse.move(grip["x"] + grip["width"] / 2, grip["y"] + grip["height"] / 2)
        page.mouse.down()
        page.mouse.move(box["x"] + 0.1 * box["width"], grip["y"] + grip["height"] / 2, steps=4)
        page.mouse.up()

        wait_until(lambda: count.inner_text() != before_text, "the number of clusters to change",
                   jupyterlab["server"], jupyterlab["log"])
        page.get_by_text(KERNEL_IDLE).first.wait_for()
        page.wait_for_function(
            "([img, old]) => img.src !== old && img.complete && img.naturalWidth > 0",
            arg=[image.element_handle(), before_src])
        after_text = count.inner_text()
        page.screenshot(path=ARTIFACTS / "explorer-after.png")
        after_png = image.screenshot()
        (ARTIFACTS / "explorer-image-before.png").write_bytes(before_png)
        (ARTIFACTS / "explorer-image-after.png").write_bytes(after_png)

        k = int(re.fullmatch(r"Number of clusters: (\d+)", after_text.strip()).group(1))
        assert k > 2, f"a lower cut must give more clusters; the page shows {after_text!r}"
        assert scatter_half(before_png).tobytes() != scatter_half(after_png).tobytes(), \
            "the scatter plot looks the same after moving the slider"
        assert errors.count() == 0, "a cell shows an error:\n" + "\n".join(errors.all_inner_texts())
    except BaseException:
        page.screenshot(path=ARTIFACTS / "explorer-failure.png")
        raise
    finally:
        page.close()
        print(f"browser test took {time.monotonic() - started:.1f} s")
