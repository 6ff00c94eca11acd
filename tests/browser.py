"""Headless Chromium for the browser tests, driven by Playwright.

Uses Debian's ``chromium`` package (``apt-get install chromium``), never a
browser that Playwright downloads (:mod:`tools.chromium` finds it). When the
``CI`` environment variable is set, a missing browser is a failure; elsewhere
the browser tests skip and say how to enable them.

``tests/conftest.py`` makes the ``browser`` fixture available to every test
module: ask for it as an argument.
"""

import contextlib
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tools.chromium import CHROMIUM, launch
from tools.setup_env import OVERRIDES

HOW_TO_ENABLE = (
    "install Debian's Chromium (sudo apt-get install chromium) and run the tests "
    "again; they always run when the CI environment variable is set"
)


def unavailable(reason):
    """Fail under CI, skip elsewhere, saying how to enable the browser tests."""
    if os.environ.get("CI"):
        pytest.fail(f"browser tests must run under CI, but {reason}; .ci/run installs chromium")
    pytest.skip(f"browser test skipped: {reason}; to enable it, {HOW_TO_ENABLE}")


# Module scope, not session: every test module imports this fixture, which
# makes one fixture per module, and Playwright's sync API cannot start while
# another module's instance is still running in the same process.
@pytest.fixture(scope="module")
def browser():
    """A headless Chromium browser (a Playwright ``Browser``), one per test module."""
    if CHROMIUM is None:
        unavailable("no chromium on PATH")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the playwright package is not installed (pip install -e '.[test]')")
    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


def free_port():
    """A free TCP port on the loopback interface."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- JupyterLab and Notebook 7 on loopback, for the tests that open notebooks in them ---

#: The two Jupyter interfaces the course is checked in: name -> (its Python
#: module, the URL path under which it opens a notebook).
APPS = {
    "jupyterlab": ("jupyterlab", "lab/tree"),
    "notebook7": ("notebook", "notebooks"),
}
#: User settings (JupyterLab's; Notebook 7 reads the same): the learner's
#: environment's overrides (no news or update pop-up, which would cover the
#: notebook; tools/setup_env.py), and every cell kept in the page, even those
#: scrolled out of view, so that a test can find it.
USER_SETTINGS = {
    **{f"{plugin.replace(':', '/')}.jupyterlab-settings": values for plugin, values in OVERRIDES.items()},
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
}
#: nbgrader's extensions, which the tests' environment has (for the grading tests) and a learner's
#: (`make course`: the ``course`` extra) has not; turned off, so that JupyterLab and Notebook 7
#: show what the learner sees (no Nbgrader menu) and start a little sooner.
NBGRADER_OFF = {
    "jupyter_server_config.json": {"ServerApp": {"jpserver_extensions": {
        f"nbgrader.server_extensions.{name}": False
        for name in ("formgrader", "validate_assignment", "assignment_list", "course_list")}}},
    "labconfig/page_config.json": {"disabledExtensions": {"@jupyter/nbgrader": True}},
}
#: Only ever reached when something hangs; a normal start takes seconds.
PATIENCE_S = 300


def responds(url):
    """Whether ``url`` answers 200."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status == 200
    except OSError:
        return False


def server_api(server, path, method="GET"):
    """Call the REST API of a server from :func:`jupyter_server` (``path`` under ``/api/``);
    return the JSON answer (None when empty).

    jupyter_server (2.x) answers 500 to a list of kernels or sessions asked for while a kernel is
    starting: the kernel is in the list before it has a ``last_activity``
    (jupyter-server/enterprise_gateway#1395 shows the same). Every notebook the tests open starts a
    kernel, so this retries a 500 until the server answers; a DELETE of what is already gone (404)
    is done. Fails if the server dies or does not answer within :data:`PATIENCE_S`.
    """
    url = f"{server['base']}/api/{path}?token={server['token']}"
    deadline = time.monotonic() + PATIENCE_S
    while True:
        try:
            with urllib.request.urlopen(urllib.request.Request(url, method=method), timeout=30) as response:
                body = response.read()
            return json.loads(body) if body else None
        except urllib.error.HTTPError as error:
            if method == "DELETE" and error.code == 404:
                return None
            if error.code < 500 or time.monotonic() > deadline or server["process"].poll() is not None:
                raise
        time.sleep(0.1)


def stop_server(process, base, token):
    """Shut a Jupyter server and its kernels down; kill them if they do not go."""
    if process.poll() is None:
        try:  # the clean way: the server stops its kernels, then itself
            request = urllib.request.Request(f"{base}/api/shutdown?token={token}", method="POST")
            urllib.request.urlopen(request, timeout=10).close()
        except OSError:
            pass
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            pass
    for sig in (signal.SIGTERM, signal.SIGKILL):
        if process.poll() is not None:
            break
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            break
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            continue


@contextlib.contextmanager
def jupyter_server(app, root, scratch, env=None, base_url="/"):
    """JupyterLab or Notebook 7 (``app``, a key of :data:`APPS`) on a free loopback port, serving ``root``.

    Its configuration (nbgrader's extensions off: :data:`NBGRADER_OFF`), data, settings
    (:data:`USER_SETTINGS`) and log live in the folder ``scratch``, never in the user's own; ``env`` adds
    environment variables; ``base_url`` is the server's base URL (a hub's
    user server has ``/user/<name>/``). Yields a dict: ``app``, ``process``, ``log``,
    ``base`` (the server's URL, with the base URL), ``token``, and ``url(name)``, the URL that
    opens the notebook ``name`` of ``root`` (in JupyterLab, alone: no earlier tab comes back).
    Skips (fails under CI) when the interface is not installed.
    """
    module, path = APPS[app]
    try:
        __import__(module)
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail(f"the {module} package is missing: pip install -e '.[test]'")
        pytest.skip(f"the {module} package is not installed: pip install -e '.[test]'")
    scratch = Path(scratch)
    settings = scratch / "lab-settings"
    for folder, files in ((settings, USER_SETTINGS), (scratch / "config", NBGRADER_OFF)):
        for name, values in files.items():
            target = folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(json.dumps(values))
    environment = dict(
        os.environ,
        JUPYTER_CONFIG_DIR=str(scratch / "config"),
        JUPYTER_DATA_DIR=str(scratch / "data"),
        JUPYTER_RUNTIME_DIR=str(scratch / "runtime"),
        JUPYTERLAB_SETTINGS_DIR=str(settings),
        JUPYTERLAB_WORKSPACES_DIR=str(scratch / "workspaces"),
        IPYTHONDIR=str(scratch / "ipython"),
        **(env or {}),
    )
    token, port = secrets.token_hex(16), free_port()
    command = [sys.executable, "-m", module, "--no-browser", f"--ServerApp.token={token}",
               "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
               f"--ServerApp.root_dir={root}", f"--ServerApp.base_url={base_url}"]
    if os.geteuid() == 0:
        command.append("--allow-root")
    log = scratch / "server.log"
    with open(log, "wb") as output:
        process = subprocess.Popen(command, env=environment, stdout=output, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, start_new_session=True)
    base = f"http://127.0.0.1:{port}{base_url.rstrip('/')}"
    try:
        deadline = time.monotonic() + PATIENCE_S
        while not responds(f"{base}/api/status?token={token}"):
            if process.poll() is not None:
                pytest.fail(f"{module} exited ({process.returncode}):\n" + log.read_text()[-3000:])
            if time.monotonic() > deadline:
                pytest.fail(f"{module} did not answer within {PATIENCE_S} s")
            time.sleep(0.25)
        # JupyterLab restores the tabs an earlier test opened (its workspace), and one of them can
        # come to the front after the notebook asked for: "reset" opens that notebook alone.
        reset = "&reset" if app == "jupyterlab" else ""
        yield {"app": app, "process": process, "log": log, "base": base, "token": token,
               "url": lambda name: f"{base}/{path}/{name}?token={token}{reset}"}
    finally:
        stop_server(process, base, token)
