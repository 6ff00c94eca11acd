"""Headless Chromium for the browser tests, driven by Playwright.

Uses Debian's ``chromium`` package (``apt-get install chromium``), never a
browser that Playwright downloads. When the ``CI`` environment variable is
set, a missing browser is a failure; elsewhere the browser tests skip and say
how to enable them.

Import the fixture in a test module with ``from browser import browser``.
"""

import os
import shutil
import socket

import pytest

# Debian's chromium; $CHROMIUM names another build (GitHub's runners ship
# Google Chrome, found last).
CHROMIUM = (os.environ.get("CHROMIUM") or shutil.which("chromium")
            or shutil.which("chromium-browser") or shutil.which("google-chrome"))

# Flags for a headless Chromium on a closed network, as root in a container:
# no sandbox (root), and no background calls to the outside world.
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]

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
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        yield chromium
        chromium.close()


def free_port():
    """A free TCP port on the loopback interface."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
